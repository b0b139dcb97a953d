"""A real Celery worker process reads the clouds of a sample created through the API (issue 15 item 1).

Needs PostgreSQL and Redis (REDIS_URL): fails, never skips, without them. The worker listens on this run's own
queue, so other workers on the same Redis do not take its tasks.
"""

import json

import pytest

from datasets.models import PointCloudFrame
from datasets.tasks import read_sample_point_clouds
from tests.releases.test_release_worker import redis_url, start_worker, to_redis, wait_for  # noqa: F401 - fixtures
from tests.test_pointcloud_reads import FRAME_POINTS, make_dataset

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_real_worker_reads_every_frame_once_after_the_sample_is_created(client, alice, api_key_for, start_worker):  # noqa: F811
    worker = start_worker("pointclouds")
    dataset = make_dataset(alice, "pointcloud-segmentation-sequence")
    frames = [
        {"pcd": {"url": f"http://testserver/static/examples/pointcloud_sequence/lidar/{name}.pcd", "type": "pcd"}}
        for name in FRAME_POINTS
    ]

    response = client.post(
        f"/datasets/{dataset.full_name}/samples/",
        json.dumps({"name": "four-frames", "attributes": {"frames": frames}}),
        content_type="application/json",
        HTTP_AUTHORIZATION=api_key_for(alice),
    )

    assert response.status_code == 201  # answered before any cloud was read

    def read_frames():
        frames = list(PointCloudFrame.objects.filter(sample__uuid=response.json()["uuid"], status="READ"))
        return frames if len(frames) == 4 else None

    stored = wait_for(read_frames, timeout=60, what="the worker to read 4 frames")
    assert sorted((frame.frame, frame.point_count) for frame in stored) == list(enumerate(FRAME_POINTS.values()))
    read_at = {frame.pk: frame.read_at for frame in stored}

    # a second delivery of the task reads nothing again (the worker logs "received" and "succeeded" per task)
    read_sample_point_clouds.delay(stored[0].sample_id)
    wait_for(
        lambda: worker.log_path.read_text().count("read_sample_point_clouds") >= 4,
        timeout=30,
        what="the second task to finish",
    )
    assert {f.pk: f.read_at for f in PointCloudFrame.objects.filter(pk__in=read_at)} == read_at
