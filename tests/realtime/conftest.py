"""Fixtures for live events: websocket connections as a persona, a channel layer per test, real ASGI servers.

Tests that need Redis or Chromium fail (never skip) when the service is missing.
"""

import os
import subprocess
import uuid

import pytest
import pytest_asyncio
import redis
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client

from labeling.asgi import application
from labeling.testing import free_port, start_uvicorn, stop_process
from tests.conftest import launched_chromium

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Personas are created per test (transactional tests flush the database); the default hasher takes
    # about a second per user here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest_asyncio.fixture
async def close_thread_connections():
    """Close the database connection of the thread that sync_to_async uses, so the test database can be
    flushed and dropped."""
    yield
    await sync_to_async(connections.close_all)()


def redis_url() -> str:
    """REDIS_URL from the environment (the local default otherwise); fails the test when Redis is down."""
    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is needed at {url} and does not answer: {error}")
    return url


def redis_layer_settings(url: str) -> dict:
    # A prefix per test keeps stray events of other runs (a dev server, the benchmark) out of the test.
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url], "prefix": prefix},
        }
    }


@pytest.fixture(params=["in-memory", "redis"])
def channel_layer(request, settings):
    """Run the test once with the embedded in-memory layer and once with the Redis layer."""
    if request.param == "redis":
        settings.CHANNEL_LAYERS = redis_layer_settings(redis_url())
    else:
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return request.param


@pytest.fixture
def redis_channel_layer(settings):
    """The Redis channel layer (fails when Redis is down)."""
    settings.CHANNEL_LAYERS = redis_layer_settings(redis_url())


def session_cookie(user) -> str:
    """A fresh session cookie value for `user`, as the login page would set it."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def dataset_path(owner_name: str = "alice", name: str = "photos") -> str:
    return f"/ws/datasets/{owner_name}/{name}/"


def communicator(
    path: str,
    *,
    cookie: str | None = None,
    api_key_header: str | None = None,
    origin: str | None = "http://testserver",
) -> WebsocketCommunicator:
    """A websocket client on the real ASGI application, with a session cookie or an API key header."""
    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin.encode()))
    if cookie:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    if api_key_header:
        headers.append((b"authorization", api_key_header.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


def server_environment(*, redis: str | None) -> dict:
    """The environment of an ASGI server process on the pytest-django test database."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("These tests start ASGI server processes on the test database: set DATABASE_URL (PostgreSQL).")
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{database['NAME']}",
        "DEBUG": "true",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    environment.pop("REDIS_URL", None)
    if redis:
        environment["REDIS_URL"] = redis
    return environment


@pytest.fixture
def start_asgi_server(transactional_db):
    """Return a function that starts `uvicorn labeling.asgi:application` on a free port and returns its
    base URL; `redis` (a URL or None for the in-memory layer) is its REDIS_URL. Stopped after the test,
    before the test database is flushed."""
    processes: list[subprocess.Popen] = []

    def start(*, redis: str | None) -> str:
        port = free_port()
        process = start_uvicorn(server_environment(redis=redis), port)
        processes.append(process)
        return f"127.0.0.1:{port}"

    yield start
    for process in processes:
        stop_process(process)


@pytest.fixture
def chromium():
    """Chromium through Playwright's sync API (tests/conftest.py); fails when the browser is missing."""
    with launched_chromium() as browser:
        yield browser
