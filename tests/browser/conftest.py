"""Browser tests: Playwright (sync API) driving the machine's Chromium against pytest-django's live server.

The live server serves static files (the editor's ES modules and the demo photos under /static/examples/).
Chromium must be installed at /usr/bin/chromium; without it these tests fail, they never skip.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from datasets.demo import DEMO_LABELER, DemoData, create_demo_data
from datasets.models import Sample
from tests.conftest import checked_page, launched_chromium

VIEWPORT = {"width": 1440, "height": 900}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="package")
def browser():
    """Chromium for this package's browser tests (tests/conftest.py), stopped when the package is done."""
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Browser):
    """A fresh browser context per test; an uncaught JavaScript error fails the test."""
    with checked_page(browser, viewport=VIEWPORT) as page:
        yield page


@pytest.fixture
def demo(live_server, transactional_db) -> DemoData:
    """The demo organization, users and `vector` dataset over the real photos, served by the live server."""
    return create_demo_data(site_url=live_server.url)


def log_in(page: Page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-user")).to_have_text(username)


def log_in_as_demo_labeler(page: Page, live_server, demo: DemoData) -> None:
    log_in(page, live_server, DEMO_LABELER, demo.labeler_password)


def open_editor(page: Page, live_server, sample: Sample) -> "ImageOnScreen":
    """Open the vector editor on `sample` and wait until its image is shown; returns where the image is."""
    dataset = sample.dataset
    path = reverse("label-editor", args=[dataset.owner_name, dataset.name, sample.uuid])
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-ready", "true")
    return image_on_screen(page)


@dataclass(frozen=True)
class ImageOnScreen:
    """Where the photo is drawn (CSS px) and its natural size: converts image <-> screen points."""

    left: float
    top: float
    width: float
    height: float
    natural_width: int
    natural_height: int

    def to_screen(self, x: float, y: float) -> tuple[float, float]:
        return (
            self.left + x * self.width / self.natural_width,
            self.top + y * self.height / self.natural_height,
        )

    def to_image(self, screen_x: float, screen_y: float) -> tuple[float, float]:
        return (
            (screen_x - self.left) * self.natural_width / self.width,
            (screen_y - self.top) * self.natural_height / self.height,
        )


def image_on_screen(page: Page) -> ImageOnScreen:
    """Measure the editor's <img> as the browser lays it out now (after any zoom or pan)."""
    box = page.locator("#ve-image").evaluate(
        """image => {
            const rect = image.getBoundingClientRect();
            return [rect.left, rect.top, rect.width, rect.height, image.naturalWidth, image.naturalHeight];
        }"""
    )
    return ImageOnScreen(*box)


def drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Press the left button at `start`, move to `end` in small steps, release."""
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()


def assert_points_close(actual: list, expected: list, tolerance: float = 1.5) -> None:
    assert len(actual) == len(expected), f"{actual} != {expected}"
    for (ax, ay), (ex, ey) in zip(actual, expected, strict=True):
        message = f"{actual} != {expected} (±{tolerance} px)"
        assert abs(ax - ex) <= tolerance, message
        assert abs(ay - ey) <= tolerance, message
