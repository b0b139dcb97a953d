"""Celery tasks of the datasets app: each takes ids, calls one service, and is safe to run twice."""

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError

from datasets.services import interpolation, release_build


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
    # Celery's own signal (not ours): the place where a restarted worker learns it is up.
    recover_stale_releases.delay()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def interpolate_label(label_id: int, version: int) -> None:
    """Fill every frame of sequence label `label_id` from its keyframes, if it is still at `version`
    (see interpolation.materialise_label); a no-op when it ran already or a newer save superseded it."""
    interpolation.materialise_label(label_id, version)
