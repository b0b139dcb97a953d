"""Fixtures of the release tests: media in a temporary folder, live-server connections that close; the URL
of the PostgreSQL test database for worker processes and other sessions."""

import pytest
from django.conf import settings
from django.db import connections


def database_url() -> str:
    """The test database as a postgres:// URL, for processes and sessions of their own; fails on SQLite (a
    worker or another session cannot share SQLite in memory)."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("This test needs PostgreSQL: set DATABASE_URL (another process cannot share SQLite in memory).")
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = ""


@pytest.fixture(autouse=True)
def _live_server_closes_database_connections():
    # The SDK keeps its HTTP connection alive, and with it a live-server thread and that thread's PostgreSQL
    # connection; the per-run test database could then not be dropped at the end.
    database = connections.settings["default"]
    previous = database.get("CONN_MAX_AGE", 0)
    database["CONN_MAX_AGE"] = 0
    yield
    database["CONN_MAX_AGE"] = previous
