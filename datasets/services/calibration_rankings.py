"""Stored rankings of the calibration check: the 48 candidates of a camera on a sample are ranked once by a Celery
worker (`rank_and_store`, a few seconds of CPU) and kept in a CalibrationRanking row keyed by sample and camera,
with a fingerprint of what they were computed from, so the page answers at once and shows progress meanwhile,
and a corrected calibration (or a changed file URL) is ranked again. Design: docs/multisensor.md.
"""

import hashlib
import json
from dataclasses import asdict

from django.db import transaction
from django.utils import timezone

from datasets.models import CalibrationRanking, Sample
from datasets.services import outbox
from datasets.services.calibration import (
    MAX_CHECK_FRAMES,
    Candidate,
    camera_image,
    frames_with_camera,
    rank_calibration_candidates,
)
from labeling.core.calibration import CORRECTIONS
from labeling.exceptions import InvalidInput, NotFound

RANKING_VERSION = 1
"""Part of every fingerprint: raise it when the scoring changes, so stored rankings are made again."""
TOTAL_CANDIDATES = len(CORRECTIONS)
PROGRESS_EVERY = 4
"""The row's `scored` count is written after every this many candidates (12 small updates per ranking)."""
RANK_TASK = "datasets.tasks.rank_calibration"


def ranking_fingerprint(sample: Sample, camera: str) -> str:
    """Hex SHA-256 of what a ranking of `camera` on `sample` reads: the first MAX_CHECK_FRAMES frames' `pcd` and
    that camera's CalibratedImage (URL, intrinsics, extrinsics...), and RANKING_VERSION. Raises NotFound when no
    frame has that camera."""
    frames = frames_with_camera(sample, camera)[:MAX_CHECK_FRAMES]
    read = [[frame.get("pcd"), camera_image(frame, camera)] for frame in frames]
    payload = json.dumps([RANKING_VERSION, read], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def request_ranking(sample: Sample, camera: str) -> CalibrationRanking:
    """The ranking row of `camera` on `sample`, current for its calibration: a current row (ranking, done or
    failed) is returned as is; a missing or stale one is reset to PENDING and the ranking task enqueued after
    the commit (with tasks run in-process, it has run when this returns). Raises NotFound when no frame has
    that camera."""
    fingerprint = ranking_fingerprint(sample, camera)
    with transaction.atomic():
        ranking, _ = CalibrationRanking.objects.select_for_update().get_or_create(
            sample=sample, camera=camera, defaults={"fingerprint": ""}
        )
        if ranking.fingerprint == fingerprint:
            return ranking
        _reset(ranking, fingerprint)
        outbox.enqueue_on_commit(RANK_TASK, sample.pk, camera)
    ranking.refresh_from_db()
    return ranking


def _reset(ranking: CalibrationRanking, fingerprint: str) -> None:
    ranking.fingerprint, ranking.status, ranking.scored = fingerprint, CalibrationRanking.PENDING, 0
    ranking.candidates, ranking.error, ranking.ranked_at = [], "", None
    ranking.save()


def rank_and_store(sample_id: int, camera: str) -> None:
    """Rank the candidates of `camera` on sample `sample_id` and store them (status DONE), or the reason they
    cannot be ranked (FAILED); `scored` follows the progress. Idempotent: a no-op when the stored ranking is
    DONE for the sample's current fingerprint, or when the sample or its camera is gone."""
    sample = Sample.objects.select_related("dataset").filter(pk=sample_id).first()
    if sample is None:
        return
    try:
        fingerprint = ranking_fingerprint(sample, camera)
    except NotFound:
        CalibrationRanking.objects.filter(sample=sample, camera=camera).delete()
        return
    ranking, _ = CalibrationRanking.objects.get_or_create(sample=sample, camera=camera, defaults={"fingerprint": ""})
    if ranking.fingerprint == fingerprint and ranking.status == CalibrationRanking.DONE:
        return
    _store(ranking, fingerprint, sample, camera)


def _store(ranking: CalibrationRanking, fingerprint: str, sample: Sample, camera: str) -> None:
    rows = CalibrationRanking.objects.filter(pk=ranking.pk)
    rows.update(fingerprint=fingerprint, status=CalibrationRanking.RANKING, scored=0, error="")

    def progress(scored: int) -> None:
        if scored % PROGRESS_EVERY == 0:
            rows.update(scored=scored)

    try:
        candidates = rank_calibration_candidates(sample, camera, progress)
    except (InvalidInput, NotFound) as error:
        rows.update(status=CalibrationRanking.FAILED, error=error.message)
        return
    rows.filter(fingerprint=fingerprint).update(
        status=CalibrationRanking.DONE,
        scored=TOTAL_CANDIDATES,
        candidates=[asdict(candidate) for candidate in candidates],
        ranked_at=timezone.now(),
    )


def stored_candidates(ranking: CalibrationRanking) -> list[Candidate]:
    """The candidates of a DONE ranking, best first (empty for any other status)."""
    if ranking.status != CalibrationRanking.DONE:
        return []
    return [Candidate(**candidate) for candidate in ranking.candidates]


def ranked_candidates(sample: Sample, camera: str) -> list[Candidate]:
    """The 48 candidates of `camera` on `sample`, best first: the stored ranking when it is current and DONE,
    else ranked here and now (and stored). Raises as `rank_calibration_candidates`."""
    fingerprint = ranking_fingerprint(sample, camera)
    stored = CalibrationRanking.objects.filter(sample=sample, camera=camera, fingerprint=fingerprint).first()
    if stored is not None and stored.status == CalibrationRanking.DONE:
        return stored_candidates(stored)
    ranking, _ = CalibrationRanking.objects.get_or_create(sample=sample, camera=camera, defaults={"fingerprint": ""})
    _store(ranking, fingerprint, sample, camera)
    ranking.refresh_from_db()
    if ranking.status == CalibrationRanking.FAILED:
        raise InvalidInput(ranking.error)
    return stored_candidates(ranking)
