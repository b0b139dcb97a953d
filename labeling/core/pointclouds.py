"""Point-cloud readers: bytes of a sample's cloud -> (N, 3) float32 x, y, z (+ intensity when present).

Dispatch is on the sample's `pcd.type` (spec section 6): `pcd` (PCL .pcd, see `labeling.core.pcd`),
`binary-xyzi`/`kitti` (float32 x, y, z, intensity per point), `binary-xyzir`/`nuscenes` (float32 x, y, z,
intensity, ring), `ply` (plyfile), `las` (laspy; LAZ needs a backend that is not installed). `splat` has no
reader. Coordinates are in the file's units (metres for lidar). A file that is truncated, whose size does not
match its layout, or that decodes to non-finite (other than whole NaN points) or absurd coordinates raises
PointCloudFormatError: a reader never returns garbage.
"""

import io
from dataclasses import dataclass

import numpy as np

from labeling.core.errors import PointCloudFormatError
from labeling.core.pcd import read_pcd

# A misread float32 stream (wrong layout, wrong offset) shows up as astronomically large or tiny values; no
# survey, georeferenced (UTM) or lidar cloud has coordinates beyond a million kilometres.
MAX_ABS_COORDINATE = 1e9


@dataclass(frozen=True)
class PointCloud:
    """The points of one cloud, in file order.

    xyz: (N, 3) float32; intensity: (N,) float32 as stored (e.g. 0-255), or None when the file has none.
    """

    xyz: np.ndarray
    intensity: np.ndarray | None = None

    @property
    def count(self) -> int:
        return int(self.xyz.shape[0])


def _read_float32_rows(data: bytes, columns: int, pcd_type: str) -> tuple[np.ndarray, np.ndarray | None]:
    row_size = 4 * columns
    if not data:
        raise PointCloudFormatError(f"{pcd_type}: the file is empty")
    if len(data) % row_size:
        raise PointCloudFormatError(
            f"{pcd_type}: {len(data)} bytes is not a whole number of {row_size}-byte points "
            f"({columns} float32 values each); the file is truncated or not {pcd_type}"
        )
    rows = np.frombuffer(data, dtype="<f4").reshape(-1, columns)
    return np.ascontiguousarray(rows[:, :3]), rows[:, 3].copy()


def _read_ply(data: bytes) -> tuple[np.ndarray, np.ndarray | None]:
    from plyfile import PlyData, PlyParseError  # imported here: only PLY samples need it

    try:
        vertices = PlyData.read(io.BytesIO(data))["vertex"].data
    except (PlyParseError, KeyError, ValueError, EOFError) as error:
        raise PointCloudFormatError(f"ply: {error}") from error
    names = vertices.dtype.names or ()
    missing = [axis for axis in "xyz" if axis not in names]
    if missing:
        raise PointCloudFormatError(f"ply: vertex element has no {', '.join(missing)} property")
    xyz = np.stack([vertices[axis] for axis in "xyz"], axis=1).astype(np.float32)
    intensity_name = next((name for name in ("intensity", "scalar_intensity") if name in names), None)
    return xyz, vertices[intensity_name].astype(np.float32) if intensity_name else None


def _read_las(data: bytes) -> tuple[np.ndarray, np.ndarray | None]:
    import laspy  # imported here: only LAS samples need it

    try:
        las = laspy.read(io.BytesIO(data))
        xyz = np.stack([np.asarray(las.x), np.asarray(las.y), np.asarray(las.z)], axis=1).astype(np.float32)
        intensity = np.asarray(las.intensity, dtype=np.float32)
    except (laspy.errors.LaspyException, ValueError, EOFError) as error:
        raise PointCloudFormatError(f"las: {error}") from error
    if xyz.shape[0] != las.header.point_count:
        raise PointCloudFormatError(f"las: header announces {las.header.point_count} points, read {xyz.shape[0]}")
    return xyz, intensity


def _read(data: bytes, pcd_type: str) -> tuple[np.ndarray, np.ndarray | None]:
    if pcd_type == "pcd":
        return read_pcd(data)
    if pcd_type in ("binary-xyzi", "kitti"):
        return _read_float32_rows(data, 4, pcd_type)
    if pcd_type in ("binary-xyzir", "nuscenes"):
        return _read_float32_rows(data, 5, pcd_type)
    if pcd_type == "ply":
        return _read_ply(data)
    if pcd_type == "las":
        return _read_las(data)
    raise PointCloudFormatError(f"reading point clouds of type {pcd_type!r} is not supported")


def _check_values(xyz: np.ndarray, intensity: np.ndarray | None, pcd_type: str) -> None:
    # Organized clouds (HEIGHT > 1) mark points without a return as x = y = z = NaN, PCL's convention: those are
    # kept (their indices are part of the label's contract). Any other non-finite value means a misread layout.
    finite = np.isfinite(xyz)
    valid = finite.all(axis=1) | np.isnan(xyz).all(axis=1)
    if not valid.all():
        first = int(np.argmin(valid))
        raise PointCloudFormatError(
            f"{pcd_type}: {int((~valid).sum())} point(s) have non-finite coordinates that are not a NaN point "
            f"(x = y = z = NaN) (first: point {first})"
        )
    present = finite.all(axis=1)
    if present.any() and float(np.abs(xyz[present]).max()) > MAX_ABS_COORDINATE:
        raise PointCloudFormatError(
            f"{pcd_type}: coordinates beyond {MAX_ABS_COORDINATE:g}; the file's layout does not match its content"
        )
    if intensity is not None and not np.isfinite(intensity[present]).all():
        raise PointCloudFormatError(f"{pcd_type}: intensity holds non-finite values")


def read_point_cloud(data: bytes, pcd_type: str) -> PointCloud:
    """Read a point-cloud file of the sample's `pcd.type` into a PointCloud.

    xyz: (N, 3) float32 in the file's units; intensity: (N,) float32 as stored (None when the file has none).
    The points keep the file's order, which is the order `point_annotations` refers to.
    NaN points (x = y = z = NaN, the no-return points of organized clouds) are kept in place.
    Raises PointCloudFormatError for unsupported types, truncated or inconsistent files, other non-finite
    coordinates and implausible (> 1e9) ones.
    """
    xyz, intensity = _read(data, pcd_type)
    _check_values(xyz, intensity, pcd_type)
    return PointCloud(xyz=xyz, intensity=intensity)


def count_points(data: bytes, pcd_type: str) -> int:
    """Number of points in a point-cloud file (what `point_annotations` must match); same errors as
    `read_point_cloud`, because a count taken from a header that lies is worse than no count."""
    return read_point_cloud(data, pcd_type).count


def derived_buffer(cloud: PointCloud) -> bytes:
    """The compact buffer the editors fetch: little-endian float32 x, y, z of every point in file order
    (N * 12 bytes), then, when the cloud has intensity, one little-endian float32 intensity per point
    (N * 4 bytes). The layout is told apart by its size: 12 N bytes (no intensity) or 16 N bytes.
    NaN points stay where they are (point indices are what `point_annotations` refers to)."""
    xyz = np.ascontiguousarray(cloud.xyz, dtype="<f4").tobytes()
    if cloud.intensity is None:
        return xyz
    return xyz + np.ascontiguousarray(cloud.intensity, dtype="<f4").tobytes()
