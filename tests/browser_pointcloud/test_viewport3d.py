"""The three.js viewport (frontend_static/editors/pointcloud/viewport3d.js) renders the real 68,242-point lidar
frame in headless Chromium (WebGL2 through SwiftShader, no GPU), from the derived buffer the worker stores.

Runs in the harness page (tests/browser_pointcloud/harness.html): the editor that will mount this viewport is
not built yet. Chromium must be installed at /usr/bin/chromium; without it these tests fail, never skip.
"""

import io

import numpy as np
import pytest
from PIL import Image

from labeling.core.pointclouds import PointCloud
from tests.browser_pointcloud.harness import harness_server, harness_url, real_frame
from tests.conftest import checked_page

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 960, "height": 600}


@pytest.fixture(scope="module")
def server():
    frame = real_frame()
    organized = frame.xyz.copy()
    organized[::2] = np.nan  # every other point without a return, as in an organized cloud
    clouds = {
        "frame": frame,
        "half-nan": PointCloud(xyz=organized, intensity=frame.intensity),
        "empty": PointCloud(xyz=np.zeros((0, 3), dtype=np.float32)),
    }
    with harness_server(clouds) as base:
        yield base


def open_harness(page, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.harnessReady || window.harnessError", timeout=60_000)
    assert page.evaluate("window.harnessError") is None


def canvas_pixels(page) -> np.ndarray:
    png = page.locator("#viewport").screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(np.int16)


def point_pixels(pixels: np.ndarray) -> np.ndarray:
    """Pixels showing points: the colour ramp is saturated; the background and the grid are grey-blue."""
    return (pixels.max(axis=2) - pixels.min(axis=2)) > 60


def test_the_real_frame_renders_its_points_and_orbiting_moves_them(browser, server):
    with checked_page(browser, viewport=VIEWPORT) as page:
        open_harness(page, harness_url(server, "frame", 68242))

        assert page.evaluate("window.renderCount") == 68242
        assert page.evaluate("window.firstFrame.drawn") == 68242
        assert page.evaluate("viewport.renderer.capabilities.isWebGL2") is True
        before = canvas_pixels(page)
        page.evaluate("viewport.orbitBy(Math.PI / 3); finishFrame()")
        after = canvas_pixels(page)

    drawn = point_pixels(before)
    assert drawn.sum() > 10_000, f"{drawn.sum()} point pixels"
    # points spread over the view, not one blob: every quarter of the canvas shows some
    height, width = drawn.shape
    quarters = [drawn[: height // 2, : width // 2], drawn[: height // 2, width // 2 :], drawn[height // 2 :, :]]
    assert all(quarter.sum() > 200 for quarter in quarters)
    assert (point_pixels(after) != drawn).sum() > 5_000


def test_colour_by_intensity_and_point_size_change_the_picture(browser, server):
    with checked_page(browser, viewport=VIEWPORT) as page:
        open_harness(page, harness_url(server, "frame", 68242))
        by_height = canvas_pixels(page)
        page.evaluate("viewport.setColorMode('intensity'); finishFrame()")
        by_intensity = canvas_pixels(page)
        page.evaluate("viewport.setPointSize(4); finishFrame()")
        bigger = canvas_pixels(page)

    assert np.abs(by_height - by_intensity).sum(axis=2).astype(bool).sum() > 5_000
    assert point_pixels(bigger).sum() > 1.5 * point_pixels(by_intensity).sum()


def test_nan_points_are_not_drawn_and_nothing_draws_no_points(browser, server):
    with checked_page(browser, viewport=VIEWPORT) as page:
        open_harness(page, harness_url(server, "half-nan", 68242))
        assert page.evaluate("window.renderCount") == 34121
        assert page.evaluate("viewport.pointIndexOfDrawSlot(10)") == 21  # slot 10 is the file's point 21
        half = point_pixels(canvas_pixels(page)).sum()
        open_harness(page, harness_url(server, "empty", 0))
        empty = point_pixels(canvas_pixels(page)).sum()

    assert half > 5_000
    assert empty == 0
