"""Every JSON example of the Segments.ai "Label formats" documentation validates under its task type.

The snippets are turned into JSON by `tests.core.seed_examples` (its docstring says how comments, trailing
commas and `{ ... }` placeholders are handled). Each example is also checked against the SDK's own pydantic
model for its task type, so the examples we accept are the ones the SDK accepts.
"""

import copy
import json

import pytest
from segments import typing as sdk

from labeling.core.label_formats import validate_label_attributes
from tests.core.seed_examples import clean, load_blocks, resolve
from tests.core.shared_data import SEEDS

SEED_FILE = SEEDS / "002_06d787bc2e87e6be.txt"
OBJECT_ATTRIBUTES = [
    {"name": "is_crowd", "input_type": "select", "values": ["0", "1"]},
    {"name": "color", "input_type": "select", "values": ["red", "blue", "yellow"]},
]
# The categories (ids 1-4) and attributes the examples use.
SEED_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {"id": category_id, "name": f"category {category_id}", "attributes": OBJECT_ATTRIBUTES}
        for category_id in (1, 2, 3, 4)
    ],
    "image_attributes": [
        {"name": "scene_type", "input_type": "select", "values": ["crossroads", "highway"]},
        {"name": "weather", "input_type": "select", "values": ["sunny", "rainy"]},
    ],
}
SDK_MODELS = {
    "segmentation-bitmap": sdk.ImageSegmentationLabelAttributes,
    "segmentation-bitmap-highres": sdk.ImageSegmentationLabelAttributes,
    "bboxes": sdk.ImageVectorLabelAttributes,
    "vector": sdk.ImageVectorLabelAttributes,
    "keypoints": sdk.ImageVectorLabelAttributes,
    "image-segmentation-sequence": sdk.ImageSequenceSegmentationLabelAttributes,
    "image-vector-sequence": sdk.ImageSequenceVectorLabelAttributes,
    "pointcloud-cuboid": sdk.PointcloudCuboidLabelAttributes,
    "pointcloud-cuboid-sequence": sdk.PointcloudSequenceCuboidLabelAttributes,
    "pointcloud-vector": sdk.PointcloudVectorLabelAttributes,
    "pointcloud-vector-sequence": sdk.PointcloudSequenceVectorLabelAttributes,
    "pointcloud-segmentation": sdk.PointcloudSegmentationLabelAttributes,
    "pointcloud-segmentation-sequence": sdk.PointcloudSequenceSegmentationLabelAttributes,
    "multisensor-sequence": sdk.MultiSensorLabelAttributes,
}


def _seed_cases() -> list[tuple[int, str, str, dict]]:
    """(block index, heading, task type, label) for every example block; composite examples get their
    `{ ... }` frames, annotations and sensor attributes from the page's own detailed examples."""
    blocks = load_blocks(SEED_FILE)
    raw = [clean(block.text) for block in blocks]
    image_segmentation = resolve(raw[0], {})
    image_vector_frame = resolve(raw[4], {})
    cuboid_annotation = resolve(raw[7], {})
    cuboid_label = resolve(raw[6], {"annotations": cuboid_annotation})
    pointcloud_vector = resolve(raw[8], {})
    pointcloud_segmentation_frame = resolve(raw[10], {})
    image_vector_sequence = resolve(raw[3], {"frames": image_vector_frame})
    cuboid_sequence = resolve(raw[11], {"frames": cuboid_label})
    sensors = {
        "attributes@pointcloud-cuboid-sequence": cuboid_sequence,
        "attributes@image-vector-sequence": image_vector_sequence,
    }
    cases = [
        (0, "segmentation-bitmap", image_segmentation),
        (0, "segmentation-bitmap-highres", image_segmentation),
        (1, "vector", resolve(raw[1], {})),
        (1, "bboxes", resolve(raw[1], {})),
        (1, "keypoints", resolve(raw[1], {})),
        (2, "image-segmentation-sequence", resolve(raw[2], {"frames": image_segmentation})),
        (3, "image-vector-sequence", image_vector_sequence),
        (4, "image-vector-sequence", {"frames": [image_vector_frame]}),
        (5, "pointcloud-segmentation", resolve(raw[5], {})),
        (6, "pointcloud-cuboid", cuboid_label),
        (7, "pointcloud-cuboid", {"annotations": [cuboid_annotation]}),
        (7, "pointcloud-cuboid-sequence", {"frames": [{"annotations": [cuboid_annotation]}]}),
        (8, "pointcloud-vector", pointcloud_vector),
        (9, "pointcloud-segmentation-sequence", resolve(raw[9], {"frames": pointcloud_segmentation_frame})),
        (10, "pointcloud-segmentation-sequence", {"frames": [pointcloud_segmentation_frame]}),
        (11, "pointcloud-cuboid-sequence", cuboid_sequence),
        (12, "pointcloud-vector-sequence", resolve(raw[12], {"frames": pointcloud_vector})),
        (13, "multisensor-sequence", resolve(raw[13], sensors)),
        (14, "segmentation-bitmap", resolve(raw[14], {"": image_segmentation})),
        (15, "vector", resolve(raw[15], {})),
        (15, "pointcloud-cuboid", resolve(raw[15], {})),
    ]
    return [(index, blocks[index].heading, task_type, label) for index, task_type, label in cases]


SEED_CASES = _seed_cases()


def test_seed_page_has_the_sixteen_json_examples_and_each_one_is_validated():
    blocks = load_blocks(SEED_FILE)

    assert len(blocks) == 16
    assert {index for index, *_ in SEED_CASES} == set(range(len(blocks)))
    assert blocks[7].heading == "3D point cloud > Cuboid annotation"


@pytest.mark.parametrize(
    ("index", "heading", "task_type", "label"),
    SEED_CASES,
    ids=[f"{index}-{task_type}" for index, _, task_type, _ in SEED_CASES],
)
def test_documented_example_validates_under_its_task_type(index, heading, task_type, label):
    stored = copy.deepcopy(label)

    returned = validate_label_attributes(task_type, label, task_attributes=SEED_TASK_ATTRIBUTES)

    assert returned is label
    assert label == stored
    assert json.loads(json.dumps(returned)) == stored


@pytest.mark.parametrize(
    ("index", "heading", "task_type", "label"),
    SEED_CASES,
    ids=[f"{index}-{task_type}" for index, _, task_type, _ in SEED_CASES],
)
def test_documented_example_is_also_accepted_by_the_sdk_model(index, heading, task_type, label):
    model = SDK_MODELS[task_type].model_validate(label)

    assert model.model_dump(exclude_unset=True)


def test_documented_sequence_examples_have_the_frames_they_show():
    by_task_type = {task_type: label for _, _, task_type, label in SEED_CASES}

    assert len(by_task_type["image-vector-sequence"]["frames"]) == 1  # the last case: the frame example alone
    assert [len(label["frames"]) for index, _, _, label in SEED_CASES if index in (2, 3, 9, 11, 12)] == [3] * 5
    multisensor = by_task_type["multisensor-sequence"]
    assert [sensor["name"] for sensor in multisensor["sensors"]] == ["Lidar", "Camera 1"]
    assert multisensor["sensors"][0]["attributes"]["frames"][0]["annotations"][1]["track_id"] == 2
