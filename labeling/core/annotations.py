"""Checks for one annotation (object) of a label: ids, category, attributes, vector points and cuboids.

Policies (the API reports each by its rule name):
- yaw is never rewritten: a yaw outside [-pi, pi] (with `YAW_TOLERANCE`) is rejected (rule `yaw_range`).
  Importers whose source uses [0, 2 pi) call `normalize_yaw` before building the label.
- a cuboid `rotation` quaternion must be unit length within `QUATERNION_TOLERANCE` (rule `unit_quaternion`).
- annotation ids and track ids are positive integers; bitmap ids also fit in 24 bits.
- points have exactly 2 coordinates in image labels (rule `point_dimensions`), although the SDK's models
  accept lists of any length. Point-cloud vector labels take [x, y, z] or, as the SDK's models and its own
  tests do, [x, y] (a point in the ground plane z = 0 of the cloud's frame, stored as sent); all points of
  one annotation have the same number of coordinates.
- every annotation type is accepted in bboxes, vector and keypoints datasets alike, as the SDK does.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from labeling.core.checks import (
    BOOLEAN,
    NUMBER,
    QUATERNION,
    XYZ,
    Issues,
    check_array,
    check_number,
    check_object,
    field,
    integer,
    item,
    join,
    nullable,
    one_of,
    positive_number,
    shape,
)
from labeling.core.clean_annotations import are_clean_points, is_clean_cuboid_geometry, is_clean_object
from labeling.core.task_attributes import TaskConfig, check_attribute_values

YAW_TOLERANCE = 1e-6  # radians; absorbs float32 round-trips of +-pi
QUATERNION_TOLERANCE = 1e-3  # allowed deviation of |q| from 1
MAX_BITMAP_ID = 2**24 - 1  # ids are stored in the R, G and B bytes of the bitmap PNG

IMAGE_VECTOR_TYPES = ("bbox", "polygon", "polyline", "point")
POINTCLOUD_VECTOR_TYPES = ("polygon", "polyline", "point")
CUBOID_TYPES = ("cuboid", "cuboid-sync")
_MIN_POINTS = {"bbox": 2, "polygon": 3, "polyline": 2, "point": 1}
_MAX_POINTS = {"bbox": 2, "point": 1}

_DIMENSIONS = shape({axis: positive_number for axis in "xyz"})
# The SDK's Velocity/Acceleration: `relative` is required but may be null.
_KINEMATICS = shape({"absolute": NUMBER, "relative": nullable(NUMBER)})


@dataclass(frozen=True)
class LabelContext:
    """What the annotation checks need to know about the label being validated."""

    config: TaskConfig
    enforce_mandatory: bool
    is_sequence: bool = False
    sensor_name: str | None = None


class ObjectRef(NamedTuple):
    """The identifying fields of a checked annotation (None where the field was missing or invalid)."""

    id: int | None
    track_id: int | None
    category_id: int | None


AnnotationChecker = Callable[[Issues, Any, str, LabelContext], ObjectRef | None]


def normalize_yaw(yaw: float) -> float:
    """Map any yaw (radians, counter-clockwise about +z) to the documented range [-pi, pi]."""
    return math.remainder(yaw, 2 * math.pi)


def check_category(issues: Issues, annotation: dict, path: str, context: LabelContext) -> int | None:
    """Check `category_id` (an integer defined in the dataset's categories) and the object `attributes`
    against that category's attribute definitions; return the category id when usable."""
    category_id = field(issues, annotation, "category_id", path, integer())
    if category_id is not None and category_id not in context.config.categories:
        issues.add(join(path, "category_id"), "unknown_category", f"category {category_id} is not defined")
    _check_object_attributes(issues, annotation, path, context, category_id)
    return category_id


def _check_object_attributes(
    issues: Issues, annotation: dict, path: str, context: LabelContext, category_id: int | None
) -> None:
    check_attribute_values(
        issues,
        annotation.get("attributes"),
        join(path, "attributes"),
        context.config.object_attributes(category_id),
        enforce_mandatory=context.enforce_mandatory,
        sensor_name=context.sensor_name,
    )


def _clean_reference(issues: Issues, annotation: dict, path: str, context: LabelContext) -> ObjectRef:
    # The annotation passed the clean-object predicate; only its attribute values remain to be checked.
    _check_object_attributes(issues, annotation, path, context, annotation["category_id"])
    return ObjectRef(annotation["id"], annotation.get("track_id"), annotation["category_id"])


def _is_clean(annotation: Any, context: LabelContext, max_id: int | None = None) -> bool:
    return is_clean_object(annotation, context.config.categories, is_sequence=context.is_sequence, max_id=max_id)


def check_object_fields(
    issues: Issues, annotation: Any, path: str, context: LabelContext, *, max_id: int | None = None
) -> ObjectRef | None:
    """Check the fields every annotation shares: id, category_id, attributes and the sequence fields.

    `track_id` is required in sequences; `is_keyframe` (bool) and `index` (int >= 0) are type-checked wherever
    they appear. Unknown keys (e.g. the interpolation's remove-keyframe marker) are accepted.
    """
    if not check_object(issues, annotation, path):
        return None
    object_id = field(issues, annotation, "id", path, integer(1))
    if object_id is not None and max_id is not None and object_id > max_id:
        issues.add(join(path, "id"), "id_range", f"id {object_id} does not fit in a bitmap (max {max_id})")
    category_id = check_category(issues, annotation, path, context)
    track_id = field(issues, annotation, "track_id", path, integer(1), required=context.is_sequence)
    field(issues, annotation, "is_keyframe", path, BOOLEAN, required=False)
    field(issues, annotation, "index", path, integer(0), required=False)
    return ObjectRef(object_id, track_id, category_id)


def check_segment_annotation(issues: Issues, annotation: Any, path: str, context: LabelContext) -> ObjectRef | None:
    """A point-cloud segmentation annotation: `{id, category_id, attributes?}` (+ track_id in sequences)."""
    if _is_clean(annotation, context):
        return _clean_reference(issues, annotation, path, context)
    return check_object_fields(issues, annotation, path, context)


def check_bitmap_annotation(issues: Issues, annotation: Any, path: str, context: LabelContext) -> ObjectRef | None:
    """An image segmentation annotation; its id is the value its pixels carry in the bitmap (1..2**24-1)."""
    if _is_clean(annotation, context, MAX_BITMAP_ID):
        return _clean_reference(issues, annotation, path, context)
    return check_object_fields(issues, annotation, path, context, max_id=MAX_BITMAP_ID)


def _count(points: int) -> str:
    return f"{points} point" if points == 1 else f"{points} points"


def _check_points(issues: Issues, annotation: dict, path: str, kind: str | None, dimensions: tuple[int, ...]) -> None:
    points = field(issues, annotation, "points", path, check_array)
    if points is None:
        return
    points_path = join(path, "points")
    exact = _MAX_POINTS.get(kind or "")
    if kind in _MIN_POINTS and len(points) < _MIN_POINTS[kind]:
        needs = f"exactly {_count(exact)}" if exact else f"at least {_count(_MIN_POINTS[kind])}"
        issues.add(points_path, "min_points", f"{kind} needs {needs}, got {len(points)}")
    if exact is not None and len(points) > exact:
        issues.add(points_path, "max_points", f"{kind} needs exactly {_count(exact)}, got {len(points)}")
    first = None  # the coordinate count of the annotation's first point: the others must have it too
    for index, point in enumerate(points):
        point_path = item(points_path, index)
        if not check_array(issues, point, point_path):
            continue
        allowed = dimensions if first is None else (first,)
        if len(point) not in allowed:
            wanted = " or ".join(f"{count} ({_AXES[count]})" for count in allowed)
            same = "" if first is None or len(dimensions) == 1 else " like the annotation's first point"
            issues.add(point_path, "point_dimensions", f"a point needs {wanted} coordinates{same}")
            continue
        first = len(point) if first is None else first
        for axis, coordinate in enumerate(point):
            check_number(issues, coordinate, item(point_path, axis))


_AXES = {2: "x, y", 3: "x, y, z"}


def _is_clean_vector(
    annotation: Any, context: LabelContext, types: tuple[str, ...], dimensions: tuple[int, ...]
) -> bool:
    if not _is_clean(annotation, context) or (kind := annotation.get("type")) not in types:
        return False
    points, minimum, maximum = annotation.get("points"), _MIN_POINTS[kind], _MAX_POINTS.get(kind)
    return any(are_clean_points(points, minimum, maximum, count) for count in dimensions)


def _vector_checker(types: tuple[str, ...], dimensions: tuple[int, ...]) -> AnnotationChecker:
    def check(issues: Issues, annotation: Any, path: str, context: LabelContext) -> ObjectRef | None:
        if _is_clean_vector(annotation, context, types, dimensions):
            return _clean_reference(issues, annotation, path, context)
        reference = check_object_fields(issues, annotation, path, context)
        if reference is not None:
            kind = field(issues, annotation, "type", path, one_of(*types))
            _check_points(issues, annotation, path, kind, dimensions)
        return reference

    return check


check_image_vector_annotation = _vector_checker(IMAGE_VECTOR_TYPES, dimensions=(2,))
# [x, y] is taken in point clouds as the SDK takes it (its models and its own tests): see the module docstring.
check_pointcloud_vector_only_annotation = _vector_checker(POINTCLOUD_VECTOR_TYPES, dimensions=(3, 2))


def _check_rotation(issues: Issues, annotation: dict, path: str) -> None:
    rotation = field(issues, annotation, "rotation", path, nullable(QUATERNION), required=False)
    if rotation is None:
        return
    norm = math.hypot(*(rotation[key] for key in ("qx", "qy", "qz", "qw")))  # no overflow for 1e308
    if abs(norm - 1.0) > QUATERNION_TOLERANCE:
        issues.add(join(path, "rotation"), "unit_quaternion", f"quaternion must have length 1, got {norm:.6g}")


def check_cuboid_annotation(issues: Issues, annotation: Any, path: str, context: LabelContext) -> ObjectRef | None:
    """A cuboid: position {x,y,z} (metres), dimensions {x,y,z} > 0 (length, width, height), yaw (radians in
    [-pi, pi], counter-clockwise about +z, 0 = heading +x), optional unit quaternion `rotation`, optional
    `velocity`/`acceleration` {absolute, relative}. Rejects (never rewrites) out-of-range yaw.
    """
    clean = _is_clean(annotation, context) and annotation.get("type") in CUBOID_TYPES
    if clean and is_clean_cuboid_geometry(annotation, math.pi + YAW_TOLERANCE, QUATERNION_TOLERANCE):
        return _clean_reference(issues, annotation, path, context)
    reference = check_object_fields(issues, annotation, path, context)
    if reference is None:
        return None
    field(issues, annotation, "type", path, one_of(*CUBOID_TYPES))
    field(issues, annotation, "position", path, XYZ)
    field(issues, annotation, "dimensions", path, _DIMENSIONS)
    yaw = field(issues, annotation, "yaw", path, NUMBER)
    if yaw is not None and abs(yaw) > math.pi + YAW_TOLERANCE:
        issues.add(join(path, "yaw"), "yaw_range", f"yaw must be in [-pi, pi] radians, got {yaw}")
    _check_rotation(issues, annotation, path)
    field(issues, annotation, "velocity", path, nullable(_KINEMATICS), required=False)
    field(issues, annotation, "acceleration", path, nullable(_KINEMATICS), required=False)
    return reference


def check_pointcloud_vector_annotation(
    issues: Issues, annotation: Any, path: str, context: LabelContext
) -> ObjectRef | None:
    """A point-cloud vector label's annotation: a cuboid (type cuboid/cuboid-sync) or a 3D polygon,
    polyline or point with [x, y, z] points (the SDK's union discriminated on `type`)."""
    if isinstance(annotation, dict) and annotation.get("type") in CUBOID_TYPES:
        return check_cuboid_annotation(issues, annotation, path, context)
    return check_pointcloud_vector_only_annotation(issues, annotation, path, context)
