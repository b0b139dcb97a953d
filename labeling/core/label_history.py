"""How a saved version of a label is stored: its attributes as compact JSON (orjson), compressed with zlib.

A 50-object vector label of 9 KB of JSON is stored in 3.7 KB; a 1M-point point-cloud segmentation label (2.2 MB
of JSON) in 214 KB when its points are in scan order, 627 KB when they are in no order
(bench/bench_label_history.py). Level 1 is the fastest zlib level: about 0.14 ms on the 50-object label, the
only work the history adds to a label save besides one row; level 6 is 5 to 40 % smaller and 3 to 4 times
slower.

Versions are stored whole, not as diffs against the previous version: a diff would be ten times smaller for a
big segmentation label with a small edit, but every save would first read and inflate the previous version,
and a version would no longer stand alone (reading, restoring or pruning one would replay a chain). `codec`
leaves room for a diff codec later (docs/history.md).
"""

import zlib
from typing import Any, NamedTuple

import orjson

CODEC = "zlib"
LEVEL = 1
# orjson's options for label attributes (labeling.fastjson): keys other than strings become strings.
_OPTIONS = orjson.OPT_NON_STR_KEYS


class StoredAttributes(NamedTuple):
    """A label's attributes as stored in its history: `data` (zlib-compressed JSON), `raw_size` (bytes of
    JSON before compression), `codec` (how `data` is decoded, "zlib")."""

    data: bytes
    raw_size: int
    codec: str


def compress_attributes(attributes: Any) -> StoredAttributes:
    """`attributes` (a label's JSON value, None for a label without attributes) as stored in the history.

    Raises TypeError for a value that is not JSON (the label write validated it before)."""
    raw = orjson.dumps(attributes, option=_OPTIONS)
    return StoredAttributes(zlib.compress(raw, LEVEL), len(raw), CODEC)


def decompress_attributes(data: bytes | memoryview, codec: str = CODEC) -> Any:
    """The attributes that compress_attributes stored as `data` (a BinaryField value: bytes or memoryview);
    ValueError for an unknown codec or data that is not a compressed JSON document."""
    if codec != CODEC:
        raise ValueError(f"unknown label history codec {codec!r}")
    try:
        return orjson.loads(zlib.decompress(bytes(data)))
    except (zlib.error, orjson.JSONDecodeError) as error:
        raise ValueError(f"label history data is not compressed JSON: {error}") from error
