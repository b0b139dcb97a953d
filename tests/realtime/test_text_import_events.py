"""A text corpus import is told to the dataset's watchers as one `samples.imported` event, after commit; a
refused import tells nothing."""

from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from datasets.models import Sample
from datasets.services.datasets import create_dataset
from tests.realtime.conftest import communicator, dataset_path, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("channel_layer", "close_thread_connections"),
]

WIKIGOLD = Path(__file__).resolve().parents[2] / "examples" / "text" / "wikigold.conll.txt"


@sync_to_async
def text_dataset(owner):
    return create_dataset(owner, owner_name="alice", owner_user=owner, name="news", task_type="text-named-entities")


@sync_to_async
def upload(owner, name: str, content: bytes):
    client = Client()
    client.force_login(owner)
    file = SimpleUploadedFile(name, content)
    return client.post("/datasets/alice/news/imports/text/", {"file": file, "labelset": "ground-truth"})


async def test_an_import_sends_one_samples_imported_event_and_a_refused_one_none(alice):
    await text_dataset(alice)
    watcher = communicator(dataset_path("alice", "news"), cookie=await sync_to_async(session_cookie)(alice))
    accepted, _ = await watcher.connect()
    assert accepted

    refused = await upload(alice, "bad.conll", b"Ada B-PER\nLovelace\n")
    imported = await upload(alice, "wikigold.conll.txt", WIKIGOLD.read_bytes())

    assert refused.status_code == 400
    assert imported.status_code == 201, imported.content
    event = await watcher.receive_json_from(timeout=5)
    assert event == {
        "type": "samples.imported",
        "samples_created": 1696,
        "labels_created": 1696,
        "first_sample": "wikigold-00001",
        "last_sample": "wikigold-01696",
        "imported_by": "alice",
    }
    assert await watcher.receive_nothing(timeout=0.2)
    assert await sync_to_async(Sample.objects.count)() == 1696
    await watcher.disconnect()


async def test_a_queued_import_tells_its_progress_and_outcome(alice, monkeypatch):
    monkeypatch.setattr("datasets.services.text_imports.INLINE_IMPORT_BYTES", 10)
    await text_dataset(alice)
    watcher = communicator(dataset_path("alice", "news"), cookie=await sync_to_async(session_cookie)(alice))
    accepted, _ = await watcher.connect()
    assert accepted

    queued = await upload(alice, "people.conll", b"Ada B-PER\nLovelace I-PER\nwrote O\n")
    refused = await upload(alice, "bad.conll", b"Ada B-PER\nLovelace\n")

    assert (queued.status_code, refused.status_code) == (202, 202)
    events = [await watcher.receive_json_from(timeout=5) for _ in range(5)]
    good_id, bad_id = queued.json()["import_id"], refused.json()["import_id"]
    assert [(e["type"], e.get("import_id")) for e in events] == [
        ("text_import.progress", good_id),
        ("samples.imported", None),
        ("text_import.finished", good_id),
        ("text_import.progress", bad_id),
        ("text_import.finished", bad_id),
    ]
    assert events[2]["summary"]["samples_created"] == 1
    assert events[2]["summary"]["entities"] == {"PER": 1}
    assert events[4]["summary"] is None
    assert [(e["line"], e["rule"]) for e in events[4]["errors"]] == [(2, "line")]
    await watcher.disconnect()
