"""What strict request parsing costs (labeling.fastjson.loads_strict against plain orjson.loads): a 50-object
vector label (~3 KB, the SDK's common write) and a point-cloud segmentation label of 10 frames x 120,000
points (the biggest bodies the API takes). Prints the machine and the median of repeated runs.

Run: .venv/bin/python bench/bench_strict_json.py (well under a minute)."""

import statistics
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import describe_machine
from labeling import fastjson


def vector_label(objects: int) -> bytes:
    annotations = [
        {
            "id": i + 1,
            "category_id": 1,
            "type": "polygon",
            "points": [[i + 0.5, i + 1.25], [i + 10.5, i + 2.0], [i + 3.0, i + 20.75]],
            "attributes": {"color": "red", "occluded": False},
        }
        for i in range(objects)
    ]
    return orjson.dumps(
        {"label_status": "LABELED", "attributes": {"format_version": "0.1", "annotations": annotations}}
    )


def segmentation_label(frames: int, points: int) -> bytes:
    frame = {"annotations": [{"id": 1, "category_id": 1}], "point_annotations": [i % 2 for i in range(points)]}
    return orjson.dumps({"attributes": {"format_version": "0.2", "frames": [frame] * frames}})


def median_ms(function, body: bytes, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function(body)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    print(describe_machine())
    for name, body, runs in (
        ("vector label, 50 objects", vector_label(50), 2000),
        ("point-cloud segmentation, 10 x 120k points", segmentation_label(10, 120_000), 15),
    ):
        plain, strict = median_ms(orjson.loads, body, runs), median_ms(fastjson.loads_strict, body, runs)
        print(
            f"{name} ({len(body) / 1024:.0f} KiB): orjson.loads {plain:.3f} ms, loads_strict {strict:.3f} ms "
            f"(checks +{strict - plain:.3f} ms)"
        )


if __name__ == "__main__":
    main()
