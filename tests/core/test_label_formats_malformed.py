"""Table of malformed labels: each breaks one rule and must be rejected with exactly that path and rule.

Every case starts from a valid label of `tests.core.label_examples.labels()`, applies its changes, and expects
`LabelFormatError.issues` to be exactly `[(path, rule)]`: the right place, the right rule, nothing else.
"""

import math
from dataclasses import dataclass, field
from typing import Any

import pytest

from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import TASK_TYPES, validate_label_attributes
from tests.core.label_examples import DELETE, TASK_ATTRIBUTES, labels, mutate, parse_path, samples


@dataclass(frozen=True)
class Case:
    task_type: str
    changes: tuple[tuple[str, Any], ...]
    path: str
    rule: str
    options: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        if not self.changes:
            return f"{self.task_type}:(root)->{self.rule}"
        path, value = self.changes[-1]
        shown = "<deleted>" if value is DELETE else repr(value)[:40]
        status = self.options.get("label_status")
        return f"{self.task_type}:{path}={shown}{':' + status if status else ''}->{self.rule}"


def case(task_type: str, path: str, value: Any, rule: str, *, expect: str | None = None, **options: Any) -> Case:
    """One change at `path`; the issue is expected at `expect` (default: the changed path)."""
    return Case(task_type, ((path, value),), path if expect is None else expect, rule, options)


def _read(document: Any, path: str) -> Any:
    for token in parse_path(path):
        document = document[token]
    return document


# --- rules every annotation-bearing task type shares, applied to a frame holding a car (annotation 0) ---

COMMON_PREFIXES = [
    ("segmentation-bitmap", ""),
    ("segmentation-bitmap-highres", ""),
    ("bboxes", ""),
    ("vector", ""),
    ("keypoints", ""),
    ("pointcloud-cuboid", ""),
    ("pointcloud-vector", ""),
    ("pointcloud-segmentation", ""),
    ("image-segmentation-sequence", "frames[1]."),
    ("image-vector-sequence", "frames[0]."),
    ("pointcloud-cuboid-sequence", "frames[1]."),
    ("pointcloud-vector-sequence", "frames[0]."),
    ("pointcloud-segmentation-sequence", "frames[0]."),
    ("multisensor-sequence", "sensors[0].attributes.frames[0]."),
    ("multisensor-sequence", "sensors[1].attributes.frames[1]."),
]
# Links and point_annotations refer to the ids these cases break; clear them so each case is one issue.
COMMON_SETUP = {
    "pointcloud-segmentation": (("point_annotations", [0, 0, 0, 0, 0]),),
    "pointcloud-segmentation-sequence": (("frames[0].point_annotations", [0, 0, 0, 0]),),
    "multisensor-sequence": (
        ("sensors[0].attributes.links", DELETE),
        ("sensors[1].attributes.links", DELETE),
    ),
}
SAME_ID = object()  # stands for "the id of annotations[0]"
COMMON = [
    ("annotations[0].id", DELETE, "required", None),
    ("annotations[0].id", "1", "type", None),
    ("annotations[0].id", 0, "positive", None),
    ("annotations[0].id", True, "type", None),
    ("annotations[0].id", 1.0, "type", None),
    ("annotations[0].category_id", DELETE, "required", None),
    ("annotations[0].category_id", 99, "unknown_category", None),
    ("annotations[0].category_id", None, "type", None),
    ("annotations[0].attributes", "red", "type", None),
    ("annotations[0].attributes.color", "purple", "attribute_value", None),
    ("annotations[0].attributes.doors", 7, "attribute_range", None),
    ("annotations[0].attributes.doors", math.nan, "finite", None),
    ("annotations[0].attributes.parked", "yes", "attribute_type", None),
    (
        "annotations[0].attributes.tags",
        ["taxi", "bus"],
        "attribute_value",
        "annotations[0].attributes.tags[1]",
    ),
    ("annotations[0].attributes.note", {"text": "x"}, "type", None),
    ("annotations", "x", "type", None),
    ("annotations", DELETE, "required", None),
    ("annotations[0]", 5, "type", None),
    ("annotations[1].id", SAME_ID, "duplicate_id", None),
    ("image_attributes.weather", "snowy", "attribute_value", None),
    ("image_attributes", [], "type", None),
    ("format_version", True, "type", None),
]


def common_cases() -> list[Case]:
    bases = labels()
    cases = []
    for task_type, prefix in COMMON_PREFIXES:
        base = bases[task_type]
        setup = (*COMMON_SETUP.get(task_type, ()), *((("links", DELETE),) if "links" in base else ()))
        for path, value, rule, expect in COMMON:
            if value is SAME_ID:
                value = _read(base, prefix + "annotations[0].id")
            cases.append(Case(task_type, (*setup, (prefix + path, value)), prefix + (expect or path), rule))
    return cases


# --- rules of one task type or one structure ---

VECTOR_CASES = [
    case("vector", "annotations[0].points", [[1, 2]], "min_points"),
    case("vector", "annotations[0].points", [[1, 2], [3, 4], [5, 6]], "max_points"),
    case("vector", "annotations[1].points", [[1, 2], [3, 4]], "min_points"),
    case("vector", "annotations[2].points", [[1, 2]], "min_points"),
    case("vector", "annotations[3].points", [], "min_points"),
    case("vector", "annotations[3].points", [[1, 2], [3, 4]], "max_points"),
    case("vector", "annotations[0].points[1]", [1, 2, 3], "point_dimensions"),
    case("vector", "annotations[0].points[1]", [1], "point_dimensions"),
    case("vector", "annotations[0].points[1][0]", "1", "type"),
    case("vector", "annotations[0].points[1][1]", math.inf, "finite"),
    case("vector", "annotations[1].points[2][1]", math.nan, "finite"),
    case("vector", "annotations[0].points[1]", "1,2", "type"),
    case("vector", "annotations[0].points", {"x": 1}, "type"),
    case("vector", "annotations[0].points", DELETE, "required"),
    case("vector", "annotations[0].type", "circle", "one_of"),
    case("vector", "annotations[0].type", DELETE, "required"),
    case("vector", "annotations[1].is_keyframe", "yes", "type"),
    case("vector", "annotations[1].index", -1, "non_negative"),
    case("vector", "annotations[1].track_id", 0, "positive"),
    case("bboxes", "annotations[1].points", [[0, 0]], "min_points"),
    case("keypoints", "annotations[1].points[0]", [3], "point_dimensions"),
    case("image-vector-sequence", "frames[1].annotations[1].points", [[1, 2]], "min_points"),
    case("image-vector-sequence", "frames[0].annotations[0].points[0][0]", None, "type"),
]
POINTCLOUD_VECTOR_CASES = [
    case("pointcloud-vector", "annotations[1].points[0]", [1, 2, 3, 4], "point_dimensions"),
    case("pointcloud-vector", "annotations[1].points[1]", [1, 2], "point_dimensions"),  # unlike points[0]
    case("pointcloud-vector", "annotations[1].type", "bbox", "one_of"),
    case("pointcloud-vector", "annotations[3].points", [[1, 2, 3], [4, 5, 6]], "max_points"),
    case("pointcloud-vector", "annotations[1].points", [[1, 2, 3], [4, 5, 6]], "min_points"),
    case("pointcloud-vector", "annotations[2].points[1][2]", -math.inf, "finite"),
    case("pointcloud-vector", "annotations[0].yaw", 4.0, "yaw_range"),
    case("pointcloud-vector-sequence", "frames[1].annotations[1].points[1][2]", "0", "type"),
    case("pointcloud-vector-sequence", "frames[1].annotations[1].track_id", DELETE, "required"),
]
CUBOID_CASES = [
    case("pointcloud-cuboid", "annotations[0].yaw", 3.2, "yaw_range"),
    case("pointcloud-cuboid", "annotations[0].yaw", -3.1416, "yaw_range"),
    case("pointcloud-cuboid", "annotations[0].yaw", 2 * math.pi, "yaw_range"),
    case("pointcloud-cuboid", "annotations[0].yaw", math.nan, "finite"),
    case("pointcloud-cuboid", "annotations[0].yaw", "1.4", "type"),
    case("pointcloud-cuboid", "annotations[0].yaw", None, "type"),
    case("pointcloud-cuboid", "annotations[0].yaw", DELETE, "required"),
    case("pointcloud-cuboid", "annotations[0].position", DELETE, "required"),
    case("pointcloud-cuboid", "annotations[0].position.x", DELETE, "required"),
    case("pointcloud-cuboid", "annotations[0].position.z", math.inf, "finite"),
    case("pointcloud-cuboid", "annotations[0].position", [1, 2, 3], "type"),
    case("pointcloud-cuboid", "annotations[0].dimensions.x", 0, "positive"),
    case("pointcloud-cuboid", "annotations[0].dimensions.y", -1.5, "positive"),
    case("pointcloud-cuboid", "annotations[0].dimensions.z", math.nan, "finite"),
    case("pointcloud-cuboid", "annotations[0].dimensions", DELETE, "required"),
    case(
        "pointcloud-cuboid",
        "annotations[0].rotation",
        {"qx": 0, "qy": 0, "qz": 0, "qw": 0},
        "unit_quaternion",
    ),
    case(
        "pointcloud-cuboid",
        "annotations[0].rotation",
        {"qx": 0, "qy": 0, "qz": 0, "qw": 1.01},
        "unit_quaternion",
    ),
    case("pointcloud-cuboid", "annotations[0].rotation.qw", DELETE, "required"),
    case("pointcloud-cuboid", "annotations[0].rotation.qx", "0", "type"),
    case("pointcloud-cuboid", "annotations[0].rotation", 1, "type"),
    case("pointcloud-cuboid", "annotations[0].type", "box", "one_of"),
    case("pointcloud-cuboid", "annotations[0].type", DELETE, "required"),
    case(
        "pointcloud-cuboid",
        "annotations[0].velocity",
        {"relative": 1.0},
        "required",
        expect="annotations[0].velocity.absolute",
    ),
    case("pointcloud-cuboid", "annotations[0].velocity.absolute", math.nan, "finite"),
    case("pointcloud-cuboid", "annotations[0].acceleration", "fast", "type"),
    case("pointcloud-cuboid-sequence", "frames[1].annotations[0].yaw", -4.0, "yaw_range"),
    case(
        "pointcloud-cuboid-sequence",
        "frames[0].annotations[1].rotation.qz",
        0.5,
        "unit_quaternion",
        expect="frames[0].annotations[1].rotation",
    ),
]
SEQUENCE_CASES = [
    case("image-vector-sequence", "frames[0].annotations[0].track_id", DELETE, "required"),
    case("image-vector-sequence", "frames[0].annotations[0].track_id", "1", "type"),
    case("image-vector-sequence", "frames[0].annotations[1].track_id", 1, "duplicate_track_id"),
    case("image-vector-sequence", "frames[0].annotations[0].is_keyframe", 1, "type"),
    case("image-vector-sequence", "frames[1].annotations[1].index", 1.5, "type"),
    case("image-vector-sequence", "frames[2]", {"annotations": []}, "frame_count", expect="frames", sample=True),
    case("image-vector-sequence", "frames", {}, "type"),
    case("image-vector-sequence", "frames", DELETE, "required"),
    case("image-vector-sequence", "frames[0]", [], "type"),
    case("image-vector-sequence", "frames[0].timestamp", True, "type"),
    case("image-vector-sequence", "frames[0].timestamp", math.nan, "finite"),
    case("image-vector-sequence", "frames[0].format_version", [], "type"),
    case("image-segmentation-sequence", "frames[0].annotations[0].track_id", DELETE, "required"),
    case("image-segmentation-sequence", "frames[0].segmentation_bitmap", "x", "type"),
    case("image-segmentation-sequence", "frames[1].annotations[1].id", 2**24, "id_range"),
    case("pointcloud-cuboid-sequence", "frames[0].annotations[1].track_id", DELETE, "required"),
    case("pointcloud-cuboid-sequence", "frames[1].annotations[1].track_id", 1, "duplicate_track_id"),
    case("pointcloud-cuboid-sequence", "frames[0].annotations[0].track_id", 0, "positive"),
    case("pointcloud-cuboid-sequence", "frames[0].annotations[0].is_keyframe", None, "type"),
    case(
        "pointcloud-cuboid-sequence",
        "frames[2]",
        {"annotations": []},
        "frame_count",
        expect="frames",
        sample=True,
    ),
    case("pointcloud-segmentation-sequence", "frames[0].annotations[0].track_id", -2, "positive"),
]
SEGMENTATION_CASES = [
    case("pointcloud-segmentation", "point_annotations", DELETE, "required"),
    case("pointcloud-segmentation", "point_annotations", "0,1", "type"),
    case("pointcloud-segmentation", "point_annotations[2]", 7, "unknown_annotation_id"),
    case("pointcloud-segmentation", "point_annotations[1]", -1, "non_negative"),
    case("pointcloud-segmentation", "point_annotations[1]", 1.0, "type"),
    case("pointcloud-segmentation", "point_annotations[1]", "1", "type"),
    case("pointcloud-segmentation", "point_annotations[1]", True, "type"),
    case("pointcloud-segmentation", "point_annotations[1]", None, "type"),
    case("pointcloud-segmentation", "point_annotations[1]", 2**70, "type"),
    case(
        "pointcloud-segmentation",
        "point_annotations[5]",
        0,
        "point_count",
        expect="point_annotations",
        point_counts=[5],
    ),
    case("pointcloud-segmentation", "point_annotations", [], "point_count", point_counts=[5]),
    case(
        "pointcloud-segmentation",
        "annotations[1].id",
        3,
        "unknown_annotation_id",
        expect="point_annotations[3]",
    ),
    case("pointcloud-segmentation-sequence", "frames[1].point_annotations[0]", 9, "unknown_annotation_id"),
    case(
        "pointcloud-segmentation-sequence",
        "frames[1].point_annotations[4]",
        0,
        "point_count",
        expect="frames[1].point_annotations",
        point_counts=[4, 4],
    ),
    case("pointcloud-segmentation-sequence", "frames[0].point_annotations", DELETE, "required"),
    case("pointcloud-segmentation-sequence", "frames[0].point_annotations[3]", -5, "non_negative"),
]
BITMAP_CASES = [
    case("segmentation-bitmap", "segmentation_bitmap", DELETE, "required"),
    case("segmentation-bitmap", "segmentation_bitmap", "https://example.com/a.png", "type"),
    case("segmentation-bitmap", "segmentation_bitmap.url", 5, "type"),
    case("segmentation-bitmap", "annotations[1].id", 2**24, "id_range"),
    case("segmentation-bitmap-highres", "segmentation_bitmap", None, "type"),
    case("segmentation-bitmap-highres", "annotations[0].attributes.doors", "4", "attribute_type"),
]
LINK_CASES = [
    case("vector", "links", {}, "type"),
    case("vector", "links[0]", [], "type"),
    case("vector", "links[0].from_id", DELETE, "required"),
    case("vector", "links[0].to_id", 99, "unknown_link_target"),
    case("vector", "links[0].from_id", "1", "type"),
    case("vector", "links[0].to_id", 1, "self_link"),
    case("multisensor-sequence", "links[0].from_id", 2, "self_link", expect="links[0].to_id"),
    case("vector", "links[0].attributes.relation", "pushes", "attribute_value"),
    case("vector", "links[0].attributes", "x", "type"),
    case("pointcloud-cuboid", "links[0].to_id", 3, "unknown_link_target"),
    case("pointcloud-vector", "links[0].attributes.relation", ["tows"], "attribute_type"),
    case("image-vector-sequence", "links[0].to_id", 3, "unknown_link_target"),
    case("image-vector-sequence", "links[0].frames", [{"attributes": {}}], "frame_count"),
    case(
        "image-vector-sequence",
        "links[0].frames",
        [{"attributes": {}}, {}],
        "required",
        expect="links[0].frames[1].attributes",
    ),
    case(
        "image-vector-sequence",
        "links[0].frames",
        [{"attributes": {"relation": "x"}}, {"attributes": {}}],
        "attribute_value",
        expect="links[0].frames[0].attributes.relation",
    ),
    case(
        "image-vector-sequence",
        "links[0].frames",
        [1, {"attributes": {}}],
        "type",
        expect="links[0].frames[0]",
    ),
    case("pointcloud-cuboid-sequence", "links[0].from_id", 7, "unknown_link_target"),
    case("pointcloud-vector-sequence", "links[0].to_id", 4, "unknown_link_target"),
    case("multisensor-sequence", "links[0].to_id", 42, "unknown_link_target"),
    case("multisensor-sequence", "links", "none", "type"),
]
MULTISENSOR_CASES = [
    case("multisensor-sequence", "sensors", DELETE, "required"),
    case("multisensor-sequence", "sensors", {}, "type"),
    case("multisensor-sequence", "sensors[0].name", 1, "type"),
    case("multisensor-sequence", "sensors[0].task_type", "pointcloud-cuboid", "one_of"),
    case("multisensor-sequence", "sensors[0].attributes", DELETE, "required"),
    case("multisensor-sequence", "sensors[2].attributes", [1], "type"),
    case("multisensor-sequence", "sensors[2].attributes", "none", "type"),
    case(
        "multisensor-sequence",
        "sensors[1].name",
        "Camera 9",
        "sensor_order",
        expect="sensors[1]",
        sample=True,
    ),
    case(
        "multisensor-sequence",
        "sensors[2].task_type",
        "image-segmentation-sequence",
        "sensor_order",
        expect="sensors[2]",
        sample=True,
    ),
    case("multisensor-sequence", "sensors[2]", DELETE, "sensor_count", expect="sensors", sample=True),
    case(
        "multisensor-sequence",
        "sensors[1].attributes.frames[0].annotations[0].points[0]",
        [1],
        "point_dimensions",
    ),
    case("multisensor-sequence", "sensors[0].attributes.frames[0].annotations[0].yaw", 7, "yaw_range"),
    case("multisensor-sequence", "sensors[0].attributes.links[0].to_id", 9, "unknown_link_target"),
    case("multisensor-sequence", "sensors[1].attributes.format_version", {}, "type"),
]
MANDATORY_CASES = [
    case("vector", "annotations[0].attributes.color", DELETE, "mandatory_attribute", label_status="LABELED"),
    case("vector", "annotations[0].attributes.color", None, "mandatory_attribute", label_status="LABELED"),
    case(
        "vector",
        "image_attributes",
        DELETE,
        "mandatory_attribute",
        expect="image_attributes.weather",
        label_status="REVIEWED",
    ),
    case("vector", "image_attributes.weather", None, "mandatory_attribute", label_status="VERIFIED"),
    case(
        "bboxes",
        "annotations[0].attributes",
        {},
        "mandatory_attribute",
        expect="annotations[0].attributes.color",
        label_status="LABELED",
    ),
    case(
        "image-vector-sequence",
        "frames[1].image_attributes",
        DELETE,
        "mandatory_attribute",
        expect="frames[1].image_attributes.weather",
        label_status="LABELED",
    ),
    case(
        "pointcloud-cuboid-sequence",
        "frames[1].annotations[0].attributes",
        DELETE,
        "mandatory_attribute",
        expect="frames[1].annotations[0].attributes.color",
        label_status="LABELED",
    ),
    case(
        "pointcloud-segmentation",
        "annotations[0].attributes",
        {},
        "mandatory_attribute",
        expect="annotations[0].attributes.color",
        label_status="LABELED",
    ),
    case(
        "segmentation-bitmap",
        "annotations[0].attributes.color",
        DELETE,
        "mandatory_attribute",
        label_status="VERIFIED",
    ),
    case(
        "multisensor-sequence",
        "sensors[1].attributes.frames[0].image_attributes",
        {},
        "mandatory_attribute",
        expect="sensors[1].attributes.frames[0].image_attributes.weather",
        label_status="LABELED",
    ),
    case(
        "text-named-entities",
        "annotations[0].category_id",
        1,
        "mandatory_attribute",
        expect="annotations[0].attributes.color",
        label_status="LABELED",
    ),
]
TEXT_CASES = [
    case("text-named-entities", "annotations", DELETE, "required"),
    case("text-named-entities", "annotations[0].start", DELETE, "required"),
    case("text-named-entities", "annotations[0].start", "0", "type"),
    case("text-named-entities", "annotations[0].start", -1, "non_negative"),
    case("text-named-entities", "annotations[0].end", 0, "span_order", expect="annotations[0].end"),
    case("text-named-entities", "annotations[1].end", 99, "text_bounds", sample=True),
    case("text-named-entities", "annotations[1].start", 5, "entity_overlap", expect="annotations[1]"),
    case("text-named-entities", "annotations[2]", {"start": 0, "end": 6, "category_id": 2}, "entity_overlap"),
    case("text-named-entities", "annotations[0].category_id", 9, "unknown_category"),
    case("text-named-entities", "annotations[1].attributes", [], "type"),
    case("text-named-entities", "annotations[1]", "Paris", "type"),
    case("text-named-entities", "format_version", True, "type"),
    case("text-span-categorization", "annotations[0].end", 36, "text_bounds", sample=True),
    case("text-span-categorization", "annotations[1].end", 7, "span_order"),
    case("text-span-categorization", "annotations[0].start", 1.5, "type"),
    case("text-span-categorization", "annotations", {"start": 0}, "type"),
    case("text-span-categorization", "annotations[1].category_id", DELETE, "required"),
]
ROOT_CASES = [Case(task_type, (), "", "type", {"root": []}) for task_type in TASK_TYPES] + [
    Case("pointcloud-box", (), "", "unknown_task_type")
]

CASES = (
    common_cases()
    + VECTOR_CASES
    + POINTCLOUD_VECTOR_CASES
    + CUBOID_CASES
    + SEQUENCE_CASES
    + SEGMENTATION_CASES
    + BITMAP_CASES
    + LINK_CASES
    + MULTISENSOR_CASES
    + MANDATORY_CASES
    + TEXT_CASES
    + ROOT_CASES
)


def _build(malformed: Case) -> tuple[Any, dict]:
    bases = labels()
    if "root" in malformed.options:
        attributes = malformed.options["root"]
    else:
        attributes = bases.get(malformed.task_type, bases["vector"])
        for path, value in malformed.changes:
            attributes = mutate(attributes, path, value)
    options = {
        "label_status": malformed.options.get("label_status"),
        "point_counts": malformed.options.get("point_counts"),
    }
    if malformed.options.get("sample"):
        options["sample_attributes"] = samples()[malformed.task_type]
    return attributes, options


def test_table_has_at_least_150_variants_covering_every_task_type():
    assert len(CASES) >= 150
    assert {malformed.task_type for malformed in CASES} >= set(TASK_TYPES)
    assert len({malformed.name for malformed in CASES}) == len(CASES)


@pytest.mark.parametrize("malformed", CASES, ids=[malformed.name for malformed in CASES])
def test_malformed_label_is_rejected_with_exactly_its_path_and_rule(malformed):
    attributes, options = _build(malformed)

    with pytest.raises(LabelFormatError) as raised:
        validate_label_attributes(malformed.task_type, attributes, task_attributes=TASK_ATTRIBUTES, **options)

    assert [(issue.path, issue.rule) for issue in raised.value.issues] == [(malformed.path, malformed.rule)]
    assert malformed.rule in str(raised.value)
