"""Browser tests of the label history page: Playwright (sync API) driving the machine's Chromium against
pytest-django's live server. Chromium must be installed at /usr/bin/chromium; these tests fail, never skip."""

import pytest

from tests.conftest import checked_page, launched_chromium

pytestmark = pytest.mark.browser


@pytest.fixture(scope="package")
def browser():
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A fresh page; an uncaught JavaScript error fails the test."""
    with checked_page(browser, viewport={"width": 1440, "height": 900}) as opened:
        yield opened
