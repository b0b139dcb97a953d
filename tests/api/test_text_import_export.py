"""Text corpora through the API: CoNLL and JSONL files import as samples (and pre-labels), a release exports as
CoNLL or JSONL; Wikigold goes round import -> release -> export token for token; a bad line refuses the whole file."""

import json
from pathlib import Path

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from datasets.models import Dataset, Label, LabelVersion, Sample
from tests.api.test_text_datasets import Http

pytestmark = pytest.mark.django_db(transaction=True)

TEXT_DATA = Path(__file__).resolve().parents[2] / "examples" / "text"
WIKIGOLD = TEXT_DATA / "wikigold.conll.txt"
SPANS_300 = TEXT_DATA / "wikigold_spans_first300.jsonl"
SLOW = 120  # seconds: the whole Wikigold corpus on a machine shared with other test runs


@pytest.fixture
def http(live_server, owner):
    client = Http(live_server.url, owner.key)
    yield client
    client.session.close()


def text_dataset(http: Http, task_type: str = "text-named-entities", categories=None) -> None:
    task_attributes = {"format_version": "0.1", "categories": categories or []}
    payload = {"name": "corpus", "task_type": task_type, "task_attributes": task_attributes}
    assert http.post("/user/datasets/", json=payload).status_code == 201


def upload(http: Http, name: str, content: bytes, **options) -> requests.Response:
    form = {"labelset": "ground-truth", **options}
    url = f"{http.base}/datasets/olivia/corpus/imports/text/"
    return http.session.post(url, files={"file": (name, content)}, data=form, timeout=SLOW)


def export(http: Http, file_format: str, **params) -> requests.Response:
    assert http.post("/datasets/olivia/corpus/releases/", json={"name": "v1"}).status_code in (200, 201)
    url = f"{http.base}/datasets/olivia/corpus/releases/v1/export/"
    response = http.session.get(url, params={"format": file_format, **params}, timeout=SLOW)
    assert response.status_code == 200, response.text
    return response


def token_lines(text: str) -> list[tuple[str, ...]]:
    return [tuple(line.split()) for line in text.splitlines() if line.strip() and not line.startswith("-DOCSTART-")]


@pytest.mark.parametrize("per", ["sentence", "document"])
def test_wikigold_round_trips_import_release_export_token_for_token(http, per):
    # given an NER dataset without categories
    text_dataset(http)
    # when Wikigold (IO tags) is imported with its entities as pre-labels, released and exported as CoNLL IO
    imported = upload(http, "wikigold.conll.txt", WIKIGOLD.read_bytes(), per=per)
    exported = export(http, "conll", scheme="io")
    # then every token comes back with its tag, and the samples and labels are in the database
    assert imported.status_code == 201, imported.text
    summary = imported.json()
    samples = 1696 if per == "sentence" else 145
    assert (summary["samples_created"], summary["labels_created"]) == (samples, samples)
    assert summary["categories_added"] == ["LOC", "MISC", "ORG", "PER"]
    assert summary["first_sample"] == "wikigold-00001"
    assert token_lines(exported.text) == token_lines(WIKIGOLD.read_text(encoding="utf-8"))
    assert exported.text.count("-DOCSTART-") == 144
    assert Sample.objects.count() == Label.objects.count() == samples
    assert {c["name"] for c in Dataset.objects.get().categories} == {"LOC", "MISC", "ORG", "PER"}
    first = Sample.objects.get(name="wikigold-00001")
    assert first.attributes["text"].startswith("010 is the tenth album from Japanese Punk Techno band")
    assert Label.objects.get(sample=first).label_status == "PRELABELED"


def test_wikigold_exports_as_jsonl_with_the_offsets_of_the_spans_file(http):
    text_dataset(http)
    assert upload(http, "wikigold.conll.txt", WIKIGOLD.read_bytes()).status_code == 201
    exported = [json.loads(line) for line in export(http, "jsonl").text.splitlines()]
    expected = [json.loads(line) for line in SPANS_300.read_text(encoding="utf-8").splitlines()]
    assert len(exported) == 1696
    for got, want in zip(exported, expected, strict=False):
        assert got["text"] == want["text"]
        assert [(s["start"], s["end"], s["label"], s["text"]) for s in got["spans"]] == [
            (s["start"], s["end"], s["label"], s["text"]) for s in want["spans"]
        ]


BIO = b"Ada B-PER\nLovelace I-PER\nmet O\nCharles B-PER\nBabbage I-PER\nin O\nLondon B-LOC\n. O\n\n"
BIOES = b"Ada B-PER\nLovelace E-PER\nmet O\nCharles B-PER\nBabbage E-PER\nin O\nLondon S-LOC\n. O\n\n"


@pytest.mark.parametrize(("content", "scheme"), [(BIO, "bio"), (BIOES, "bioes")])
def test_bio_and_bioes_files_import_and_export_in_their_scheme(http, content, scheme):
    text_dataset(http, categories=[{"id": 7, "name": "PER"}])
    imported = upload(http, "people.conll", content)
    exported = export(http, "conll", scheme=scheme)
    assert imported.status_code == 201, imported.text
    assert imported.json()["entities"] == {"LOC": 1, "PER": 2}
    assert imported.json()["categories_added"] == ["LOC"]
    assert exported.text == content.decode()
    label = Label.objects.get()
    assert label.attributes["annotations"] == [
        {"start": 0, "end": 12, "category_id": 7},
        {"start": 17, "end": 32, "category_id": 7},
        {"start": 36, "end": 42, "category_id": 8},
    ]
    assert LabelVersion.objects.filter(label=label, version=1, created_by__username="olivia").exists()  # history


def test_a_malformed_line_is_reported_with_its_number_and_nothing_is_imported(http):
    text_dataset(http)
    lines = WIKIGOLD.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1200] = "a-token-without-a-tag\n"
    lines[30000] = "Paris X-LOC\n"
    response = upload(http, "wikigold.conll.txt", "".join(lines).encode())
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["line"], e["rule"]) for e in errors] == [(1201, "line"), (30001, "line")]
    assert "line 1201" in response.json()["detail"]
    assert "X-LOC" in errors[1]["message"]
    assert not Sample.objects.exists()
    assert not Label.objects.exists()
    assert Dataset.objects.get().categories == []


def test_overlapping_entities_in_jsonl_refuse_the_file_for_ner_but_not_for_span_categorization(http):
    lines = [
        json.dumps({"text": "New York City", "spans": [{"start": 0, "end": 8, "label": "LOC"}]}),
        json.dumps(
            {
                "text": "New York City",
                "spans": [{"start": 0, "end": 8, "label": "LOC"}, {"start": 4, "end": 13, "label": "LOC"}],
            }
        ),
    ]
    content = "\n".join(lines).encode()
    text_dataset(http)
    refused = upload(http, "cities.jsonl", content)
    assert refused.status_code == 400
    assert [e["line"] for e in refused.json()["errors"]] == [2]
    assert "overlap" in refused.json()["errors"][0]["message"]
    assert not Sample.objects.exists()
    http.delete("/datasets/olivia/corpus/")

    text_dataset(http, task_type="text-span-categorization")
    accepted = upload(http, "cities.jsonl", content)
    assert accepted.status_code == 201, accepted.text
    assert Label.objects.count() == 2


def test_jsonl_imports_samples_only_when_no_label_set_is_given(http):
    text_dataset(http)
    response = upload(http, "wikigold_spans_first300.jsonl", SPANS_300.read_bytes(), labelset="")
    assert response.status_code == 201, response.text
    assert (response.json()["samples_created"], response.json()["labels_created"]) == (300, 0)
    assert Sample.objects.count() == 300
    assert not Label.objects.exists()
    assert Sample.objects.get(name="wikigold_spans_first300-00300").metadata["document"] == 16


def test_importing_the_same_file_twice_is_refused_the_second_time(http):
    text_dataset(http)
    assert upload(http, "people.conll", BIO).status_code == 201
    again = upload(http, "people.conll", BIO)
    assert again.status_code == 400
    assert again.json()["errors"][0]["rule"] == "duplicate_name"
    assert Sample.objects.count() == 1


def test_only_managers_import(live_server, owner, labeler):
    http = Http(live_server.url, owner.key)
    text_dataset(http)
    response = Http(live_server.url, labeler.key).post(
        "/datasets/olivia/corpus/imports/text/", files={"file": ("people.conll", BIO)}
    )
    assert response.status_code == 404
    assert not Sample.objects.exists()


def test_a_big_file_is_imported_by_a_worker_and_its_stored_copy_removed(http, monkeypatch):
    # given files over 1 KB go to the worker (Celery runs in-process in the tests)
    monkeypatch.setattr("datasets.services.text_imports.INLINE_IMPORT_BYTES", 1024)
    text_dataset(http)
    # when Wikigold is uploaded
    response = upload(http, "wikigold.conll.txt", WIKIGOLD.read_bytes())
    # then the answer is 202 with the import's id, and the worker created the samples and removed its file
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    assert len(response.json()["import_id"]) == 32
    assert Sample.objects.count() == Label.objects.count() == 1696
    assert not default_storage.exists(f"imports/{response.json()['import_id']}/wikigold.conll.txt")


def test_the_import_task_runs_once_and_a_refused_file_stores_nothing(owner):
    from datasets.services.datasets import create_dataset
    from datasets.tasks import import_text_file

    dataset = create_dataset(
        owner.user, owner_name="olivia", owner_user=owner.user, name="corpus", task_type="text-named-entities"
    )
    good = default_storage.save("imports/a/people.conll", ContentFile(BIO))
    bad = default_storage.save("imports/b/bad.conll", ContentFile(b"Ada B-PER\nLovelace\n"))
    options = {"labelset_name": "ground-truth"}

    import_text_file(dataset.pk, owner.user.pk, good, "people.conll", "a", options)
    import_text_file(dataset.pk, owner.user.pk, good, "people.conll", "a", options)  # delivered twice
    import_text_file(dataset.pk, owner.user.pk, bad, "bad.conll", "b", options)

    assert list(Sample.objects.values_list("name", flat=True)) == ["people-00001"]
    assert Label.objects.count() == 1
    assert not default_storage.exists(good)
    assert not default_storage.exists(bad)
