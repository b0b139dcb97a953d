"""Dataset `task_attributes` (categories and attribute definitions, spec section 5) and attribute values.

`validate_task_attributes` checks the label-editor configuration a dataset is created or updated with.
`TaskConfig` is the lenient, read-only index of an already stored configuration that the label validators use,
and `check_attribute_values` checks object, image and link attribute values against their definitions.
Attribute names with no definition are accepted and stored as given: the SDK's own fixtures send them.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from labeling.core.checks import (
    BOOLEAN,
    NUMBER,
    STRING,
    Issues,
    array_of,
    check_format_version,
    check_number,
    check_object,
    check_string,
    integer,
    is_integer,
    is_number,
    item,
    join,
    json_type,
    nullable,
    one_of,
    positive_number,
    shape,
)
from labeling.core.task_types import TASK_TYPES

INPUT_TYPES: tuple[str, ...] = (
    "select",
    "multiselect",
    "text",
    "number",
    "checkbox",
    "vector3",
    "quaternion",
    "points",
)
LINK_INPUT_TYPES: tuple[str, ...] = ("select", "multiselect", "text", "number", "checkbox")


def _blank_or_number(issues: Issues, value: Any, path: str) -> bool:
    # The editor stores an unfilled number field (min, max, step) as "" (spec section 5).
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return check_number(issues, value, path)


def _non_empty_string(issues: Issues, value: Any, path: str) -> bool:
    if not check_string(issues, value, path):
        return False
    if not value.strip():
        issues.add(path, "non_empty", "must not be empty")
        return False
    return True


_COMMON_DEFINITION_FIELDS = {
    "is_mandatory": nullable(BOOLEAN),
    "is_track_level": nullable(BOOLEAN),
    "synced_across_sensors": nullable(BOOLEAN),
    "sensor_filter": nullable(STRING),
}
_DEFINITION_FIELDS: dict[str, dict[str, Any]] = {
    "select": {"values": array_of(STRING, min_items=1), "default_value": nullable(STRING)},
    "multiselect": {"values": array_of(STRING, min_items=1), "default_value": nullable(STRING)},
    "text": {"default_value": nullable(STRING)},
    "number": {key: _blank_or_number for key in ("default_value", "min", "max", "step")},
    "checkbox": {"default_value": nullable(BOOLEAN)},
}


def _number_or_none(value: Any) -> float | None:
    return value if is_number(value) else None


def _check_definition_values(issues: Issues, definition: dict, path: str) -> None:
    input_type = definition["input_type"]
    if input_type in ("select", "multiselect") and isinstance(definition.get("values"), list):
        values = definition["values"]
        for index, value in enumerate(values):
            if value in values[:index]:
                issues.add(item(join(path, "values"), index), "duplicate_value", f"{value!r} is listed twice")
        default = definition.get("default_value")
        if isinstance(default, str) and default not in values:
            issues.add(join(path, "default_value"), "attribute_value", f"{default!r} is not one of the values")
    if input_type == "number":
        low, high = _number_or_none(definition.get("min")), _number_or_none(definition.get("max"))
        default, step = (
            _number_or_none(definition.get("default_value")),
            _number_or_none(definition.get("step")),
        )
        if low is not None and high is not None and low > high:
            issues.add(join(path, "max"), "attribute_range", f"max {high} is below min {low}")
        if default is not None and not _within(default, low, high):
            issues.add(join(path, "default_value"), "attribute_range", f"{default} is outside [{low}, {high}]")
        if step is not None and step <= 0:
            issues.add(join(path, "step"), "positive", f"must be greater than 0, got {step}")


def _definition_checker(input_types: tuple[str, ...]):
    def check(issues: Issues, value: Any, path: str) -> bool:
        before = len(issues)
        if not shape({"name": _non_empty_string, "input_type": one_of(*input_types)})(issues, value, path):
            return False
        fields = _DEFINITION_FIELDS.get(value["input_type"], {})
        required = {key: checker for key, checker in fields.items() if key == "values"}
        optional = {key: checker for key, checker in fields.items() if key != "values"}
        if shape(required, {**_COMMON_DEFINITION_FIELDS, **optional})(issues, value, path):
            _check_definition_values(issues, value, path)
        return len(issues) == before

    return check


def _definitions(input_types: tuple[str, ...]):
    each = _definition_checker(input_types)

    def check(issues: Issues, value: Any, path: str) -> bool:
        if value is None:
            return True
        if not array_of(each)(issues, value, path):
            return False
        _check_unique(issues, value, path, "name", "duplicate_name")
        return True

    return check


def _color(issues: Issues, value: Any, path: str) -> bool:
    valid = (
        isinstance(value, list)
        and len(value) in (3, 4)
        and all(is_integer(channel) and 0 <= channel <= 255 for channel in value)
    )
    if not valid:
        issues.add(path, "color", f"must be [r, g, b] or [r, g, b, a] integers in 0..255, got {value!r}")
    return valid


_PARTIAL_XYZ = nullable(shape({}, {axis: nullable(positive_number) for axis in "xyz"}))
_PARTIAL_LIMITS = nullable(shape({}, {axis: nullable(NUMBER) for axis in "xyz"}))
_CATEGORY = shape(
    {"id": integer(0), "name": _non_empty_string},
    {
        "color": nullable(_color),
        "has_instances": BOOLEAN,  # never null: the COCO panoptic export calls int() on it
        "attributes": _definitions(INPUT_TYPES),
        "dimensions": _PARTIAL_XYZ,
        "link_attributes": _definitions(LINK_INPUT_TYPES),
        "link_category_restrictions": nullable(array_of(integer())),
    },
)
_WARNING_RULE_FIELDS = {
    "intersecting-cuboids": {
        "excluded_categories": nullable(array_of(integer())),
        "excluded_set_of_categories": nullable(array_of(integer())),
    },
    "cuboid-dimension-limits": {
        "categories": nullable(array_of(integer())),
        "min": _PARTIAL_LIMITS,
        "max": _PARTIAL_LIMITS,
    },
}


def _warning_rule(issues: Issues, value: Any, path: str) -> bool:
    if not shape({"name": one_of(*_WARNING_RULE_FIELDS)})(issues, value, path):
        return False
    return shape({}, _WARNING_RULE_FIELDS[value["name"]])(issues, value, path)


def _check_unique(issues: Issues, objects: list, path: str, key: str, rule: str) -> None:
    seen: set = set()
    for index, obj in enumerate(objects):
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None or isinstance(value, dict | list):
            continue
        if value in seen:
            issues.add(join(item(path, index), key), rule, f"{key} {value!r} is used twice")
        seen.add(value)


def validate_task_attributes(task_type: str, task_attributes: dict) -> None:
    """Check a dataset's label-editor configuration (spec section 5); extra keys are allowed and kept.

    Categories need unique integer ids (>= 0) and unique non-empty names; colors are 3 or 4 integers in
    0..255; attribute definitions are checked per `input_type` (select values, number min <= max, defaults
    inside).
    Raises LabelFormatError with every issue found.
    """
    issues = Issues()
    if task_type not in TASK_TYPES:
        issues.add("", "unknown_task_type", f"unknown task type {task_type!r}")
    top_level = {
        "format_version": nullable(check_format_version),
        "categories": nullable(array_of(_CATEGORY)),
        "image_attributes": _definitions(INPUT_TYPES),
        "warning_rules": nullable(array_of(_warning_rule)),
    }
    shape({}, top_level)(issues, task_attributes, "")
    categories = task_attributes.get("categories") if isinstance(task_attributes, dict) else None
    if isinstance(categories, list):
        _check_unique(issues, categories, "categories", "id", "duplicate_id")
        _check_unique(issues, categories, "categories", "name", "duplicate_name")
    issues.raise_if_any()


Definitions = Mapping[str, Mapping[str, Any]]  # attribute name -> its definition
_NO_DEFINITIONS: Definitions = {}


def _definitions_by_name(value: Any) -> Definitions:
    if not isinstance(value, list):
        return _NO_DEFINITIONS
    return {d["name"]: d for d in value if isinstance(d, Mapping) and isinstance(d.get("name"), str)}


@dataclass(frozen=True)
class TaskConfig:
    """Read-only index of a stored `task_attributes`, tolerant of missing parts (nothing is defined)."""

    categories: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)
    image_attributes: Definitions = field(default_factory=dict)
    object_definitions: Mapping[int, Definitions] = field(default_factory=dict)
    link_definitions: Mapping[int, Definitions] = field(default_factory=dict)

    @classmethod
    def from_task_attributes(cls, task_attributes: Mapping[str, Any] | None) -> "TaskConfig":
        task_attributes = task_attributes if isinstance(task_attributes, Mapping) else {}
        categories = task_attributes.get("categories")
        by_id = {
            category["id"]: category
            for category in (categories if isinstance(categories, list) else [])
            if isinstance(category, Mapping) and is_integer(category.get("id"))
        }
        return cls(
            categories=by_id,
            image_attributes=_definitions_by_name(task_attributes.get("image_attributes")),
            object_definitions={key: _definitions_by_name(c.get("attributes")) for key, c in by_id.items()},
            link_definitions={key: _definitions_by_name(c.get("link_attributes")) for key, c in by_id.items()},
        )

    def object_attributes(self, category_id: int | None) -> Definitions:
        """Attribute definitions of a category by name (none for an unknown category)."""
        return _NO_DEFINITIONS if category_id is None else self.object_definitions.get(category_id, _NO_DEFINITIONS)

    def link_attributes(self, category_id: int | None) -> Definitions:
        """Link attribute definitions, by name, of links starting at an object of this category."""
        return _NO_DEFINITIONS if category_id is None else self.link_definitions.get(category_id, _NO_DEFINITIONS)


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _check_value_type(issues: Issues, value: Any, path: str, name: str) -> bool:
    # ObjectAttributes / ImageAttributes / LinkAttributes: str, bool, int, float, list of str, or null.
    kind = type(value)
    if value is None or kind is str or kind is bool:
        return True
    if kind is float or kind is int:
        return check_number(issues, value, join(path, name))
    if kind is list and all(type(element) is str for element in value):
        return True
    message = f"expected a string, number, boolean, list of strings or null, got {json_type(value)}"
    issues.add(join(path, name), "type", message)
    return False


def _check_against_definition(issues: Issues, value: Any, path: str, definition: Mapping[str, Any]) -> None:
    input_type = definition.get("input_type")
    values = definition.get("values")
    allowed: list = values if isinstance(values, list) else []
    expected: Any = {"select": str, "multiselect": list, "text": str, "checkbox": bool}.get(str(input_type))
    if input_type == "number":
        expected = int | float
    if expected is None:
        return  # vector3, quaternion and points have no value format in the SDK's attribute types
    if not isinstance(value, expected) or (input_type == "number" and isinstance(value, bool)):
        issues.add(path, "attribute_type", f"a {input_type} attribute cannot hold {json_type(value)}")
    elif input_type == "select" and value not in allowed:
        issues.add(path, "attribute_value", f"{value!r} is not one of {allowed}")
    elif input_type == "multiselect":
        for index, element in enumerate(value):
            if element not in allowed:
                issues.add(item(path, index), "attribute_value", f"{element!r} is not one of {allowed}")
    elif input_type == "number":
        low, high = _number_or_none(definition.get("min")), _number_or_none(definition.get("max"))
        if not _within(value, low, high):
            issues.add(path, "attribute_range", f"{value} is outside [{low}, {high}]")


def _applies_to_sensor(definition: Mapping[str, Any], sensor_name: str | None) -> bool:
    sensor_filter = definition.get("sensor_filter")
    return not sensor_filter or sensor_name is None or sensor_filter == sensor_name


def check_attribute_values(
    issues: Issues,
    values: Any,
    path: str,
    definitions: Definitions,
    *,
    enforce_mandatory: bool,
    sensor_name: str | None = None,
) -> None:
    """Check an attribute dict at `path` (may be absent: None) against its `definitions` (name -> definition,
    as `TaskConfig` indexes them).

    Values must be str, bool, number, list of str or null; defined ones must fit their input_type (select
    value listed, number within min/max). With `enforce_mandatory`, every `is_mandatory` definition needs a
    non-blank value (definitions with a `sensor_filter` other than `sensor_name` are skipped).
    """
    if values is None:
        values = _NO_DEFINITIONS
    elif type(values) is not dict:
        check_object(issues, values, path)
        return
    for name, value in values.items():
        if _check_value_type(issues, value, path, name) and value is not None and name in definitions:
            _check_against_definition(issues, value, join(path, name), definitions[name])
    if not enforce_mandatory:
        return
    for name, definition in definitions.items():
        blank = values.get(name) in (None, "", [])
        if definition.get("is_mandatory") is True and blank and _applies_to_sensor(definition, sensor_name):
            issues.add(join(path, name), "mandatory_attribute", f"mandatory attribute '{name}' has no value")


__all__ = [
    "INPUT_TYPES",
    "LINK_INPUT_TYPES",
    "TaskConfig",
    "check_attribute_values",
    "validate_task_attributes",
]
