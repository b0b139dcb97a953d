"""Shared fixtures: personas (alice the owner, and one user per dataset role) and a demo-like dataset.

Celery runs tasks in-process here (eagerly, still after commit) unless a test starts a real worker.
"""

import pytest
from django.contrib.auth import get_user_model

from datasets.models import Collaborator, Sample
from datasets.services.datasets import create_dataset
from labeling.celery import app as celery_app
from labeling.services import create_api_key

PASSWORD = "correct-horse-battery"  # noqa: S105

VECTOR_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {"id": 1, "name": "person", "color": [230, 57, 70]},
        {"id": 2, "name": "animal", "color": [42, 157, 143]},
    ],
}


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
