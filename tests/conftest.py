"""Shared fixtures: personas (alice the owner, and one user per dataset role) and a demo-like dataset.

Celery runs tasks in-process here (eagerly, still after commit) unless a test starts a real worker.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from datasets.models import Collaborator, Sample
from datasets.services.datasets import create_dataset
from labeling.celery import app as celery_app
from labeling.services import create_api_key
from labeling.testing import CHROMIUM, CHROMIUM_ARGS

PASSWORD = "correct-horse-battery"


VECTOR_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {"id": 1, "name": "person", "color": [230, 57, 70]},
        {"id": 2, "name": "animal", "color": [42, 157, 143]},
    ],
}


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup, django_db_blocker):
    """End other sessions and close the connection pools before the test database is dropped (open
    connections would keep it busy and leave it behind)."""
    yield
    with django_db_blocker.unblock():
        connection = connections["default"]
        if connection.vendor == "postgresql":
            # Connections held by other threads (async consumers, live servers) would keep the database busy.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        for each in connections.all():
            if getattr(each, "pool", None) is not None:
                each.close_pool()


@pytest.fixture(autouse=True)
def _celery_in_process():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def make_user(username: str):
    """A user with password PASSWORD."""
    return get_user_model().objects.create_user(username=username, password=PASSWORD, email=f"{username}@x.org")


@pytest.fixture
def alice(db):
    """The dataset owner."""
    return make_user("alice")


@pytest.fixture
def labeler(db):
    return make_user("lara")


@pytest.fixture
def outsider(db):
    return make_user("oscar")


@pytest.fixture
def vector_dataset(alice, labeler):
    """alice/photos, a `vector` dataset with two categories, lara as labeler and one real-photo sample."""
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="photos",
        task_type="vector",
        task_attributes=VECTOR_TASK_ATTRIBUTES,
    )
    Collaborator.objects.create(dataset=dataset, user=labeler, role="labeler")
    Sample.objects.create(
        dataset=dataset,
        name="chelsea.png",
        attributes={"image": {"url": "http://testserver/static/examples/images/chelsea.png"}},
        created_by=alice,
    )
    return dataset


@pytest.fixture
def api_key_for():
    """Return a function user -> 'APIKey <key>' header value."""

    def header(user) -> str:
        return f"APIKey {create_api_key(user)}"

    return header


@contextmanager
def launched_chromium() -> Iterator:
    """Debian's Chromium driven by Playwright's sync API; fails (never skips) when it is not installed.

    Only one sync Playwright can run in a thread, and while it runs an asyncio loop is current in this thread
    (Django then needs DJANGO_ALLOW_ASYNC_UNSAFE for the ORM calls between its steps, and async tests cannot
    run). So every browser fixture comes from here and stops at the end of its package at the latest: each
    browser test package defines its own package-scoped `browser` fixture (one defined here would live as long
    as the whole `tests` package).
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}; the browser tests need it "
            "(Debian: apt-get install chromium). They are never skipped."
        )
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@contextmanager
def checked_page(browser, *, viewport: dict, timeout_ms: int = 10_000, console_errors=None) -> Iterator:
    """A page in a fresh browser context; the test fails if the page raised an uncaught JavaScript error (or,
    with `console_errors(message, errors)`, logged one that function keeps)."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if console_errors is not None:
        page.on("console", lambda message: console_errors(message, errors))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
