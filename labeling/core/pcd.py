"""Reader for PCL's `.pcd` point-cloud files (format v0.7: `DATA ascii`, `binary` and `binary_compressed`).

No maintained PyPI library copes with real files such as the SUSTechPOINTS lidar frames (pypcd4 1.5 rejects
their `COUNT 0` padding field), so this is a small NumPy reader. The header's SIZE, TYPE and COUNT are
authoritative for the fields it returns (x, y, z and intensity): their byte offsets are the running sum of
SIZE * COUNT. Padding fields (`_`) are skipped by size only. Bytes after the last point are ignored (the real
files carry 3,848 of them); fewer bytes than POINTS * row size is a truncated file and raises.
Binary data is little-endian, as PCL writes it on every platform it supports.
"""

from dataclasses import dataclass

import lzf
import numpy as np

from labeling.core.errors import PointCloudFormatError

MAX_HEADER_BYTES = 65536
_VALID_SIZES = {"F": (4, 8), "I": (1, 2, 4, 8), "U": (1, 2, 4, 8)}
_KINDS = {"F": "f", "I": "i", "U": "u"}
_DATA_FORMATS = ("ascii", "binary", "binary_compressed")
INTENSITY_FIELDS = ("intensity", "i")


@dataclass(frozen=True)
class PcdField:
    name: str
    size: int
    type: str
    count: int
    offset: int  # bytes before this field in a row: the running sum of SIZE * COUNT
    column: int  # values before this field in an ascii row: the running sum of COUNT

    @property
    def dtype(self) -> np.dtype:
        return np.dtype(f"<{_KINDS[self.type]}{self.size}")


@dataclass(frozen=True)
class PcdHeader:
    fields: tuple[PcdField, ...]
    points: int
    data: str
    data_start: int  # byte offset of the first byte after the DATA line

    @property
    def row_size(self) -> int:
        return sum(field.size * field.count for field in self.fields)

    def find(self, *names: str) -> PcdField | None:
        for name in names:
            for field in self.fields:
                if field.name == name:
                    return field
        return None


def _fail(message: str) -> PointCloudFormatError:
    return PointCloudFormatError(f"PCD: {message}")


def _read_header_lines(data: bytes) -> tuple[dict[str, list[str]], int]:
    entries: dict[str, list[str]] = {}
    position = 0
    while position < min(len(data), MAX_HEADER_BYTES):
        end = data.find(b"\n", position)
        if end < 0:
            break
        line = data[position:end].decode("ascii", errors="replace").strip()
        position = end + 1
        if not line or line.startswith("#"):
            continue
        key, *values = line.split()
        entries[key.upper()] = values
        if key.upper() == "DATA":
            return entries, position
    raise _fail("no DATA line in the header; not a PCD file or the header is truncated")


def _integers(entries: dict[str, list[str]], key: str, length: int | None = None) -> list[int]:
    try:
        values = [int(value) for value in entries[key]]
    except KeyError:
        raise _fail(f"header has no {key} line") from None
    except ValueError:
        raise _fail(f"{key} must hold integers, got {entries[key]}") from None
    if length is not None and len(values) != length:
        raise _fail(f"{key} has {len(values)} entries for {length} FIELDS")
    if any(value < 0 for value in values):
        raise _fail(f"{key} must not be negative, got {values}")
    return values


def _build_fields(entries: dict[str, list[str]]) -> tuple[PcdField, ...]:
    names = entries.get("FIELDS") or entries.get("COLUMNS")
    if not names:
        raise _fail("header has no FIELDS line")
    sizes = _integers(entries, "SIZE", len(names))
    types = entries.get("TYPE", [])
    if len(types) != len(names):
        raise _fail(f"TYPE has {len(types)} entries for {len(names)} FIELDS")
    counts = _integers(entries, "COUNT", len(names)) if "COUNT" in entries else [1] * len(names)
    fields, offset, column = [], 0, 0
    for name, size, kind, count in zip(names, sizes, types, counts, strict=True):
        if size not in _VALID_SIZES.get(kind, ()):
            raise _fail(f"field {name!r} has TYPE {kind!r} with SIZE {size}, which is not a valid combination")
        fields.append(PcdField(name=name, size=size, type=kind, count=count, offset=offset, column=column))
        offset += size * count
        column += count
    return tuple(fields)


def parse_pcd_header(data: bytes) -> PcdHeader:
    """Parse and cross-check a PCD header. Raises PointCloudFormatError for missing or inconsistent lines
    (WIDTH * HEIGHT != POINTS, unknown DATA format, invalid SIZE/TYPE)."""
    entries, data_start = _read_header_lines(data)
    fields = _build_fields(entries)
    width, height = _integers(entries, "WIDTH", 1)[0], _integers(entries, "HEIGHT", 1)[0]
    points = _integers(entries, "POINTS", 1)[0] if "POINTS" in entries else width * height
    if points != width * height:
        raise _fail(f"POINTS {points} does not equal WIDTH * HEIGHT = {width * height}")
    data_format = entries["DATA"][0].lower() if entries["DATA"] else ""
    if data_format not in _DATA_FORMATS:
        raise _fail(f"DATA must be one of {', '.join(_DATA_FORMATS)}, got {data_format!r}")
    return PcdHeader(fields=fields, points=points, data=data_format, data_start=data_start)


def _coordinate_fields(header: PcdHeader) -> tuple[list[PcdField], PcdField | None]:
    coordinates = []
    for name in ("x", "y", "z"):
        field = header.find(name)
        if field is None:
            raise _fail(f"no {name!r} field; FIELDS are {[f.name for f in header.fields]}")
        if field.count != 1:
            raise _fail(f"field {name!r} has COUNT {field.count}; expected 1")
        coordinates.append(field)
    intensity = header.find(*INTENSITY_FIELDS)
    return coordinates, intensity if intensity is not None and intensity.count == 1 else None


def _read_binary(data: bytes, header: PcdHeader, wanted: list[PcdField]) -> list[np.ndarray]:
    needed = header.points * header.row_size
    available = len(data) - header.data_start
    if available < needed:
        raise _fail(f"truncated: {header.points} points need {needed} bytes of data, the file has {available}")
    rows = np.dtype(
        {
            "names": [f"f{index}" for index in range(len(wanted))],
            "formats": [field.dtype for field in wanted],
            "offsets": [field.offset for field in wanted],
            "itemsize": header.row_size,
        }
    )
    table = np.frombuffer(data, dtype=rows, count=header.points, offset=header.data_start)
    return [table[f"f{index}"] for index in range(len(wanted))]


def _read_binary_compressed(data: bytes, header: PcdHeader, wanted: list[PcdField]) -> list[np.ndarray]:
    start = header.data_start
    if len(data) < start + 8:
        raise _fail("truncated: binary_compressed data has no size prefix")
    compressed_size, uncompressed_size = np.frombuffer(data, dtype="<u4", count=2, offset=start)
    expected = header.points * header.row_size
    if uncompressed_size != expected:
        raise _fail(f"binary_compressed holds {uncompressed_size} bytes; {header.points} points need {expected}")
    payload = data[start + 8 : start + 8 + int(compressed_size)]
    if len(payload) < compressed_size:
        raise _fail(f"truncated: {compressed_size} compressed bytes announced, {len(payload)} present")
    try:
        raw = lzf.decompress(payload, int(uncompressed_size)) if expected else b""
    except ValueError as error:
        raise _fail(f"corrupt LZF data: {error}") from error
    if raw is None or len(raw) != expected:
        raise _fail("corrupt LZF data: it does not decompress to the announced size")
    # binary_compressed stores each field as one contiguous block of `points` values (column-major).
    return [
        np.frombuffer(raw, dtype=field.dtype, count=header.points, offset=header.points * field.offset)
        for field in wanted
    ]


def _read_ascii(data: bytes, header: PcdHeader, wanted: list[PcdField]) -> list[np.ndarray]:
    lines = [line for line in data[header.data_start :].splitlines() if line.strip()]
    if len(lines) != header.points:
        raise _fail(f"ascii data has {len(lines)} rows for POINTS {header.points}")
    columns = sum(field.count for field in header.fields)
    try:
        values = np.array(b" ".join(lines).split(), dtype=np.float64)
    except ValueError as error:
        raise _fail(f"ascii data holds a value that is not a number: {error}") from error
    if values.size != header.points * columns:
        needed = header.points * columns
        raise _fail(f"ascii data has {values.size} values; {header.points} rows of {columns} need {needed}")
    table = values.reshape(header.points, columns)
    return [table[:, field.column] for field in wanted]


_READERS = {"binary": _read_binary, "binary_compressed": _read_binary_compressed, "ascii": _read_ascii}


def read_pcd(data: bytes) -> tuple[np.ndarray, np.ndarray | None]:
    """Read a PCD file's points: returns (xyz (N, 3) float32, intensity (N,) float32 or None).

    Values are not yet checked for finiteness; `labeling.core.pointclouds.read_point_cloud` does that.
    Raises PointCloudFormatError for a malformed header, a missing x/y/z field or truncated data.
    """
    header = parse_pcd_header(data)
    coordinates, intensity = _coordinate_fields(header)
    wanted = coordinates + ([intensity] if intensity is not None else [])
    columns = _READERS[header.data](data, header, wanted)
    xyz = np.empty((header.points, 3), dtype=np.float32)
    for axis in range(3):
        xyz[:, axis] = columns[axis]
    return xyz, columns[3].astype(np.float32) if intensity is not None else None
