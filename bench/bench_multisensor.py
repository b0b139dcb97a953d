"""Benchmark the multi-sensor foundations on the demo's real data (examples/pointcloud_sequence/, 3 frames of
~67k lidar points, 2048x1536 cameras).

Run from the repository root: `.venv/bin/python bench/bench_multisensor.py`. Prints the machine, then medians
(wall and CPU, milliseconds) of:
- projecting one lidar frame into the front camera, server side (NumPy), with Brown-Conrady distortion;
- the same in JavaScript (node, frontend_static/editors/multisensor/projection.js `projectPositions`), which
  the browser overlay runs per camera and frame (target: well under the issue's 200 ms frame switch);
- projecting all ground-truth cuboids' edges of a frame into the three cameras (Python);
- the calibration check: ranking the 48 candidate corrections on 3 frames, frames decoded once (issue 19 sets
  no target; a manager waits for it once per camera);
- one 480-pixel preview PNG of a candidate (the check page loads 48 of them lazily);
- the rank of the undoing candidate (0 = first) for each demo camera turned a quarter (either way) or a half
  about each of its axes, the figure behind the calibration check's "right one first" (about 30 s).
"""

import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402
from labeling.core.calibration import (  # noqa: E402
    PREVIEW_WIDTH,
    FrameView,
    correct_extrinsics,
    extrinsics_from_pose,
    rank_corrections,
    render_depth_overlay,
    visible_points,
)
from labeling.core.pcd import read_pcd  # noqa: E402
from labeling.core.projection import (  # noqa: E402
    camera_from_attributes,
    project_cuboid_edges,
    project_points,
    quaternion_to_matrix,
)
from labeling.core.sustech import calibrated_image, cuboid_from_psr  # noqa: E402

DEMO = ROOT / "examples" / "pointcloud_sequence"
FRAMES = ("000965", "000970", "000975")
CAMERAS = ("front", "left", "right")
DISTORTION = {"model": "brown-conrady", "coefficients": {"k1": -0.12, "k2": 0.03, "p1": 0.001, "p2": 0.0, "k3": 0.0}}

NODE_BENCH = """
import { readFileSync } from "node:fs";
import { cameraFromAttributes, projectPositions } from "./frontend_static/editors/multisensor/projection.js";
const { positions, calibration, runs } = JSON.parse(readFileSync(0, "utf8"));
const flat = new Float32Array(positions);
const camera = cameraFromAttributes(calibration);
projectPositions(flat, camera);
const times = [];
for (let run = 0; run < runs; run += 1) {
  const start = performance.now();
  projectPositions(flat, camera);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ median: times[Math.floor(runs / 2)] }));
"""


def median_ms(function: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU (this thread) milliseconds of `runs` calls after a warm-up."""
    function()
    wall, cpu = [], []
    for _ in range(runs):
        wall_start, cpu_start = time.perf_counter(), time.thread_time()
        function()
        cpu.append((time.thread_time() - cpu_start) * 1000)
        wall.append((time.perf_counter() - wall_start) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def calibration(camera: str, distortion: dict | None = None) -> dict:
    attributes = calibrated_image(json.loads((DEMO / "calib" / "camera" / f"{camera}.json").read_text()), "OpenGL")
    return {**attributes, "distortion": distortion} if distortion else attributes


def main() -> None:
    print(describe_machine())
    clouds = {frame: read_pcd((DEMO / "lidar" / f"{frame}.pcd").read_bytes()) for frame in FRAMES}
    xyz = clouds[FRAMES[0]][0].astype(float)
    front = calibration("front", DISTORTION)
    camera = camera_from_attributes(front)
    wall, cpu = median_ms(lambda: project_points(xyz, camera), 15)
    print(
        f"project {len(xyz)} lidar points into a camera (Python, NumPy, distorted): "
        f"{wall:.1f} ms wall, {cpu:.1f} ms CPU"
    )

    payload = json.dumps({"positions": xyz.ravel().tolist(), "calibration": front, "runs": 15})
    node = subprocess.run(
        ["node", "--input-type=module", "-e", NODE_BENCH],
        input=payload,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    print(
        f"project {len(xyz)} lidar points into a camera (JavaScript, node): "
        f"{json.loads(node.stdout)['median']:.1f} ms (target < 200 ms frame switch)"
    )

    cuboids = [cuboid_from_psr(box["psr"]) for box in json.loads((DEMO / "label" / f"{FRAMES[0]}.json").read_text())]
    cameras = [camera_from_attributes(calibration(name)) for name in CAMERAS]
    wall, cpu = median_ms(lambda: [project_cuboid_edges(c, cam) for c in cuboids for cam in cameras], 9)
    print(f"project the edges of {len(cuboids)} cuboids into 3 cameras (Python): {wall:.1f} ms wall, {cpu:.1f} ms CPU")

    views = [
        FrameView.of(
            clouds[frame][0].astype(float),
            clouds[frame][1],
            Image.open(DEMO / "camera" / "front" / f"{frame}.jpg").convert("RGB"),
        )
        for frame in FRAMES
    ]
    front_plain = calibration("front")
    wall, cpu = median_ms(lambda: rank_corrections(views, front_plain), 3)
    print(f"calibration check: rank 48 candidates on 3 frames (frames decoded): {wall:.0f} ms wall, {cpu:.0f} ms CPU")

    plain_camera = camera_from_attributes(front_plain)

    def preview() -> bytes:
        pixels, depths = visible_points(views[0].points, plain_camera, views[0].image.size)
        output = io.BytesIO()
        render_depth_overlay(views[0].image, pixels, depths, PREVIEW_WIDTH).save(output, format="PNG")
        return output.getvalue()

    wall, cpu = median_ms(preview, 9)
    print(f"one {PREVIEW_WIDTH}-pixel candidate preview PNG: {wall:.0f} ms wall, {cpu:.0f} ms CPU")

    print("undoing candidate's rank after turning each camera about its axes (x+1 = a quarter turn about x):")
    for name in CAMERAS:
        camera_views = [
            FrameView.of(clouds[f][0].astype(float), clouds[f][1], Image.open(DEMO / "camera" / name / f"{f}.jpg"))
            for f in FRAMES
        ]
        ranks = {slip: undoing_rank(camera_views, calibration(name), turn) for slip, turn in turns().items()}
        print(f"  {name}: " + " ".join(f"{slip}={rank}" for slip, rank in ranks.items()))


def turns() -> dict[str, np.ndarray]:
    """Quarter turns either way and half turns about each camera axis, by name ("x+1", "x-1", "x+2", ...)."""
    result = {}
    for axis, (first, second) in {"x": (1, 2), "y": (2, 0), "z": (0, 1)}.items():
        for quarters in (1, -1, 2):
            cosine, sine = round(np.cos(np.pi / 2 * quarters)), round(np.sin(np.pi / 2 * quarters))
            turn = np.eye(3)
            turn[first, first], turn[first, second] = cosine, -sine
            turn[second, first], turn[second, second] = sine, cosine
            result[f"{axis}{quarters:+d}"] = turn
    return result


def undoing_rank(views: list[FrameView], image: dict, turn: np.ndarray) -> int:
    """Rank (0 = first) of the correction that restores `image`'s pose after its axes are turned by `turn`."""
    rotation = quaternion_to_matrix(**image["extrinsics"]["rotation"])
    translation = np.array([image["extrinsics"]["translation"][axis] for axis in "xyz"])
    broken = dict(image, extrinsics=extrinsics_from_pose(rotation @ turn, translation))
    for rank, (correction, _) in enumerate(rank_corrections(views, broken)):
        corrected = correct_extrinsics(broken["extrinsics"], correction)
        moved = np.array([corrected["translation"][axis] for axis in "xyz"]) - translation
        if np.abs(quaternion_to_matrix(**corrected["rotation"]) - rotation).max() < 1e-6 and np.abs(moved).max() < 1e-6:
            return rank
    raise AssertionError("no candidate undoes the turn")


if __name__ == "__main__":
    main()
