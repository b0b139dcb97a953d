"""The editor pages: which template a task type's editor is (its `editor` in the task-type registry,
labeling.core.task_types), and the `editor_config` JSON every editor page gets (docs/review.md lists its
keys), whose `sample` part is built by the sample type's builder. The page views in datasets.views stay
thin: access helper, these builders, render."""

from functools import cache

from django.template import TemplateDoesNotExist, loader
from django.urls import reverse

from datasets import access
from datasets.models import GROUND_TRUTH, Label, LabelSet, Sample
from datasets.services import assignment, browse, review, work_queue
from labeling.core.task_types import editor_of, sample_type_for_task_type

EDITOR_TEMPLATES = {
    "vector": "datasets/vector_editor.html",
    "segmentation": "datasets/segmentation_editor.html",
    "image-vector-sequence": "datasets/sequence_editor.html",
    "image-segmentation-sequence": "datasets/segmentation_sequence_editor.html",
    "cuboid": "datasets/cuboid_editor.html",
    "pointcloud-segmentation": "datasets/pointcloud_segmentation_editor.html",
    "pointcloud-vector": "datasets/pointcloud_vector_editor.html",
    "text": "datasets/text_editor.html",
    "multisensor": "datasets/multisensor_editor.html",
}


def editor_template(task_type: str) -> str | None:
    """The template of the editor of `task_type` (None: the task type has no editor yet, or its template is
    not installed)."""
    editor = editor_of(task_type)
    template = EDITOR_TEMPLATES.get(editor) if editor else None
    return template if template and _installed(template) else None


@cache
def _installed(template: str) -> bool:
    try:
        loader.get_template(template)
    except TemplateDoesNotExist:
        return False
    return True


def editor_url(sample: Sample | None, queue: str | None = None, dataset_access=None) -> str | None:
    """The editor page of `sample` (None for None), carrying `?queue=` when `queue` is not the one the
    user's role works in by default (a reviewer in the labeling queue)."""
    if sample is None:
        return None
    dataset = sample.dataset
    url = reverse("label-editor", args=[dataset.owner_name, dataset.name, sample.uuid])
    chosen = dataset_access is not None and queue != work_queue.queue_for(dataset_access)
    if queue in assignment.QUEUES and chosen:
        url += f"?queue={queue}"
    return url


def submit_next_url(sample: Sample, queue: str | None) -> str:
    """The POST endpoint that claims the user's next sample after `sample` in `queue`."""
    dataset = sample.dataset
    url = reverse("submit-next", args=[dataset.owner_name, dataset.name, sample.uuid])
    return f"{url}?queue={queue}" if queue in assignment.QUEUES else url


def _image_sample(attributes: dict) -> dict:
    return {"image_url": browse.image_url_of(attributes), "frames": []}


def _image_sequence_sample(attributes: dict) -> dict:
    return {"image_url": browse.image_url_of(attributes), "frames": browse.frames_of(attributes)}


def _point_cloud_sample(attributes: dict) -> dict:
    """frames [{name, timestamp}] and ego_poses [the ego pose of every frame, or None] (one entry for a single
    frame; pose = {position {x, y, z}, heading {qx, qy, qz, qw}}, the sensor in world coordinates); the clouds
    themselves come from GET /samples/{uuid}/pointclouds/."""
    listed = attributes.get("frames")
    frames: list = listed if isinstance(listed, list) else [attributes]
    shown = [frame if isinstance(frame, dict) else {} for frame in frames]
    return {
        "frames": [{"name": frame.get("name"), "timestamp": frame.get("timestamp")} for frame in shown],
        "ego_poses": [frame.get("ego_pose") for frame in shown],
    }


def _multisensor_sample(attributes: dict) -> dict:
    """sensors [{name, task_type, kind ("pointcloud" | "image"), frames, ego_poses?}] in the sample's order (a
    point-cloud sensor as _point_cloud_sample, a camera as _image_sequence_sample), frames of the longest sensor
    (the shared timeline) and `attributes` as stored (the calibrations, read by editors/multisensor/sensors.js)."""
    listed = attributes.get("sensors")
    sensors = []
    for sensor in listed if isinstance(listed, list) else []:
        if not isinstance(sensor, dict):
            continue
        task_type = str(sensor.get("task_type") or "")
        stored = sensor.get("attributes")
        sensor_attributes: dict = stored if isinstance(stored, dict) else {}
        point_cloud = task_type.startswith("pointcloud-")
        built = _point_cloud_sample(sensor_attributes) if point_cloud else _image_sequence_sample(sensor_attributes)
        kind = "pointcloud" if point_cloud else "image"
        sensors.append({"name": sensor.get("name"), "task_type": task_type, "kind": kind, **built})
    longest: list[dict] = max((sensor["frames"] for sensor in sensors), key=len, default=[])
    frames = [{"name": frame.get("name"), "timestamp": frame.get("timestamp")} for frame in longest]
    return {"sensors": sensors, "frames": frames, "attributes": attributes}


def _text_sample(attributes: dict) -> dict:
    text = attributes.get("text")
    return {"text": text if isinstance(text, str) else ""}


# Sample type -> the editor's view of a sample's attributes. Other sample types get their attributes as stored.
SAMPLE_CONFIG_BUILDERS = {
    "image": _image_sample,
    "image-sequence": _image_sequence_sample,
    "pointcloud": _point_cloud_sample,
    "pointcloud-sequence": _point_cloud_sample,
    "text": _text_sample,
    "multisensor-sequence": _multisensor_sample,
}


def sample_config(sample: Sample) -> dict:
    """The `sample` part of editor_config: uuid and name, plus what the sample type's builder takes from the
    attributes (image: image_url and frames []; image-sequence: image_url of the first frame and frames
    [{image_url, name, timestamp}]; point clouds: frames [{name, timestamp}] and ego_poses; multi-sensor: sensors,
    frames and attributes (_multisensor_sample); text: text; any other: `attributes` as stored)."""
    attributes = sample.attributes if isinstance(sample.attributes, dict) else {}
    builder = SAMPLE_CONFIG_BUILDERS.get(sample_type_for_task_type(sample.dataset.task_type))
    return {
        "uuid": str(sample.uuid),
        "name": sample.name,
        **(builder(attributes) if builder else {"attributes": attributes}),
    }


def editor_config(
    user,
    sample: Sample,
    label: Label | None,
    dataset_access: access.DatasetAccess,
    *,
    csrf_token: str,
    queue: str | None,
) -> dict:
    """The JSON config of an editor page for `user` on `sample` (its ground-truth `label` or None).

    queue: the queue the user works in (work_queue.queue_for). Keys: sample, dataset, labelset, label,
    label_url, csrf_token, can_write, previous_url, next_url, dataset_url, user, role, can_review, queue
    ({name, previous_url, next_url, submit_next_url}), issues_url, review_url, history_url (the label's
    history page, for managers of a labeled sample; else None), labelsets ([{name, url}]: every label set of
    the dataset, ground truth first, with the label URL of this sample in it; the editor's "Compare with" shows
    one of the others read-only). previous_url/next_url follow the queue (the same values as
    queue.previous_url/next_url).
    """
    dataset = sample.dataset
    previous, following = work_queue.neighbours(user, sample, queue)
    previous_url = editor_url(previous, queue, dataset_access)
    next_url = editor_url(following, queue, dataset_access)
    return {
        "sample": sample_config(sample),
        "dataset": {
            "full_name": dataset.full_name,
            "task_type": dataset.task_type,
            "task_attributes": dataset.task_attributes,
            "enable_interpolation": dataset.enable_interpolation,
            "enable_extrapolation": dataset.enable_extrapolation,
            "use_timestamps_for_interpolation": dataset.use_timestamps_for_interpolation,
            "enable_3d_cuboid_rotation": dataset.enable_3d_cuboid_rotation,
        },
        "labelset": GROUND_TRUTH,
        "label": (
            {"attributes": label.attributes, "label_status": label.label_status, "version": label.version}
            if label
            else None
        ),
        "label_url": f"/labels/{sample.uuid}/{GROUND_TRUTH}/",
        "csrf_token": csrf_token,
        "can_write": review.can_save_label(user, dataset_access, sample, None),
        "previous_url": previous_url,
        "next_url": next_url,
        "dataset_url": reverse("dataset", args=[dataset.owner_name, dataset.name]),
        "user": {"username": user.username},
        "role": dataset_access.role,
        "can_review": dataset_access.allows(access.ROLE_REVIEWER),
        "queue": {
            "name": queue,
            "previous_url": previous_url,
            "next_url": next_url,
            "submit_next_url": submit_next_url(sample, queue),
        },
        "issues_url": f"/samples/{sample.uuid}/issues/",
        "review_url": f"/labels/{sample.uuid}/{GROUND_TRUTH}/review/",
        "history_url": (
            reverse("label-history", args=[dataset.owner_name, dataset.name, sample.uuid])
            if label and dataset_access.allows(access.ROLE_MANAGER)
            else None
        ),
        "labelsets": labelsets_config(sample),
    }


def labelsets_config(sample: Sample) -> list[dict]:
    """[{name, url}] of every label set of the sample's dataset (ground truth first, then by name), `url`
    being this sample's label in it (GET answers 404 when there is none). One query."""
    names = LabelSet.objects.filter(dataset_id=sample.dataset_id).values_list("name", flat=True)
    return [{"name": name, "url": f"/labels/{sample.uuid}/{name}/"} for name in names]
