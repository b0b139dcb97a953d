"""Review through the HTTP API and the SDK: accept and reject (a reason becomes an anchored issue), who may
review, reviewed_by/reviewed_at, labelers resolving issues, and saves retried with the same Idempotency-Key."""

import pytest

from datasets.models import Collaborator, Issue, Label
from tests.api.conftest import (
    PERSONAS,
    SAVE_QUERIES,
    expected_status,
    make_label,
    make_persona,
    make_sample,
    snapshot,
    vector_label,
)


@pytest.fixture
def rose(dataset):
    return make_sample(dataset, "rose.png")


def review_path(sample) -> str:
    return f"/labels/{sample.uuid}/ground-truth/review/"


# Accept and reject ------------------------------------------------------------------------------------------


def test_reviewer_rejects_with_a_reason_that_becomes_an_anchored_open_issue(api, personas, rose, dataset):
    # given a labeled rose and a tulip waiting for review
    make_label(rose, status="LABELED", version=4)
    tulip = make_sample(dataset, "tulip.png")
    make_label(tulip, status="LABELED")
    body = {"decision": "reject", "reason": "Box 3 misses the stem.", "anchor": {"track_id": 3, "frame": 2}}

    # when rita rejects the rose
    response = api.post(personas["reviewer"], review_path(rose), {**body, "version": 4})

    # then the label is REJECTED with her name and time, and an open issue says why, at the object
    assert response.status_code == 200, response.content
    answer = response.json()
    label = Label.objects.get(sample=rose)
    assert (label.label_status, label.version, label.reviewed_by) == ("REJECTED", 5, personas["reviewer"].user)
    assert label.reviewed_at is not None
    assert label.attributes == vector_label()
    issue = Issue.objects.get()
    assert (issue.sample, issue.status, issue.description) == (rose, "OPEN", "Box 3 misses the stem.")
    assert issue.anchor == {"type": "track", "trackNumber": 3, "frame": 2}
    assert answer["label"]["label_status"] == "REJECTED"
    assert answer["label"]["reviewed_by"] == "rita"
    assert answer["issue"]["uuid"] == str(issue.uuid)
    assert answer["next_url"] == f"/app/olivia/flowers/samples/{tulip.uuid}/"


def test_reviewer_accepts_and_the_review_queue_runs_out(api, personas, rose):
    make_label(rose, status="LABELED")

    response = api.post(personas["reviewer"], review_path(rose), {"decision": "accept", "reason": ""})

    assert response.status_code == 200, response.content
    assert (response.json()["issue"], response.json()["next_url"]) == (None, None)
    label = Label.objects.get()
    assert (label.label_status, label.reviewed_by, label.version) == ("REVIEWED", personas["reviewer"].user, 2)
    assert not Issue.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_a_reason_is_refused_naming_the_field_and_changes_nothing(api, personas, rose, reason):
    make_label(rose, status="LABELED")
    before = snapshot()

    response = api.post(personas["reviewer"], review_path(rose), {"decision": "reject", "reason": reason})

    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "reason"
    assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_review_needs_reviewer(api, personas, rose, who):
    make_label(rose, status="LABELED")
    before = snapshot()

    response = api.post(personas[who], review_path(rose), {"decision": "reject", "reason": "Redraw."})

    assert response.status_code == expected_status(who, "reviewer")
    if response.status_code == 200:
        assert Label.objects.get().label_status == "REJECTED"
        assert Issue.objects.get().created_by == personas[who].user
    else:
        assert snapshot() == before


def test_review_with_a_stale_version_conflicts_and_changes_nothing(api, personas, rose):
    make_label(rose, status="LABELED", version=3)
    before = snapshot()

    response = api.post(personas["reviewer"], review_path(rose), {"decision": "reject", "reason": "x", "version": 2})

    assert response.status_code == 409
    assert response.json()["current_version"] == 3
    assert snapshot() == before


def test_review_of_an_unlabeled_sample_is_not_found(api, personas, rose):
    before = snapshot()
    response = api.post(personas["reviewer"], review_path(rose), {"decision": "accept"})
    assert response.status_code == 404
    assert snapshot() == before


def test_only_the_assigned_reviewer_reviews_a_sample(api, personas, rose, dataset):
    # given a second reviewer who holds the rose for review
    rex = make_persona("reviewer", "rex")
    Collaborator.objects.create(dataset=dataset, user=rex.user, role="reviewer")
    make_label(rose, status="LABELED")
    rose.assigned_reviewer = rex.user
    rose.save()
    before = snapshot()

    # then rita may not review it, rex and the manager may
    refused = api.post(personas["reviewer"], review_path(rose), {"decision": "accept"})
    assert refused.status_code == 403
    assert "rex" in refused.json()["detail"]
    assert snapshot() == before
    assert api.post(rex, review_path(rose), {"decision": "accept"}).status_code == 200
    assert api.post(personas["manager"], review_path(rose), {"decision": "reject", "reason": "no"}).status_code == 200
    assert Label.objects.get().reviewed_by == personas["manager"].user


def test_labeler_saves_labeled_but_not_a_verdict_and_sdk_reads_the_review(api, personas, rose, labeler_sdk):
    path = f"/labels/{rose.uuid}/ground-truth/"
    assert api.put(personas["labeler"], path, {"attributes": vector_label(), "label_status": "LABELED"}).status_code
    before = snapshot()
    for status in ("REVIEWED", "REJECTED", "VERIFIED", "REVIEWING_IN_PROGRESS"):
        response = api.put(personas["labeler"], path, {"attributes": vector_label(), "label_status": status})
        assert response.status_code == 403, status
    assert snapshot() == before

    api.post(personas["reviewer"], review_path(rose), {"decision": "reject", "reason": "Redo", "anchor": {"frame": 0}})

    label = labeler_sdk.get_label(str(rose.uuid))
    [issue] = labeler_sdk.get_issues("olivia/flowers")
    assert (label.label_status, label.reviewed_by) == ("REJECTED", "rita")
    assert (issue.description, issue.status, issue.anchor.type, issue.anchor.frame) == ("Redo", "OPEN", "basic", 0)


# Labelers resolve issues --------------------------------------------------------------------------------------


def test_labeler_resolves_an_issue_of_their_sample_but_may_not_edit_it(api, personas, rose):
    issue = Issue.objects.create(sample=rose, description="Redraw.", created_by=personas["reviewer"].user)
    rose.assigned_labeler = personas["labeler"].user
    rose.save()
    before = snapshot()

    edit = api.patch(personas["labeler"], f"/issues/{issue.uuid}/", {"description": "Fine as it is."})
    reopen = api.patch(personas["labeler"], f"/issues/{issue.uuid}/", {"status": "OPEN"})
    assert (edit.status_code, reopen.status_code) == (403, 403)
    assert snapshot() == before

    resolved = api.patch(personas["labeler"], f"/issues/{issue.uuid}/", {"status": "CLOSED"})

    assert resolved.status_code == 200
    assert resolved.json()["status"] == "CLOSED"
    issue.refresh_from_db()
    assert (issue.status, issue.description, issue.updated_by) == ("CLOSED", "Redraw.", personas["labeler"].user)


def test_labeler_may_not_resolve_an_issue_of_someone_elses_sample(api, personas, rose, dataset):
    lee = make_persona("labeler", "lee")
    Collaborator.objects.create(dataset=dataset, user=lee.user, role="labeler")
    issue = Issue.objects.create(sample=rose, description="Redraw.", created_by=personas["reviewer"].user)
    rose.assigned_labeler = lee.user
    rose.save()
    before = snapshot()

    response = api.patch(personas["labeler"], f"/issues/{issue.uuid}/", {"status": "CLOSED"})

    assert response.status_code == 403
    assert snapshot() == before
    assert api.patch(lee, f"/issues/{issue.uuid}/", {"status": "CLOSED"}).status_code == 200


# Idempotent saves ---------------------------------------------------------------------------------------------


def put_with_key(api, persona, sample, body, key):
    return api.put(persona, f"/labels/{sample.uuid}/ground-truth/", body, HTTP_IDEMPOTENCY_KEY=key)


def test_a_retried_save_whose_first_attempt_was_stored_succeeds_without_writing(api, personas, rose):
    # given a save that reached the server (its response was lost)
    body = {"attributes": vector_label(2), "label_status": "LABELING_IN_PROGRESS", "version": 0}
    first = put_with_key(api, personas["labeler"], rose, body, "save-1")
    stored = Label.objects.values().get()

    # when the editor retries it with the same save id and the same (now stale) version
    retry = put_with_key(api, personas["labeler"], rose, body, "save-1")

    # then it is answered with the stored label, and nothing was written
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json()["version"] == first.json()["version"] == 1
    assert retry.json()["attributes"] == vector_label(2)
    assert Label.objects.values().get() == stored
    assert stored["save_id"] == "save-1"


def test_a_stale_save_with_another_save_id_still_conflicts(api, personas, rose):
    body = {"attributes": vector_label(1), "version": 0}
    put_with_key(api, personas["labeler"], rose, body, "save-1")
    before = snapshot()

    other = put_with_key(api, personas["labeler"], rose, {**body, "attributes": vector_label(3)}, "save-2")
    unkeyed = api.put(personas["labeler"], f"/labels/{rose.uuid}/ground-truth/", body)

    assert (other.status_code, unkeyed.status_code) == (409, 409)
    assert snapshot() == before


def test_a_retry_after_someone_else_saved_is_a_conflict(api, personas, rose):
    body = {"attributes": vector_label(1), "version": 0}
    put_with_key(api, personas["labeler"], rose, body, "save-1")
    api.put(personas["manager"], f"/labels/{rose.uuid}/ground-truth/", {"attributes": vector_label(4), "version": 1})

    retry = put_with_key(api, personas["labeler"], rose, body, "save-1")

    assert retry.status_code == 409
    assert retry.json()["current_version"] == 2
    label = Label.objects.get()
    assert (label.attributes, label.save_id) == (vector_label(4), "")


def test_a_save_id_longer_than_64_characters_is_refused_naming_the_header(api, personas, rose):
    response = put_with_key(api, personas["labeler"], rose, {"attributes": vector_label(1)}, "k" * 65)
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "Idempotency-Key"
    assert not Label.objects.exists()


def test_a_keyed_save_takes_the_same_number_of_queries(api, personas, rose, django_assert_num_queries):
    labeler = personas["labeler"]
    api.get(labeler, "/user")  # the key's last_used_at is written at most every few minutes
    with django_assert_num_queries(SAVE_QUERIES):  # as an unkeyed save (tests/api/test_labels.py)
        assert put_with_key(api, labeler, rose, {"attributes": vector_label(5), "version": 0}, "a").status_code == 201
    with django_assert_num_queries(SAVE_QUERIES):
        assert put_with_key(api, labeler, rose, {"attributes": vector_label(5), "version": 1}, "b").status_code == 201
    assert Label.objects.get().save_id == "b"


def test_a_patch_that_keeps_a_verdict_does_not_review_again(api, personas, rose):
    # given a label rita rejected
    make_label(rose, status="LABELED")
    api.post(personas["reviewer"], review_path(rose), {"decision": "reject", "reason": "Redo"})
    reviewed_at = Label.objects.get().reviewed_at

    # when the manager patches its score only
    response = api.patch(personas["manager"], f"/labels/{rose.uuid}/ground-truth/", {"score": 0.5})

    # then the review on record is still rita's
    assert response.status_code == 200
    label = Label.objects.get()
    assert (label.label_status, label.score, label.reviewed_by) == ("REJECTED", 0.5, personas["reviewer"].user)
    assert label.reviewed_at == reviewed_at
