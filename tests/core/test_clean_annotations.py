"""The fast "clean annotation" path never hides an issue: for every field of every annotation kind, set to
every awkward JSON value, validating with the fast path gives exactly the issues of the detailed checks."""

import copy
import math

import pytest

from labeling.core import annotations
from labeling.core.annotations import (
    LabelContext,
    check_bitmap_annotation,
    check_cuboid_annotation,
    check_image_vector_annotation,
    check_pointcloud_vector_annotation,
    check_segment_annotation,
)
from labeling.core.checks import Issues
from labeling.core.task_attributes import TaskConfig
from tests.core.label_examples import DELETE, TASK_ATTRIBUTES, bbox, cuboid, mutate, polygon, segment

AWKWARD = [
    0,
    1,
    -1,
    2**24,
    2**70,
    0.5,
    -0.0,
    1e308,
    math.inf,
    -math.inf,
    math.nan,
    True,
    False,
    None,
    "1",
    [],
    {},
]
AWKWARD += [[1], [1, 2], [1, 2, 3], {"x": 1}, DELETE]
CUBOID_FIELDS = [
    "id", "category_id", "track_id", "is_keyframe", "index", "type", "yaw", "position", "position.x",
    "dimensions", "dimensions.y", "rotation", "rotation.qw", "rotation.qx", "velocity", "velocity.absolute",
    "velocity.relative", "acceleration", "attributes", "attributes.doors",
]  # fmt: skip
VECTOR_FIELDS = ["id", "category_id", "track_id", "type", "points", "points[0]", "points[1][0]", "points[2]"]
KINDS = {
    "cuboid": (
        check_cuboid_annotation,
        cuboid(track_id=1, acceleration={"absolute": 1, "relative": 0.5}),
        CUBOID_FIELDS,
    ),
    "pointcloud-cuboid": (check_pointcloud_vector_annotation, cuboid(2, 2, track_id=2), CUBOID_FIELDS[:9]),
    "image-bbox": (
        check_image_vector_annotation,
        bbox(track_id=3, attributes={"color": "red"}),
        VECTOR_FIELDS,
    ),
    "image-polygon": (check_image_vector_annotation, polygon(track_id=4), VECTOR_FIELDS),
    "pointcloud-polygon": (check_pointcloud_vector_annotation, polygon(z=True, track_id=5), VECTOR_FIELDS),
    "segment": (
        check_segment_annotation,
        segment(1, 1, track_id=6, attributes={"color": "red"}),
        VECTOR_FIELDS[:4],
    ),
    "bitmap": (check_bitmap_annotation, segment(7, 2, track_id=7), VECTOR_FIELDS[:4]),
}


def _variants() -> list[tuple[str, str, object]]:
    return [(kind, path, value) for kind, (_, _, paths) in KINDS.items() for path in paths for value in AWKWARD]


def _issues(checker, annotation, context) -> list[tuple[str, str]]:
    issues = Issues()
    checker(issues, copy.deepcopy(annotation), "a", context)
    return [(issue.path, issue.rule) for issue in issues.found]


@pytest.mark.parametrize("is_sequence", [True, False])
@pytest.mark.parametrize("enforce_mandatory", [True, False])
def test_fast_path_reports_exactly_what_the_detailed_checks_report(monkeypatch, is_sequence, enforce_mandatory):
    context = LabelContext(TaskConfig.from_task_attributes(TASK_ATTRIBUTES), enforce_mandatory, is_sequence)
    variants = []
    for kind, path, value in _variants():
        checker, base, _ = KINDS[kind]
        try:
            variants.append((checker, mutate(base, path, value)))
        except (KeyError, IndexError, TypeError):
            continue  # the field does not exist on this kind (e.g. deleting inside a missing object)
    fast = [_issues(checker, annotation, context) for checker, annotation in variants]

    monkeypatch.setattr(annotations, "_is_clean", lambda *args, **kwargs: False)
    detailed = [_issues(checker, annotation, context) for checker, annotation in variants]

    assert len(variants) > 900
    assert sum(1 for found in fast if not found) > 50  # some variants are valid and take the fast path
    assert fast == detailed
