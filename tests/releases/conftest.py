"""Fixtures of the release tests: media in a temporary folder, live-server connections that close."""

import pytest
from django.db import connections


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
