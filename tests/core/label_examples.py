"""Valid labels, samples and a dataset configuration shared by the label-format tests.

Every label here validates; the malformed-variant table breaks them one rule at a time.
"""

import copy
import json
import re
from typing import Any

from labeling.core.label_formats import TASK_TYPES, sample_type_for_task_type

TASK_ATTRIBUTES: dict[str, Any] = {
    "format_version": "0.1",
    "categories": [
        {
            "id": 1,
            "name": "car",
            "color": [255, 0, 0],
            "attributes": [
                {
                    "name": "color",
                    "input_type": "select",
                    "values": ["red", "green", "blue"],
                    "is_mandatory": True,
                },
                {"name": "doors", "input_type": "number", "min": 1, "max": 6, "step": 1},
                {"name": "parked", "input_type": "checkbox", "default_value": False},
                {"name": "tags", "input_type": "multiselect", "values": ["damaged", "taxi"]},
                {"name": "note", "input_type": "text"},
            ],
            "link_attributes": [{"name": "relation", "input_type": "select", "values": ["tows", "follows"]}],
        },
        {
            "id": 2,
            "name": "person",
            "color": [0, 255, 0, 128],
            "attributes": [{"name": "pose", "input_type": "select", "values": ["standing", "sitting"]}],
        },
        {"id": 3, "name": "bicycle"},
        {"id": 4, "name": "sign"},
    ],
    "image_attributes": [
        {"name": "weather", "input_type": "select", "values": ["sunny", "rainy"], "is_mandatory": True},
        {"name": "remark", "input_type": "text"},
    ],
}

URL = {"url": "https://example.com/asset.png"}
LINKS = [{"from_id": 1, "to_id": 2, "attributes": {"relation": "tows"}}]
IMAGE_ATTRIBUTES = {"weather": "sunny"}
CAR_ATTRIBUTES = {"color": "red", "doors": 4, "parked": False, "tags": ["taxi"], "note": "yellow cab"}


def bbox(object_id: int = 1, category_id: int = 1, **extra: Any) -> dict:
    points = [[10.0, 20.0], [110.5, 220.25]]
    return {"id": object_id, "category_id": category_id, "type": "bbox", "points": points, **extra}


def polygon(object_id: int = 2, category_id: int = 2, z: bool = False, **extra: Any) -> dict:
    points = [[0, 0], [10, 0], [10, 10], [0, 10]]
    points = [[*point, 1.5] for point in points] if z else points
    return {"id": object_id, "category_id": category_id, "type": "polygon", "points": points, **extra}


def polyline(object_id: int = 3, category_id: int = 3, z: bool = False, **extra: Any) -> dict:
    points = [[1, 1], [5, 5.5]] if not z else [[1, 1, 0], [5, 5.5, 0.25]]
    return {"id": object_id, "category_id": category_id, "type": "polyline", "points": points, **extra}


def point(object_id: int = 4, category_id: int = 4, z: bool = False, **extra: Any) -> dict:
    points = [[3, 4, 5]] if z else [[3, 4]]
    return {"id": object_id, "category_id": category_id, "type": "point", "points": points, **extra}


def cuboid(object_id: int = 1, category_id: int = 1, **extra: Any) -> dict:
    return {
        "id": object_id,
        "category_id": category_id,
        "type": "cuboid",
        "position": {"x": 5.58, "y": -48.75, "z": 1.42},
        "dimensions": {"x": 4.5, "y": 1.71, "z": 1.70},
        "yaw": 1.40,
        "rotation": {"qx": 0.0, "qy": 0.0, "qz": 0.6442176872376911, "qw": 0.7648421872844885},
        "velocity": {"absolute": 3.2, "relative": None},
        **extra,
    }


def segment(object_id: int, category_id: int, **extra: Any) -> dict:
    return {"id": object_id, "category_id": category_id, **extra}


def _sequence_frame(annotations: list[dict], **extra: Any) -> dict:
    frame = {"format_version": "0.1", "timestamp": 1000, "annotations": annotations, **extra}
    frame.setdefault("image_attributes", dict(IMAGE_ATTRIBUTES))
    return frame


def labels() -> dict[str, dict]:
    """A fresh valid label per task type (deep copies: tests may mutate them)."""
    car = {"attributes": dict(CAR_ATTRIBUTES)}
    track = {"is_keyframe": True}
    image_vector_frames = [
        _sequence_frame(
            [bbox(track_id=1, **track, **car), polygon(track_id=2, **track)],
            image_attributes={"weather": "rainy"},
        ),
        _sequence_frame(
            [bbox(track_id=1, is_keyframe=False, **car), polygon(track_id=2, index=1)],
            image_attributes={"weather": "sunny"},
        ),
    ]
    cuboid_frames = [
        _sequence_frame([cuboid(track_id=1, **track, **car), cuboid(2, 2, track_id=2, **track)]),
        _sequence_frame([cuboid(track_id=1, is_keyframe=False, **car), cuboid(2, 2, track_id=2, index=1)]),
    ]
    segmentation_frames = [
        _sequence_frame([segment(1, 1, track_id=1, **car), segment(2, 2, track_id=2)], point_annotations=[0, 1, 2, 2]),
        _sequence_frame([segment(1, 1, track_id=1, **car), segment(2, 2, track_id=2)], point_annotations=[1, 1, 0, 2]),
    ]
    result = {
        "segmentation-bitmap": {
            "format_version": "0.1",
            "annotations": [segment(1, 1, **car), segment(2, 2, attributes={"pose": "sitting"})],
            "segmentation_bitmap": dict(URL),
            "image_attributes": dict(IMAGE_ATTRIBUTES),
        },
        "vector": {
            "format_version": "0.1",
            "annotations": [bbox(**car), polygon(), polyline(), point()],
            "image_attributes": dict(IMAGE_ATTRIBUTES),
            "links": copy.deepcopy(LINKS),
        },
        "image-segmentation-sequence": {
            "format_version": "0.1",
            "frames": [
                _sequence_frame(
                    [segment(1, 1, track_id=1, **car)],
                    segmentation_bitmap=dict(URL),
                    image_attributes={"weather": "sunny"},
                ),
                _sequence_frame(
                    [segment(1, 1, track_id=1, **car), segment(2, 2, track_id=5)],
                    segmentation_bitmap=None,
                    image_attributes={"weather": "sunny"},
                ),
            ],
        },
        "image-vector-sequence": {
            "format_version": "0.2",
            "frames": image_vector_frames,
            "links": copy.deepcopy(LINKS),
        },
        "pointcloud-cuboid": {
            "format_version": "0.2",
            "annotations": [cuboid(**car), cuboid(2, 2, type="cuboid-sync", rotation=None)],
            "image_attributes": dict(IMAGE_ATTRIBUTES),
            "links": copy.deepcopy(LINKS),
        },
        "pointcloud-cuboid-sequence": {
            "format_version": "0.2",
            "frames": cuboid_frames,
            "links": copy.deepcopy(LINKS),
        },
        "pointcloud-vector": {
            "format_version": "0.1",
            "annotations": [cuboid(**car), polygon(z=True), polyline(z=True), point(z=True)],
            "image_attributes": dict(IMAGE_ATTRIBUTES),
            "links": copy.deepcopy(LINKS),
        },
        "pointcloud-vector-sequence": {
            "format_version": "0.2",
            "frames": [
                _sequence_frame([cuboid(track_id=1, **track, **car), polygon(z=True, track_id=2, **track)]),
                _sequence_frame([cuboid(track_id=1, **car), polyline(z=True, track_id=3, **track)]),
            ],
            "links": copy.deepcopy(LINKS),
        },
        "pointcloud-segmentation": {
            "format_version": "0.1",
            "annotations": [segment(1, 1, **car), segment(2, 2)],
            "point_annotations": [0, 1, 1, 2, 0],
            "image_attributes": dict(IMAGE_ATTRIBUTES),
        },
        "pointcloud-segmentation-sequence": {"format_version": "0.2", "frames": segmentation_frames},
        "text-named-entities": {
            "format_version": "0.1",
            "annotations": [
                {"start": 0, "end": 12, "category_id": 2},
                {"start": 21, "end": 26, "category_id": 4, "attributes": {"remark": "capital"}},
            ],
        },
        "text-span-categorization": {
            "format_version": "0.1",
            "annotations": [
                {"start": 0, "end": 26, "category_id": 3},
                {"start": 7, "end": 12, "category_id": 2},
            ],
        },
    }
    result["segmentation-bitmap-highres"] = copy.deepcopy(result["segmentation-bitmap"])
    result["bboxes"] = {**copy.deepcopy(result["vector"]), "annotations": [bbox(**car), bbox(2, 2)]}
    result["keypoints"] = {
        **copy.deepcopy(result["vector"]),
        "annotations": [point(1, 1, **car), point(2, 2)],
    }
    result["multisensor-sequence"] = {
        "sensors": [
            {
                "name": "Lidar",
                "task_type": "pointcloud-cuboid-sequence",
                "attributes": copy.deepcopy(result["pointcloud-cuboid-sequence"]),
            },
            {
                "name": "Camera 1",
                "task_type": "image-vector-sequence",
                "attributes": copy.deepcopy(result["image-vector-sequence"]),
            },
            {"name": "Camera 2", "task_type": "image-vector-sequence", "attributes": []},
        ],
        "links": copy.deepcopy(LINKS),
    }
    return json.loads(json.dumps(result))  # no shared sub-objects: a test's change stays in one place


TEXT = "Barack Obama visited Paris in 2015."


def _pointcloud_frame(name: str) -> dict:
    return {"pcd": {"url": f"https://example.com/{name}.pcd", "type": "pcd"}, "name": name, "timestamp": 1000}


def samples() -> dict[str, dict]:
    """A fresh valid sample per task type, matching `labels()` (frame counts, sensors, text)."""
    image = {"image": dict(URL)}
    image_sequence = {"frames": [{**image, "name": "a"}, {**image, "name": "b"}]}
    pointcloud = _pointcloud_frame("a")
    pointcloud_sequence = {"frames": [_pointcloud_frame("a"), _pointcloud_frame("b")]}
    by_sample_type = {
        "image": image,
        "image-sequence": image_sequence,
        "pointcloud": pointcloud,
        "pointcloud-sequence": pointcloud_sequence,
        "multisensor-sequence": {
            "sensors": [
                {
                    "name": "Lidar",
                    "task_type": "pointcloud-cuboid-sequence",
                    "attributes": pointcloud_sequence,
                },
                {"name": "Camera 1", "task_type": "image-vector-sequence", "attributes": image_sequence},
                {"name": "Camera 2", "task_type": "image-vector-sequence", "attributes": image_sequence},
            ]
        },
        "text": {"text": TEXT},
    }
    by_task_type = {task_type: by_sample_type[sample_type_for_task_type(task_type)] for task_type in TASK_TYPES}
    return json.loads(json.dumps(by_task_type))  # no shared sub-objects: a test's change stays in one place


DELETE = object()


def parse_path(path: str) -> list[str | int]:
    """`frames[0].annotations[1].points` -> ["frames", 0, "annotations", 1, "points"]."""
    tokens: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        tokens.append(int(index) if index else name)
    return tokens


def mutate(document: Any, path: str, value: Any = DELETE) -> Any:
    """A deep copy of `document` with the value at `path` replaced (or deleted with DELETE)."""
    result = copy.deepcopy(document)
    *parents, last = parse_path(path)
    target = result
    for token in parents:
        target = target[token]
    if value is DELETE:
        del target[last]
    elif isinstance(target, list) and last == len(target):
        target.append(value)
    else:
        target[last] = value
    return result
