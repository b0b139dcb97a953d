"""Benchmark "merge frames" of the cuboid sequence editor in headless Chromium (WebGL2 through SwiftShader, no
GPU) on the 4 real lidar frames of examples/pointcloud_sequence/ (SUSTechPOINTS):

- merge time: the M toggle to the rendered frame with every point of the window of +-2 frames around frame 0
  (frames 0-2; the merged buffer built, uploaded and drawn, finished with a pixel read), and with +-3 (all 4);
- frame time while orbiting the 3D view with the 4 frames merged, with every point drawn and with the editor's
  merge budget while the camera moves (as many points as the largest frame, an even subsample of the window).
  SwiftShader renders on the CPU, so these are far below what a GPU gives.

Run from the repository root: `.venv/bin/python bench/bench_merge_frames.py` (DATABASE_URL optional; a
throw-away test database is created and dropped). Prints the machine, then medians.
"""

import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labeling.settings")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API keeps an asyncio loop in this thread

import django  # noqa: E402

django.setup()

from django.urls import reverse  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.bench_cuboid_editor import ORBIT  # noqa: E402
from bench.editor_server import editor_server  # noqa: E402
from bench.machine import describe_machine  # noqa: E402
from datasets import demo_pointclouds as lidar  # noqa: E402
from datasets.models import Sample  # noqa: E402
from datasets.services.datasets import create_dataset  # noqa: E402
from datasets.services.pointclouds import read_sample_point_clouds  # noqa: E402
from labeling.testing import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

REPEATS = 3
ORBIT_FRAMES = 30
MERGE = """async (radius) => {
  const editor = window.cuboidEditor;
  editor.setMerging(false);
  editor.mergeRadius = radius;
  const gl = editor.viewport.renderer.getContext();
  const start = performance.now();
  editor.setMerging(true);
  await new Promise(requestAnimationFrame);  // the progressive first frame is followed by every point
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  return [performance.now() - start, editor.pointsObject().geometry.attributes.position.count];
}"""


def create_sample(user) -> Sample:
    """A pointcloud-cuboid-sequence dataset over the 4 real frames, read by the server's reader."""
    dataset = create_dataset(
        user,
        owner_name="bench",
        owner_user=user,
        name="merge",
        task_type="pointcloud-cuboid-sequence",
        task_attributes=lidar.LIDAR_TASK_ATTRIBUTES,
    )
    frames = [
        {"pcd": {"url": f"/static/examples/pointcloud_sequence/lidar/{name}.pcd", "type": "pcd"}, "name": name}
        for name in lidar.lidar_frame_names()
    ]
    sample = Sample.objects.create(dataset=dataset, name="sequence", attributes={"frames": frames}, created_by=user)
    read = read_sample_point_clouds(sample.id)
    if [frame.status for frame in read] != ["READ"] * len(frames):
        raise RuntimeError(f"frames not read: {[frame.error for frame in read]}")
    return sample


def main() -> None:
    print(describe_machine())
    with editor_server() as server:
        sample = create_sample(server.user)
        dataset = sample.dataset
        url = f"{server.base_url}{reverse('label-editor', args=[dataset.owner_name, dataset.name, sample.uuid])}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1600, "height": 1000})
            context.add_cookies([server.cookie()])
            page = context.new_page()
            page.goto(url)
            page.wait_for_function(
                "() => [0, 1, 2, 3].every((frame) => window.cuboidEditor?.buffers[frame])", timeout=120_000
            )
            merges = {radius: [page.evaluate(MERGE, radius) for _ in range(REPEATS + 1)][1:] for radius in (2, 3)}
            orbit = page.evaluate(ORBIT, [ORBIT_FRAMES, 0])
            budget = page.evaluate("Math.max(...[0, 1, 2, 3].map((f) => window.cuboidEditor.buffers[f].renderCount))")
            budgeted = page.evaluate(ORBIT, [ORBIT_FRAMES, budget])
            browser.close()
    print("merge frames, headless Chromium (SwiftShader), the 4 real SUSTechPOINTS frames:")
    for radius, runs in merges.items():
        points = runs[0][1]
        ms = statistics.median(run[0] for run in runs)
        print(f"  M to the rendered merged frame, +-{radius} around frame 0: {ms:.0f} ms for {points:,} points")
    frame_ms = statistics.median(orbit)
    print(f"  orbit with 4 frames merged, every point: {frame_ms:.1f} ms = {1000 / frame_ms:.1f} fps")
    budget_ms = statistics.median(budgeted)
    print(
        f"  orbit, the merge budget of {budget:,} points while moving: {budget_ms:.1f} ms = {1000 / budget_ms:.1f} fps"
    )


if __name__ == "__main__":
    main()
