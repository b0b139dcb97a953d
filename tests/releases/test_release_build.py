"""The release build: a streamed §9.1 file from one consistent snapshot, published once, idempotent."""

import json
import threading
import time

import psycopg
import pytest
from django.core.files.storage import default_storage
from django.db import connection, transaction

from datasets.models import Label, LabelSet, Release, Sample
from datasets.services import release_build, releases
from datasets.services.datasets import create_dataset
from datasets.services.labels import save_label
from datasets.tasks import build_release, recover_stale_releases
from tests.conftest import VECTOR_TASK_ATTRIBUTES
from tests.releases.conftest import database_url


def box_label(x: float) -> dict:
    return {
        "format_version": "0.1",
        "annotations": [{"id": 1, "category_id": 1, "type": "bbox", "points": [[x, 1.0], [x + 5.0, 9.0]]}],
    }


def make_dataset(owner, *, samples: int):
    dataset = create_dataset(
        owner,
        owner_name=owner.username,
        owner_user=owner,
        name="many",
        task_type="vector",
        task_attributes=VECTOR_TASK_ATTRIBUTES,
    )
    LabelSet.objects.create(dataset=dataset, name="predictions")
    Sample.objects.bulk_create(
        Sample(dataset=dataset, name=f"{index:05}.png", attributes={"image": {"url": f"http://x/{index}.png"}})
        for index in range(samples)
    )
    return dataset


def read_release(release: Release) -> dict:
    release.refresh_from_db()
    with default_storage.open(release.file.name, "rb") as stored:
        return json.load(stored)


@pytest.mark.django_db(transaction=True)
def test_release_file_has_every_sample_with_every_label_set_in_name_order(alice, monkeypatch):
    # given 25 samples, 5 of them labeled, streamed 10 at a time
    monkeypatch.setattr(release_build, "SAMPLES_PER_CHUNK", 10)
    dataset = make_dataset(alice, samples=25)
    for sample in dataset.samples.order_by("name")[:5]:
        save_label(alice, sample, "ground-truth", attributes=box_label(2.0), label_status="LABELED")
    # when a release is created (the task runs after commit)
    release = releases.create_release(alice, dataset, name="v1", description="first")
    # then
    document = read_release(release)
    samples = document["dataset"]["samples"]
    assert (release.status, release.samples_count) == ("SUCCEEDED", 25)
    assert (document["name"], document["description"], document["dataset"]["owner"]) == ("v1", "first", "alice")
    assert [labelset["name"] for labelset in document["dataset"]["labelsets"]] == ["ground-truth", "predictions"]
    assert [sample["name"] for sample in samples] == [f"{index:05}.png" for index in range(25)]
    assert all(set(sample["labels"]) == {"ground-truth", "predictions"} for sample in samples)
    assert samples[0]["labels"]["ground-truth"]["attributes"] == box_label(2.0)
    assert samples[0]["labels"]["ground-truth"]["created_by"] == "alice"
    assert samples[0]["labels"]["predictions"] is None
    assert samples[5]["labels"] == {"ground-truth": None, "predictions": None}
    assert release.file.name.startswith("releases/")
    assert len(release.file.name.split("/")[1]) == 32


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
def test_a_release_another_worker_is_building_is_left_to_that_build(alice):
    # given a PENDING release whose build runs in another worker: its session holds the build lock
    dataset = make_dataset(alice, samples=3)
    release = Release.objects.create(dataset=dataset, name="v1")
    other_worker = psycopg.connect(database_url(), autocommit=True)
    other_worker.execute("SELECT pg_advisory_lock(%s, %s)", release_build.build_lock_key(release.pk))
    # when this worker gets a second delivery of the build
    build_release(release.pk)
    # then it leaves the release to the other build
    release.refresh_from_db()
    assert (release.status, release.file.name) == ("PENDING", "")
    # and when the other worker dies mid-build, PostgreSQL drops its lock, and the next delivery builds it
    other_worker.close()
    _wait_until_unlocked(release_build.build_lock_key(release.pk))  # the server ends that session on its own time
    build_release(release.pk)
    release.refresh_from_db()
    assert (release.status, release.samples_count) == ("SUCCEEDED", 3)


def _wait_until_unlocked(key: tuple[int, int], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(database_url(), autocommit=True) as observer:
        while time.monotonic() < deadline:
            held = observer.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s AND objid = %s", key
            ).fetchone()
            if held == (0,):
                return
            time.sleep(0.05)
    raise AssertionError(f"advisory lock {key} still held after {timeout} s")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
def test_labels_saved_during_a_build_are_all_in_or_all_out(alice, monkeypatch):
    if connection.vendor != "postgresql":  # SQLite blocks the writer for the whole build instead
        pytest.fail("This test needs PostgreSQL (DATABASE_URL): the snapshot is a REPEATABLE READ transaction.")
    # given 30 labeled samples, read 10 at a time
    monkeypatch.setattr(release_build, "SAMPLES_PER_CHUNK", 10)
    dataset = make_dataset(alice, samples=30)
    samples = list(dataset.samples.order_by("name"))
    for sample in samples:
        save_label(alice, sample, "ground-truth", attributes=box_label(1.0), label_status="LABELED")
    release = Release.objects.create(dataset=dataset, name="v1")

    def relabel_every_sample() -> None:  # another connection, one transaction over all chunks
        try:
            with transaction.atomic():
                for sample in samples:
                    save_label(alice, sample, "ground-truth", attributes=box_label(50.0), label_status="REVIEWED")
        finally:
            connection.close()

    encode = release_build._encode_samples
    calls = []

    def encode_then_relabel(chunk, labelset_names, *, first):
        encoded = encode(chunk, labelset_names, first=first)
        calls.append(len(chunk))
        if len(calls) == 1:  # after the first chunk is written, commit new labels for every sample
            writer = threading.Thread(target=relabel_every_sample)
            writer.start()
            writer.join()
        return encoded

    monkeypatch.setattr(release_build, "_encode_samples", encode_then_relabel)
    # when the release is built while the labels change
    build_release(release.pk)
    # then the relabeling was committed mid-build, yet the file holds only the labels as they were before it
    assert calls == [10, 10, 10]
    assert set(Label.objects.values_list("label_status", flat=True)) == {"REVIEWED"}
    labels = [sample["labels"]["ground-truth"] for sample in read_release(release)["dataset"]["samples"]]
    assert {(label["label_status"], label["attributes"]["annotations"][0]["points"][0][0]) for label in labels} == {
        ("LABELED", 1.0)
    }
    # and a release built afterwards holds all of them
    monkeypatch.setattr(release_build, "_encode_samples", encode)
    later = Release.objects.create(dataset=dataset, name="v2")
    build_release(later.pk)
    assert {s["labels"]["ground-truth"]["label_status"] for s in read_release(later)["dataset"]["samples"]} == {
        "REVIEWED"
    }


@pytest.mark.django_db(transaction=True)
def test_a_second_build_of_a_published_release_changes_nothing(alice):
    dataset = make_dataset(alice, samples=3)
    release = releases.create_release(alice, dataset, name="v1")
    release.refresh_from_db()
    published = (release.file.name, release.finished_at)

    build_release(release.pk)
    recover_stale_releases()

    release.refresh_from_db()
    assert (release.file.name, release.finished_at) == published
    assert default_storage.listdir("releases")[0] == [release.file.name.split("/")[1]]


@pytest.mark.django_db(transaction=True)
def test_a_pending_release_left_by_a_dead_worker_is_rebuilt_by_the_recovery_sweep(alice):
    dataset = make_dataset(alice, samples=4)
    release = Release.objects.create(dataset=dataset, name="v1")  # as if its worker died: no file, PENDING

    assert recover_stale_releases() == 1

    release.refresh_from_db()
    assert (release.status, release.samples_count) == ("SUCCEEDED", 4)


@pytest.mark.django_db(transaction=True)
def test_a_failing_build_is_failed_with_its_reason_and_publishes_nothing(alice, monkeypatch):
    dataset = make_dataset(alice, samples=3)
    monkeypatch.setattr(release_build, "_encode_samples", lambda *args, **kwargs: 1 / 0)

    release = releases.create_release(alice, dataset, name="v1")

    release.refresh_from_db()
    assert (release.status, release.failure_reason, release.file.name) == (
        "FAILED",
        "ZeroDivisionError: division by zero",
        "",
    )
    assert not default_storage.exists("releases")


@pytest.mark.django_db(transaction=True)
def test_build_reports_progress_and_the_end_as_live_events(alice, monkeypatch):
    from datasets import realtime

    monkeypatch.setattr(release_build, "SAMPLES_PER_CHUNK", 2)
    sent = []
    monkeypatch.setattr(realtime, "send_now", lambda group, event: sent.append(event))
    dataset = make_dataset(alice, samples=5)

    releases.create_release(alice, dataset, name="v1")

    progress = [(e["samples_done"], e["samples_total"]) for e in sent if e["type"] == "release.progress"]
    assert progress == [(2, 5), (4, 5), (5, 5)]
    assert [(e["status"], e["samples_count"]) for e in sent if e["type"] == "release.finished"] == [("SUCCEEDED", 5)]
