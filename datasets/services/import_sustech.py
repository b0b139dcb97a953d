"""Importer `sustech-scene`: a SUSTechPOINTS scene folder dropped whole becomes ONE sequence sample.

- point-cloud sequence datasets (cuboid, vector, segmentation): a `pointcloud-sequence` sample, each frame with
  its calibrated camera images (and `ego_pose` from lidar_pose/ when there);
- `multisensor-sequence`: sensors `lidar` (pointcloud-cuboid-sequence, the same frames) then one
  `image-vector-sequence` sensor per camera, cameras in name order; frames without any camera image are left
  out (listed in the report).

label/*.json boxes become keyframe cuboids (track_id = obj_id, obj_type matched to a category by name) in the
chosen label set: PRELABELED in ground truth, LABELED elsewhere; only cuboid datasets take them. The layout,
the checks and the attributes are labeling.core.sustech_scene's; point clouds are then read by the worker as
uploads are (create_samples enqueues it). See docs/imports.md.
"""

from django.db import transaction

from datasets.models import Dataset, LabelSet
from datasets.services.imports import (
    ImportContext,
    ImporterSpec,
    ImportFileRefused,
    ImportReport,
    OptionSpec,
    register_importer,
)
from datasets.services.labels import save_label
from datasets.services.samples import create_samples
from labeling.core import sustech_scene
from labeling.core.sustech import SceneError, read_calibration, read_label_file, read_lidar_pose
from labeling.core.uploads import POINTCLOUD_TYPES, UploadRefused, detect_kind
from labeling.exceptions import InvalidInput

KIND = "sustech-scene"
POINTCLOUD_SEQUENCE_TASK_TYPES = frozenset(
    {"pointcloud-cuboid-sequence", "pointcloud-vector-sequence", "pointcloud-segmentation-sequence"}
)
MULTISENSOR = "multisensor-sequence"
CUBOID_TASK_TYPES = frozenset({"pointcloud-cuboid-sequence", MULTISENSOR})
LIDAR_SENSOR_TASK_TYPE = "pointcloud-cuboid-sequence"
MAX_FRAME_STEP = 1000
# Bytes read of a calibration, label or pose file: far more than any real one.
MAX_JSON_BYTES = 20_000_000


def check_file(path: str, head: bytes, size: int) -> None:
    """Refuse (ImportFileRefused) a file that is not part of a scene's layout, or whose content is not what
    its extension says (clouds and images as uploads are checked; .json must start with `{` or `[`)."""
    found = sustech_scene.classify(path)
    if found is None:
        raise ImportFileRefused(f"not part of a SUSTechPOINTS scene ({sustech_scene.LAYOUT_HELP})")
    if found[1].kind in ("lidar", "image"):
        try:
            detect_kind(path, head, size)
        except UploadRefused as error:
            raise ImportFileRefused(str(error)) from None
    elif not head.lstrip().startswith((b"{", b"[")):
        raise ImportFileRefused("the content is not JSON")


def clean_options(dataset: Dataset, options: dict) -> dict:
    """{labelset: an existing label set's name (default ground-truth), cameras: camera names separated by
    commas or spaces ('' = all), frame_step: 1..MAX_FRAME_STEP}. Raises InvalidInput naming the option."""
    labelset = options.get("labelset") or "ground-truth"
    cameras = options.get("cameras") or ""
    frame_step = options.get("frame_step", 1)
    errors = []
    if not isinstance(labelset, str) or not dataset.labelsets.filter(name=labelset).exists():
        errors.append(_option_error("labelset", "exists", "not a label set of this dataset"))
    if not isinstance(cameras, str):
        errors.append(_option_error("cameras", "type", "camera names separated by commas"))
    if isinstance(frame_step, str) and frame_step.strip().isdigit():
        frame_step = int(frame_step)
    if not isinstance(frame_step, int) or isinstance(frame_step, bool) or not 1 <= frame_step <= MAX_FRAME_STEP:
        errors.append(_option_error("frame_step", "range", f"a whole number from 1 to {MAX_FRAME_STEP}"))
    if errors:
        raise InvalidInput(
            "Invalid options: " + "; ".join(e["path"] + " " + e["message"] for e in errors), errors=errors
        )
    return {"labelset": labelset, "cameras": cameras, "frame_step": frame_step}


def _option_error(name: str, rule: str, message: str) -> dict:
    return {"path": f"options.{name}", "rule": rule, "message": message}


def run(context: ImportContext) -> ImportReport:
    """Read the scene (every file checked first), then create its sample and its label in one transaction.
    Raises InvalidInput listing each bad file with its path (nothing created)."""
    dataset, options = context.dataset, context.options
    assets = {asset.filename: asset for asset in context.assets}
    try:
        scene = sustech_scene.read_scene(
            list(assets),
            cameras=sustech_scene.parse_cameras(options["cameras"]),
            frame_step=options["frame_step"],
            every_camera_each_frame=dataset.task_type == MULTISENSOR,
        )
        attributes, label, objects = _read_files(context, scene, assets)
    except SceneError as error:
        raise _invalid(error) from None
    with transaction.atomic():
        # The dataset row's lock orders concurrent imports, so a name checked free here is still free below
        # (create_samples would hand back an existing sample, and its label would be replaced).
        Dataset.objects.select_for_update().only("pk").get(pk=dataset.pk)
        if dataset.samples.filter(name=scene.name).exists():
            message = f"a sample named {scene.name} already exists in this dataset"
            errors = [{"path": scene.root or scene.name, "rule": "exists", "message": message}]
            raise InvalidInput(message, errors=errors)
        [sample] = create_samples(context.actor, dataset, [{"name": scene.name, "attributes": attributes}])
        if label is not None:
            _save_label(context, sample, label)
    context.progress(len(assets), len(assets), "Created")
    created = {"samples": 1, "frames": len(scene.frames), "labels": int(label is not None), "objects": objects}
    return ImportReport(created=created, refused=scene.left_out, notes=_notes(dataset, scene, label))


def _invalid(error: SceneError) -> InvalidInput:
    summary = "; ".join(f"{issue.path}: {issue.message}" for issue in error.issues[:5])
    return InvalidInput(f"Not an importable SUSTechPOINTS scene: {summary}", errors=error.to_list())


def _read_files(context: ImportContext, scene: sustech_scene.Scene, assets: dict) -> tuple[dict, dict | None, int]:
    """(sample attributes, label attributes or None, cuboid count) of `scene`, reading its JSON files."""
    total, done = len(assets), 0
    calibrations = {}
    for camera, path in scene.calibrations.items():
        calibrations[camera] = read_calibration(_read(context, assets[path]), path)
        done += 1
        context.progress(done, total, f"Calibration of {camera}")
    poses = {
        frame.name: read_lidar_pose(_read(context, assets[frame.pose]), frame.pose)
        for frame in scene.frames
        if frame.pose
    }
    context.progress(done + len(poses), total, "Poses")
    url_of = lambda path: context.asset_url(assets[path])  # noqa: E731
    if context.dataset.task_type == MULTISENSOR:
        attributes = sustech_scene.multisensor_sequence_attributes(
            scene, url_of, calibrations, poses, lidar_task_type=LIDAR_SENSOR_TASK_TYPE
        )
    else:
        attributes = sustech_scene.pointcloud_sequence_attributes(scene, url_of, calibrations, poses)
    label_files = [frame.label for frame in scene.frames if frame.label]
    if context.dataset.task_type not in CUBOID_TASK_TYPES or not label_files:
        return attributes, None, 0
    categories = sustech_scene.category_ids(context.dataset.task_attributes.get("categories") or [])
    annotations = []
    for index, frame in enumerate(scene.frames):
        boxes = read_label_file(_read(context, assets[frame.label]), frame.label) if frame.label else []
        annotations.append(sustech_scene.cuboid_annotations(boxes, categories, frame.label or ""))
        context.progress(done + len(poses) + index + 1, total, f"Labels of frame {frame.name}")
    return attributes, _label_attributes(context.dataset, scene, annotations), sum(map(len, annotations))


def _label_attributes(dataset: Dataset, scene: sustech_scene.Scene, annotations: list[list[dict]]) -> dict:
    frames = sustech_scene.label_frames(annotations)
    if dataset.task_type == MULTISENSOR:
        return sustech_scene.multisensor_label_attributes(scene, frames, LIDAR_SENSOR_TASK_TYPE)
    return {"format_version": "0.2", "frames": frames}


def _read(context: ImportContext, asset) -> bytes:
    with context.open(asset) as file:
        content = file.read(MAX_JSON_BYTES + 1)
    if len(content) > MAX_JSON_BYTES:
        raise SceneError.single(asset.filename, "max_size", f"over {MAX_JSON_BYTES} bytes")
    return content


def _save_label(context: ImportContext, sample, label: dict) -> None:
    labelset = LabelSet.objects.get(dataset=context.dataset, name=context.options["labelset"])
    status = "PRELABELED" if labelset.is_groundtruth else "LABELED"
    save_label(context.actor, sample, labelset.name, attributes=label, label_status=status)


def _notes(dataset: Dataset, scene: sustech_scene.Scene, label: dict | None) -> list[str]:
    sensors = ["lidar", *scene.cameras] if dataset.task_type == MULTISENSOR else []
    notes = [f"Sample {scene.name}: {len(scene.frames)} frames, cameras: {', '.join(scene.cameras) or 'none'}"]
    if sensors:
        notes.append(f"Sensors in order: {', '.join(sensors)}")
    has_labels = any(frame.label for frame in scene.frames)
    if has_labels and dataset.task_type not in CUBOID_TASK_TYPES:
        notes.append(f"label/*.json left out: a {dataset.task_type} dataset holds no cuboids")
    elif label is None:
        notes.append("No label/*.json: nothing pre-labeled")
    return notes


SPEC = ImporterSpec(
    kind=KIND,
    label="SUSTechPOINTS scene",
    help="Drop a scene folder (lidar/, camera/<name>/, calib/camera/, label/): one sequence sample.",
    accept=(*POINTCLOUD_TYPES, *sustech_scene.IMAGE_EXTENSIONS, ".json"),
    task_types=POINTCLOUD_SEQUENCE_TASK_TYPES | {MULTISENSOR},
    options=(
        OptionSpec("labelset", "Label set for the boxes", "labelset", default="ground-truth"),
        OptionSpec("cameras", "Cameras", "text", default="", help="Camera folder names, comma-separated; empty: all"),
        OptionSpec("frame_step", "Frame step", "integer", default=1, help="Import every n-th lidar frame"),
    ),
    check_file=check_file,
    clean_options=clean_options,
    run=run,
)
register_importer(SPEC)
