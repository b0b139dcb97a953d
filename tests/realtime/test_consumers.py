"""The dataset websocket: who may connect, which events arrive, and that only committed changes are told.

Each test runs twice through the `channel_layer` fixture: on the in-memory layer and on Redis.
"""

import json

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction
from django.test import Client

from datasets import realtime
from datasets.models import Label, Release, Sample
from datasets.services.labels import save_label
from tests.realtime.conftest import communicator, dataset_path, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("channel_layer", "close_thread_connections"),
]

LABEL = {
    "label_status": "LABELED",
    "attributes": {
        "format_version": "0.1",
        "annotations": [{"id": 1, "category_id": 1, "type": "bbox", "points": [[1.0, 2.0], [30.0, 40.0]]}],
    },
}


@sync_to_async
def put_label(sample, header, body=None):
    client = Client()
    return client.put(
        f"/labels/{sample.uuid}/ground-truth/",
        json.dumps(body or LABEL),
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )


@sync_to_async
def first_sample(dataset):
    return Sample.objects.select_related("dataset").get(dataset=dataset)


async def connected(**kwargs):
    client = communicator(dataset_path(), **kwargs)
    accepted, _ = await client.connect()
    assert accepted
    return client


async def test_labeler_watching_the_dataset_receives_label_saved_from_an_api_save(
    vector_dataset, labeler, alice, api_key_for
):
    # given lara watches alice/photos in her browser
    watcher = await connected(cookie=await sync_to_async(session_cookie)(labeler))
    sample = await first_sample(vector_dataset)
    # when alice saves a label through the API
    response = await put_label(sample, await sync_to_async(api_key_for)(alice))
    # then
    assert response.status_code == 201
    event = await watcher.receive_json_from(timeout=2)
    assert event == {
        "type": "label.saved",
        "sample_uuid": str(sample.uuid),
        "labelset": "ground-truth",
        "label_status": "LABELED",
        "version": 1,
        "updated_by": "alice",
        "updated_at": event["updated_at"],
    }
    stored = await sync_to_async(Label.objects.get)(sample=sample)
    assert event["updated_at"] == stored.updated_at.isoformat()
    await watcher.disconnect()


async def test_script_with_api_key_and_no_origin_receives_label_deleted(vector_dataset, labeler, api_key_for):
    header = await sync_to_async(api_key_for)(labeler)
    watcher = await connected(api_key_header=header, origin=None)
    sample = await first_sample(vector_dataset)
    await put_label(sample, header)
    assert (await watcher.receive_json_from(timeout=2))["type"] == "label.saved"

    response = await sync_to_async(Client().delete)(f"/labels/{sample.uuid}/ground-truth/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 204
    assert await watcher.receive_json_from(timeout=2) == {
        "type": "label.deleted",
        "sample_uuid": str(sample.uuid),
        "labelset": "ground-truth",
        "deleted_by": "lara",
    }
    await watcher.disconnect()


def send_each_event(sample, alice, labeler):
    """Call every sender the other services use, as they would (outside a transaction: sent at once)."""
    label = save_label(alice, sample, "ground-truth", attributes=None, label_status="PRELABELED")
    sample.assigned_labeler = labeler
    sample.save(update_fields=["assigned_labeler"])
    realtime.broadcast_sample_assigned(alice, sample)
    realtime.broadcast_sample_created(alice, sample)
    release = Release.objects.create(dataset=sample.dataset, name="v1", created_by=alice)
    realtime.broadcast_release_progress(release, samples_done=1, samples_total=2)
    release.status, release.samples_count = Release.SUCCEEDED, 2
    realtime.broadcast_release_finished(release)
    realtime.broadcast_interpolation_finished(sample, label, [3, 4])
    realtime.broadcast_sample_deleted(alice, sample)
    return release


async def test_allowed_user_receives_each_event_type_with_its_payload(vector_dataset, alice, labeler):
    watcher = await connected(cookie=await sync_to_async(session_cookie)(labeler))
    sample = await first_sample(vector_dataset)

    release = await sync_to_async(send_each_event)(sample, alice, labeler)

    events = [await watcher.receive_json_from(timeout=2) for _ in range(7)]
    assert [event["type"] for event in events] == [
        "label.saved",
        "sample.assigned",
        "sample.created",
        "release.progress",
        "release.finished",
        "interpolation.finished",
        "sample.deleted",
    ]
    uuid = str(sample.uuid)
    assert events[1] == {
        "type": "sample.assigned",
        "sample_uuid": uuid,
        "assigned_labeler": "lara",
        "assigned_reviewer": None,
        "assigned_by": "alice",
    }
    assert events[2] == {
        "type": "sample.created",
        "sample_uuid": uuid,
        "name": "chelsea.png",
        "created_by": "alice",
    }
    assert events[3] == {
        "type": "release.progress",
        "release_uuid": str(release.uuid),
        "name": "v1",
        "samples_done": 1,
        "samples_total": 2,
    }
    assert events[4] == {
        "type": "release.finished",
        "release_uuid": str(release.uuid),
        "name": "v1",
        "status": "SUCCEEDED",
        "samples_count": 2,
        "failure_reason": "",
    }
    assert events[5] == {
        "type": "interpolation.finished",
        "sample_uuid": uuid,
        "labelset": "ground-truth",
        "version": 1,
        "track_ids": [3, 4],
    }
    assert events[6] == {
        "type": "sample.deleted",
        "sample_uuid": uuid,
        "name": "chelsea.png",
        "deleted_by": "alice",
    }
    assert await watcher.receive_nothing(timeout=0.1)
    await watcher.disconnect()


def save_then_roll_back(sample, actor):
    try:
        with transaction.atomic():
            save_label(actor, sample, "ground-truth", attributes=None, label_status="SKIPPED")
            raise RuntimeError("the request failed after the label write")
    except RuntimeError:
        pass


async def test_no_event_is_sent_for_a_rolled_back_save(vector_dataset, alice, labeler):
    watcher = await connected(cookie=await sync_to_async(session_cookie)(labeler))
    sample = await first_sample(vector_dataset)

    await sync_to_async(save_then_roll_back)(sample, alice)

    assert await watcher.receive_nothing(timeout=0.3)
    assert not await sync_to_async(Label.objects.filter(sample=sample).exists)()
    # the connection still works: the next committed save is told
    await sync_to_async(save_label)(alice, sample, "ground-truth", attributes=None, label_status="LABELED")
    event = await watcher.receive_json_from(timeout=2)
    assert (event["type"], event["label_status"], event["version"]) == ("label.saved", "LABELED", 1)
    await watcher.disconnect()


async def test_events_of_one_dataset_do_not_reach_watchers_of_another(vector_dataset, alice, labeler):
    from datasets.services.datasets import create_dataset

    other = await sync_to_async(create_dataset)(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="other",
        task_type="vector",
        task_attributes=vector_dataset.task_attributes,
    )
    client = communicator(dataset_path("alice", "other"), cookie=await sync_to_async(session_cookie)(alice))
    assert (await client.connect())[0]
    sample = await first_sample(vector_dataset)

    await sync_to_async(save_label)(alice, sample, "ground-truth", attributes=None, label_status="LABELED")

    assert await client.receive_nothing(timeout=0.3)
    assert other.pk != vector_dataset.pk
    await client.disconnect()


async def test_outsider_cannot_connect_to_a_private_dataset(vector_dataset, outsider):
    client = communicator(dataset_path(), cookie=await sync_to_async(session_cookie)(outsider))
    accepted, _ = await client.connect()
    assert not accepted


async def test_anonymous_visitor_cannot_connect(vector_dataset):
    client = communicator(dataset_path())
    accepted, _ = await client.connect()
    assert not accepted


async def test_unknown_dataset_is_refused_like_a_private_one(vector_dataset, alice):
    client = communicator(dataset_path("alice", "missing"), cookie=await sync_to_async(session_cookie)(alice))
    accepted, _ = await client.connect()
    assert not accepted


async def test_wrong_api_key_is_refused_even_for_a_public_dataset(vector_dataset):
    vector_dataset.public = True
    await sync_to_async(vector_dataset.save)(update_fields=["public"])
    client = communicator(dataset_path(), api_key_header="APIKey not-a-key", origin=None)
    accepted, _ = await client.connect()
    assert not accepted


async def test_session_connection_from_another_site_is_refused(vector_dataset, labeler):
    cookie = await sync_to_async(session_cookie)(labeler)
    client = communicator(dataset_path(), cookie=cookie, origin="https://evil.example")
    accepted, _ = await client.connect()
    assert not accepted


@sync_to_async
def api(method: str, path: str, header: str, body=None):
    client = Client()
    return getattr(client, method)(path, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=header)


async def test_sample_added_assigned_and_deleted_through_the_api_are_announced(vector_dataset, alice, api_key_for):
    # given alice watches her dataset
    watcher = await connected(cookie=await sync_to_async(session_cookie)(alice))
    header = await sync_to_async(api_key_for)(alice)
    # when she adds a sample, assigns it to lara and deletes it, all through the API
    created = await api(
        "post", "/datasets/alice/photos/samples/", header, {"name": "new.png", "attributes": {"image": {"url": "u"}}}
    )
    sample_uuid = created.json()["uuid"]
    assigned = await api("patch", f"/samples/{sample_uuid}/", header, {"assigned_labeler": "lara"})
    deleted = await api("delete", f"/samples/{sample_uuid}/", header)
    # then each change arrives, in order
    assert (created.status_code, assigned.status_code, deleted.status_code) == (201, 200, 204)
    events = [await watcher.receive_json_from(timeout=2) for _ in range(3)]
    assert [(event["type"], event["sample_uuid"]) for event in events] == [
        ("sample.created", sample_uuid),
        ("sample.assigned", sample_uuid),
        ("sample.deleted", sample_uuid),
    ]
    assert events[1]["assigned_labeler"] == "lara"
    assert events[2]["name"] == "new.png"
    await watcher.disconnect()
