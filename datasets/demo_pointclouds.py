"""Point-cloud demo data from the real SUSTechPOINTS lidar frames in examples/ (GPL-3.0, see
examples/pointcloud_sequence/LICENSE.GPL-3.0.txt): a `pointcloud-cuboid-sequence` over the 4 frames with the
ground-truth boxes in a `prelabels` label set, a `pointcloud-cuboid` and a `pointcloud-segmentation` dataset over
the KITTI-style `000950.bin`, and a `pointcloud-segmentation-sequence` over the 4 frames.

Ground truth (`label/<frame>.json`): SUSTechPOINTS objects `{psr: {position, scale, rotation}, obj_type, obj_id}`
in the lidar frame (metres, radians). They become documented cuboids: `position` = psr.position,
`dimensions` = psr.scale (x length along the heading, y width, z height), `yaw` = psr.rotation.z wrapped to
[-pi, pi]; the small roll and pitch of the annotation tool (|x|, |y| < 0.06 rad) are dropped because the demo
datasets label yaw only; `track_id` (and the annotation `id`) = int(obj_id), which is stable across frames.
"""

import math
from pathlib import Path
from typing import Any

from django.conf import settings

from labeling.core.sustech import read_label_file
from labeling.core.sustech_scene import Scene, pointcloud_sequence_attributes, read_scene

EXAMPLE_LIDAR_SEQUENCE = Path(settings.BASE_DIR) / "examples" / "pointcloud_sequence"
EXAMPLE_LIDAR_FRAME = Path(settings.BASE_DIR) / "examples" / "pointcloud_single" / "000950.bin"
PRELABELS = "prelabels"

LIDAR_CATEGORY_NAMES = ("Car", "Truck", "Bus", "Pedestrian", "Rider", "Motor")
LIDAR_COLORS = ([230, 57, 70], [244, 162, 97], [233, 196, 106], [42, 157, 143], [38, 70, 83], [69, 123, 157])
LIDAR_TASK_ATTRIBUTES: dict[str, Any] = {
    "format_version": "0.1",
    "categories": [
        {"id": index, "name": name, "color": color}
        for index, (name, color) in enumerate(zip(LIDAR_CATEGORY_NAMES, LIDAR_COLORS, strict=True), start=1)
    ],
}
LIDAR_SEGMENTATION_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        *({**category, "has_instances": True} for category in LIDAR_TASK_ATTRIBUTES["categories"]),
        {"id": 7, "name": "Ground", "color": [120, 120, 120], "has_instances": False},
        {"id": 8, "name": "Vegetation", "color": [90, 160, 60], "has_instances": False},
    ],
}
CATEGORY_IDS = {name: index for index, name in enumerate(LIDAR_CATEGORY_NAMES, start=1)}


def example_scene() -> Scene:
    """The example sequence read as an imported scene (labeling.core.sustech_scene), without its cameras."""
    paths = [path.relative_to(EXAMPLE_LIDAR_SEQUENCE).as_posix() for path in EXAMPLE_LIDAR_SEQUENCE.rglob("*")]
    return read_scene(paths, cameras=[])


def lidar_frame_names() -> list[str]:
    """The frame names of the example sequence ('000950', ...), in time order."""
    return [frame.name for frame in example_scene().frames]


def wrap_angle(radians: float) -> float:
    """The same angle in [-pi, pi]."""
    wrapped = math.remainder(radians, 2 * math.pi)
    return max(-math.pi, min(math.pi, wrapped))


def psr_to_cuboid(box: dict, *, track: bool) -> dict:
    """A SUSTechPOINTS ground-truth object -> a documented `cuboid` annotation (see the module docstring);
    with `track`, the sequence fields `track_id` and `is_keyframe` too."""
    psr = box["psr"]
    object_id = int(box["obj_id"])
    cuboid = {
        "id": object_id,
        "category_id": CATEGORY_IDS[box["obj_type"]],
        "type": "cuboid",
        "position": {axis: float(psr["position"][axis]) for axis in "xyz"},
        "dimensions": {axis: float(psr["scale"][axis]) for axis in "xyz"},
        "yaw": wrap_angle(float(psr["rotation"]["z"])),
    }
    if track:
        cuboid.update(track_id=object_id, is_keyframe=True)
    return cuboid


def ground_truth_boxes(frame_name: str) -> list[dict]:
    """The ground-truth objects of one example frame, as stored in label/<frame_name>.json (checked; obj_id an
    int)."""
    path = f"label/{frame_name}.json"
    return read_label_file((EXAMPLE_LIDAR_SEQUENCE / path).read_bytes(), path)


def cuboid_sequence_label() -> dict:
    """The `pointcloud-cuboid-sequence` label of the 4 example frames, every ground-truth box a keyframe."""
    frames = [
        {"annotations": [psr_to_cuboid(box, track=True) for box in ground_truth_boxes(name)]}
        for name in lidar_frame_names()
    ]
    return {"format_version": "0.2", "frames": frames}


def lidar_samples(static_base: str) -> dict[str, list[tuple[str, dict]]]:
    """{sample kind: [(sample name, attributes)]} for the point-cloud demo datasets; URLs under `static_base`
    (absolute, ending in `examples/`). Kinds: `frame` (the KITTI .bin) and `sequence` (the 4 PCD frames)."""
    scene = example_scene()
    base = f"{static_base}pointcloud_sequence/"
    sequence = pointcloud_sequence_attributes(scene, lambda path: base + path, {}, {}, list(range(len(scene.frames))))
    frames = sequence["frames"]
    frame = {"pcd": {"url": f"{static_base}pointcloud_single/{EXAMPLE_LIDAR_FRAME.name}", "type": "kitti"}}
    return {
        "frame": [(EXAMPLE_LIDAR_FRAME.name, frame)],
        "sequence": [(f"lidar-{frames[0]['name']}-{frames[-1]['name']}", sequence)],
    }
