"""Celery tasks of the datasets app: each takes ids, calls one service, and is safe to run twice."""

from celery import shared_task
from django.db import OperationalError

from datasets.services import interpolation, releases


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def build_release(release_id: int) -> None:
    """Build the release file of release `release_id` (see releases.build_release_file); retried only when
    the database is briefly unavailable."""
    releases.build_release_file(release_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def interpolate_label(label_id: int, version: int) -> None:
    """Fill every frame of sequence label `label_id` from its keyframes, if it is still at `version`
    (see interpolation.materialise_label); a no-op when it ran already or a newer save superseded it."""
    interpolation.materialise_label(label_id, version)
