"""Building blocks for the format validators: an issue collector, JSON paths and small type checkers.

A checker is a function `(issues, value, path) -> bool`: it reports what is wrong with `value` at `path`
into `issues` and returns whether the value was usable. Checkers compose (`shape`, `array_of`, `nullable`),
so sample formats are declared as data, and label validators call them before their cross-checks.
"""

import math
import sys
from collections.abc import Callable, Mapping
from typing import Any

from labeling.core.errors import FormatIssue, LabelFormatError

Checker = Callable[["Issues", Any, str], bool]
_FLOAT_MAX = sys.float_info.max


class Issues:
    """Collects `FormatIssue`s while a document is walked; raise them all at once at the end.

    At most `MAX_ISSUES` are kept (a broken 200,000-cuboid sequence must not answer with a 10 MB error); the
    rest are counted and summarised by one final issue with rule `too_many_issues`.
    """

    MAX_ISSUES = 1000

    def __init__(self) -> None:
        self.found: list[FormatIssue] = []
        self.omitted = 0

    def add(self, path: str, rule: str, message: str) -> None:
        if len(self.found) < self.MAX_ISSUES:
            self.found.append(FormatIssue(path=path, rule=rule, message=message))
        else:
            self.omitted += 1

    def __len__(self) -> int:
        # Checkers compare lengths before and after a check, so omitted issues must count too.
        return len(self.found) + self.omitted

    def raise_if_any(self, error_type: type[LabelFormatError] = LabelFormatError) -> None:
        """Raise `error_type` with every collected issue, if there is at least one."""
        if self.omitted:
            summary = f"{self.omitted} more issues are not listed"
            raise error_type([*self.found, FormatIssue(path="", rule="too_many_issues", message=summary)])
        if self.found:
            raise error_type(self.found)


def join(path: str, key: str) -> str:
    """Path of `key` inside the object at `path` (`join("", "frames") == "frames"`)."""
    return f"{path}.{key}" if path else key


def item(path: str, index: int) -> str:
    """Path of element `index` of the array at `path` (`item("frames", 3) == "frames[3]"`)."""
    return f"{path}[{index}]"


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _wrong_type(issues: Issues, value: Any, path: str, expected: str) -> bool:
    issues.add(path, "type", f"expected {expected}, got {json_type(value)}")
    return False


def check_number(issues: Issues, value: Any, path: str) -> bool:
    """A finite JSON number (integer or float; booleans, NaN, infinities and integers beyond the range of a
    64-bit float, which JavaScript would read as Infinity, are rejected)."""
    if not is_number(value):
        return _wrong_type(issues, value, path, "a number")
    if isinstance(value, float) and not math.isfinite(value):
        issues.add(path, "finite", f"must be a finite number, got {value}")
        return False
    if isinstance(value, int) and not -_FLOAT_MAX <= value <= _FLOAT_MAX:
        issues.add(path, "finite", "must be a finite number, got an integer beyond the range of a 64-bit float")
        return False
    return True


def check_string(issues: Issues, value: Any, path: str) -> bool:
    return isinstance(value, str) or _wrong_type(issues, value, path, "a string")


def anything(issues: Issues, value: Any, path: str) -> bool:
    """Accept any value: for keys whose presence is required but whose content is checked elsewhere."""
    return True


def check_boolean(issues: Issues, value: Any, path: str) -> bool:
    return isinstance(value, bool) or _wrong_type(issues, value, path, "a boolean")


def check_object(issues: Issues, value: Any, path: str) -> bool:
    return isinstance(value, dict) or _wrong_type(issues, value, path, "an object")


def check_array(issues: Issues, value: Any, path: str) -> bool:
    return isinstance(value, list) or _wrong_type(issues, value, path, "an array")


def check_timestamp(issues: Issues, value: Any, path: str) -> bool:
    """A timestamp as the SDK allows it: string, integer or finite number."""
    if isinstance(value, str):
        return True
    if is_number(value):
        return check_number(issues, value, path)
    return _wrong_type(issues, value, path, "a string or a number")


def check_format_version(issues: Issues, value: Any, path: str) -> bool:
    """`format_version`: a string ("0.1") or a number (0.2), as the SDK's `FormatVersion`."""
    return check_timestamp(issues, value, path)


def integer(minimum: int | None = None) -> Checker:
    """Checker for a JSON integer (not a boolean, not 1.0), optionally at least `minimum`."""

    def check(issues: Issues, value: Any, path: str) -> bool:
        if not is_integer(value):
            return _wrong_type(issues, value, path, "an integer")
        if minimum is not None and value < minimum:
            rule = "positive" if minimum == 1 else "non_negative" if minimum == 0 else "minimum"
            issues.add(path, rule, f"must be at least {minimum}, got {value}")
            return False
        return True

    return check


def positive_number(issues: Issues, value: Any, path: str) -> bool:
    """A finite number strictly greater than 0 (cuboid dimensions, height-map scale)."""
    if not check_number(issues, value, path):
        return False
    if value <= 0:
        issues.add(path, "positive", f"must be greater than 0, got {value}")
        return False
    return True


def one_of(*choices: str) -> Checker:
    """Checker for a string enum value."""

    def check(issues: Issues, value: Any, path: str) -> bool:
        if value in choices and isinstance(value, str):
            return True
        issues.add(path, "one_of", f"must be one of {', '.join(choices)}; got {value!r}")
        return False

    return check


def nullable(checker: Checker) -> Checker:
    """Accept null as well as whatever `checker` accepts (the SDK's `Optional[...] = None`)."""
    return lambda issues, value, path: value is None or checker(issues, value, path)


def array_of(checker: Checker, min_items: int = 0) -> Checker:
    """Checker for an array whose every element passes `checker`; all elements are checked."""

    def check(issues: Issues, value: Any, path: str) -> bool:
        if not check_array(issues, value, path):
            return False
        before = len(issues)
        if len(value) < min_items:
            issues.add(path, "min_items", f"needs at least {min_items} item(s), got {len(value)}")
        for index, element in enumerate(value):
            checker(issues, element, item(path, index))
        return len(issues) == before

    return check


def shape(required: Mapping[str, Checker], optional: Mapping[str, Checker] | None = None) -> Checker:
    """Checker for an object with `required` and `optional` keys; unknown keys are accepted and kept."""
    optional = optional or {}

    def check(issues: Issues, value: Any, path: str) -> bool:
        if not check_object(issues, value, path):
            return False
        before = len(issues)
        for key, checker in required.items():
            if key not in value:
                issues.add(join(path, key), "required", f"'{key}' is required")
            else:
                checker(issues, value[key], join(path, key))
        for key, checker in optional.items():
            if key in value:
                checker(issues, value[key], join(path, key))
        return len(issues) == before

    return check


def field(issues: Issues, parent: dict, key: str, path: str, checker: Checker, *, required: bool = True) -> Any:
    """Check `parent[key]` (at `join(path, key)`); return the value when present and valid, else None.

    A missing required key is reported with rule `required`; a missing optional key is silently None.
    """
    if key not in parent:
        if required:
            issues.add(join(path, key), "required", f"'{key}' is required")
        return None
    value = parent[key]
    return value if checker(issues, value, join(path, key)) else None


ANY: Checker = anything
NUMBER: Checker = check_number
STRING: Checker = check_string
BOOLEAN: Checker = check_boolean
OBJECT: Checker = check_object
XYZ: Checker = shape({"x": NUMBER, "y": NUMBER, "z": NUMBER})
QUATERNION: Checker = shape({"qx": NUMBER, "qy": NUMBER, "qz": NUMBER, "qw": NUMBER})
URL: Checker = shape({}, {"url": nullable(STRING), "signed_url": nullable(STRING)})
