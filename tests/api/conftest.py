"""API test fixtures: one persona per role on olivia's private dataset, an HTTP helper that acts as a persona,
SDK clients per persona against pytest-django's live server, and a database snapshot to prove that a denied
request changed nothing.

Personas on `olivia/flowers` (a private `vector` dataset): owner olivia; collaborators adam (admin), mona
(manager), rita (reviewer), lara (labeler); oscar is an outsider; anonymous sends no credentials.
"""

import json
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Model
from segments import SegmentsClient

from datasets.models import (
    Asset,
    Collaborator,
    Dataset,
    Issue,
    IssueComment,
    Label,
    LabelSet,
    LabelVersion,
    Release,
    Sample,
    Workunit,
)
from datasets.services.datasets import create_dataset
from labeling.models import Membership, Organization
from labeling.services import create_api_key

PERSONAS = ("owner", "admin", "manager", "reviewer", "labeler", "outsider", "anonymous")
ROLE_RANK = {"labeler": 1, "reviewer": 2, "manager": 3, "admin": 4, "owner": 5}
USERNAMES = {
    "owner": "olivia",
    "admin": "adam",
    "manager": "mona",
    "reviewer": "rita",
    "labeler": "lara",
    "outsider": "oscar",
}
CATEGORIES = {
    "format_version": "0.1",
    "categories": [{"id": 1, "name": "flower", "color": [255, 0, 0]}, {"id": 2, "name": "leaf"}],
}
IMAGE = {"image": {"url": "https://example.com/images/rose.png"}}


@dataclass(frozen=True)
class Persona:
    """A user acting through the API with their own key; `user` and `key` are None for anonymous."""

    name: str
    user: object | None
    key: str | None

    @property
    def username(self) -> str | None:
        return self.user.username if self.user else None

    @property
    def headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"APIKey {self.key}"} if self.key else {}


# Factories --------------------------------------------------------------------------------------------------


def make_user(username: str):
    """A user who signs in with API keys only (no password: hashing one costs a second per user)."""
    return get_user_model().objects.create_user(username=username, email=f"{username}@x.org")


def make_persona(name: str, username: str | None = None) -> Persona:
    if name == "anonymous":
        return Persona("anonymous", None, None)
    user = make_user(username or USERNAMES.get(name, name))
    return Persona(name, user, create_api_key(user))


def make_dataset(owner_user, name: str = "flowers", *, organization=None, **fields) -> Dataset:
    fields.setdefault("task_type", "vector")
    fields.setdefault("task_attributes", CATEGORIES)
    owner_name = organization.name if organization else owner_user.username
    owner = {"owner_organization": organization} if organization else {"owner_user": owner_user}
    return create_dataset(owner_user, owner_name=owner_name, name=name, **owner, **fields)


def make_sample(dataset: Dataset, name: str, **fields) -> Sample:
    fields.setdefault("attributes", IMAGE)
    return Sample.objects.create(dataset=dataset, name=name, **fields)


# A save: key, sample with dataset and roles, upsert finding the label set and recording the version in its
# history (one statement on PostgreSQL). SQLite has no data-modifying CTE: the version is a second statement.
SAVE_QUERIES = 3 if connection.vendor == "postgresql" else 4


def vector_label(objects: int = 1) -> dict:
    """A valid `vector` label with `objects` bounding boxes."""
    annotations = [
        {"id": i + 1, "category_id": 1, "type": "bbox", "points": [[i, i], [i + 10.5, i + 20.25]]}
        for i in range(objects)
    ]
    return {"format_version": "0.1", "annotations": annotations}


def make_label(sample: Sample, labelset_name: str = "ground-truth", status: str = "LABELED", **fields) -> Label:
    labelset = LabelSet.objects.get(dataset=sample.dataset, name=labelset_name)
    fields.setdefault("attributes", vector_label())
    return Label.objects.create(sample=sample, labelset=labelset, label_status=status, **fields)


def make_organization(name: str, members: dict) -> Organization:
    organization = Organization.objects.create(name=name)
    for user, role in members.items():
        Membership.objects.create(organization=organization, user=user, role=role)
    return organization


# Snapshot ---------------------------------------------------------------------------------------------------

SNAPSHOT_MODELS: tuple[type[Model], ...] = (
    Dataset,
    Collaborator,
    Sample,
    LabelSet,
    Label,
    LabelVersion,
    Issue,
    IssueComment,
    Release,
    Workunit,
    Asset,
    Organization,
    Membership,
)


def snapshot() -> dict:
    """Every row of every model a request could change, to compare before and after a denied request."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in SNAPSHOT_MODELS}


def expected_status(who: str, minimum: str, success: int = 200) -> int:
    """The status a persona gets for an operation that needs `minimum` role on olivia's private dataset."""
    if who == "anonymous":
        return 401
    if who == "outsider":
        return 404
    return success if ROLE_RANK[who] >= ROLE_RANK[minimum] else 403


# Fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = ""


@pytest.fixture
def owner(db):
    return make_persona("owner")


@pytest.fixture
def admin(db):
    return make_persona("admin")


@pytest.fixture
def manager(db):
    return make_persona("manager")


@pytest.fixture
def reviewer(db):
    return make_persona("reviewer")


@pytest.fixture
def labeler(db):
    return make_persona("labeler")


@pytest.fixture
def outsider(db):
    return make_persona("outsider")


@pytest.fixture
def anonymous():
    return make_persona("anonymous")


@pytest.fixture
def dataset(owner, admin, manager, reviewer, labeler):
    """olivia/flowers: private, vector, every role but the outsider's as a collaborator."""
    flowers = make_dataset(owner.user)
    for persona in (admin, manager, reviewer, labeler):
        Collaborator.objects.create(dataset=flowers, user=persona.user, role=persona.name)
    return flowers


@pytest.fixture
def personas(owner, admin, manager, reviewer, labeler, outsider, anonymous, dataset) -> dict[str, Persona]:
    """All seven personas by name, with olivia/flowers in place."""
    return {p.name: p for p in (owner, admin, manager, reviewer, labeler, outsider, anonymous)}


class Api:
    """Django's test client speaking JSON as a persona: `api.post(persona, path, body)`."""

    def __init__(self, client):
        self.client = client

    def _send(self, method: str, persona: Persona, path: str, body=None, **extra):
        data = json.dumps(body) if body is not None else None
        kwargs = {"content_type": "application/json"} if data is not None else {}
        return getattr(self.client, method)(path, data, **kwargs, **persona.headers, **extra)

    def get(self, persona, path, **extra):
        return self.client.get(path, **persona.headers, **extra)

    def post(self, persona, path, body=None, **extra):
        return self._send("post", persona, path, body, **extra)

    def put(self, persona, path, body=None, **extra):
        return self._send("put", persona, path, body, **extra)

    def patch(self, persona, path, body=None, **extra):
        return self._send("patch", persona, path, body, **extra)

    def delete(self, persona, path, body=None, **extra):
        return self._send("delete", persona, path, body, **extra)


@pytest.fixture
def api(client) -> Api:
    return Api(client)


@pytest.fixture
def sdk_for(live_server):
    """Return persona -> SegmentsClient of the unmodified SDK against the live server."""
    clients = []

    def connect(persona: Persona) -> SegmentsClient:
        client = SegmentsClient(api_key=persona.key, api_url=live_server.url)
        clients.append(client)
        return client

    yield connect
    for client in clients:
        client.close()


@pytest.fixture
def owner_sdk(sdk_for, owner):
    return sdk_for(owner)


@pytest.fixture
def admin_sdk(sdk_for, admin):
    return sdk_for(admin)


@pytest.fixture
def manager_sdk(sdk_for, manager):
    return sdk_for(manager)


@pytest.fixture
def reviewer_sdk(sdk_for, reviewer):
    return sdk_for(reviewer)


@pytest.fixture
def labeler_sdk(sdk_for, labeler):
    return sdk_for(labeler)


@pytest.fixture
def outsider_sdk(sdk_for, outsider):
    return sdk_for(outsider)
