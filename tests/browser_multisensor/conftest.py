"""Browser tests of the multi-sensor modules (frontend_static/editors/multisensor/): Playwright (sync API)
driving the machine's Chromium against pytest-django's live server and the demo `multisensor-sequence`.

Chromium must be installed at /usr/bin/chromium; without it these tests fail, they never skip. Any uncaught
JavaScript error on the page fails the test.
"""

import pytest

from tests.browser.conftest import demo  # noqa: F401  (fixtures are found by name)
from tests.conftest import checked_page, launched_chromium

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="package")
def browser():
    """Chromium for this package's browser tests (tests/conftest.py), stopped when the package is done."""
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A fresh browser context per test; an uncaught JavaScript error fails the test."""
    with checked_page(browser, viewport=VIEWPORT) as page:
        yield page
