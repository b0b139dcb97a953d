"""Issue use cases: raise an issue on a sample (optionally anchored), update, delete, comment.

Issues are part of reviewing: reviewers and above raise, change and delete them; anyone who labels the
dataset may comment (to answer a reviewer), and the labeler who may write the sample's label (its assignee,
or any labeler when it is unassigned: services.review) may resolve (close) them.
"""

import uuid

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from datasets import access, realtime
from datasets.models import Dataset, Issue, IssueComment, Sample
from datasets.services import review
from labeling.exceptions import NotFound, PermissionDenied


def _issues() -> QuerySet[Issue]:
    comments = IssueComment.objects.select_related("created_by").order_by("created_at", "pk")
    return Issue.objects.select_related("sample", "created_by", "updated_by").prefetch_related(
        Prefetch("comments", queryset=comments)
    )


def get_issue(user, issue_uuid: str, *, role: str = access.VIEWER) -> Issue:
    """Load an issue for `user`, requiring `role` on its dataset, like the access helpers: NotFound when it
    does not exist or the dataset is invisible to the user, PermissionDenied when the role is short."""
    issue, held = _issue_with_role(user, issue_uuid)
    if access.ROLE_RANK[held] < access.ROLE_RANK[role]:
        raise PermissionDenied()
    return issue


def _issue_with_role(user, issue_uuid: str) -> tuple[Issue, str]:
    """The issue and the user's role on its dataset; NotFound when missing or invisible."""
    try:
        key = uuid.UUID(str(issue_uuid))
    except ValueError:
        raise NotFound() from None
    issue = _issues().select_related("sample__dataset").filter(uuid=key).first()
    held = access.role_for(user, issue.sample.dataset) if issue else None
    if issue is None or held is None:
        raise NotFound()
    return issue, held


def change_issue(actor, issue_uuid: str, changes: dict) -> Issue:
    """Apply `changes` (any of description, status, anchor; None values ignored) to issue `issue_uuid` as
    `actor`: reviewers and above change anything; below them, the labeler who may write the sample's
    ground-truth label may only resolve it, {"status": "CLOSED"}. NotFound / PermissionDenied as get_issue;
    nothing is written when refused."""
    issue, held = _issue_with_role(actor, issue_uuid)
    dataset_access = access.DatasetAccess(dataset=issue.sample.dataset, role=held)
    if not dataset_access.allows(access.ROLE_REVIEWER):
        fields = {key: value for key, value in changes.items() if value is not None}
        resolving = fields == {"status": Issue.CLOSED}
        if not resolving or not review.can_save_label(actor, dataset_access, issue.sample, None):
            raise PermissionDenied("Only a reviewer may change an issue; its labeler may resolve it.")
    return update_issue(actor, issue, changes)


def list_issues(dataset: Dataset) -> QuerySet[Issue]:
    """The issues of every sample of `dataset`, oldest first, with sample, people and comments preloaded."""
    return _issues().filter(sample__dataset=dataset).order_by("created_at", "pk")


def list_sample_issues(sample: Sample) -> QuerySet[Issue]:
    """The issues of one sample, oldest first, preloaded like list_issues."""
    return _issues().filter(sample=sample).order_by("created_at", "pk")


def add_issue(actor, sample: Sample, *, description: str, status: str = Issue.OPEN, anchor: dict | None = None):
    """Raise an issue on `sample`. `anchor` is an already validated anchor dict (spec §3 Issue) or None."""
    issue = Issue.objects.create(
        sample=sample,
        description=description,
        status=status,
        anchor=anchor,
        created_by=actor,
        updated_by=actor,
    )
    issue = _issues().get(pk=issue.pk)
    realtime.broadcast_issue_changed(actor, issue, "created")
    return issue


def update_issue(actor, issue: Issue, changes: dict) -> Issue:
    """Apply any of description, status, anchor (partial; None values are ignored, as the SDK never sends
    them)."""
    fields = {key: value for key, value in changes.items() if value is not None}
    for key, value in fields.items():
        setattr(issue, key, value)
    issue.updated_by = actor
    issue.save(update_fields=[*fields, "updated_by", "updated_at"])
    issue = _issues().get(pk=issue.pk)
    realtime.broadcast_issue_changed(actor, issue, "updated")
    return issue


def delete_issue(actor, issue: Issue) -> None:
    """Delete an issue with its comments."""
    realtime.broadcast_issue_changed(actor, issue, "deleted")  # sent after commit; the payload is built now
    issue.delete()


def add_comment(actor, issue: Issue, *, text: str) -> Issue:
    """Comment on an issue; returns the issue with all its comments."""
    with transaction.atomic():
        IssueComment.objects.create(issue=issue, text=text, created_by=actor)
        Issue.objects.filter(pk=issue.pk).update(updated_by=actor, updated_at=timezone.now())
        issue = _issues().get(pk=issue.pk)
        realtime.broadcast_issue_changed(actor, issue, "commented")
    return issue
