"""The two text task types' rules through the HTTP API: named entities may not overlap (a 400 naming both spans),
span categories may; the rule runs inside the versioned write, so concurrent writers of overlapping spans never
store an overlapping label; offsets count code points, so non-ASCII text round-trips exactly."""

import itertools
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection

from datasets.models import Label
from tests.api.test_text_datasets import Http

pytestmark = pytest.mark.django_db(transaction=True)

CATEGORIES = {
    "format_version": "0.1",
    "categories": [{"id": 1, "name": "PER"}, {"id": 2, "name": "LOC"}, {"id": 3, "name": "ORG"}],
}
# Accents (precomposed and combining), CJK, emoji outside the BMP, a flag of two regional indicators, a ZWJ
# sequence and mathematical letters: the offsets are code points (docs/text.md).
OFFSETS_FILE = Path(__file__).parents[1] / "data" / "text_offsets.json"
OFFSET_CASES = json.loads(OFFSETS_FILE.read_text(encoding="utf-8"))["cases"]


@pytest.fixture
def http(live_server, owner):
    client = Http(live_server.url, owner.key)
    yield client
    client.session.close()


def text_sample(http: Http, task_type: str, text: str) -> str:
    dataset = {"name": "notes", "task_type": task_type, "task_attributes": CATEGORIES}
    created = http.post("/user/datasets/", json=dataset)
    assert created.status_code == 201, created.text
    sample = http.post("/datasets/olivia/notes/samples/", json={"name": "s1", "attributes": {"text": text}})
    assert sample.status_code == 201, sample.text
    return sample.json()["uuid"]


def spans(*offsets: tuple[int, int]) -> dict:
    return {
        "format_version": "0.1",
        "annotations": [{"start": start, "end": end, "category_id": 1} for start, end in offsets],
    }


def overlapping(annotations: list[dict]) -> list[tuple[int, int]]:
    ordered = sorted((a["start"], a["end"]) for a in annotations)
    return [(a, b) for a, b in itertools.pairwise(ordered) if b[0] < a[1]]


def test_overlapping_named_entities_are_refused_naming_both_spans(http):
    uuid = text_sample(http, "text-named-entities", "x" * 100)
    label = spans((0, 5), (10, 20), (30, 40), (50, 60), (70, 80), (35, 45))

    response = http.put(f"/labels/{uuid}/ground-truth/", json={"label_status": "LABELED", "attributes": label})

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["path"], e["rule"]) for e in errors] == [("attributes.annotations[5]", "entity_overlap")]
    assert "annotations[2] [30, 40)" in errors[0]["message"]
    assert "annotations[5] [35, 45)" in errors[0]["message"]
    assert "annotations[2]" in response.json()["detail"]
    assert "annotations[5]" in response.json()["detail"]
    assert not Label.objects.exists()


def test_overlapping_span_categories_are_stored(http):
    uuid = text_sample(http, "text-span-categorization", "x" * 100)
    label = spans((0, 20), (5, 10), (5, 30))

    response = http.put(f"/labels/{uuid}/ground-truth/", json={"label_status": "LABELED", "attributes": label})

    assert response.status_code == 201, response.text
    assert Label.objects.get().attributes == label


def test_touching_named_entities_do_not_overlap(http):
    uuid = text_sample(http, "text-named-entities", "x" * 100)
    label = spans((0, 5), (5, 10))
    response = http.put(f"/labels/{uuid}/ground-truth/", json={"attributes": label})
    assert response.status_code == 201, response.text


WRITERS = 20


@pytest.mark.postgresql
def test_concurrent_writers_of_overlapping_entities_never_store_an_overlapping_label(live_server, owner):
    assert connection.vendor == "postgresql", "this test needs PostgreSQL: set DATABASE_URL"
    # given an NER label at version 1 holding one entity, and 20 writers who each read it and add their own
    # entity; every two writers' entities overlap, each writer's own label is valid
    http = Http(live_server.url, owner.key)
    uuid = text_sample(http, "text-named-entities", "x" * 200)
    url = f"{live_server.url}/labels/{uuid}/ground-truth/"
    first = http.put(f"/labels/{uuid}/ground-truth/", json={"attributes": spans((0, 5)), "version": 0})
    assert first.status_code == 201, first.text
    own = [(10 + writer, 100 + writer) for writer in range(WRITERS)]
    header = {"Authorization": f"APIKey {owner.key}"}
    stored_snapshots: list[list[dict]] = []
    done = threading.Event()

    def watch() -> None:  # reads the stored label all through the race
        try:
            while not done.is_set():
                stored_snapshots.extend(Label.objects.values_list("attributes__annotations", flat=True))
        finally:
            connection.close()

    def write(writer: int, version: int, barrier: threading.Barrier) -> requests.Response:
        current = http.get(f"/labels/{uuid}/ground-truth/").json()["attributes"]["annotations"]
        body = {"attributes": spans(*[(a["start"], a["end"]) for a in current], own[writer]), "version": version}
        barrier.wait()
        with requests.Session() as session:
            return session.put(url, json=body, headers=header, timeout=30)

    # when all 20 write at the same moment from version 1
    watcher = threading.Thread(target=watch)
    watcher.start()
    barrier = threading.Barrier(WRITERS)
    with ThreadPoolExecutor(WRITERS) as pool:
        responses = list(pool.map(lambda writer: write(writer, 1, barrier), range(WRITERS)))
    # and each loser retries from the version it is told is current
    losers = [writer for writer, r in enumerate(responses) if r.status_code == 409]
    retries = [write(writer, responses[writer].json()["current_version"], threading.Barrier(1)) for writer in losers]
    done.set()
    watcher.join()

    # then one writer won, the 19 others got the 409 of the version check, and their retries the 400 of the rule
    assert sorted(r.status_code for r in responses) == [201] + [409] * (WRITERS - 1)  # PUT answers 201
    assert {r.json()["current_version"] for r in responses if r.status_code == 409} == {2}
    assert [r.status_code for r in retries] == [400] * (WRITERS - 1)
    assert {r.json()["errors"][0]["rule"] for r in retries} == {"entity_overlap"}
    stored = Label.objects.get()
    assert stored.version == 2
    assert len(stored.attributes["annotations"]) == 2
    assert stored_snapshots, "the watcher read the label during the race"
    assert all(overlapping(snapshot) == [] for snapshot in [*stored_snapshots, stored.attributes["annotations"]])
    http.session.close()


@pytest.mark.parametrize("case", OFFSET_CASES, ids=[str(i) for i in range(len(OFFSET_CASES))])
@pytest.mark.parametrize("task_type", ["text-named-entities", "text-span-categorization"])
def test_non_ascii_offsets_count_code_points_and_round_trip(http, task_type, case):
    # the same texts and spans as the node tests of frontend_static/editors/text/offsets.js
    uuid = text_sample(http, task_type, case["text"])
    label = spans(*[(span["start"], span["end"]) for span in case["spans"]])

    put = http.put(f"/labels/{uuid}/ground-truth/", json={"label_status": "LABELED", "attributes": label})
    fetched = http.get(f"/labels/{uuid}/ground-truth/").json()
    text = http.get(f"/samples/{uuid}/").json()["attributes"]["text"]

    assert put.status_code == 201, put.text
    assert fetched["attributes"] == label
    assert Label.objects.get().attributes == label
    assert text == case["text"]
    assert len(text) == case["code_points"]
    assert [text[a["start"] : a["end"]] for a in fetched["attributes"]["annotations"]] == [
        span["text"] for span in case["spans"]
    ]


def test_the_offset_cases_hold_non_ascii_text():
    first = OFFSET_CASES[0]
    assert first["text"][17:19] == "東京"  # code points: 17 whatever the encoding
    assert first["text"].encode("utf-16-le")[2 * 17 : 2 * 19].decode("utf-16-le") == "東京"  # no pair before it
    assert len("🎉🇫🇷") == 3  # one code point each, two UTF-16 units each
    assert first["utf16_units"] > first["code_points"]


def test_an_end_in_utf16_units_past_the_code_point_length_is_refused(http):
    uuid = text_sample(http, "text-named-entities", "🎉🎉")
    response = http.put(f"/labels/{uuid}/ground-truth/", json={"attributes": spans((0, 4))})
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "text_bounds"
    assert not Label.objects.exists()
