"""Outages of Redis (the broker): saves stay 2xx, and their follow-up work (interpolation, release builds) is
recorded in the outbox and done once Redis is back, without restarting anything (issue 14, item 4)."""

import os

import pytest
import requests

from datasets.models import Collaborator, Label, PendingTask, Release, Sample
from datasets.services.datasets import create_dataset
from labeling.services import create_api_key
from tests.infra.conftest import process_environment, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]

FRAMES = 11


def keyframes_only_label(offset: float) -> dict:
    """A sequence label with keyframes at the first and last frame only (the worker fills the 9 between)."""
    frames = [{"annotations": []} for _ in range(FRAMES)]
    for index, x in ((0, offset), (FRAMES - 1, offset + 100)):
        box = {"id": 1, "track_id": 1, "category_id": 1, "type": "bbox", "is_keyframe": True}
        frames[index]["annotations"] = [{**box, "points": [[x, 0.0], [x + 10, 10.0]]}]
    return {"format_version": "0.2", "frames": frames}


@pytest.fixture
def sequences(alice, labeler):
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="parking",
        task_type="image-vector-sequence",
        task_attributes={"format_version": "0.1", "categories": [{"id": 1, "name": "car"}]},
    )
    Collaborator.objects.create(dataset=dataset, user=labeler, role="labeler")
    frames = [{"image": {"url": f"http://x/frame_{index:06}.jpg"}} for index in range(FRAMES)]
    return [Sample.objects.create(dataset=dataset, name=f"seq{i}", attributes={"frames": frames}) for i in range(3)]


def filled(sample: Sample) -> bool:
    label = Label.objects.filter(sample=sample).first()
    return label is not None and label.version == 2 and all(f["annotations"] for f in label.attributes["frames"])


# solo: the tests' usual worker; prefork: what `make worker` and docker-compose run (the relay is a thread of
# the main process, the tasks run in two child processes).
@pytest.mark.parametrize("pool", ["solo", "prefork"])
def test_saves_and_a_release_made_while_redis_is_down_are_done_when_it_returns(
    private_redis, processes, sequences, alice, labeler, pool
):
    # given a web process and a worker on a private Redis, with a fast outbox relay
    queue = f"outage-{os.getpid()}"
    environment = process_environment(
        private_redis.url, queue, OUTBOX_RELAY_INTERVAL_SECONDS="1", OUTBOX_RELAY_GRACE_SECONDS="1"
    )
    base = processes.web(environment)
    worker = processes.worker("worker", environment, pool=pool)
    wait_for(lambda: "ready." in worker.log_path.read_text(), timeout=60, what="the worker to be ready")
    labeler_key = {"Authorization": f"APIKey {create_api_key(labeler)}"}
    owner_key = {"Authorization": f"APIKey {create_api_key(alice)}"}
    # when Redis stops, and sequence labels and a release are saved
    private_redis.stop()
    for offset, sample in enumerate(sequences):
        body = {"label_status": "LABELED", "attributes": keyframes_only_label(float(offset))}
        response = requests.put(
            f"{base}/labels/{sample.uuid}/ground-truth/", json=body, headers=labeler_key, timeout=30
        )
        assert response.status_code == 201, response.text
    response = requests.post(
        f"{base}/datasets/alice/parking/releases/", json={"name": "v1"}, headers=owner_key, timeout=30
    )
    # then every save answered 2xx and is stored, and its follow-up work waits in the outbox
    assert response.status_code == 201, response.text
    release = Release.objects.get(dataset=sequences[0].dataset, name="v1")
    assert [Label.objects.get(sample=sample).version for sample in sequences] == [1, 1, 1]
    assert release.status == Release.PENDING
    waiting = sorted(PendingTask.objects.values_list("task_name", flat=True))
    assert waiting == ["datasets.tasks.build_release"] + ["datasets.tasks.interpolate_label"] * 3
    # when Redis returns (same port, empty: nothing survived in the broker), nothing being restarted
    private_redis.start()
    # then the relay delivers the outbox: every label is materialised and the release is built
    for sample in sequences:
        wait_for(lambda sample=sample: filled(sample), timeout=90, what=f"the interpolation of {sample.name}")
    wait_for(lambda: Release.objects.get(pk=release.pk).status != Release.PENDING, timeout=90, what="the release build")
    release.refresh_from_db()
    assert (release.status, release.samples_count) == ("SUCCEEDED", 3)
    assert not PendingTask.objects.exists()
    assert worker.poll() is None  # the same worker, never restarted
