"""Browser tests of the editor shell (frontend_static/editor-core/), the same suite for every editor:
Playwright (sync API) driving the machine's Chromium against pytest-django's live server, the real pages, API
and services. Chromium must be installed at /usr/bin/chromium; without it these tests fail, they never skip.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from datasets.models import Collaborator, Label, Sample
from datasets.services.datasets import create_dataset
from tests.conftest import checked_page, launched_chromium, make_user

VIEWPORT = {"width": 1440, "height": 900}
PHOTOS = ["chelsea.png", "coffee.png", "astronaut.png"]
FRAMES = [f"frame_{number:06d}.jpg" for number in range(184, 189)]
CATEGORIES = [
    {"id": 1, "name": "car", "color": [230, 57, 70], "has_instances": True},
    {"id": 2, "name": "person", "color": [42, 157, 143], "has_instances": True},
]

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class EditorKind:
    """One editor under test: its task type, whether samples are sequences and whether it paints masks."""

    task_type: str
    sequence: bool
    mask: bool

    @property
    def window_name(self) -> str:
        if self.mask:
            return "segmentationEditor"
        return "sequenceEditor" if self.sequence else "vectorEditor"

    def __str__(self) -> str:
        return self.task_type


EDITORS = [
    EditorKind("vector", sequence=False, mask=False),
    EditorKind("segmentation-bitmap", sequence=False, mask=True),
    EditorKind("image-vector-sequence", sequence=True, mask=False),
    EditorKind("image-segmentation-sequence", sequence=True, mask=True),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded assets (mask bitmaps) go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


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


@pytest.fixture
def people(transactional_db):
    """alice owns the datasets; lara and otto label; rita reviews."""
    return {name: make_user(name) for name in ("alice", "lara", "otto", "rita")}


def make_dataset(live_server, people, kind: EditorKind, samples: int = 3):
    """alice/<task type> with `samples` samples a-..., b-..., c-... (real photos or 5 real frames each)."""
    alice = people["alice"]
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name=kind.task_type.replace("-", "_"),
        task_type=kind.task_type,
        task_attributes={"format_version": "0.1", "categories": CATEGORIES},
    )
    for name, role in (("lara", "labeler"), ("otto", "labeler"), ("rita", "reviewer")):
        Collaborator.objects.create(dataset=dataset, user=people[name], role=role)
    static = f"{live_server.url}/static/examples"
    for index in range(samples):
        if kind.sequence:
            frames = [{"image": {"url": f"{static}/image_sequence/{name}"}, "name": name} for name in FRAMES]
            attributes = {"frames": frames}
        else:
            attributes = {"image": {"url": f"{static}/images/{PHOTOS[index % len(PHOTOS)]}"}}
        Sample.objects.create(
            dataset=dataset, name=f"{'abcdef'[index]}-sample", attributes=attributes, created_by=alice
        )
    return dataset


def log_in(page: Page, live_server, user) -> None:
    """Give the browser a session of `user` (the login page itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = {"name": django_settings.SESSION_COOKIE_NAME, "value": client.cookies["sessionid"].value}
    page.context.clear_cookies()
    page.context.add_cookies([{**cookie, "url": live_server.url}])


def editor_url(live_server, sample: Sample) -> str:
    dataset = sample.dataset
    return f"{live_server.url}{reverse('label-editor', args=[dataset.owner_name, dataset.name, sample.uuid])}"


def wait_ready(page: Page, kind: EditorKind) -> None:
    """Wait until the editor can be drawn on."""
    if kind.mask:
        expect(page.locator("body")).to_have_attribute("data-editor-ready", "true")
    else:
        expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-ready", "true")


def open_editor(page: Page, live_server, kind: EditorKind, sample: Sample) -> None:
    page.goto(editor_url(live_server, sample))
    wait_ready(page, kind)


def draw(page: Page, kind: EditorKind, offset: int = 0) -> None:
    """Create one object near the middle of the stage with the editor's own tool and category 1."""
    stage = page.locator("[data-testid='stage']" if kind.mask else "#ve-stage").bounding_box()
    x = stage["x"] + stage["width"] / 2 - 120 + offset * 90
    y = stage["y"] + stage["height"] / 2 - 40
    page.keyboard.press("1")
    page.keyboard.press("b")
    if kind.mask:
        page.keyboard.press("n")  # a new instance of the category
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 60, steps=6)
    page.mouse.up()


def expect_objects(page: Page, kind: EditorKind, count: int) -> None:
    page.wait_for_function(
        "([name, mask, count]) => { const e = window[name]; if (!e) return false;"
        " const n = mask ? e.instances.filter((i) => e.counts.has(i.id)).length : e.currentAnnotations().length;"
        " return n === count; }",
        arg=[kind.window_name, kind.mask, count],
    )


def stored_objects(label: Label) -> int:
    """The objects of the stored label (of its first frame for sequences)."""
    attributes = label.attributes
    if "frames" in attributes:
        return len(attributes["frames"][0]["annotations"])
    return len(attributes["annotations"])


def stored_label(sample: Sample) -> Label:
    return Label.objects.get(sample=sample, labelset__name="ground-truth")
