"""Cheap predicates that recognise an annotation with nothing to report, so long sequences validate quickly.

An interpolated 1,000-frame sequence holds 200,000 cuboids; walking each through the composable checkers of
`labeling.core.checks` costs ~30 us, these predicates ~3 us. They only ever answer "certainly clean": any
False sends the annotation through the detailed checks in `labeling.core.annotations`, which alone produce
issues (and are the specification). Object attributes are always checked in detail.
"""

import math
import sys
from typing import Any

_MISSING = object()
_FLOAT_MAX = sys.float_info.max


def is_finite_number(value: Any) -> bool:
    """A JSON number `check_number` accepts: a finite float or an int within float range, never a bool."""
    kind = type(value)
    return (kind is int and -_FLOAT_MAX <= value <= _FLOAT_MAX) or (kind is float and math.isfinite(value))


def is_clean_object(annotation: Any, categories: Any, *, is_sequence: bool, max_id: int | None = None) -> bool:
    """id (positive, <= max_id), category_id (defined), track_id, is_keyframe and index are all valid."""
    if type(annotation) is not dict:
        return False
    object_id, category_id = annotation.get("id"), annotation.get("category_id")
    if type(object_id) is not int or object_id < 1 or (max_id is not None and object_id > max_id):
        return False
    if type(category_id) is not int or category_id not in categories:
        return False
    track_id = annotation.get("track_id", _MISSING)
    if track_id is _MISSING:
        if is_sequence:
            return False
    elif type(track_id) is not int or track_id < 1:
        return False
    keyframe, index = annotation.get("is_keyframe", False), annotation.get("index", 0)
    return type(keyframe) is bool and type(index) is int and index >= 0


def are_clean_points(points: Any, minimum: int, maximum: int | None, dimensions: int) -> bool:
    """A list of minimum..maximum points, each a list of `dimensions` finite numbers."""
    if type(points) is not list or len(points) < minimum or (maximum is not None and len(points) > maximum):
        return False
    for point in points:
        if type(point) is not list or len(point) != dimensions:
            return False
        if not are_finite_numbers(point):
            return False
    return True


def are_finite_numbers(values: Any) -> bool:
    """Every value is an int or a finite float (inlined: this runs for every coordinate of every cuboid)."""
    for value in values:
        kind = type(value)
        if kind is float:
            if value - value != 0.0:  # NaN and infinities give NaN
                return False
        elif kind is not int or not -_FLOAT_MAX <= value <= _FLOAT_MAX:
            return False
    return True


def _is_clean_kinematics(value: Any) -> bool:
    if value is None:
        return True
    if type(value) is not dict or "relative" not in value:
        return False
    relative = value["relative"]
    return is_finite_number(value.get("absolute")) and (relative is None or is_finite_number(relative))


def _is_clean_rotation(rotation: Any, tolerance: float) -> bool:
    if rotation is None:
        return True
    if type(rotation) is not dict:
        return False
    components = (rotation.get("qx"), rotation.get("qy"), rotation.get("qz"), rotation.get("qw"))
    if not are_finite_numbers(components):
        return False
    return abs(math.hypot(*components) - 1.0) <= tolerance  # type: ignore[arg-type]  # numbers: checked above


def is_clean_cuboid_geometry(annotation: dict, yaw_limit: float, quaternion_tolerance: float) -> bool:
    """position, dimensions (> 0), yaw within +-yaw_limit, an optional unit quaternion and optional
    velocity/acceleration {absolute, relative} are valid."""
    position, dimensions = annotation.get("position"), annotation.get("dimensions")
    if type(position) is not dict or type(dimensions) is not dict:
        return False
    yaw = annotation.get("yaw")
    sizes = (dimensions.get("x"), dimensions.get("y"), dimensions.get("z"))
    if not are_finite_numbers((yaw, position.get("x"), position.get("y"), position.get("z"), *sizes)):
        return False
    if abs(yaw) > yaw_limit or min(sizes) <= 0:  # type: ignore[arg-type, operator, type-var]  # numbers: checked above
        return False
    if not _is_clean_rotation(annotation.get("rotation"), quaternion_tolerance):
        return False
    return _is_clean_kinematics(annotation.get("velocity")) and _is_clean_kinematics(annotation.get("acceleration"))
