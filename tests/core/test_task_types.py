"""The task-type registry: one row per task type of the wire format, and the lists that validation,
interpolation, label files, exports and the editor pages used to keep by hand are all derived from it."""

import pytest

from labeling.core import task_types
from labeling.core.interpolation import INTERPOLATED_TASK_TYPES
from labeling.core.label_formats import FRAME_SPECS
from labeling.core.task_types import (
    BITMAP,
    REGISTRY,
    TASK_TYPES,
    editor_of,
    sample_type_for_task_type,
    task_type_of,
    task_types_where,
    task_types_with_export,
)


def test_the_registry_holds_each_task_type_of_the_wire_format_once():
    assert len(TASK_TYPES) == len(set(TASK_TYPES)) == 16
    assert all(task_type.sample_type in task_types.SAMPLE_TYPES for task_type in REGISTRY)
    assert tuple(name for name in TASK_TYPES if "sequence" in name) == task_types.SEQUENCE_TASK_TYPES


def test_derived_lists_are_the_ones_the_code_kept_by_hand():
    assert {
        "image-vector-sequence",
        "pointcloud-cuboid-sequence",
        "pointcloud-vector-sequence",
    } == INTERPOLATED_TASK_TYPES
    assert task_types_with_export("coco-instance") == ("bboxes", "vector", "keypoints", "image-vector-sequence")
    assert task_types_with_export("yolo") == task_types_with_export("coco-instance")
    assert task_types_where(label_type=BITMAP, sequence=False) == ("segmentation-bitmap", "segmentation-bitmap-highres")
    assert set(FRAME_SPECS) == set(TASK_TYPES) - {
        "multisensor-sequence",
        "text-named-entities",
        "text-span-categorization",
    }
    assert FRAME_SPECS["image-segmentation-sequence"].bitmap == "optional"
    assert FRAME_SPECS["segmentation-bitmap"].bitmap == "required"
    assert sample_type_for_task_type("pointcloud-cuboid-sequence") == "pointcloud-sequence"
    assert task_type_of("multisensor-sequence").interpolation == task_types.SENSORS


def test_editors_of_the_task_types():
    editors = {name: editor_of(name) for name in TASK_TYPES if editor_of(name)}
    assert editors == {
        "segmentation-bitmap": "segmentation",
        "segmentation-bitmap-highres": "segmentation",
        "bboxes": "vector",
        "vector": "vector",
        "keypoints": "vector",
        "image-segmentation-sequence": "image-segmentation-sequence",
        "image-vector-sequence": "image-vector-sequence",
        "pointcloud-cuboid": "cuboid",
        "pointcloud-cuboid-sequence": "cuboid",
        "pointcloud-segmentation": "pointcloud-segmentation",
        "pointcloud-segmentation-sequence": "pointcloud-segmentation",
        "pointcloud-vector": "pointcloud-vector",
        "pointcloud-vector-sequence": "pointcloud-vector",
        "text-named-entities": "text",
        "text-span-categorization": "text",
        "multisensor-sequence": "multisensor",
    }
    assert editor_of("no-such-task") is None


def test_an_unknown_task_type_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="'no-such-task'"):
        task_type_of("no-such-task")
    with pytest.raises(ValueError, match="'no-such-task'"):
        sample_type_for_task_type("no-such-task")
