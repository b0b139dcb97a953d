"""A reviewer's verdict on a label: accept (REVIEWED) or reject (REJECTED, with a reason that becomes an
open issue on the sample, optionally anchored to an object and a frame). The write rule is
services.review.check_save_label's, checked by the caller; the verdict stamps reviewed_by/reviewed_at."""

from typing import NamedTuple

from django.db import transaction

from datasets import access
from datasets.models import Issue, Label, Sample
from datasets.services import assignment, issues, labels, work_queue
from labeling.exceptions import InvalidInput, NotFound

DECISION_STATUSES = {"accept": "REVIEWED", "reject": "REJECTED"}


class Review(NamedTuple):
    """The reviewed label, the issue a rejection raised (None on accept), and the reviewer's next sample
    in the review queue (None when nothing is left)."""

    label: Label
    issue: Issue | None
    next_sample: Sample | None


def review_label(
    actor,
    dataset_access: access.DatasetAccess,
    sample: Sample,
    labelset_name: str,
    *,
    decision: str,
    reason: str = "",
    anchor: dict | None = None,
    expected_version: int | None = None,
) -> Review:
    """Accept or reject the label of `sample` in `labelset_name` (its attributes and score unchanged).

    decision: "accept" or "reject" (DECISION_STATUSES). reason: required (non-blank) for a rejection, the
    issue's description. anchor: {"track_id": int | None, "frame": int | None} or None, stored as the
    issue's anchor (issue_anchor). expected_version: the version the reviewer saw; stale raises
    VersionConflict (None: the stored version, so a concurrent save still conflicts rather than being
    overwritten). Raises InvalidInput naming `reason`, NotFound when there is no label to review.
    The label and the issue are written in one transaction.
    """
    reason = reason.strip()
    if decision == "reject" and not reason:
        raise InvalidInput(
            "reason: a rejection needs a reason (it becomes an issue the labeler sees).",
            errors=[{"path": "reason", "rule": "required", "message": "required to reject"}],
        )
    labelset = labels.get_labelset(sample.dataset, labelset_name)
    stored = Label.objects.filter(sample=sample, labelset=labelset).only("attributes", "score", "version").first()
    if stored is None:
        raise NotFound("There is no label to review.")
    with transaction.atomic():
        label = labels.save_label(
            actor,
            sample,
            labelset_name,
            attributes=stored.attributes,
            label_status=DECISION_STATUSES[decision],
            score=stored.score,
            expected_version=stored.version if expected_version is None else expected_version,
        )
        issue = None
        if decision == "reject":
            issue = issues.add_issue(actor, sample, description=reason, anchor=issue_anchor(anchor))
    return Review(label, issue, work_queue.peek_next(actor, sample, assignment.REVIEWING))


def issue_anchor(anchor: dict | None) -> dict | None:
    """A review anchor {"track_id", "frame"} as an issue anchor of the wire format (spec §3 Issue): a
    `track` anchor (trackNumber = track_id, with the frame when given), a `basic` one with a frame only,
    None when neither is given."""
    anchor = anchor or {}
    track_id, frame = anchor.get("track_id"), anchor.get("frame")
    frame_part = {} if frame is None else {"frame": frame}
    if track_id is not None:
        return {"type": "track", "trackNumber": track_id, **frame_part}
    if frame is not None:
        return {"type": "basic", **frame_part}
    return None
