"""JSON encoding and decoding through orjson, with the standard library's behaviour where orjson differs.

Used by the API's parser and renderer (labeling.api) and for label attributes on the label hot path
(labeling.sql). orjson is 5 to 10 times faster on a 3 KB label; what it refuses (integers beyond 64 bits,
types it does not know) goes through the standard library, so nothing that worked before fails now.
"""

import json
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import orjson

# Non-string dict keys are turned into strings, as json.dumps does.
_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(value: Any, *, default: Callable[[Any], Any] | None = None, stdlib_encoder=None) -> bytes:
    """`value` as compact UTF-8 JSON bytes.

    default: called for objects orjson cannot serialize natively (as json.JSONEncoder.default is); datetimes
    go to it too when given, so the caller decides their format. stdlib_encoder: the json.JSONEncoder class
    used when orjson refuses the value. Raises TypeError for values neither can serialize. NaN and infinities
    become null (the standard library would write the invalid tokens NaN and Infinity).
    """
    options = (_OPTIONS | orjson.OPT_PASSTHROUGH_DATETIME) if default is not None else _OPTIONS
    try:
        return orjson.dumps(value, default=default, option=options)
    except orjson.JSONEncodeError:
        return json.dumps(value, cls=stdlib_encoder, separators=(",", ":")).encode()


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """Parse JSON text (bytes or str). Raises json.JSONDecodeError (orjson's error is a subclass of it) for
    invalid JSON; numbers orjson cannot hold (integers beyond 64 bits) are parsed by the standard library."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data if isinstance(data, (str, bytes)) else bytes(data))  # raises for invalid JSON


# Strict input -----------------------------------------------------------------------------------------------

# What the API accepts in a request body, a path or a query: what PostgreSQL (jsonb, bigint, text) and the
# formats we write (JSON releases, COCO, YOLO) can hold. See README "Input limits".
MAX_DEPTH = 64  # arrays and objects nested in each other
MIN_INT, MAX_INT = -(2**63), 2**63 - 1  # PostgreSQL bigint; jsonb would take more, but every reader must
_FORBIDDEN_CHARACTERS = re.compile("[\x00\ud800-\udfff]")  # PostgreSQL refuses NUL; UTF-8 has no lone surrogates


class StrictJSONError(ValueError):
    """A request value the API refuses: `path` names the field (dotted, `[i]` for array items, "" for the
    whole body), `rule` the broken rule (`invalid_json`, `not_finite`, `integer_range`, `nesting_depth`,
    `forbidden_character`), `message` says why in words."""

    def __init__(self, path: str, rule: str, message: str):
        super().__init__(f"{path or 'body'}: {message}")
        self.path, self.rule, self.message = path, rule, message

    def to_dict(self) -> dict:
        """{"path", "rule", "message"}, the shape of labeling.exceptions.InvalidInput's `errors`."""
        return {"path": self.path, "rule": self.rule, "message": self.message}


def loads_strict(data: bytes | bytearray | memoryview | str) -> Any:
    """Parse a request body strictly: no NaN or Infinity (nor numbers that overflow to them), integers within
    64-bit signed range, at most MAX_DEPTH levels of nesting, no NUL or lone surrogate in any string or key.

    Raises StrictJSONError naming the offending field. Unlike `loads` there is no fallback to the standard
    library (which takes NaN, huge integers and lone surrogates).
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        _name_the_refused_field(data)  # raises StrictJSONError naming the field when it can
        raise StrictJSONError("", "invalid_json", f"not valid JSON: {error}") from None
    # orjson itself refuses NaN, Infinity, numbers that overflow a double and lone surrogates. What it takes
    # and we do not can only come from a `\\u0000` escape, an integer of 19 digits or more, or deep nesting:
    # look for those in the text at C speed, and walk the values (which names the field) only when one may be.
    text = bytes(data) if isinstance(data, memoryview | bytearray) else data
    if isinstance(text, str):
        text = text.encode()
    if b"\\u0000" in text or _has_long_digit_run(text) or _nesting_depth(text) > MAX_DEPTH:
        check_value(value)
    return value


_LONG_DIGITS = 19  # 2**63 has 19 digits: a shorter integer is always in range


def _has_long_digit_run(text: bytes) -> bool:
    """True when `text` has _LONG_DIGITS digits in a row (in a number or a string): digits become "1" and
    everything else "0" (bytes.translate), then one substring search; both in C."""
    return _LONG_RUN in text.translate(_DIGIT_MAP)


_DIGIT_MAP = bytes(ord("1") if chr(byte).isdigit() and byte < 128 else ord("0") for byte in range(256))
_LONG_RUN = b"1" * _LONG_DIGITS
_ESCAPE = re.compile(rb"\\.")
_STRING = re.compile(rb'"[^"]*"')


def _nesting_depth(text: bytes) -> int:
    """The deepest nesting of arrays and objects in valid JSON `text`: escapes, then strings are cut out (so
    only structural brackets remain) and the brackets are counted up and down in NumPy."""
    if text.count(b"[") + text.count(b"{") <= MAX_DEPTH:
        return 0
    structure = np.frombuffer(_STRING.sub(b"", _ESCAPE.sub(b"", text)), dtype=np.uint8)
    steps = (structure == ord("[")).astype(np.int32) + (structure == ord("{"))
    steps -= (structure == ord("]")).astype(np.int32) + (structure == ord("}"))
    return int(np.cumsum(steps).max(initial=0))


def _name_the_refused_field(data) -> None:
    """orjson refused `data`: read it again with the standard library (which takes NaN, Infinity, numbers
    that overflow and lone surrogates) to name the field; raises StrictJSONError for such a field, returns
    when the text is not JSON at all."""
    try:
        value = json.loads(
            data if isinstance(data, str | bytes) else bytes(data),
            parse_constant=float,  # NaN, Infinity, -Infinity
        )
    except (ValueError, RecursionError):
        return
    check_value(value)


def check_text(text: str, path: str) -> None:
    """Raise StrictJSONError (rule `forbidden_character`) when `text` holds NUL or a lone surrogate."""
    found = _FORBIDDEN_CHARACTERS.search(text)
    if found is not None:
        what = "NUL" if found.group() == "\x00" else f"a lone surrogate U+{ord(found.group()):04X}"
        raise StrictJSONError(path, "forbidden_character", f"contains {what} at character {found.start()}")


def check_value(value: Any, path: str = "") -> None:
    """Check a parsed JSON value as loads_strict does (finite numbers, 64-bit integers, depth, characters).

    Lists of plain numbers (point annotations of large point clouds) are checked with min/max in C, not
    item by item. Raises StrictJSONError.
    """
    _check(value, path, 0)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check(value: Any, path: str, depth: int) -> None:
    kind = type(value)
    if kind is str:
        check_text(value, path)
    elif kind is int:
        if not MIN_INT <= value <= MAX_INT:
            raise StrictJSONError(path, "integer_range", f"integer {value} is outside {MIN_INT}..{MAX_INT}")
    elif kind is float:
        if not math.isfinite(value):
            raise StrictJSONError(path, "not_finite", f"{value} is not a finite number")
    elif kind is dict or kind is list:
        if depth >= MAX_DEPTH:
            raise StrictJSONError(path, "nesting_depth", f"nested deeper than {MAX_DEPTH} levels")
        if kind is dict:
            for key, item in value.items():
                check_text(key, _join(path, key))
                _check(item, _join(path, key), depth + 1)
        elif not _numbers_in_range(value):
            for index, item in enumerate(value):
                _check(item, f"{path}[{index}]", depth + 1)


def _numbers_in_range(items: list) -> bool:
    """True when `items` is a non-empty list of only numbers, all finite and within the integer range; False
    means "check item by item" (the per-item check then names the culprit)."""
    if not items or type(items[0]) not in (int, float):
        return False
    try:
        lowest, highest = min(items), max(items)
    except TypeError:  # not only numbers
        return False
    return lowest >= MIN_INT and highest <= MAX_INT and math.isfinite(lowest) and math.isfinite(highest)
