"""Where the tests find the shared real data and the Segments.ai documentation seeds.

The CI checkout has `shared/` beside the repository. Tests fail (never skip) when it is missing.
"""

from pathlib import Path

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SHARED_DATA = SHARED / "data"
SEEDS = SHARED / "seeds"
LIDAR = SHARED_DATA / "pointcloud_sequence" / "lidar"
KITTI_BIN = SHARED_DATA / "pointcloud_single" / "000950.bin"


def read_shared(path: Path) -> bytes:
    """Read a shared file, failing with a clear message when the shared folder is not checked out."""
    assert path.is_file(), f"missing shared data file {path}: check out shared/ beside the repository"
    return path.read_bytes()
