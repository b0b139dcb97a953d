"""Benchmark the server side of point clouds (docs/pointclouds.md).

Run from the repository root: `.venv/bin/python bench/bench_pointclouds.py`. Prints the machine, then medians:
- the worker's read + derived-buffer time per cloud: what `read_sample_point_clouds` does per frame (find the
  file among this server's static files, read it with the core readers, build the float32 buffer, write it to
  storage in a temporary MEDIA_ROOT), for the 4 real PCD frames and the real KITTI .bin; the one UPDATE of the
  frame row is left out (no database here);
- the server-side validation of a 1,000,000-id `pointcloud-segmentation` label whose cloud is known to have
  1,000,000 points (`validate_label_attributes` with `point_counts`, as the label service calls it), the ids a
  Python list as JSON parsing gives them; target < 100 ms.
"""

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labeling.settings")
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-pointclouds-")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402

from bench.machine import describe_machine  # noqa: E402
from datasets.services.pointclouds import fetch_cloud_bytes  # noqa: E402
from labeling.core.label_formats import validate_label_attributes  # noqa: E402
from labeling.core.pointclouds import derived_buffer, read_point_cloud  # noqa: E402

RUNS = 7
POINTS = 1_000_000
CLOUDS = [
    *(
        (f"/static/examples/pointcloud_sequence/lidar/{name}.pcd", "pcd")
        for name in ("000950", "000965", "000970", "000975")
    ),
    ("/static/examples/pointcloud_single/000950.bin", "kitti"),
]


def median_ms(function: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median wall and CPU (this thread) time of `runs` calls after a warm-up, in milliseconds."""
    function()
    wall, cpu = [], []
    for _ in range(runs):
        wall_start, cpu_start = time.perf_counter(), time.thread_time()
        function()
        cpu.append((time.thread_time() - cpu_start) * 1000)
        wall.append((time.perf_counter() - wall_start) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def read_and_buffer(url: str, pcd_type: str) -> int:
    cloud = read_point_cloud(fetch_cloud_bytes(url), pcd_type)
    name = default_storage.save("assets/pointclouds/bench/frame.f32", ContentFile(derived_buffer(cloud)))
    default_storage.delete(name)
    return cloud.count


def main() -> None:
    print(describe_machine())
    for url, pcd_type in CLOUDS:
        count = read_and_buffer(url, pcd_type)
        wall, cpu = median_ms(lambda url=url, pcd_type=pcd_type: read_and_buffer(url, pcd_type))
        print(
            f"worker read + buffer {Path(url).name:>11} ({pcd_type}, {count:,} points): "
            f"{wall:6.1f} ms wall, {cpu:6.1f} ms CPU"
        )
    rng = np.random.default_rng(0)
    label = {
        "format_version": "0.1",
        "annotations": [{"id": i, "category_id": 1} for i in range(1, 60)],
        "point_annotations": rng.integers(0, 60, POINTS).tolist(),
    }
    task_attributes = {"format_version": "0.1", "categories": [{"id": 1, "name": "car"}]}
    sample = {"pcd": {"url": "/cloud.bin", "type": "kitti"}}

    def validate() -> None:
        validate_label_attributes(
            "pointcloud-segmentation",
            label,
            task_attributes=task_attributes,
            sample_attributes=sample,
            point_counts=[POINTS],
        )

    wall, cpu = median_ms(validate)
    print(
        f"validation of a {POINTS:,}-id segmentation label with its point count: "
        f"{wall:6.1f} ms wall, {cpu:6.1f} ms CPU (target < 100 ms)"
    )


if __name__ == "__main__":
    main()
