"""Celery tasks of the datasets app: each takes ids, calls one service, and is safe to run twice."""

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError

from datasets.services import (
    calibration_rankings,
    imports,
    interpolation,
    label_versions,
    outbox,
    pointclouds,
    release_build,
    text_imports,
    thumbnails,
)


@shared_task(bind=True, max_retries=3)
def build_release(self, release_id: int) -> None:
    """Build the release file of release `release_id` (see release_build.build_release_file). Retried with backoff
    only while the database is briefly unavailable; after the last retry the release is marked FAILED.

    Runs with acks_late and reject_on_worker_lost (settings): a worker that dies mid-build leaves the message
    unacknowledged, so it is delivered again and the build redone from scratch (see docs/releases.md). A
    delivery that finds the release being built by another worker enqueues a fresh look at it in
    RELEASE_BUSY_RETRY_SECONDS (not when tasks run in-process), so the release is built even if that worker
    dies after this message is gone."""
    try:
        left_to_another_build = not release_build.build_release_file(release_id)
    except (OperationalError, InterfaceError) as error:
        if self.request.retries >= self.max_retries:
            release_build.fail_release(release_id, f"{type(error).__name__}: {error}")
            return
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
    if left_to_another_build and not self.app.conf.task_always_eager:
        build_release.apply_async((release_id,), countdown=settings.RELEASE_BUSY_RETRY_SECONDS)


@shared_task
def recover_stale_releases() -> int:
    """Enqueue the build of every PENDING release again (each build is idempotent: a release built meanwhile
    is skipped); returns how many. Runs when a worker starts, so that a build whose worker died is finished
    without waiting for the broker's visibility timeout."""
    release_ids = release_build.pending_release_ids()
    for release_id in release_ids:
        build_release.delay(release_id)
    return len(release_ids)


@worker_ready.connect
def _recover_on_worker_start(**kwargs) -> None:
    # Celery's own signal (not ours): the place where a restarted worker learns it is up. The outbox relay
    # (a thread of this process) sends, now and every few seconds, the tasks whose delivery after their commit
    # met a broker that was down (docs/outbox.md).
    recover_stale_releases.delay()
    outbox.start_relay()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def interpolate_label(label_id: int, version: int) -> None:
    """Fill every frame of sequence label `label_id` from its keyframes, if it is still at `version`
    (see interpolation.materialise_label); a no-op when it ran already or a newer save superseded it."""
    interpolation.materialise_label(label_id, version)


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def read_sample_point_clouds(sample_id: int) -> None:
    """Read the point-cloud files of sample `sample_id` and store their derived buffers and point counts, or
    the message naming why a file cannot be read (see pointclouds.read_sample_point_clouds); frames already
    read are not read again."""
    pointclouds.read_sample_point_clouds(sample_id)


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def import_text_file(
    dataset_id: int, user_id: int, stored_name: str, file_name: str, import_id: str, options: dict
) -> None:
    """Import the stored text corpus `stored_name` into dataset `dataset_id` as user `user_id` (see
    text_imports.run_queued_text_import); a no-op when it ran already (the file is gone)."""
    text_imports.run_queued_text_import(dataset_id, user_id, stored_name, file_name, import_id, options)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def make_thumbnails(sample_ids: list[int]) -> int:
    """Make the missing thumbnails of these samples (thumbnails.make_thumbnail); returns how many were made.
    Safe to run twice: a sample that has one is skipped."""
    return sum(thumbnails.make_thumbnail(sample_id) for sample_id in sample_ids)


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def run_import(job_id: int) -> None:
    """Run import job `job_id` (see imports.run_import); a no-op when it is no longer QUEUED."""
    imports.run_import(job_id)


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def prune_label_history(label_id: int) -> int:
    """Delete the versions of label `label_id` beyond the retention settings (label_versions.prune_label_history);
    returns how many. Idempotent."""
    return label_versions.prune_label_history(label_id)


@shared_task(autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, max_retries=3)
def rank_calibration(sample_id: int, camera: str) -> None:
    """Rank the 48 candidate corrections of `camera` on sample `sample_id` and store them (see
    calibration_rankings.rank_and_store); a no-op when the stored ranking is current."""
    calibration_rankings.rank_and_store(sample_id, camera)
