"""Releases built by real Celery worker processes over Redis, including a worker killed mid-build.

These tests need PostgreSQL and Redis (REDIS_URL): they fail, never skip, without them. Each run uses its own
queue, so other workers on the same Redis do not take its tasks.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.storage import default_storage

from datasets.models import Release, Sample
from datasets.services import release_build, releases
from datasets.services.datasets import create_dataset
from labeling.celery import app as celery_app
from tests.conftest import VECTOR_TASK_ATTRIBUTES
from tests.releases.conftest import database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]

ROOT = Path(settings.BASE_DIR)
QUEUE = f"releases-test-{os.getpid()}"


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.fail("The worker tests need Redis: set REDIS_URL. They are never skipped.")
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=2).ping()  # fails the test when Redis is down
    return url


@pytest.fixture
def to_redis(redis_url):
    """Send tasks to Redis, on this test's own queue, instead of running them in-process."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = False, QUEUE
    yield redis_url
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


@pytest.fixture
def start_worker(to_redis, tmp_path):
    """Return a function starting a `celery worker` process (own process group) with extra env; all are killed
    at the end."""
    started: list[subprocess.Popen] = []

    def start(name: str, **env: str) -> subprocess.Popen:
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "labeling.celery",
                "worker",
                "-P",
                "solo",
                "-Q",
                QUEUE,
                "-l",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{name}@%h",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url(),
                "REDIS_URL": to_redis,
                "CELERY_QUEUE": QUEUE,
                "CELERY_TASK_ALWAYS_EAGER": "0",
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                **env,
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log_path = tmp_path / f"{name}.log"
        started.append(process)
        return process

    yield start
    for process in started:
        kill(process)


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}")


def dataset_of(owner, samples: int):
    dataset = create_dataset(
        owner,
        owner_name=owner.username,
        owner_user=owner,
        name="big",
        task_type="vector",
        task_attributes=VECTOR_TASK_ATTRIBUTES,
    )
    Sample.objects.bulk_create(
        (
            Sample(dataset=dataset, name=f"{i:06}.png", attributes={"image": {"url": f"http://x/{i}.png"}})
            for i in range(samples)
        ),
        batch_size=2000,
    )
    return dataset


def published_release_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT) / "releases"
    return sorted(str(path.relative_to(settings.MEDIA_ROOT)) for path in root.rglob("*") if path.is_file())


def finished(release: Release) -> Release | None:
    release.refresh_from_db()
    return release if release.status != Release.PENDING else None


def test_a_real_worker_builds_a_release_enqueued_after_commit(alice, start_worker):
    start_worker("worker")
    dataset = dataset_of(alice, 50)

    release = releases.create_release(alice, dataset, name="v1")

    wait_for(lambda: finished(release), timeout=60, what="the worker to build the release")
    assert (release.status, release.samples_count) == ("SUCCEEDED", 50)
    with default_storage.open(release.file.name) as stored:
        assert len(json.load(stored)["dataset"]["samples"]) == 50


def test_a_release_whose_worker_is_killed_mid_build_still_ends_with_one_complete_file(alice, start_worker):
    # given 6,000 samples (3 chunks) and a worker that pauses 2 s after each chunk (test hook)
    dataset = dataset_of(alice, 6000)
    first = start_worker("doomed", RELEASE_BUILD_TEST_DELAY_SECONDS="2", CELERY_VISIBILITY_TIMEOUT="5")
    release = releases.create_release(alice, dataset, name="v1")
    wait_for(
        lambda: "build_release" in first.log_path.read_text() and "received" in first.log_path.read_text(),
        timeout=60,
        what="the first worker to take the task",
    )
    time.sleep(3)  # inside the build: at least one chunk written to its temporary file, not all
    # when the worker dies without a word
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    # then it died mid-build, and nothing was published (its start-up recovery sweep may have succeeded: that
    # task re-enqueues pending builds, and can run after the release was created)
    assert not re.search(r"build_release\[[^\]]+\] succeeded", first.log_path.read_text())
    release.refresh_from_db()
    assert (release.status, release.file.name) == ("PENDING", "")
    assert published_release_files() == []
    # when another worker starts
    start_worker("survivor", CELERY_VISIBILITY_TIMEOUT="5")
    wait_for(lambda: finished(release), timeout=90, what="the release to be rebuilt")
    # then the release is complete, and its file is the only one ever published
    assert (release.status, release.samples_count) == ("SUCCEEDED", 6000)
    assert published_release_files() == [release.file.name]
    with default_storage.open(release.file.name) as stored:
        samples = json.load(stored)["dataset"]["samples"]
    assert [sample["name"] for sample in samples] == [f"{i:06}.png" for i in range(6000)]


def test_a_delivery_that_finds_the_build_running_elsewhere_looks_again_until_it_can_build(alice, start_worker):
    # given a PENDING release whose build lock another worker's session holds
    dataset = dataset_of(alice, 50)
    release = Release.objects.create(dataset=dataset, name="v1")
    other_worker = psycopg.connect(database_url(), autocommit=True)
    other_worker.execute("SELECT pg_advisory_lock(%s, %s)", release_build.build_lock_key(release.pk))
    # when a worker starts (its start-up sweep enqueues the pending release)
    worker = start_worker("second", RELEASE_BUSY_RETRY_SECONDS="1")
    # then it leaves the release to the running build, and keeps looking
    wait_for(
        lambda: worker.log_path.read_text().count("is being built by another worker") >= 2,
        timeout=60,
        what="the worker to find the build running twice",
    )
    release.refresh_from_db()
    assert (release.status, release.file.name) == ("PENDING", "")
    # and when the other worker dies, its lock goes with its session, and the next look builds the release
    other_worker.close()
    wait_for(lambda: finished(release), timeout=60, what="the release to be built")
    assert (release.status, release.samples_count) == ("SUCCEEDED", 50)
    assert published_release_files() == [release.file.name]
