"""Benchmark keyframe interpolation: 1,000 frames, 200 tracks, 10 keyframes per track.

Run from the repository root: `.venv/bin/python bench/bench_interpolation.py`. Prints the machine and its
load, then the median (and best) of several runs: cuboid tracks end to end, split into computation and dict
building, and bbox tracks end to end. Target (issue 5): the cuboid case under 100 ms.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import describe_machine
from labeling.core.interpolation import (
    interpolate_cuboid_tracks,
    interpolate_sequence_label,
    interpolation_positions,
)
from labeling.core.interpolation_geometry import CUBOID_WIDTH, yaw_quaternion
from labeling.core.interpolation_output import build_cuboid_annotations, gc_paused

FRAMES = 1000
TRACKS = 200
KEYFRAMES = 10
RUNS = 7
TARGET_MS = 100.0


def keyframe_frames() -> np.ndarray:
    """(TRACKS, KEYFRAMES) frame indexes spread evenly over the sequence, first and last frame included."""
    row = np.linspace(0, FRAMES - 1, KEYFRAMES).round().astype(int)
    return np.tile(row, (TRACKS, 1))


def cuboid_values(rng: np.random.Generator) -> np.ndarray:
    """(TRACKS, KEYFRAMES, 11) random cuboid rows: position, dimensions, yaw, yaw quaternion."""
    values = np.empty((TRACKS, KEYFRAMES, CUBOID_WIDTH))
    values[..., 0:3] = rng.uniform(-50.0, 50.0, (TRACKS, KEYFRAMES, 3))
    values[..., 3:6] = rng.uniform(1.0, 5.0, (TRACKS, KEYFRAMES, 3))
    values[..., 6] = rng.uniform(-np.pi, np.pi, (TRACKS, KEYFRAMES))
    values[..., 7:] = yaw_quaternion(values[..., 6].ravel()).T.reshape(TRACKS, KEYFRAMES, 4)
    return values


def cuboid_label(frames: np.ndarray, values: np.ndarray) -> dict:
    """Sequence label with only keyframes: 200 tracks x 10 cuboid keyframes, no 3D rotation."""
    label = {"format_version": "0.2", "frames": [{"annotations": []} for _ in range(FRAMES)]}
    for track in range(TRACKS):
        for column in range(KEYFRAMES):
            row = values[track, column].tolist()
            label["frames"][frames[track, column]]["annotations"].append(
                {
                    "id": track + 1,
                    "track_id": track + 1,
                    "category_id": 1,
                    "type": "cuboid",
                    "position": {"x": row[0], "y": row[1], "z": row[2]},
                    "dimensions": {"x": row[3], "y": row[4], "z": row[5]},
                    "yaw": row[6],
                    "is_keyframe": True,
                }
            )
    return label


def bbox_label(frames: np.ndarray, rng: np.random.Generator) -> dict:
    """Sequence label with only keyframes: 200 tracks x 10 bbox keyframes."""
    label = {"format_version": "0.2", "frames": [{"annotations": []} for _ in range(FRAMES)]}
    for track in range(TRACKS):
        for column in range(KEYFRAMES):
            x, y = rng.uniform(0.0, 1800.0, 2).tolist()
            label["frames"][frames[track, column]]["annotations"].append(
                {
                    "id": track + 1,
                    "track_id": track + 1,
                    "category_id": 1,
                    "type": "bbox",
                    "points": [[x, y], [x + 80.0, y + 60.0]],
                    "is_keyframe": True,
                }
            )
    return label


def timed_ms(function, *arguments, **options) -> tuple[float, float]:
    """(median, best) wall time in ms over RUNS runs; the result is freed after the clock stops."""
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function(*arguments, **options)
        timings.append((time.perf_counter() - started) * 1000.0)
        del result
    return statistics.median(timings), min(timings)


def report(name: str, timing: tuple[float, float], target: str = "") -> None:
    median, best = timing
    print(f"{name:<50} median {median:7.1f} ms  (best {best:7.1f} ms)  {target}")


def main() -> None:
    print(describe_machine())
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"{FRAMES} frames, {TRACKS} tracks, {KEYFRAMES} keyframes per track; {RUNS} runs each")
    rng = np.random.default_rng(5)
    frames, values = keyframe_frames(), cuboid_values(rng)
    label = cuboid_label(frames, values)
    positions = interpolation_positions(FRAMES)
    output = interpolate_sequence_label(label)
    print(f"output: {sum(len(frame['annotations']) for frame in output['frames'])} annotations per label")
    target = f"target < {TARGET_MS:.0f} ms"

    report(
        "cuboid, interpolate_sequence_label (end to end)",
        timed_ms(interpolate_sequence_label, label),
        target,
    )
    computation = timed_ms(interpolate_cuboid_tracks, frames, values, positions, with_rotation=False)
    report("  computation only: interpolate_cuboid_tracks", computation, target)
    report(
        "  computation only, with 3D rotation (slerp)",
        timed_ms(interpolate_cuboid_tracks, frames, values, positions),
        target,
    )
    dense, present = interpolate_cuboid_tracks(frames, values, positions, with_rotation=False)
    states, first = dense[present].T, np.zeros(int(present.sum()), dtype=np.intp)
    keyframe_annotation = [output["frames"][0]["annotations"][0]]
    with gc_paused():  # as inside interpolate_sequence_label
        building = timed_ms(build_cuboid_annotations, keyframe_annotation, first, first, states, first.astype(bool))
    report("  dict building only: build_cuboid_annotations", building)
    report(
        "bbox, interpolate_sequence_label (end to end)",
        timed_ms(interpolate_sequence_label, bbox_label(frames, rng)),
    )


if __name__ == "__main__":
    main()
