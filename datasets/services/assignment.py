"""Assignment: managers give samples (a sequence as a whole) to exactly one labeler; labelers and reviewers
take work from a queue. Claiming is atomic: no two users ever get the same sample, even at the same instant
(PostgreSQL: SELECT ... FOR UPDATE SKIP LOCKED; SQLite: the write transaction is IMMEDIATE, so claims
serialise)."""

import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from datasets import access
from datasets.models import GROUND_TRUTH, Dataset, Label, Sample
from datasets.realtime import broadcast_sample_assigned
from datasets.services import review
from labeling.exceptions import InvalidInput, NotFound, PermissionDenied

# Label statuses that still need a labeler's work, and the one that needs a reviewer's.
TO_LABEL_STATUSES = ("PRELABELED", "LABELING_IN_PROGRESS", "REJECTED")
TO_REVIEW_STATUSES = ("LABELED", "REVIEWING_IN_PROGRESS")
LABELING = "labeling"
REVIEWING = "reviewing"
QUEUES = (LABELING, REVIEWING)


def assign_samples(
    actor,
    dataset_access: access.DatasetAccess,
    sample_uuids: list[str],
    *,
    username: str | None,
    queue: str = LABELING,
) -> int:
    """Assign the samples `sample_uuids` of the dataset to `username` (None: unassign) as labeler or reviewer.

    Needs manager role (PermissionDenied). The assignee must be able to label (reviewer role for the review
    queue) the dataset, else InvalidInput naming `username`. Unknown uuids are ignored. Returns the count.
    """
    if not dataset_access.allows(access.ROLE_MANAGER):
        raise PermissionDenied()
    assignee = _assignee(dataset_access.dataset, username, queue)
    field = "assigned_labeler" if queue == LABELING else "assigned_reviewer"
    with transaction.atomic():
        samples = list(
            Sample.objects.filter(dataset=dataset_access.dataset, uuid__in=_valid_uuids(sample_uuids))
            .select_related("assigned_labeler", "assigned_reviewer")
            .select_for_update(of=("self",))
        )
        for sample in samples:
            setattr(sample, field, assignee)
        Sample.objects.bulk_update(samples, [field])
        for sample in samples:
            broadcast_sample_assigned(actor, sample)
    return len(samples)


def _valid_uuids(values: list[str]) -> list[uuid.UUID]:
    valid = []
    for value in values:
        try:
            valid.append(uuid.UUID(str(value)))
        except ValueError:
            continue  # an unknown or malformed uuid is skipped, like an unknown one
    return valid


def _assignee(dataset: Dataset, username: str | None, queue: str):
    if username is None:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    needed = access.ROLE_LABELER if queue == LABELING else access.ROLE_REVIEWER
    role = access.role_for(user, dataset) if user else None
    if role is None or access.ROLE_RANK[role] < access.ROLE_RANK[needed]:
        raise InvalidInput(
            f"username: {username!r} cannot be assigned: they need the {needed} role on this dataset.",
            errors=[{"path": "username", "rule": "assignable", "message": f"needs the {needed} role"}],
        )
    return user


def claim_next_sample(
    user, dataset_access: access.DatasetAccess, *, queue: str = LABELING, exclude: Sample | None = None
) -> Sample | None:
    """The next sample for `user` to work on: one already assigned to them that still needs work, else the
    highest-priority unassigned one, which is assigned to them in the same transaction. None when the queue is
    empty. `exclude`: a sample never to return (the one the user just submitted). Needs the labeler role
    (reviewer for the review queue)."""
    if queue not in QUEUES:
        raise NotFound()
    needed = access.ROLE_LABELER if queue == LABELING else access.ROLE_REVIEWER
    if not dataset_access.allows(needed):
        raise PermissionDenied()
    field = "assigned_labeler" if queue == LABELING else "assigned_reviewer"
    with transaction.atomic():
        pending = _needing_work(dataset_access.dataset, queue).order_by("-priority", "name", "pk")
        if exclude is not None:
            pending = pending.exclude(pk=exclude.pk)
        mine = pending.filter(**{field: user}).first()
        if mine is not None:
            return mine
        free = pending.filter(**{f"{field}__isnull": True}).select_for_update(skip_locked=True, of=("self",))
        sample = free.first()
        if sample is not None:
            setattr(sample, field, user)
            sample.save(update_fields=[field, "updated_at"])
            broadcast_sample_assigned(user, sample)
        return sample


def samples_needing_work(dataset: Dataset, queue: str) -> QuerySet[Sample]:
    """The samples of `dataset` that still need the work of `queue` (labeling: no ground-truth label or one
    in TO_LABEL_STATUSES; reviewing: a label in TO_REVIEW_STATUSES), assigned or not, unordered."""
    return _needing_work(dataset, queue)


def _needing_work(dataset: Dataset, queue: str) -> QuerySet[Sample]:
    labels = Label.objects.filter(sample=OuterRef("pk"), labelset__name=GROUND_TRUTH)
    if queue == LABELING:
        done = labels.exclude(label_status__in=TO_LABEL_STATUSES)
        return Sample.objects.filter(dataset=dataset).filter(~Exists(done))
    to_review = labels.filter(label_status__in=TO_REVIEW_STATUSES)
    return Sample.objects.filter(dataset=dataset).filter(Exists(to_review))


def ensure_can_write_label(user, dataset_access: access.DatasetAccess, sample: Sample) -> None:
    """Only the assignee (labeler or reviewer) writes the label of an assigned sample; managers and admins
    may always. Raises PermissionDenied with a message that says who has the sample. The write rule's
    assignee part (services.review.check_assignee, for a write that keeps the status); new code calls
    services.review.check_save_label, which owns the whole rule."""
    review.check_assignee(user, dataset_access, sample, None)


def samples_assigned_to(user, dataset: Dataset) -> QuerySet[Sample]:
    """The user's samples in `dataset` (as labeler or reviewer)."""
    return Sample.objects.filter(dataset=dataset).filter(Q(assigned_labeler=user) | Q(assigned_reviewer=user))
