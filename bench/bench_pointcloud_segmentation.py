"""Benchmark the point-cloud segmentation editor (frontend_static/editors/pointcloud-segmentation/) in headless
Chromium (WebGL2 through SwiftShader: the CPU renders, no GPU on this machine, so worst-case figures) on a
>= 1,000,000-point cloud BUILT BY TILING THE 4 REAL LIDAR FRAMES of examples/pointcloud_sequence side by side on a
150 m grid (tests/browser_pointcloud/harness.py tiled_cloud; not a real capture of that size).

Run from the repository root: `.venv/bin/python bench/bench_pointcloud_segmentation.py` (DATABASE_URL optional;
a throw-away test database is created and dropped). The editor page is the real one (shell, label API); the
sample's derived buffer is stored as the worker stores it. Prints:
- ready: navigation start to editable (buffer fetched, label read, first frame drawn);
- lasso: a real mouse lasso over a quarter of the view; the selection time at release measured in the page
  (the polygon test over every projected point + recolouring), twice; the projection of every point with the
  camera's matrices runs when the lasso is pressed (while the user draws) and is timed separately;
- brush: one step of a stroke = select the points under the brush segment, recolour them, draw the frame at the
  point budget and wait until SwiftShader finished it; median and worst of BRUSH_STEPS steps, without the draw
  (the editor's own work) and with it (the frame time here: SwiftShader draws on the CPU);
- JS heap in use (performance.memory, precise) after loading and after the edits;
- save: the size of the label JSON sent (1M ids) and the time from "Labeled" to "Saved" (server validation with
  NumPy and the database write included).
Targets (issue 17): lasso < 100 ms, brush frames < 33 ms.
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

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.urls import reverse  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.editor_server import editor_server  # noqa: E402
from bench.machine import describe_machine  # noqa: E402
from datasets.models import PointCloudFrame, Sample  # noqa: E402
from datasets.services.datasets import create_dataset  # noqa: E402
from labeling.core.pointclouds import derived_buffer  # noqa: E402
from labeling.testing import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser_pointcloud.harness import tiled_cloud  # noqa: E402

VIEWPORT = {"width": 1280, "height": 800}
BRUSH_STEPS = 20
CATEGORIES = {"format_version": "0.1", "categories": [{"id": 1, "name": "car", "color": [230, 57, 70]}]}

# One brush step as a pointer move runs it: select the points under the brush segment, recolour them, draw the
# frame (at the viewport's point budget, as while brushing) and wait until it is finished. `draw` false: the
# same without drawing (what the editor's own code costs; the draw is three.js + SwiftShader).
BRUSH = """async ([steps, draw]) => {
  const editor = window.pointcloudEditor;
  const gl = editor.viewport.renderer.getContext();
  const render = editor.viewport.render;
  if (!draw) editor.viewport.render = () => ({});
  editor.viewport.setMoving(true);
  const times = [];
  for (let i = 0; i < steps; i += 1) {
    await new Promise(requestAnimationFrame);
    const started = performance.now();
    editor.brushSegment([300 + 20 * i, 400 + (draw ? 40 : 0)], [320 + 20 * i, 410 + (draw ? 40 : 0)], "add");
    if (draw) gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4)); // the frame is finished
    times.push(performance.now() - started);
  }
  editor.viewport.render = render;
  editor.viewport.setMoving(false);
  return times.slice(1); // the first step also buckets the projected points into the screen grid
}"""


def create_sample(user) -> tuple[Sample, int]:
    cloud = tiled_cloud()
    dataset = create_dataset(
        user,
        owner_name=user.username,
        owner_user=user,
        name="bench-pcseg",
        task_type="pointcloud-segmentation",
        task_attributes=CATEGORIES,
    )
    sample = Sample.objects.create(
        dataset=dataset, name="tiled", attributes={"pcd": {"url": "bench-tiled", "type": "kitti"}}, created_by=user
    )
    name = default_storage.save("assets/pointclouds/bench/frame-000000.f32", ContentFile(derived_buffer(cloud)))
    PointCloudFrame.objects.create(
        sample=sample,
        frame=0,
        url="bench-tiled",
        pcd_type="kitti",
        status=PointCloudFrame.READ,
        point_count=cloud.count,
        has_intensity=cloud.intensity is not None,
        buffer=name,
    )
    return sample, cloud.count


def heap_mb(page) -> float:
    return page.evaluate("performance.memory.usedJSHeapSize") / 2**20


def main() -> None:
    print(describe_machine())
    with editor_server() as server:
        sample, count = create_sample(server.user)
        print(f"cloud: {count:,} points = the 4 real lidar frames repeated side by side on a 150 m grid (tiled)")
        dataset = sample.dataset
        url = server.base_url + reverse("label-editor", args=[dataset.owner_name, dataset.name, sample.uuid])
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, "--enable-precise-memory-info"]
            )
            context = browser.new_context(viewport=VIEWPORT)
            context.add_cookies([server.cookie()])
            page = context.new_page()
            page.set_default_timeout(120_000)
            sent = []
            page.on("request", lambda request: request.method == "PUT" and sent.append(len(request.post_data or "")))
            page.goto(url)
            page.wait_for_function("document.body.dataset.editorReady === 'true'")
            ready = page.evaluate("window.pointcloudEditor.timings.readyMs")
            heap_loaded = heap_mb(page)
            page.evaluate(
                "window.pointcloudEditor.setCamera({position: [-120, -260, 260], target: [220, 220, 0], fov: 60})"
            )
            box = page.get_by_test_id("viewport").bounding_box()
            lasso = [(0.3, 0.3), (0.7, 0.3), (0.75, 0.5), (0.7, 0.7), (0.3, 0.7)]
            lasso_ms = []
            for _ in range(2):
                page.mouse.move(box["x"] + lasso[0][0] * box["width"], box["y"] + lasso[0][1] * box["height"])
                page.mouse.down()
                for fx, fy in lasso[1:]:
                    page.mouse.move(box["x"] + fx * box["width"], box["y"] + fy * box["height"])
                page.mouse.up()
                lasso_ms.append(page.evaluate("window.pointcloudEditor.timings.lassoMs"))
                if not lasso_ms[1:]:
                    project_ms = page.evaluate("window.pointcloudEditor.timings.projectMs")
            selected = page.evaluate("window.pointcloudEditor.selectedCount")
            page.keyboard.press("Enter")
            page.keyboard.press("Escape")
            brush_js = page.evaluate(BRUSH, [BRUSH_STEPS, False])
            brush = page.evaluate(BRUSH, [BRUSH_STEPS, True])
            brushed = page.evaluate("window.pointcloudEditor.selectedCount")
            heap_edited = heap_mb(page)
            started = page.evaluate("performance.now()")
            page.get_by_test_id("status-labeled").click()
            page.wait_for_function("document.querySelector('[data-testid=save-state]').textContent.startsWith('Saved')")
            save_ms = page.evaluate("performance.now()") - started
            to_label = page.evaluate("window.pointcloudEditor.timings.toLabelMs")
            browser.close()
    print(f"point-cloud segmentation editor, headless Chromium, {VIEWPORT['width']}x{VIEWPORT['height']}:")
    print(f"  ready (navigation start to editable): {ready:.0f} ms")
    print(
        f"  lasso ({selected:,} points selected): {lasso_ms[0]:.1f} ms and {lasso_ms[1]:.1f} ms at release "
        f"(target < 100 ms); projecting every point at the press: {project_ms:.1f} ms"
    )
    print(
        f"  brush step, the editor's work (select under the segment + recolour; {brushed:,} points brushed): "
        f"median {statistics.median(brush_js):.1f} ms, worst {max(brush_js):.1f} ms (target < 33 ms per frame)"
    )
    print(
        f"  brush frame with the draw (400,000-point budget while brushing, SwiftShader on the CPU): "
        f"median {statistics.median(brush):.1f} ms, worst {max(brush):.1f} ms (target < 33 ms)"
    )
    print(f"  JS heap in use: {heap_loaded:.0f} MiB loaded, {heap_edited:.0f} MiB after lasso, assign and brush")
    print(
        f"  save: label JSON {sent[-1] / 2**20:.1f} MiB ({count:,} ids), building it {to_label:.0f} ms, "
        f"'Labeled' to 'Saved' {save_ms:.0f} ms (server validation and database write included)"
    )


if __name__ == "__main__":
    main()
