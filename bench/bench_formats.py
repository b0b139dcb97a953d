"""Benchmark the label-format core: point_annotations validation, bitmap codec, PCD reading.

Run from the repository root: `.venv/bin/python bench/bench_formats.py`. Prints the machine, then the median
of several runs next to its target (issue 3, on a 2-core machine):
- validating a 1,000,000-point `pointcloud-segmentation` label whose `point_annotations` is a Python list
  (what JSON parsing gives): under 100 ms;
- encoding / decoding a 1920x1080 label bitmap with ~60 objects: under 50 ms / 30 ms (a bitmap of random ids,
  the incompressible worst case, is printed for information, without a target);
- reading the real 68,242-point lidar frame `examples/pointcloud_sequence/lidar/000950.pcd`: under 20 ms.
Also printed without a target: validating an interpolated 1,000-frame x 200-track cuboid sequence.
"""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import describe_machine
from labeling.core.bitmaps import decode_bitmap, encode_bitmap
from labeling.core.label_formats import validate_label_attributes
from labeling.core.pointclouds import read_point_cloud

RUNS = 9
POINTS = 1_000_000
OBJECTS = 60
PCD_PATH = Path(__file__).resolve().parents[1] / "examples" / "pointcloud_sequence" / "lidar" / "000950.pcd"


def median_ms(function: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median wall time and median CPU time (this thread) of `runs` calls, in milliseconds, after a warm-up.

    Both are printed because the shared machine is often busy: CPU time shows the cost of the code itself,
    wall time what a caller waited.
    """
    function()
    wall, cpu = [], []
    for _ in range(runs):
        wall_start, cpu_start = time.perf_counter(), time.thread_time()
        function()
        cpu.append((time.thread_time() - cpu_start) * 1000)
        wall.append((time.perf_counter() - wall_start) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def segmentation_label(rng: np.random.Generator) -> tuple[dict, dict]:
    """A 1M-point label with OBJECTS annotations, parsed from JSON as the API would receive it."""
    annotations = [{"id": i, "category_id": 1 + i % 3, "attributes": {"occluded": False}} for i in range(1, OBJECTS)]
    point_annotations = rng.integers(0, OBJECTS, POINTS).tolist()
    label = json.loads(
        json.dumps({"format_version": "0.1", "annotations": annotations, "point_annotations": point_annotations})
    )
    task_attributes = {"categories": [{"id": i, "name": f"class {i}"} for i in (1, 2, 3)]}
    return label, task_attributes


def cuboid_sequence(rng: np.random.Generator) -> tuple[dict, dict]:
    """An interpolated 1,000-frame sequence with 200 cuboid tracks in every frame (200,000 cuboids)."""
    values = rng.uniform(-3.0, 3.0, size=(1000, 200, 4)).tolist()
    frames = [
        {
            "annotations": [
                {
                    "id": track + 1,
                    "track_id": track + 1,
                    "category_id": 1 + track % 3,
                    "type": "cuboid",
                    "position": {"x": row[0] * 10, "y": row[1] * 10, "z": row[2]},
                    "dimensions": {"x": 4.5, "y": 1.8, "z": 1.6},
                    "yaw": row[3],
                    "is_keyframe": frame % 100 == 0,
                }
                for track, row in enumerate(frame_values)
            ]
        }
        for frame, frame_values in enumerate(values)
    ]
    task_attributes = {"categories": [{"id": i, "name": f"class {i}"} for i in (1, 2, 3)]}
    return {"format_version": "0.2", "frames": frames}, task_attributes


def realistic_bitmap(rng: np.random.Generator) -> np.ndarray:
    """(1080, 1920) uint32 ids: OBJECTS overlapping rectangles and ellipses, like an instance segmentation."""
    ids = np.zeros((1080, 1920), dtype=np.uint32)
    rows, columns = np.ogrid[:1080, :1920]
    for object_id in range(1, OBJECTS + 1):
        top, left = rng.integers(0, 1000), rng.integers(0, 1800)
        height, width = rng.integers(20, 400, size=2)
        if object_id % 2:
            ids[top : top + height, left : left + width] = object_id
        else:
            inside = ((rows - top) / height) ** 2 + ((columns - left) / width) ** 2 <= 1
            ids[inside] = object_id
    return ids


def report(name: str, timings: tuple[float, float], target: float | None) -> None:
    wall, cpu = timings
    verdict = "" if target is None else f"target < {target:g} ms: {'ok' if wall < target else 'OVER'}"
    print(f"{name:<56} {wall:7.1f} ms wall {cpu:7.1f} ms CPU   {verdict}")


def bench_validation(rng: np.random.Generator) -> None:
    label, task_attributes = segmentation_label(rng)
    validate = lambda: validate_label_attributes(  # noqa: E731
        "pointcloud-segmentation", label, task_attributes=task_attributes, point_counts=[POINTS]
    )
    report("validate pointcloud-segmentation label, 1,000,000 points", median_ms(validate), 100)
    sequence, sequence_attributes = cuboid_sequence(rng)
    validate_sequence = lambda: validate_label_attributes(  # noqa: E731
        "pointcloud-cuboid-sequence", sequence, task_attributes=sequence_attributes
    )
    report("validate cuboid sequence, 1,000 frames x 200 tracks", median_ms(validate_sequence, 3), None)


def bench_bitmaps(rng: np.random.Generator) -> None:
    ids = realistic_bitmap(rng)
    png = encode_bitmap(ids)
    name = f"encode 1920x1080 bitmap, {OBJECTS} objects ({len(png) // 1024} KiB PNG)"
    report(name, median_ms(lambda: encode_bitmap(ids)), 50)
    report("decode 1920x1080 bitmap, same PNG", median_ms(lambda: decode_bitmap(png)), 30)
    noise = rng.integers(0, 2**24, size=(1080, 1920), dtype=np.uint32)
    noise_png = encode_bitmap(noise)
    report("encode 1920x1080 bitmap of random ids (worst case)", median_ms(lambda: encode_bitmap(noise), 3), None)
    report(
        "decode 1920x1080 bitmap of random ids (worst case)",
        median_ms(lambda: decode_bitmap(noise_png), 3),
        None,
    )


def bench_point_cloud() -> None:
    pcd = PCD_PATH.read_bytes()
    count = read_point_cloud(pcd, "pcd").count
    name = f"read 000950.pcd ({count:,} points, binary, padded fields)"
    report(name, median_ms(lambda: read_point_cloud(pcd, "pcd")), 20)


def main() -> None:
    print(describe_machine())
    print(f"median of {RUNS} runs (3 for rows without a target); load average {os.getloadavg()[0]:.1f}")
    rng = np.random.default_rng(3)
    bench_validation(rng)
    bench_bitmaps(rng)
    bench_point_cloud()


if __name__ == "__main__":
    main()
