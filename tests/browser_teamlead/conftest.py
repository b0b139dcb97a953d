"""Browser tests of the team lead's pages: Playwright (sync API) driving the machine's Chromium against
pytest-django's live server. Chromium must be installed at /usr/bin/chromium; these tests fail, never skip."""

import pytest
from playwright.sync_api import Browser

from tests.conftest import checked_page, launched_chromium

VIEWPORT = {"width": 1440, "height": 900}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="package")
def browser():
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def new_page(browser: Browser):
    """Return a function opening a fresh browser context (one per person); an uncaught JavaScript error in
    any of them fails the test."""
    pages = []

    def open_page():
        manager = checked_page(browser, viewport=VIEWPORT)
        pages.append(manager)
        return manager.__enter__()

    yield open_page
    for manager in reversed(pages):
        manager.__exit__(None, None, None)
