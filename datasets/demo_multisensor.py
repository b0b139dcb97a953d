"""The `multisensor-sequence` demo: 3 real frames (000965, 000970, 000975) of examples/pointcloud_sequence/
(SUSTechPOINTS, GPL-3.0): the lidar and the front, left and right cameras (2048x1536), calibration converted
from calib/camera/*.json into the documented sample attributes (spec section 6), and the ground-truth cuboids
as pre-labels in the `prelabels` label set and, once, in ground-truth (where the editor opens them).

Idempotent: running it again refreshes the URLs (absolute, built from the site URL) and the pre-labels.
"""

import copy
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from datasets.models import GROUND_TRUTH, Collaborator, Dataset, Label, LabelSet, Sample
from datasets.services.datasets import create_dataset
from labeling.core.label_formats import validate_label_attributes
from labeling.core.sample_formats import validate_sample_attributes
from labeling.core.sustech import read_calibration, read_label_file
from labeling.core.sustech_scene import (
    Scene,
    category_ids,
    cuboid_annotations,
    label_frames,
    multisensor_label_attributes,
    multisensor_sequence_attributes,
    read_scene,
)
from labeling.models import ROLE_LABELER

EXAMPLE_POINTCLOUD_SEQUENCE = Path(settings.BASE_DIR) / "examples" / "pointcloud_sequence"
DEMO_MULTISENSOR_DATASET = "multisensor-sequence"
DEMO_MULTISENSOR_SAMPLE = "sustech-000965-000975"
DEMO_FRAMES = ("000965", "000970", "000975")
DEMO_CAMERAS = ("front", "left", "right")
LIDAR_SENSOR = "lidar"
PRELABELS = "prelabels"
FRAME_INTERVAL_NS = 500_000_000  # every 5th frame of a 10 Hz lidar
CAMERA_CONVENTION = "OpenGL"  # the documented default; the source files use OpenCV axes and are converted

CATEGORY_NAMES = ("Car", "Pedestrian", "Rider", "Truck", "Bus", "Motor")
CATEGORY_COLORS = ([230, 57, 70], [42, 157, 143], [244, 162, 97], [69, 123, 157], [131, 56, 236], [255, 190, 11])
MULTISENSOR_TASK_ATTRIBUTES: dict[str, Any] = {
    "format_version": "0.1",
    "categories": [
        {"id": index + 1, "name": name.lower(), "color": color}
        for index, (name, color) in enumerate(zip(CATEGORY_NAMES, CATEGORY_COLORS, strict=True))
    ],
}
MULTISENSOR_DESCRIPTION = (
    "3 real lidar frames with front, left and right cameras (SUSTechPOINTS, GPL-3.0): the source's cuboids as "
    "pre-labels in ground-truth and in the 'prelabels' label set."
)


def demo_scene() -> Scene:
    """The example folder read as an imported scene (labeling.core.sustech_scene): the DEMO_CAMERAS, and the
    frames that have their images (000950 has none)."""
    paths = [
        path.relative_to(EXAMPLE_POINTCLOUD_SEQUENCE).as_posix() for path in EXAMPLE_POINTCLOUD_SEQUENCE.rglob("*")
    ]
    return read_scene(paths, cameras=list(DEMO_CAMERAS), every_camera_each_frame=True)


def _timestamps(scene: Scene) -> list[int]:
    return [index * FRAME_INTERVAL_NS for index in range(len(scene.frames))]


def multisensor_sample_attributes(static_base: str) -> dict:
    """Sample attributes `{"sensors": [lidar, front, left, right]}` of the demo; `static_base` is the absolute
    URL examples/ is served at (ending in /). Each lidar frame carries the three calibrated images."""
    scene = demo_scene()
    calibrations = {
        camera: read_calibration((EXAMPLE_POINTCLOUD_SEQUENCE / path).read_bytes(), path, CAMERA_CONVENTION)
        for camera, path in scene.calibrations.items()
    }
    base = f"{static_base}pointcloud_sequence/"
    return multisensor_sequence_attributes(scene, lambda path: base + path, calibrations, {}, _timestamps(scene))


def multisensor_prelabel_attributes() -> dict:
    """Label attributes of the demo's pre-labels: the ground-truth cuboids of each frame as keyframes of the
    lidar sensor (track_id = the source's obj_id, persistent across frames); the cameras unlabeled (`[]`)."""
    scene = demo_scene()
    categories = category_ids(MULTISENSOR_TASK_ATTRIBUTES["categories"])
    annotations = []
    for frame in scene.frames:
        path = str(frame.label)
        boxes = read_label_file((EXAMPLE_POINTCLOUD_SEQUENCE / path).read_bytes(), path)
        annotations.append(cuboid_annotations(boxes, categories, path))
    frames = label_frames(annotations, _timestamps(scene))
    return multisensor_label_attributes(scene, frames, "pointcloud-cuboid-sequence")


@transaction.atomic
def create_multisensor_demo(admin, labeler, organization, static_base: str) -> Dataset:
    """Get or create the demo `multisensor-sequence` dataset of `organization` (labeler as collaborator), upsert
    its one sample and its pre-labels. Both are validated like API input; raises LabelFormatError if not valid."""
    dataset = Dataset.objects.filter(owner_name=organization.name, name=DEMO_MULTISENSOR_DATASET).first()
    if dataset is None:
        dataset = create_dataset(
            admin,
            owner_name=organization.name,
            owner_organization=organization,
            name=DEMO_MULTISENSOR_DATASET,
            description=MULTISENSOR_DESCRIPTION,
            task_type="multisensor-sequence",
            task_attributes=copy.deepcopy(MULTISENSOR_TASK_ATTRIBUTES),
            # the source's boxes have roll and pitch: the editor keeps their full rotation only with this on
            enable_3d_cuboid_rotation=True,
        )
    Collaborator.objects.get_or_create(dataset=dataset, user=labeler, defaults={"role": ROLE_LABELER})
    attributes = multisensor_sample_attributes(static_base)
    validate_sample_attributes(dataset.task_type, attributes)
    sample, _ = Sample.objects.update_or_create(
        dataset=dataset, name=DEMO_MULTISENSOR_SAMPLE, defaults={"attributes": attributes, "created_by": admin}
    )
    labelset, _ = LabelSet.objects.get_or_create(
        dataset=dataset, name=PRELABELS, defaults={"description": "Ground-truth cuboids of the source data."}
    )
    label = validate_label_attributes(
        dataset.task_type,
        multisensor_prelabel_attributes(),
        task_attributes=dataset.task_attributes,
        sample_attributes=attributes,
        label_status="PRELABELED",
    )
    Label.objects.update_or_create(
        sample=sample,
        labelset=labelset,
        defaults={"attributes": label, "label_status": "PRELABELED", "created_by": admin, "updated_by": admin},
    )
    # The editor opens the ground truth: it starts from the same cuboids, as pre-labels; work saved there since
    # is kept when the demo is made again.
    Label.objects.get_or_create(
        sample=sample,
        labelset=LabelSet.objects.get(dataset=dataset, name=GROUND_TRUTH),
        defaults={"attributes": label, "label_status": "PRELABELED", "created_by": admin, "updated_by": admin},
    )
    return dataset
