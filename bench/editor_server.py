"""A throw-away editor server for the browser benchmarks: a test database, a temporary MEDIA_ROOT, Django's
live server thread (with static files and node_modules) and a session cookie for a new user."""

import contextlib
import logging
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import OperationalError, connections
from django.test import Client
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class EditorServer:
    base_url: str
    user: object
    session_cookie: str

    def cookie(self) -> dict:
        """The session cookie in Playwright's form."""
        return {"name": settings.SESSION_COOKIE_NAME, "value": self.session_cookie, "url": self.base_url}


@contextlib.contextmanager
def editor_server(username: str = "bench") -> Iterator[EditorServer]:
    """Yield an EditorServer; the database, media and server are gone afterwards (even if the bench fails)."""
    logging.getLogger("django.request").setLevel(logging.ERROR)  # no websocket 404 noise: WSGI has no websockets
    media = tempfile.TemporaryDirectory()
    overrides = override_settings(
        MEDIA_ROOT=media.name,
        ALLOWED_HOSTS=["*"],
        STATICFILES_DIRS=[*settings.STATICFILES_DIRS, ("node_modules", ROOT / "node_modules")],
    )
    overrides.enable()
    connection = connections["default"]  # the real connection, not the thread-local proxy
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    shared = {"default": connection} if connection.vendor == "sqlite" else {}
    if shared:
        connection.inc_thread_sharing()  # in-memory SQLite: the server thread must use this same connection
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=shared, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    try:
        user = get_user_model().objects.create_user(username=username, password=secrets.token_hex(8))
        client = Client()
        client.force_login(user)
        yield EditorServer(f"http://127.0.0.1:{server.port}", user, client.cookies[settings.SESSION_COOKIE_NAME].value)
    finally:
        server.terminate()
        if shared:
            connection.dec_thread_sharing()
        _destroy(connection, old_name)
        overrides.disable()
        media.cleanup()


def _destroy(connection, old_name: str) -> None:
    """Drop the test database; on PostgreSQL, end the server threads' leftover sessions first if they linger."""
    try:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    except OperationalError:
        test_name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [test_name],
            )
        connection.creation.destroy_test_db(old_name, verbosity=0)
