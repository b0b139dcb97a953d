"""Text datasets (text-named-entities, text-span-categorization) through the same endpoints, with plain HTTP:
the SDK no longer validates them client-side (spec §0)."""

import pytest
import requests

from datasets.models import Label, Sample

TEXT = "Ada Lovelace wrote the first program in London."
ENTITIES = {
    "format_version": "0.1",
    "categories": [{"id": 1, "name": "person"}, {"id": 2, "name": "place"}],
}


class Http:
    """Plain HTTP against the live server, as a script without the SDK would do it."""

    def __init__(self, base: str, key: str):
        self.base = base
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"APIKey {key}"

    def __getattr__(self, method):
        def send(path, **kwargs):
            return self.session.request(method.upper(), f"{self.base}{path}", timeout=10, **kwargs)

        return send


@pytest.fixture
def http(live_server, owner):
    client = Http(live_server.url, owner.key)
    yield client
    client.session.close()


@pytest.mark.parametrize("task_type", ["text-named-entities", "text-span-categorization"])
def test_text_dataset_from_creation_to_label(http, task_type):
    created = http.post("/user/datasets/", json={"name": "notes", "task_type": task_type, "task_attributes": ENTITIES})
    sample = http.post("/datasets/olivia/notes/samples/", json={"name": "s1", "attributes": {"text": TEXT}})
    uuid = sample.json()["uuid"]
    label = {
        "format_version": "0.1",
        "annotations": [
            {"start": 0, "end": 12, "category_id": 1},
            {"start": 40, "end": 46, "category_id": 2},
        ],
    }
    put = http.put(f"/labels/{uuid}/ground-truth/", json={"label_status": "LABELED", "attributes": label})
    fetched = http.get(f"/labels/{uuid}/ground-truth/")
    listed = http.get("/datasets/olivia/notes/samples/?labelset=ground-truth&include_full_label=1")

    assert (created.status_code, created.json()["task_type"]) == (201, task_type)
    assert sample.status_code == 201
    assert put.status_code == 201, put.text
    assert fetched.json()["attributes"] == label
    assert fetched.json()["label_type"] == task_type
    assert listed.json()[0]["label"]["attributes"] == label
    assert TEXT[0:12] == "Ada Lovelace"
    assert TEXT[40:46] == "London"


def test_text_label_spans_outside_the_text_are_refused(http):
    http.post(
        "/user/datasets/",
        json={"name": "notes", "task_type": "text-named-entities", "task_attributes": ENTITIES},
    )
    uuid = http.post("/datasets/olivia/notes/samples/", json={"name": "s1", "attributes": {"text": TEXT}}).json()[
        "uuid"
    ]
    label = {"format_version": "0.1", "annotations": [{"start": 40, "end": 400, "category_id": 1}]}
    response = http.put(f"/labels/{uuid}/ground-truth/", json={"attributes": label})
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"].startswith("attributes.annotations[0]")
    assert not Label.objects.exists()


def test_text_samples_need_text(http):
    http.post("/user/datasets/", json={"name": "notes", "task_type": "text-span-categorization"})
    response = http.post("/datasets/olivia/notes/samples/", json={"name": "s1", "attributes": {"image": {"url": "u"}}})
    assert response.status_code == 400
    assert not Sample.objects.exists()


def test_text_release_holds_the_text_and_spans(http):
    http.post(
        "/user/datasets/",
        json={"name": "notes", "task_type": "text-named-entities", "task_attributes": ENTITIES},
    )
    uuid = http.post("/datasets/olivia/notes/samples/", json={"name": "s1", "attributes": {"text": TEXT}}).json()[
        "uuid"
    ]
    label = {"format_version": "0.1", "annotations": [{"start": 0, "end": 3, "category_id": 1}]}
    http.put(f"/labels/{uuid}/ground-truth/", json={"attributes": label})
    http.post("/datasets/olivia/notes/releases/", json={"name": "v1"})
    url = http.get("/datasets/olivia/notes/releases/v1/").json()["attributes"]["url"]
    sample = requests.get(url, timeout=10).json()["dataset"]["samples"][0]
    assert sample["attributes"] == {"text": TEXT}
    assert sample["labels"]["ground-truth"]["attributes"] == label
