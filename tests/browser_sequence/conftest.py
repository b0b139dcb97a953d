"""Browser tests of the image-sequence editor: Playwright (sync API) driving the machine's Chromium against
pytest-django's live server and the demo `parking-lot` sequence (50 real frames, 768 x 432).

Chromium must be installed at /usr/bin/chromium; without it these tests fail, they never skip. Any uncaught
JavaScript error or console error on the page fails the test.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from datasets.models import Label, Sample
from tests.browser.conftest import (  # noqa: F401  (fixtures are found by name)
    VIEWPORT,
    ImageOnScreen,
    demo,
    drag,
    image_on_screen,
    log_in_as_demo_labeler,
)
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
    with checked_page(browser, viewport=VIEWPORT, console_errors=_collect_console_error) as page:
        yield page


def _collect_console_error(message, errors: list[str]) -> None:
    # The site serves no favicon; Chromium's request for it is not the editor's error. pytest-django's live
    # server speaks WSGI, so the live-events websocket cannot connect here (the page retries quietly); live
    # events are tested against a real ASGI server in tests/realtime.
    if message.type != "error" or message.location.get("url", "").endswith("/favicon.ico"):
        return
    if message.text.startswith("WebSocket connection to") and "/ws/datasets/" in message.text:
        return
    errors.append(f"{message.text} ({message.location.get('url')})")


@pytest.fixture
def sequence(demo) -> Sample:  # noqa: F811
    """The demo sequence: 50 parking-lot frames; categories car (1, track-level `color`), person (2)."""
    return demo.sequence_dataset.samples.get()


def open_sequence_editor(page: Page, live_server, sample: Sample) -> ImageOnScreen:
    """Open the sequence editor on `sample` and wait for frame 0's image; returns where the image is."""
    dataset = sample.dataset
    path = reverse("label-editor", args=[dataset.owner_name, dataset.name, sample.uuid])
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_test_id("sequence-editor")).to_have_attribute("data-ready", "true")
    wait_for_frame(page, 0)
    return image_on_screen(page)


def wait_for_frame(page: Page, frame: int) -> None:
    """Wait until the editor shows `frame` (0-based) and its image has loaded."""
    expect(page.get_by_test_id("frame-label")).to_have_attribute("data-frame", str(frame))
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-frame-loaded", str(frame))


def go_to_frame(page: Page, frame: int) -> None:
    """Jump to `frame` by clicking its cell on the timeline ruler."""
    ruler = page.get_by_test_id("timeline-ruler").bounding_box()
    count = int(page.get_by_test_id("frame-label").inner_text().split("/")[-1])
    page.mouse.click(ruler["x"] + ruler["width"] * (frame + 0.5) / count, ruler["y"] + ruler["height"] / 2)
    wait_for_frame(page, frame)


def shown_boxes(page: Page, expected: int | None = None) -> list[list[list[float]]]:
    """The bounding boxes drawn on the current frame, as [[x0, y0], [x1, y1]] in image pixels; with `expected`,
    first wait until that many are drawn (the editor renders after the input event)."""
    boxes = page.locator('[data-testid="annotation"][data-type="bbox"] rect')
    if expected is not None:
        expect(boxes).to_have_count(expected)
    return boxes.evaluate_all(
        """rects => rects.map(rect => {
            const [x, y, w, h] = ["x", "y", "width", "height"].map(name => Number(rect.getAttribute(name)));
            return [[x, y], [x + w, y + h]];
        })"""
    )


def stored_label(sample: Sample) -> Label:
    return Label.objects.get(sample=sample, labelset__name="ground-truth")
