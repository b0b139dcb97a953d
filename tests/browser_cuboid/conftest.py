"""Browser tests of the cuboid editor: Playwright (sync API) driving the machine's Chromium (WebGL2 through
SwiftShader, no GPU) against pytest-django's live server and the demo point-cloud datasets over the real lidar
frames in examples/ (the worker reads them in-process when the demo is created).

Chromium must be installed at /usr/bin/chromium; without it these tests fail, they never skip. Any uncaught
JavaScript error or console error on the page fails the test.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from datasets.models import Label, Sample
from tests.browser.conftest import VIEWPORT, demo, drag, log_in_as_demo_labeler  # noqa: F401
from tests.browser_sequence.conftest import _collect_console_error
from tests.conftest import checked_page, launched_chromium

pytestmark = pytest.mark.browser


@pytest.fixture(scope="package")
def browser():
    """Chromium for this package's browser tests (tests/conftest.py), stopped when the package is done."""
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A fresh browser context per test; an uncaught error or a console error fails the test."""
    with checked_page(browser, viewport=VIEWPORT, timeout_ms=20_000, console_errors=_console_error) as page:
        yield page


def _console_error(message, errors: list[str]) -> None:
    # Chromium logs every refused request; a 409 answer to a label save is the conflict a test provokes (the
    # editor shows it in the page, which the test checks).
    if "status of 409 (Conflict)" in message.text and "/labels/" in message.location.get("url", ""):
        return
    _collect_console_error(message, errors)


def open_cuboid_editor(page: Page, live_server, sample: Sample) -> None:
    """Open the cuboid editor on `sample` and wait until frame 0's points are shown."""
    dataset = sample.dataset
    path = reverse("label-editor", args=[dataset.owner_name, dataset.name, sample.uuid])
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_test_id("cuboid-editor")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-frame-loaded", "0")


def look_at(page: Page, x: float, y: float) -> None:
    """Pan the 3D view to (x, y) (as a right-button drag does); the top view follows the view's target."""
    page.evaluate(
        "([x, y]) => { const c = window.cuboidEditor.viewport.controls; c.target.set(x, y, 0); c.update(); }", [x, y]
    )


def top_view_point(page: Page, x: float, y: float, z: float = 0.0) -> tuple[float, float]:
    """Where the world point (x, y, z) is on the page in the top view."""
    return tuple(
        page.evaluate(
            """([x, y, z]) => {
                const point = window.cuboidEditor.ortho.toScreen("top", {x, y, z});
                const box = document.querySelector('[data-testid="ortho-overlay"]').getBoundingClientRect();
                return [box.left + point.x, box.top + point.y];
            }""",
            [x, y, z],
        )
    )


def shown_cuboids(page: Page) -> list[dict]:
    """The cuboids the editor shows in the current frame (keyframes and interpolated ones)."""
    return page.evaluate("() => structuredClone(window.cuboidEditor.currentCuboids())")


def stored_label(sample: Sample) -> Label:
    return Label.objects.get(sample=sample, labelset__name="ground-truth")
