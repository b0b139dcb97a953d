"""How a saved version of a label is stored: its attributes as compact JSON (orjson), compressed with zlib.

A 50-object vector label of 11 KB of JSON is stored in about 3.8 KB; a point-cloud segmentation label of a
million points (2 to 4 MB of JSON) in tens of KB (bench/bench_label_history.py has the figures). Level 1 is
the fastest zlib level and within 10 % of the smallest output on labels; it costs about 0.13 ms on a 50-object
label, the only work the history adds to a label save besides one row (docs/history.md).

Versions are stored whole, not as diffs against the previous version: a diff saves little once compressed,
and a whole version is read, restored and pruned on its own (no chain to replay, nothing to rebase when
the oldest versions are deleted).
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
