"""Where the tests find the real sample data and the Segments.ai documentation seeds.

Both live in the repository, so a fresh clone tests on its own: the real captures under `examples/` (each folder
with its licence, see `examples/README.md`) and the documentation pages under `tests/data/seeds/`.
"""

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
SHARED_DATA = REPOSITORY / "examples"
SEEDS = REPOSITORY / "tests" / "data" / "seeds"
LIDAR = SHARED_DATA / "pointcloud_sequence" / "lidar"
KITTI_BIN = SHARED_DATA / "pointcloud_single" / "000950.bin"


def read_shared(path: Path) -> bytes:
    """Read a file of the repository's example data, failing with a clear message when it is missing."""
    assert path.is_file(), f"missing example data file {path}"
    return path.read_bytes()
