"""Point-cloud readers on the real SUSTechPOINTS lidar frames and on files derived from them.

The real `.pcd` files have `_` padding fields, a `COUNT 0` field, header offsets that are wrong for later
fields and 3,848 trailing bytes; `000950.bin` is the KITTI-style copy of frame 000950.
"""

import io

import laspy
import lzf
import numpy as np
import plyfile
import pytest

from labeling.core.errors import PointCloudFormatError
from labeling.core.pointclouds import PointCloud, count_points, derived_buffer, read_point_cloud
from tests.core.shared_data import KITTI_BIN, LIDAR, read_shared

FRAME_POINTS = {"000950": 68242, "000965": 66781, "000970": 66899, "000975": 67153}


def _real_pcd(name: str = "000950") -> bytes:
    return read_shared(LIDAR / f"{name}.pcd")


def _kitti_rows() -> np.ndarray:
    return np.frombuffer(read_shared(KITTI_BIN), dtype="<f4").reshape(-1, 4)


def _pcd_header(fields: str, size: str, type_: str, count: str, points: int, data: str) -> bytes:
    return (
        "# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\n"
        f"FIELDS {fields}\nSIZE {size}\nTYPE {type_}\nCOUNT {count}\n"
        f"WIDTH {points}\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS {points}\nDATA {data}\n"
    ).encode()


def _replace_header_line(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data[:300]
    return data.replace(old, new, 1)


@pytest.mark.parametrize(("name", "points"), FRAME_POINTS.items())
def test_real_lidar_frames_read_with_the_point_count_of_their_header(name, points):
    cloud = read_point_cloud(_real_pcd(name), "pcd")

    assert cloud.count == points
    assert cloud.xyz.shape == (points, 3)
    assert cloud.xyz.dtype == np.float32
    assert cloud.intensity.dtype == np.float32
    assert 0 <= cloud.intensity.min() <= cloud.intensity.max() <= 255
    assert count_points(_real_pcd(name), "pcd") == points


def test_frame_000950_matches_its_kitti_copy_exactly():
    rows = _kitti_rows()

    cloud = read_point_cloud(_real_pcd(), "pcd")

    assert np.array_equal(cloud.xyz, rows[:, :3])
    assert np.array_equal(cloud.intensity, rows[:, 3])
    assert cloud.xyz[0].tolist() == pytest.approx([-0.01402225, 32.13663, 4.027324])


@pytest.mark.parametrize("pcd_type", ["kitti", "binary-xyzi"])
def test_kitti_binary_reads_x_y_z_intensity_rows(pcd_type):
    cloud = read_point_cloud(read_shared(KITTI_BIN), pcd_type)

    assert cloud.count == 68242
    assert np.array_equal(cloud.xyz, _kitti_rows()[:, :3])
    assert cloud.xyz.flags["C_CONTIGUOUS"]


@pytest.mark.parametrize("pcd_type", ["nuscenes", "binary-xyzir"])
def test_nuscenes_binary_reads_rows_with_a_ring_index(pcd_type):
    rows = _kitti_rows()
    ring = (np.arange(len(rows)) % 40).astype(np.float32)
    data = np.column_stack([rows, ring]).astype("<f4").tobytes()

    cloud = read_point_cloud(data, pcd_type)

    assert cloud.count == 68242
    assert np.array_equal(cloud.xyz, rows[:, :3])
    assert np.array_equal(cloud.intensity, rows[:, 3])


def test_ascii_pcd_of_the_real_points_reads_back_exactly():
    rows = _kitti_rows()[:5000]
    text = io.StringIO()
    np.savetxt(text, rows, fmt="%.9g")  # 9 significant digits round-trip float32 exactly
    data = (
        _pcd_header("x y z intensity", "4 4 4 4", "F F F F", "1 1 1 1", len(rows), "ascii") + text.getvalue().encode()
    )

    cloud = read_point_cloud(data, "pcd")

    assert np.array_equal(cloud.xyz, rows[:, :3])
    assert np.array_equal(cloud.intensity, rows[:, 3])


def test_binary_compressed_pcd_with_padding_fields_reads_back_exactly():
    rows = _kitti_rows()
    padding = np.zeros((len(rows), 4), dtype=np.uint8)
    blocks = [rows[:, 0], rows[:, 1], rows[:, 2], padding, rows[:, 3]]  # one contiguous block per field
    raw = b"".join(np.ascontiguousarray(block).tobytes() for block in blocks)
    compressed = lzf.compress(raw)
    header = _pcd_header("x y z _ intensity", "4 4 4 1 4", "F F F U F", "1 1 1 4 1", len(rows), "binary_compressed")
    data = header + np.array([len(compressed), len(raw)], dtype="<u4").tobytes() + compressed

    cloud = read_point_cloud(data, "pcd")

    assert len(compressed) < len(raw)
    assert np.array_equal(cloud.xyz, rows[:, :3])
    assert np.array_equal(cloud.intensity, rows[:, 3])


def test_binary_pcd_with_double_coordinates_and_byte_intensity_is_converted_to_float32():
    rows = _kitti_rows()[:1000]
    table = np.zeros(len(rows), dtype=[("x", "<f8"), ("y", "<f8"), ("z", "<f8"), ("intensity", "u1")])
    for index, axis in enumerate("xyz"):
        table[axis] = rows[:, index]
    table["intensity"] = rows[:, 3].astype(np.uint8)
    data = _pcd_header("x y z intensity", "8 8 8 1", "F F F U", "1 1 1 1", len(rows), "binary") + table.tobytes()

    cloud = read_point_cloud(data, "pcd")

    assert cloud.xyz.dtype == np.float32
    assert np.array_equal(cloud.xyz, rows[:, :3])
    assert np.array_equal(cloud.intensity, rows[:, 3].astype(np.uint8).astype(np.float32))


def test_pcd_without_intensity_and_without_count_line_reads_coordinates_only():
    rows = _kitti_rows()[:10]
    header = b"VERSION .7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 10\nHEIGHT 1\nPOINTS 10\nDATA binary\n"

    cloud = read_point_cloud(header + np.ascontiguousarray(rows[:, :3]).tobytes(), "pcd")

    assert cloud.intensity is None
    assert np.array_equal(cloud.xyz, rows[:, :3])


def _ply(rows: np.ndarray, *, text: bool, with_z: bool = True) -> bytes:
    names = ["x", "y", "z", "intensity"] if with_z else ["x", "y", "intensity"]
    vertices = np.zeros(len(rows), dtype=[(name, "f4") for name in names])
    for name, column in zip(["x", "y", "z", "intensity"], rows.T, strict=True):
        if name in names:
            vertices[name] = column
    buffer = io.BytesIO()
    plyfile.PlyData([plyfile.PlyElement.describe(vertices, "vertex")], text=text).write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("text", [False, True], ids=["binary", "ascii"])
def test_ply_of_the_real_points_reads_back_exactly(text):
    rows = _kitti_rows()[:3000]

    cloud = read_point_cloud(_ply(rows, text=text), "ply")

    assert np.array_equal(cloud.xyz, rows[:, :3])
    assert np.array_equal(cloud.intensity, rows[:, 3])


def test_las_of_the_real_points_reads_back_within_its_scale():
    rows = _kitti_rows()
    header = laspy.LasHeader(point_format=0, version="1.2")
    header.scales = np.array([0.001, 0.001, 0.001])
    header.offsets = rows[:, :3].min(axis=0)
    las = laspy.LasData(header)
    las.x, las.y, las.z = rows[:, 0], rows[:, 1], rows[:, 2]
    las.intensity = rows[:, 3].astype(np.uint16)
    buffer = io.BytesIO()
    las.write(buffer)

    cloud = read_point_cloud(buffer.getvalue(), "las")

    assert cloud.count == 68242
    assert np.abs(cloud.xyz - rows[:, :3]).max() <= 0.001
    assert np.array_equal(cloud.intensity, rows[:, 3].astype(np.uint16).astype(np.float32))


def test_point_cloud_count_is_its_number_of_rows():
    assert PointCloud(xyz=np.zeros((7, 3), np.float32)).count == 7


BROKEN_PCD = {
    "cut inside the points": (lambda data: data[:-100_000], "truncated"),
    "one byte short": (lambda data: data[: 248 + 68242 * 48 - 1], "truncated"),
    "more POINTS than data": (
        lambda data: _replace_header_line(
            _replace_header_line(data, b"POINTS 68242", b"POINTS 68400"), b"WIDTH 68242", b"WIDTH 68400"
        ),
        "truncated",
    ),
    "WIDTH x HEIGHT is not POINTS": (
        lambda data: _replace_header_line(data, b"HEIGHT 1", b"HEIGHT 2"),
        "WIDTH",
    ),
    "no x field": (lambda data: _replace_header_line(data, b"FIELDS x y z", b"FIELDS a y z"), "no 'x' field"),
    "invalid SIZE for TYPE": (
        lambda data: _replace_header_line(data, b"SIZE 4 4 4", b"SIZE 3 4 4"),
        "SIZE 3",
    ),
    "COUNT shorter than FIELDS": (
        lambda data: _replace_header_line(data, b"COUNT 1 1 1 4 1 0", b"COUNT 1 1 1 4 1"),
        "COUNT",
    ),
    "x with two values": (
        lambda data: _replace_header_line(data, b"COUNT 1 1 1 4", b"COUNT 2 1 1 3"),
        "COUNT 2",
    ),
    "unknown DATA": (
        lambda data: _replace_header_line(data, b"DATA binary", b"DATA binary_zstd"),
        "DATA must be",
    ),
    "negative SIZE": (lambda data: _replace_header_line(data, b"SIZE 4 4 4 1", b"SIZE 4 4 4 -1"), "negative"),
    "no DATA line": (lambda data: data[:150], "no DATA line"),
    "not a PCD at all": (lambda data: read_shared(KITTI_BIN)[:4000], "no DATA line"),
    "NaN coordinate": (lambda data: data[:248] + np.float32("nan").tobytes() + data[252:], "non-finite"),
}


@pytest.mark.parametrize("name", BROKEN_PCD)
def test_truncated_or_lying_pcd_raises_a_clear_error(name):
    damage, message = BROKEN_PCD[name]

    with pytest.raises(PointCloudFormatError, match=message):
        read_point_cloud(damage(_real_pcd()), "pcd")


def _compressed_pcd(raw: bytes, compressed: bytes, announced_raw: int, points: int) -> bytes:
    header = _pcd_header("x y z", "4 4 4", "F F F", "1 1 1", points, "binary_compressed")
    return header + np.array([len(compressed), announced_raw], dtype="<u4").tobytes() + compressed


def test_corrupt_or_lying_binary_compressed_pcd_raises():
    raw = np.ascontiguousarray(_kitti_rows()[:1000, :3].T).tobytes()
    compressed = lzf.compress(raw)
    corrupt = compressed[:100] + bytes(50) + compressed[150:]

    with pytest.raises(PointCloudFormatError, match="holds 11996 bytes"):
        read_point_cloud(_compressed_pcd(raw, compressed, len(raw) - 4, 1000), "pcd")
    with pytest.raises(PointCloudFormatError, match="truncated"):
        read_point_cloud(_compressed_pcd(raw, compressed, len(raw), 1000)[:-10], "pcd")
    with pytest.raises(PointCloudFormatError, match="LZF"):
        read_point_cloud(_compressed_pcd(raw, corrupt, len(raw), 1000), "pcd")


def test_ascii_pcd_with_missing_rows_or_words_raises():
    header = _pcd_header("x y z", "4 4 4", "F F F", "1 1 1", 3, "ascii")

    with pytest.raises(PointCloudFormatError, match="2 rows for POINTS 3"):
        read_point_cloud(header + b"1 2 3\n4 5 6\n", "pcd")
    with pytest.raises(PointCloudFormatError, match="not a number"):
        read_point_cloud(header + b"1 2 3\n4 five 6\n7 8 9\n", "pcd")
    with pytest.raises(PointCloudFormatError, match="8 values"):
        read_point_cloud(header + b"1 2 3\n4 5\n7 8 9\n", "pcd")


@pytest.mark.parametrize(
    ("damage", "pcd_type", "message"),
    [
        (lambda data: data[:-3], "kitti", "not a whole number of 16-byte points"),
        (lambda data: b"", "binary-xyzi", "empty"),
        (lambda data: data, "nuscenes", "not a whole number of 20-byte points"),
        (lambda data: data[:-20], "binary-xyzir", "not a whole number of 20-byte points"),
    ],
)
def test_raw_binary_whose_size_does_not_fit_its_layout_raises(damage, pcd_type, message):
    with pytest.raises(PointCloudFormatError, match=message):
        read_point_cloud(damage(read_shared(KITTI_BIN)), pcd_type)


def test_pcd_file_read_as_kitti_is_rejected_instead_of_returning_garbage():
    with pytest.raises(PointCloudFormatError, match=r"non-finite|beyond"):
        read_point_cloud(_real_pcd(), "kitti")


def test_absurd_coordinates_from_a_misread_layout_are_rejected():
    rows = _kitti_rows()[:100].copy()
    rows[10, 1] = 3.0e30

    with pytest.raises(PointCloudFormatError, match="beyond"):
        read_point_cloud(rows.tobytes(), "kitti")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: _ply(_kitti_rows()[:100], text=False)[:-30], "early end-of-file"),
        (
            lambda: _ply(_kitti_rows()[:100], text=False, with_z=True).replace(b"vertex", b"vortex", 1),
            "vertex",
        ),
        (lambda: _ply(_kitti_rows()[:100], text=False, with_z=False), "no z property"),
        (lambda: b"not a ply file", "ply"),
    ],
    ids=["truncated", "no-vertex-element", "no-z", "garbage"],
)
def test_broken_ply_raises(data, message):
    with pytest.raises(PointCloudFormatError, match=message):
        read_point_cloud(data(), "ply")


def test_truncated_las_raises():
    rows = _kitti_rows()[:1000]
    las = laspy.LasData(laspy.LasHeader(point_format=0, version="1.2"))
    las.x, las.y, las.z = rows[:, 0], rows[:, 1], rows[:, 2]
    buffer = io.BytesIO()
    las.write(buffer)

    with pytest.raises(PointCloudFormatError, match="las"):
        read_point_cloud(buffer.getvalue()[:-200], "las")


@pytest.mark.parametrize("pcd_type", ["splat", "xyz", ""])
def test_types_without_a_reader_are_reported_as_not_supported(pcd_type):
    with pytest.raises(PointCloudFormatError, match="not supported"):
        count_points(b"\x00" * 64, pcd_type)


def test_nan_points_of_an_organized_pcd_are_kept_in_place_and_derived_buffer_keeps_them():
    points = _kitti_rows()[:12].copy()
    points[[2, 7], :3] = np.nan  # PCL's "no return" points of an organized cloud: x = y = z = NaN
    points[[2, 7], 3] = np.nan
    header = _pcd_header("x y z intensity", "4 4 4 4", "F F F F", "1 1 1 1", 12, "binary")
    data = header.replace(b"WIDTH 12\nHEIGHT 1", b"WIDTH 4\nHEIGHT 3") + points.tobytes()

    cloud = read_point_cloud(data, "pcd")

    assert cloud.count == 12
    assert np.flatnonzero(np.isnan(cloud.xyz).all(axis=1)).tolist() == [2, 7]
    buffer = np.frombuffer(derived_buffer(cloud), dtype="<f4")
    assert buffer.size == 12 * 4
    np.testing.assert_array_equal(buffer[:36].reshape(12, 3)[[0, 11]], points[[0, 11], :3])


def test_a_point_with_only_some_coordinates_nan_is_refused():
    rows = _kitti_rows()[:10].copy()
    rows[4, 2] = np.nan

    with pytest.raises(PointCloudFormatError, match="not a NaN point"):
        read_point_cloud(rows.tobytes(), "kitti")
