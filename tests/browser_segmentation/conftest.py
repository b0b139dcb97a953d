"""Browser tests of the segmentation-bitmap editor: Playwright (sync API) driving the machine's Chromium
against pytest-django's live server, through the real pages, the real label and asset API and the official
SDK.

Chromium must be installed at /usr/bin/chromium; without it these tests fail, they never skip.
"""

from urllib.request import urlopen

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from datasets.models import Collaborator, Label, Sample
from datasets.services.datasets import create_dataset
from labeling.core.bitmaps import decode_bitmap
from tests.conftest import checked_page, launched_chromium, make_user

VIEWPORT = {"width": 1440, "height": 900}
# The editor imports fast-png (and fflate, iobuffer) from /static/node_modules/...; see package.json.

SEGMENTATION_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {"id": 1, "name": "person", "color": [230, 57, 70], "has_instances": True},
        {
            "id": 2,
            "name": "animal",
            "color": [42, 157, 143],
            "has_instances": True,
            "attributes": [{"name": "kind", "input_type": "select", "values": ["cat", "dog", "other"]}],
        },
        {"id": 3, "name": "background", "color": [120, 120, 240], "has_instances": False},
    ],
    "image_attributes": [{"name": "scene", "input_type": "select", "values": ["indoor", "outdoor"]}],
}

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _served_files(settings, tmp_path):
    """Uploaded assets go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def alice(transactional_db):
    return make_user("alice")


@pytest.fixture
def labeler(transactional_db):
    return make_user("lara")


@pytest.fixture
def segmentation_dataset(live_server, alice, labeler):
    """alice/street-seg: `segmentation-bitmap` over real photos (chelsea.png is 451x300); lara labels."""
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="street-seg",
        task_type="segmentation-bitmap",
        task_attributes=SEGMENTATION_TASK_ATTRIBUTES,
    )
    Collaborator.objects.create(dataset=dataset, user=labeler, role="labeler")
    for name in ("chelsea.png", "coffee.png"):
        Sample.objects.create(
            dataset=dataset,
            name=name,
            attributes={"image": {"url": f"{live_server.url}/static/examples/images/{name}"}},
            created_by=alice,
        )
    return dataset


@pytest.fixture(scope="package")
def browser():
    """Chromium for this package's browser tests (tests/conftest.py), stopped when the package is done."""
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Browser):
    """A fresh browser context per test; an uncaught JavaScript error fails the test."""
    with checked_page(browser, viewport=VIEWPORT, timeout_ms=15_000) as page:
        yield page


def log_in(page: Page, live_server, user) -> None:
    """Give the browser a session of `user` (the login page itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )


def editor_url(live_server, sample: Sample) -> str:
    dataset = sample.dataset
    return f"{live_server.url}{reverse('label-editor', args=[dataset.owner_name, dataset.name, sample.uuid])}"


def open_editor(page: Page, live_server, sample: Sample) -> None:
    """Open the segmentation editor on `sample`, wait until its canvas is editable, show the photo at 100%."""
    page.goto(editor_url(live_server, sample))
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true")
    page.keyboard.press("r")


def pixel_point(page: Page, x: int, y: int) -> tuple[float, float]:
    """The client point over the centre of image pixel (x, y)."""
    point = page.evaluate("([x, y]) => window.segmentationEditor.clientPointOf(x, y)", [x, y])
    return point["x"], point["y"]


def set_brush_size(page: Page, size: int) -> None:
    page.get_by_test_id("brush-size").evaluate(
        """(input, size) => {
            input.value = String(size);
            input.dispatchEvent(new Event('input', {bubbles: true}));
        }""",
        size,
    )
    expect(page.get_by_test_id("brush-size-value")).to_have_text(f"{size}px")


def stroke(page: Page, pixels: list[tuple[int, int]]) -> None:
    """Press at the first pixel, move through the others (one pointer move each), release."""
    page.mouse.move(*pixel_point(page, *pixels[0]))
    page.mouse.down()
    for x, y in pixels[1:]:
        page.mouse.move(*pixel_point(page, x, y))
    page.mouse.up()


def click_pixel(page: Page, x: int, y: int) -> None:
    page.mouse.click(*pixel_point(page, x, y))
    # a bucket fill runs in the mask worker: wait until the mask is back before the next input
    expect(page.get_by_test_id("segmentation-editor")).not_to_have_attribute("data-busy", "true")


def save(page: Page) -> None:
    """Mark labeled and save (the shell's "Labeled" button), and wait until it is stored."""
    page.get_by_test_id("status-labeled").click()
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved")


def stored_label(sample: Sample) -> Label:
    return Label.objects.get(sample=sample, labelset__name="ground-truth")


def fetch_bitmap(url: str) -> np.ndarray:
    """GET a bitmap URL like the SDK does (no credentials) and decode it with the format core."""
    with urlopen(url) as response:
        return decode_bitmap(response.read())
