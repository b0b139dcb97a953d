"""The release panel's browser tests: one Chromium for the package.

A package-scoped fixture lives in the package's conftest.py: defined in a test module, pytest keeps it until the
end of the session, and a second sync Playwright cannot start while it runs.
"""

import pytest

from tests.conftest import launched_chromium


@pytest.fixture(scope="package")
def browser():
    """Chromium for this package's browser tests (tests/conftest.py), stopped when the package is done."""
    with launched_chromium() as chromium:
        yield chromium
