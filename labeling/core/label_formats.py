"""Label `attributes` for every task type (spec section 7, the Segments.ai label formats), validated exactly.

`validate_label_attributes` walks a label, collects every broken rule as a `FormatIssue` (JSON path + rule)
and raises `LabelFormatError` with all of them; a valid label is returned unchanged (the same object), so
what is stored is returned exactly as given. Unknown keys on labels, frames and annotations are accepted
and kept.

Rules (the `rule` of a FormatIssue):
    required, type, finite, one_of, positive, non_negative, min_items - structure and JSON types
    unknown_task_type, unknown_category, duplicate_id, duplicate_track_id, id_range (bitmap ids < 2**24)
    min_points, max_points (bbox 2, polygon >= 3, polyline >= 2, point 1)
    point_dimensions ([x, y] in images, [x, y, z] in point clouds)
    yaw_range ([-pi, pi], rejected, never rewritten), unit_quaternion (| |q| - 1 | <= 1e-3)
    frame_count (label frames vs sample frames, link frames vs label frames), sensor_count, sensor_order
    point_count (point_annotations length vs cloud), unknown_annotation_id, unknown_link_target
    span_order, text_bounds, entity_overlap (text labels)
    attribute_type, attribute_value, attribute_range, mandatory_attribute (only on LABELED/REVIEWED/VERIFIED)
Sample and task-attribute validation add: matrix_shape, bounds_order, duplicate_name, duplicate_value, color,
non_empty; bitmaps add rgba_png, alpha, image_size.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from labeling.core.annotations import (
    AnnotationChecker,
    LabelContext,
    ObjectRef,
    check_bitmap_annotation,
    check_cuboid_annotation,
    check_image_vector_annotation,
    check_pointcloud_vector_annotation,
    check_segment_annotation,
    normalize_yaw,
)
from labeling.core.checks import (
    ANY,
    STRING,
    URL,
    Issues,
    check_array,
    check_format_version,
    check_object,
    check_timestamp,
    field,
    integer,
    is_integer,
    item,
    join,
    nullable,
    one_of,
    shape,
)
from labeling.core.point_annotations import check_point_annotations
from labeling.core.sample_formats import sample_frame_count, sample_sensors, validate_sample_attributes
from labeling.core.task_attributes import (
    Definitions,
    TaskConfig,
    check_attribute_values,
    validate_task_attributes,
)
from labeling.core.task_types import (
    BITMAP,
    COMPLETE_LABEL_STATUSES,
    CUBOID,
    IMAGE_VECTOR,
    LABEL_STATUSES,
    MULTISENSOR,
    POINTCLOUD_SEGMENTATION,
    POINTCLOUD_VECTOR,
    REGISTRY,
    SENSOR_TASK_TYPES,
    SEQUENCE_TASK_TYPES,
    TASK_TYPES,
    TEXT_SPANS,
    sample_type_for_task_type,
    task_type_of,
)
from labeling.core.text_labels import check_text_label

__all__ = [
    "LABEL_STATUSES",
    "SEQUENCE_TASK_TYPES",
    "TASK_TYPES",
    "normalize_yaw",
    "sample_type_for_task_type",
    "validate_label_attributes",
    "validate_sample_attributes",
    "validate_task_attributes",
]


_SENSOR = shape({"name": STRING, "task_type": one_of(*SENSOR_TASK_TYPES), "attributes": ANY})


@dataclass(frozen=True)
class FrameSpec:
    """What one frame (or a single-frame label) of a task type holds besides its annotations."""

    check_annotation: AnnotationChecker
    bitmap: str = "none"  # "required", "optional" (sequence frames) or "none"
    point_annotations: bool = False


_BITMAP = FrameSpec(check_bitmap_annotation, bitmap="required")
_IMAGE_VECTOR = FrameSpec(check_image_vector_annotation)
_CUBOID = FrameSpec(check_cuboid_annotation)
_POINTCLOUD_VECTOR = FrameSpec(check_pointcloud_vector_annotation)
_POINTCLOUD_SEGMENTATION = FrameSpec(check_segment_annotation, point_annotations=True)
_FRAME_SPECS_BY_LABEL_TYPE: dict[tuple[str, bool], FrameSpec] = {  # (label type, sequence) -> spec
    (BITMAP, False): _BITMAP,
    (BITMAP, True): FrameSpec(check_bitmap_annotation, bitmap="optional"),
    **{(IMAGE_VECTOR, sequence): _IMAGE_VECTOR for sequence in (False, True)},
    **{(CUBOID, sequence): _CUBOID for sequence in (False, True)},
    **{(POINTCLOUD_VECTOR, sequence): _POINTCLOUD_VECTOR for sequence in (False, True)},
    **{(POINTCLOUD_SEGMENTATION, sequence): _POINTCLOUD_SEGMENTATION for sequence in (False, True)},
}
# The frame spec of each task type whose labels are frames of annotations (not text or multi-sensor).
FRAME_SPECS: dict[str, FrameSpec] = {
    task_type.name: _FRAME_SPECS_BY_LABEL_TYPE[(task_type.label_type, task_type.sequence)]
    for task_type in REGISTRY
    if (task_type.label_type, task_type.sequence) in _FRAME_SPECS_BY_LABEL_TYPE
}


def validate_label_attributes(
    task_type: str,
    attributes: dict,
    *,
    task_attributes: dict,
    sample_attributes: dict | None = None,
    label_status: str | None = None,
    point_counts: Sequence[int | None] | None = None,
) -> dict:
    """Validate a label's `attributes` for `task_type`; return them unchanged (the object to store).

    `task_attributes` is the dataset's stored configuration (categories and attribute definitions).
    `sample_attributes`, when given, supplies the frame count of sequences, the sensors of multi-sensor
    samples and the text of text samples. `label_status` "LABELED", "REVIEWED" or "VERIFIED" enforces
    mandatory attributes. `point_counts` has the point count of each frame's cloud (one entry for a single
    cloud), None where the cloud could not be read; it only applies to point-cloud segmentation.
    Raises LabelFormatError listing every issue; ValueError for a label_status that does not exist.
    """
    if label_status is not None and label_status not in LABEL_STATUSES:
        raise ValueError(f"unknown label status {label_status!r}")
    issues = Issues()
    context = LabelContext(
        config=TaskConfig.from_task_attributes(task_attributes),
        enforce_mandatory=label_status in COMPLETE_LABEL_STATUSES,
    )
    if task_type not in TASK_TYPES:
        issues.add("", "unknown_task_type", f"unknown task type {task_type!r}")
    elif check_object(issues, attributes, ""):
        _check_label(issues, task_type, attributes, "", context, sample_attributes, point_counts)
    issues.raise_if_any()
    return attributes


def _check_label(
    issues: Issues,
    task_type: str,
    attributes: dict,
    path: str,
    context: LabelContext,
    sample: Any,
    point_counts: Sequence[int | None] | None,
) -> dict[int, int | None]:
    """Check one label; return its link targets: object id (track id in sequences) -> category id."""
    field(issues, attributes, "format_version", path, nullable(check_format_version), required=False)
    label_type = task_type_of(task_type).label_type
    if label_type == MULTISENSOR:
        return _check_multisensor(issues, attributes, path, context, sample)
    if label_type == TEXT_SPANS:
        text = sample.get("text") if isinstance(sample, dict) else None
        overlap = task_type == "text-span-categorization"
        check_text_label(
            issues,
            attributes,
            path,
            context,
            text=text if isinstance(text, str) else None,
            allow_overlap=overlap,
        )
        return {}
    if task_type in SEQUENCE_TASK_TYPES:
        return _check_sequence(issues, task_type, attributes, path, context, sample, point_counts)
    references = _check_frame(issues, attributes, path, context, FRAME_SPECS[task_type], _nth(point_counts, 0))
    targets = {reference.id: reference.category_id for reference in references if reference.id is not None}
    _check_links(issues, attributes, path, context, targets, frame_count=None)
    return targets


def _nth(point_counts: Sequence[int | None] | None, index: int) -> int | None:
    return point_counts[index] if point_counts is not None and index < len(point_counts) else None


def _check_sequence(
    issues: Issues,
    task_type: str,
    attributes: dict,
    path: str,
    context: LabelContext,
    sample: Any,
    point_counts: Sequence[int | None] | None,
) -> dict[int, int | None]:
    frames = field(issues, attributes, "frames", path, check_array)
    if frames is None:
        return {}
    frames_path = join(path, "frames")
    expected = sample_frame_count(sample)
    if expected is not None and len(frames) > expected:  # a shorter label is padded (labeling.core.padding)
        issues.add(frames_path, "frame_count", f"has {len(frames)} frames but the sample has only {expected}")
    frame_context, spec = replace(context, is_sequence=True), FRAME_SPECS[task_type]
    targets: dict[int, int | None] = {}
    for index, frame in enumerate(frames):
        frame_path = item(frames_path, index)
        for reference in _check_frame(issues, frame, frame_path, frame_context, spec, _nth(point_counts, index)):
            if reference.track_id is not None:
                targets[reference.track_id] = reference.category_id
    _check_links(issues, attributes, path, context, targets, frame_count=len(frames))
    return targets


def _check_frame(
    issues: Issues, frame: Any, path: str, context: LabelContext, spec: FrameSpec, point_count: int | None
) -> list[ObjectRef]:
    if not check_object(issues, frame, path):
        return []
    if context.is_sequence:
        field(issues, frame, "format_version", path, nullable(check_format_version), required=False)
        field(issues, frame, "timestamp", path, nullable(check_timestamp), required=False)
    image_attributes_path = join(path, "image_attributes")
    check_attribute_values(
        issues,
        frame.get("image_attributes"),
        image_attributes_path,
        context.config.image_attributes,
        enforce_mandatory=context.enforce_mandatory,
        sensor_name=context.sensor_name,
    )
    if spec.bitmap != "none":
        bitmap_checker = URL if spec.bitmap == "required" else nullable(URL)
        field(issues, frame, "segmentation_bitmap", path, bitmap_checker, required=spec.bitmap == "required")
    references = _check_annotations(issues, frame, path, context, spec.check_annotation)
    if spec.point_annotations:
        ids = {reference.id for reference in references if reference.id is not None}
        point_annotations = field(issues, frame, "point_annotations", path, ANY)
        if "point_annotations" in frame:
            point_path = join(path, "point_annotations")
            check_point_annotations(issues, point_annotations, point_path, ids, point_count)
    return references


def _check_annotations(
    issues: Issues, frame: dict, path: str, context: LabelContext, check_annotation: AnnotationChecker
) -> list[ObjectRef]:
    annotations = field(issues, frame, "annotations", path, check_array)
    if annotations is None:
        return []
    annotations_path = join(path, "annotations")
    references = [
        check_annotation(issues, annotation, item(annotations_path, index), context)
        for index, annotation in enumerate(annotations)
    ]
    _report_duplicates(issues, references, annotations_path, "id", "duplicate_id")
    if context.is_sequence:
        _report_duplicates(issues, references, annotations_path, "track_id", "duplicate_track_id")
    return [reference for reference in references if reference is not None]


def _report_duplicates(issues: Issues, references: list, path: str, key: str, rule: str) -> None:
    seen: dict[int, int] = {}
    for index, reference in enumerate(references):
        value = getattr(reference, key) if reference is not None else None
        if value is None:
            continue
        if value in seen:
            message = f"{key} {value} is already used by annotations[{seen[value]}] in this frame"
            issues.add(join(item(path, index), key), rule, message)
        else:
            seen[value] = index


def _check_links(
    issues: Issues,
    parent: dict,
    path: str,
    context: LabelContext,
    targets: dict[int, int | None],
    frame_count: int | None,
) -> None:
    """Links `[{from_id, to_id, attributes?, frames?: [{attributes}]}]` between objects (tracks in
    sequences; in a multi-sensor label, tracks of any of its sensors); `frames` is index-aligned with the
    label's frames. Each end must be an id in `targets`, the two ends differ (`self_link`) and a pair is
    linked once (`duplicate_link`, the same `from_id` -> `to_id` as an earlier link)."""
    links = field(issues, parent, "links", path, nullable(check_array), required=False)
    seen: dict[tuple[int, int], int] = {}
    for index, link in enumerate(links or []):
        link_path = item(join(path, "links"), index)
        if not check_object(issues, link, link_path):
            continue
        ends = [_check_link_end(issues, link, link_path, key, targets) for key in ("from_id", "to_id")]
        _check_link_pair(issues, ends, link_path, index, seen)
        source = link.get("from_id")
        definitions = context.config.link_attributes(targets.get(source) if is_integer(source) else None)
        attributes_path = join(link_path, "attributes")
        check_attribute_values(issues, link.get("attributes"), attributes_path, definitions, enforce_mandatory=False)
        _check_link_frames(issues, link, link_path, definitions, frame_count)


def _check_link_end(issues: Issues, link: dict, link_path: str, key: str, targets: dict[int, int | None]) -> int | None:
    """One end of a link; return its id when it is a known target."""
    target = field(issues, link, key, link_path, integer())
    if target is None:
        return None
    if target not in targets:
        issues.add(join(link_path, key), "unknown_link_target", f"no object or track has id {target}")
        return None
    return int(target)


def _check_link_pair(
    issues: Issues, ends: list[int | None], link_path: str, index: int, seen: dict[tuple[int, int], int]
) -> None:
    source, destination = ends
    if source is None or destination is None:
        return
    if source == destination:
        issues.add(join(link_path, "to_id"), "self_link", f"links id {source} to itself")
    elif (source, destination) in seen:
        message = f"links {source} -> {destination} again, as links[{seen[source, destination]}] does"
        issues.add(link_path, "duplicate_link", message)
    else:
        seen[source, destination] = index


def _check_link_frames(
    issues: Issues, link: dict, path: str, definitions: Definitions, frame_count: int | None
) -> None:
    frames = field(issues, link, "frames", path, nullable(check_array), required=False)
    if frames is None:
        return
    frames_path = join(path, "frames")
    if frame_count is not None and len(frames) != frame_count:
        issues.add(frames_path, "frame_count", f"has {len(frames)} entries but the label has {frame_count} frames")
    for index, frame in enumerate(frames):
        frame_path = item(frames_path, index)
        if check_object(issues, frame, frame_path) and field(issues, frame, "attributes", frame_path, check_object):
            values_path = join(frame_path, "attributes")
            check_attribute_values(issues, frame["attributes"], values_path, definitions, enforce_mandatory=False)


def _check_multisensor(
    issues: Issues, attributes: dict, path: str, context: LabelContext, sample: Any
) -> dict[int, int | None]:
    """`{"sensors": [{name, task_type, attributes | []}], "links"?}`; sensors in the sample's order."""
    sensors = field(issues, attributes, "sensors", path, check_array)
    if sensors is None:
        return {}
    sensors_path = join(path, "sensors")
    expected = sample_sensors(sample)
    if expected is not None and len(sensors) != len(expected):
        issues.add(sensors_path, "sensor_count", f"has {len(sensors)} sensors but the sample has {len(expected)}")
    targets: dict[int, int | None] = {}
    for index, sensor in enumerate(sensors):
        sample_sensor = expected[index] if expected is not None and index < len(expected) else None
        targets.update(_check_sensor(issues, sensor, item(sensors_path, index), context, sample_sensor))
    _check_links(issues, attributes, path, context, targets, frame_count=None)
    return targets


def _check_sensor(
    issues: Issues, sensor: Any, path: str, context: LabelContext, sample_sensor: dict | None
) -> dict[int, int | None]:
    """One sensor `{name, task_type, attributes}`; it must be the sample's sensor at the same position."""
    if not _SENSOR(issues, sensor, path):
        return {}
    name, task_type = sensor["name"], sensor["task_type"]
    if sample_sensor is not None:
        expected_name, expected_task_type = sample_sensor.get("name"), sample_sensor.get("task_type")
        if (name, task_type) != (expected_name, expected_task_type):
            message = (
                f"sensor {name!r} ({task_type}) is not the sample's sensor at this position, "
                f"{expected_name!r} ({expected_task_type}); the order must match the sample"
            )
            issues.add(path, "sensor_order", message)
            sample_sensor = None
    labels = sensor["attributes"]
    if labels == []:  # an empty list means "this sensor is unlabeled" (spec section 7)
        return {}
    if not check_object(issues, labels, join(path, "attributes")):
        return {}
    sensor_sample = sample_sensor.get("attributes") if sample_sensor is not None else None
    sensor_context = replace(context, sensor_name=name)
    return _check_label(issues, task_type, labels, join(path, "attributes"), sensor_context, sensor_sample, None)
