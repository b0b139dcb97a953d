"""Benchmark the cuboid editor in headless Chromium (WebGL2 through SwiftShader, no GPU) on the real 68,242-point
frame (examples/pointcloud_single/000950.bin) with its 20+ ground-truth cuboids as the stored label:

- ready time: navigation start to the first rendered frame with the points and the labels (the editor sets
  `data-frame-loaded` on the stage right after that frame rendered; the frame is finished with a pixel read);
- frame time while orbiting the 3D view (the camera turned 2 degrees every animation frame, each frame finished,
  the boxes drawn and the orthographic views of a selected cuboid open beside it), with every point and with
  the viewport's point budget (an even subsample while the camera moves). SwiftShader renders on the CPU, so
  these are far below what a GPU gives; the 3D view is about 1000 x 900 pixels here.

Run from the repository root: `.venv/bin/python bench/bench_cuboid_editor.py` (DATABASE_URL optional; a
throw-away test database is created and dropped; the server's cloud reader runs in-process). Prints the machine,
then medians. Targets (issue 15): < 1 s to the first frame, orbit >= 30 fps on the 68k frame.
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

from bench.editor_server import editor_server  # noqa: E402
from bench.machine import describe_machine  # noqa: E402
from datasets import demo_pointclouds as lidar  # noqa: E402
from datasets.models import Sample  # noqa: E402
from datasets.services.datasets import create_dataset  # noqa: E402
from datasets.services.labels import save_label  # noqa: E402
from datasets.services.pointclouds import read_sample_point_clouds  # noqa: E402
from labeling.testing import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OPENS = 3
ORBIT_FRAMES = 30
BUDGET = 20_000  # points drawn while the camera moves, for the second orbit figure
# Recorded before the page's scripts run: when the stage says frame 0 is shown (points and labels rendered).
INIT_SCRIPT = """
new MutationObserver((_, observer) => {
  const stage = document.querySelector("[data-frame-loaded='0']");
  if (stage && !window.__firstFrameAt) {
    const gl = window.cuboidEditor.viewport.renderer.getContext();
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));  // the frame is finished
    window.__firstFrameAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-frame-loaded"] });
"""
ORBIT = """async ([frames, budget]) => {
  const editor = window.cuboidEditor;
  const viewport = editor.viewport;
  if (budget) {
    viewport.setPointBudget(budget);
    viewport.setMoving(true);
  }
  const gl = viewport.renderer.getContext();
  const times = [];
  let last = performance.now();
  const { camera, controls } = viewport;
  for (let i = 0; i < frames; i += 1) {
    // as a drag does: turn the camera about the target, OrbitControls' change event renders on the next frame
    const offset = camera.position.clone().sub(controls.target).applyAxisAngle(camera.up, Math.PI / 90);
    camera.position.copy(controls.target).add(offset);
    controls.update();
    await new Promise(requestAnimationFrame);
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    const now = performance.now();
    times.push(now - last);
    last = now;
  }
  viewport.setMoving(false);
  return times.slice(2);
}"""


def create_sample(base_url: str, user) -> Sample:
    """A pointcloud-cuboid dataset over the real frame, read by the server's reader, labeled with the ground truth."""
    dataset = create_dataset(
        user,
        owner_name="bench",
        owner_user=user,
        name="cuboids",
        task_type="pointcloud-cuboid",
        task_attributes=lidar.LIDAR_TASK_ATTRIBUTES,
    )
    url = "/static/examples/pointcloud_single/000950.bin"  # relative: this server's file, read from storage
    sample = Sample.objects.create(
        dataset=dataset, name="000950.bin", attributes={"pcd": {"url": url, "type": "kitti"}}, created_by=user
    )
    [frame] = read_sample_point_clouds(sample.id)
    if frame.status != "READ":
        raise RuntimeError(f"the frame was not read: {frame.error}")
    boxes = [lidar.psr_to_cuboid(box, track=False) for box in lidar.ground_truth_boxes("000950")]
    annotations = [{**box, "track_id": box["id"]} for box in boxes]
    save_label(
        user,
        sample,
        "ground-truth",
        attributes={"format_version": "0.2", "annotations": annotations},
        label_status="LABELED",
    )
    return sample


def run(base_url: str, sample: Sample, cookie: dict) -> tuple[list[float], list[float], list[float], int]:
    dataset = sample.dataset
    url = f"{base_url}{reverse('label-editor', args=[dataset.owner_name, dataset.name, sample.uuid])}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        context.add_init_script(INIT_SCRIPT)
        context.add_cookies([cookie])
        page = context.new_page()
        opens = []
        for attempt in range(OPENS + 1):
            page.goto(url)
            page.wait_for_function("() => window.__firstFrameAt > 0", timeout=120_000)
            if attempt:  # the first open warms the caches
                opens.append(page.evaluate("window.__firstFrameAt"))
        cuboids = int(page.get_by_test_id("editor-canvas").get_attribute("data-cuboids"))
        page.evaluate("() => window.cuboidEditor.select(1)")
        orbit = page.evaluate(ORBIT, [ORBIT_FRAMES, 0])
        budgeted = page.evaluate(ORBIT, [ORBIT_FRAMES, BUDGET])
        browser.close()
    return opens, orbit, budgeted, cuboids


def main() -> None:
    print(describe_machine())
    with editor_server() as server:
        sample = create_sample(server.base_url, server.user)
        opens, orbit, budgeted, cuboids = run(server.base_url, sample, server.cookie())
    frame_ms = statistics.median(orbit)
    print(f"cuboid editor, headless Chromium (SwiftShader), 68,242-point frame 000950 with {cuboids} cuboids:")
    ready = statistics.median(opens)
    print(f"  open to first rendered frame with labels: {ready:.0f} ms (median of {OPENS}; target < 1 s)")
    fps = 1000 / frame_ms
    print(f"  orbit frame time: {frame_ms:.1f} ms = {fps:.1f} fps (median of {len(orbit)} frames; target >= 30 fps)")
    budget_ms = statistics.median(budgeted)
    print(f"  orbit frame time, point budget {BUDGET:,} while moving: {budget_ms:.1f} ms = {1000 / budget_ms:.1f} fps")


if __name__ == "__main__":
    main()
