"""The calibration check ranks in a worker (issue 19 follow-up): the page answers at once with the ranking's
progress, the worker stores the ranking, later requests (page and API) use the stored one without ranking again,
and a corrected or changed calibration is ranked afresh. Celery runs in-process here, after the commit."""

import re

import numpy as np
from django.urls import reverse

from datasets.models import CalibrationRanking, PendingTask, Sample
from datasets.services import calibration_rankings
from datasets.tasks import rank_calibration
from tests.api.test_calibration_check import broken_demo, front_images, pose  # noqa: F401 - fixture

FIGURE_KEY = re.compile(r'<figure data-key="([a-z0-9]+)" data-rank="(\d+)"')


def page_url(dataset, sample, name: str = "calibration-check") -> str:
    return f"{reverse(name, args=[dataset.owner_name, dataset.name])}?sample={sample.uuid}&camera=front"


def restoring_key(ranking: CalibrationRanking, original: dict) -> str:
    """The key of the stored candidate whose extrinsics are the front camera's original ones."""
    rotation, translation = pose(front_images(Sample(attributes=original))[0]["extrinsics"])
    return next(
        candidate["key"]
        for candidate in ranking.candidates
        if np.abs(pose(candidate["extrinsics"])[0] - rotation).max() < 1e-6
        and np.abs(pose(candidate["extrinsics"])[1] - translation).max() < 1e-6
    )


def test_the_page_shows_progress_then_the_stored_ranking_which_later_requests_reuse(
    client,
    api,
    manager,
    broken_demo,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    dataset, sample, original = broken_demo
    client.force_login(manager.user)
    # when: the first visit (the ranking task runs once the request's transaction commits)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = client.get(page_url(dataset, sample))
    # then: the page answered before the ranking, saying so; the task ran after it and stored the ranking
    assert first.status_code == 200
    body = first.content.decode()
    assert "Ranking the 48 candidates…" in body
    assert 'data-testid="calibration-progress"' in body
    assert FIGURE_KEY.findall(body) == []
    assert len(callbacks) == 1
    ranking = CalibrationRanking.objects.get(sample=sample, camera="front")
    assert ranking.status == CalibrationRanking.DONE
    assert ranking.scored == 48
    assert len(ranking.candidates) == 48
    ranked_at = ranking.ranked_at
    status = client.get(page_url(dataset, sample, "calibration-status")).json()
    assert status == {"status": "DONE", "scored": 48, "total": 48, "error": ""}

    # when: the page again, then the API
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = client.get(page_url(dataset, sample))
        listed = api.get(manager, f"/samples/{sample.uuid}/calibration/front/candidates/")
    # then: the previews best first, the undoing candidate first, from the stored ranking (nothing enqueued,
    # nothing ranked again)
    figures = FIGURE_KEY.findall(second.content.decode())
    assert [int(rank) for _, rank in figures] == list(range(48))
    assert figures[0][0] == restoring_key(ranking, original)
    assert "calibration-progress" not in second.content.decode()
    assert [candidate["key"] for candidate in listed.json()] == [key for key, _ in figures]
    assert callbacks == []
    assert not PendingTask.objects.filter(task_name=calibration_rankings.RANK_TASK).exists()
    assert CalibrationRanking.objects.get(pk=ranking.pk).ranked_at == ranked_at


def test_the_task_is_idempotent(broken_demo):  # noqa: F811
    _, sample, _ = broken_demo
    # when
    rank_calibration(sample.pk, "front")
    stored = CalibrationRanking.objects.get(sample=sample, camera="front")
    rank_calibration(sample.pk, "front")
    # then: stored once, not ranked again
    again = CalibrationRanking.objects.get(pk=stored.pk)
    assert again.status == CalibrationRanking.DONE
    assert again.ranked_at == stored.ranked_at
    assert again.candidates == stored.candidates


def test_applying_a_correction_invalidates_the_stored_ranking(api, manager, broken_demo):  # noqa: F811
    dataset, sample, _original = broken_demo
    listed = api.get(manager, f"/samples/{sample.uuid}/calibration/front/candidates/").json()
    before = CalibrationRanking.objects.get(sample=sample, camera="front")
    assert [candidate["key"] for candidate in listed] == [candidate["key"] for candidate in before.candidates]
    # when
    chosen = api.post(manager, f"/datasets/{dataset.full_name}/calibration/front/", {"correction": listed[0]["key"]})
    # then: the stored ranking is gone, and the next check ranks the corrected camera: as stored is best now
    assert chosen.status_code == 200, chosen.content
    assert not CalibrationRanking.objects.filter(sample=sample).exists()
    again = api.get(manager, f"/samples/{sample.uuid}/calibration/front/candidates/").json()
    assert again[0]["key"] == "r0"
    after = CalibrationRanking.objects.get(sample=sample, camera="front")
    assert after.fingerprint != before.fingerprint
    assert after.ranked_at > before.ranked_at


def test_a_calibration_changed_elsewhere_is_ranked_again(broken_demo, django_capture_on_commit_callbacks):  # noqa: F811
    _, sample, original = broken_demo
    with django_capture_on_commit_callbacks(execute=True):
        stored = calibration_rankings.request_ranking(sample, "front")
    # when: the sample's front camera is put back by another way (its attributes saved again)
    sample.attributes = original
    sample.save(update_fields=["attributes"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pending = calibration_rankings.request_ranking(sample, "front")
    # then: stale, so reset and enqueued once
    assert pending.pk == stored.pk
    assert pending.status == CalibrationRanking.PENDING
    assert pending.candidates == []
    assert len(callbacks) == 1
    # and the worker's ranking puts the stored pose first
    rank_calibration(sample.pk, "front")
    assert CalibrationRanking.objects.get(pk=stored.pk).candidates[0]["key"] == "r0"


def test_only_managers_see_the_ranking_status(client, labeler, broken_demo):  # noqa: F811
    dataset, sample, _ = broken_demo
    client.force_login(labeler.user)
    assert client.get(page_url(dataset, sample, "calibration-status")).status_code == 403
