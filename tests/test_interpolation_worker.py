"""Sequence labels are materialised after a save: keyframes in, every frame filled out (issue 5)."""

import json

import pytest

from datasets.models import Collaborator, Label, LabelVersion, Sample
from datasets.services.datasets import create_dataset
from datasets.services.interpolation import materialise_label

pytestmark = pytest.mark.django_db(transaction=True)

SEQUENCE_TASK_ATTRIBUTES = {"format_version": "0.1", "categories": [{"id": 1, "name": "car"}]}


def box(track_id: int, x0: float, y0: float, x1: float, y1: float, *, keyframe: bool = True) -> dict:
    return {
        "id": track_id,
        "track_id": track_id,
        "category_id": 1,
        "type": "bbox",
        "points": [[x0, y0], [x1, y1]],
        "is_keyframe": keyframe,
    }


@pytest.fixture
def sequence_sample(alice, labeler):
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="parking",
        task_type="image-vector-sequence",
        task_attributes=SEQUENCE_TASK_ATTRIBUTES,
    )
    Collaborator.objects.create(dataset=dataset, user=labeler, role="labeler")
    frames = [{"image": {"url": f"http://x/frame_{index:06}.jpg"}} for index in range(11)]
    return Sample.objects.create(dataset=dataset, name="seq", attributes={"frames": frames})


def keyframes_only_label() -> dict:
    frames = [{"annotations": []} for _ in range(11)]
    frames[0]["annotations"] = [box(1, 0.0, 0.0, 10.0, 10.0)]
    frames[10]["annotations"] = [box(1, 100.0, 50.0, 110.0, 60.0)]
    return {"format_version": "0.2", "frames": frames}


def test_api_put_of_keyframes_reads_back_with_every_frame_filled(client, sequence_sample, labeler, api_key_for):
    header = api_key_for(labeler)
    url = f"/labels/{sequence_sample.uuid}/ground-truth/"
    body = json.dumps({"label_status": "LABELED", "attributes": keyframes_only_label()})

    assert client.put(url, body, content_type="application/json", HTTP_AUTHORIZATION=header).status_code == 201
    label = client.get(url, HTTP_AUTHORIZATION=header).json()

    frames = label["attributes"]["frames"]
    assert len(frames) == 11
    assert all(len(frame["annotations"]) == 1 for frame in frames)
    middle = frames[5]["annotations"][0]
    assert middle["is_keyframe"] is False
    assert middle["track_id"] == 1
    assert middle["points"] == [[50.0, 25.0], [60.0, 35.0]]
    assert frames[0]["annotations"][0] == box(1, 0.0, 0.0, 10.0, 10.0)  # keyframes untouched
    assert label["version"] == 2  # the worker's write is a new version
    history = LabelVersion.objects.order_by("version").values_list("version", "created_by__username")
    assert list(history) == [(1, "lara"), (2, None)]  # in the history too, written by the system


def test_materialising_twice_changes_nothing_the_second_time(client, sequence_sample, labeler, api_key_for):
    body = json.dumps({"label_status": "LABELED", "attributes": keyframes_only_label()})
    client.put(
        f"/labels/{sequence_sample.uuid}/ground-truth/",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=api_key_for(labeler),
    )
    label = Label.objects.get(sample=sequence_sample)
    assert materialise_label(label.pk, label.version) is None
    assert Label.objects.get(pk=label.pk).version == label.version


def test_worker_does_not_overwrite_a_newer_save(sequence_sample, labeler):
    from datasets.services.labels import save_label

    label = save_label(labeler, sequence_sample, "ground-truth", attributes=None, label_status="PRELABELED")
    stale_version = label.version
    save_label(labeler, sequence_sample, "ground-truth", attributes=None, label_status="LABELED")
    assert materialise_label(label.pk, stale_version) is None
    assert Label.objects.get(pk=label.pk).label_status == "LABELED"


def test_editor_save_from_its_own_version_is_not_stale_after_the_worker_filled_it(sequence_sample, labeler):
    from datasets.services.labels import save_label

    # given the editor saved keyframes at version 1 and the worker materialised them as version 2
    saved = save_label(
        labeler,
        sequence_sample,
        "ground-truth",
        attributes=keyframes_only_label(),
        label_status="LABELING_IN_PROGRESS",
        expected_version=0,
    )
    assert saved.version == 1
    assert Label.objects.get(pk=saved.pk).version == 2
    # when the editor saves again from version 1
    again = save_label(
        labeler,
        sequence_sample,
        "ground-truth",
        attributes=keyframes_only_label(),
        label_status="LABELED",
        expected_version=1,
    )
    # then it is accepted (the worker's version derives from 1), and then materialised again
    assert again.version == 3
    assert Label.objects.get(pk=saved.pk).version == 4


def test_a_retried_save_is_recognised_after_the_worker_derived_a_version(client, sequence_sample, labeler, api_key_for):
    # given a keyed save whose response was lost, and the worker has since filled the frames (version 2)
    header = api_key_for(labeler)
    url = f"/labels/{sequence_sample.uuid}/ground-truth/"
    body = json.dumps({"label_status": "LABELED", "attributes": keyframes_only_label(), "version": 0})
    send = {"content_type": "application/json", "HTTP_AUTHORIZATION": header, "HTTP_IDEMPOTENCY_KEY": "save-7"}
    assert client.put(url, body, **send).status_code == 201
    stored = Label.objects.get()
    assert (stored.version, stored.interpolated_from, stored.save_id) == (2, 1, "save-7")

    # when the editor retries it
    retry = client.put(url, body, **send)

    # then it is the stored label, and nothing was written
    assert retry.status_code == 200
    assert retry.json()["version"] == 2
    assert len(retry.json()["attributes"]["frames"][5]["annotations"]) == 1
    assert Label.objects.values("version", "updated_at").get() == {"version": 2, "updated_at": stored.updated_at}
