"""Who may write a label with which status, and what a review records: the one write rule that the label
endpoints, the review endpoint, issue resolution and the pages all call the same way.

Labelers label: they may save UNLABELED, LABELING_IN_PROGRESS, LABELED, SKIPPED and PRELABELED. Every other
status (REVIEWED, REJECTED, VERIFIED, REVIEWING_IN_PROGRESS) is a reviewer's. Managers and above write any
label; below them only the sample's assignee writes it (any labeler when it is unassigned), and a sample
with an assigned reviewer is reviewed by that reviewer only. A write with a review status records who
reviewed and when (`Label.reviewed_by`/`reviewed_at`, in the same statement as the label, see
services.labels).
"""

from datetime import datetime

from django.utils import timezone

from datasets import access
from datasets.models import Sample
from labeling.exceptions import PermissionDenied

LABELER_STATUSES = frozenset({"UNLABELED", "LABELING_IN_PROGRESS", "LABELED", "SKIPPED", "PRELABELED"})
REVIEW_STATUSES = frozenset({"REVIEWED", "REJECTED", "VERIFIED", "REVIEWING_IN_PROGRESS"})
# The statuses that are a reviewer's verdict: writing one stamps reviewed_by/reviewed_at.
VERDICT_STATUSES = frozenset({"REVIEWED", "REJECTED", "VERIFIED"})


def role_to_set_label_status(label_status: str | None) -> str:
    """The least role that may write a label with `label_status`: labeler for LABELER_STATUSES (and for a
    write that leaves the status alone, None), reviewer for every other status."""
    if label_status is None or label_status in LABELER_STATUSES:
        return access.ROLE_LABELER
    return access.ROLE_REVIEWER


def check_save_label(
    actor, sample_uuid: str, labelset_name: str, status: str | None
) -> tuple[Sample, access.DatasetAccess]:
    """Load sample `sample_uuid` for a write of its label in `labelset_name` with `status` (None: the status
    is left as it is, or the label is deleted) by `actor`, and check the whole write rule (module docstring).

    Returns the sample (dataset loaded) and the actor's access. Raises NotFound when the sample is invisible
    to the actor, PermissionDenied when the role is short for `status` or the sample is someone else's
    (the message names the assignee). One query (access.get_sample); the assignee's name loads only for the
    refusal message. `labelset_name` is part of the rule's signature so that every caller states what it
    writes; today the same rule holds for every label set.
    """
    sample, dataset_access = access.get_sample(actor, sample_uuid, role=role_to_set_label_status(status))
    check_assignee(actor, dataset_access, sample, status)
    return sample, dataset_access


def can_save_label(actor, dataset_access: access.DatasetAccess, sample: Sample, status: str | None) -> bool:
    """check_save_label's answer for an already loaded sample, without raising (for pages and queues)."""
    if not dataset_access.allows(role_to_set_label_status(status)):
        return False
    try:
        check_assignee(actor, dataset_access, sample, status)
    except PermissionDenied:
        return False
    return True


def check_assignee(actor, dataset_access: access.DatasetAccess, sample: Sample, status: str | None) -> None:
    """The assignee part of the write rule (module docstring) for an already loaded sample: PermissionDenied
    naming the assignee when `actor` (below manager) may not write this sample's label with `status`."""
    if dataset_access.allows(access.ROLE_MANAGER):
        return
    if status in REVIEW_STATUSES:
        holder_id, holder_field = sample.assigned_reviewer_id, "assigned_reviewer"
        allowed = holder_id is None or holder_id == actor.pk
    else:
        assignees = {sample.assigned_labeler_id, sample.assigned_reviewer_id} - {None}
        allowed = not assignees or actor.pk in assignees
        holder_field = "assigned_labeler" if sample.assigned_labeler_id else "assigned_reviewer"
    if not allowed:
        holder = getattr(sample, holder_field)
        raise PermissionDenied(
            f"You do not have permission to write this label: the sample is assigned to {holder.username}."
        )


def reviewed_values(actor, status: str, now: datetime | None = None) -> dict:
    """The review fields a write with `status` stores: {"reviewed_by", "reviewed_at"} for a verdict status
    (REVIEWED, REJECTED, VERIFIED), {} otherwise (the last review stays on record while the label is
    reworked). `now`: timezone-aware, default the current time."""
    if status not in VERDICT_STATUSES:
        return {}
    return {"reviewed_by": actor, "reviewed_at": now or timezone.now()}
