"""Browser tests of the text pages (the text editor, the import page): Playwright (sync API) driving the
machine's Chromium against pytest-django's live server.

Chromium must be installed at /usr/bin/chromium; without it these tests fail, they never skip. Any uncaught
JavaScript error or console error on the page fails the test.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from datasets.models import Dataset
from datasets.services.datasets import create_dataset
from tests.conftest import checked_page, launched_chromium

VIEWPORT = {"width": 1280, "height": 800}
PASSWORD = "text-pass-1234"


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
    # pytest-django's live server speaks WSGI, so the live-events websocket cannot connect (the page retries
    # quietly); the site serves no favicon.
    if message.type != "error" or message.location.get("url", "").endswith("/favicon.ico"):
        return
    if message.text.startswith("WebSocket connection to") and "/ws/datasets/" in message.text:
        return
    if "400 (Bad Request)" in message.text:  # a refused import is the page's expected answer, shown to the user
        return
    if "409 (Conflict)" in message.text and "/labels/" in message.location.get("url", ""):  # a save conflict
        return
    errors.append(f"{message.text} ({message.location.get('url')})")


@pytest.fixture
def nora(transactional_db):
    """Nora, who owns the NER dataset `nora/news`."""
    return get_user_model().objects.create_user(username="nora", password=PASSWORD, email="nora@example.com")


@pytest.fixture
def news(nora) -> Dataset:
    return create_dataset(
        nora,
        owner_name="nora",
        owner_user=nora,
        name="news",
        task_type="text-named-entities",
        task_attributes={"format_version": "0.1", "categories": [{"id": 1, "name": "PER"}]},
    )


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("current-user")).to_have_text(username)
