"""The user's work queue in the editor: which queue a user works in, the previous and next sample in it, and
"submit and go to my next sample".

Labelers work in the labeling queue and reviewers in the review queue (a reviewer may also choose the
labeling queue): the queue is the samples assigned to the user in that role, then the claimable ones (still
needing that work, assigned to nobody), each part in queue order (priority high to low, then name).
Managers and above browse the whole dataset in name order (queue "dataset") unless they pick a queue;
viewers have no queue.
"""

from django.db.models import Q, QuerySet

from datasets import access
from datasets.models import Sample
from datasets.services import assignment, browse
from labeling.exceptions import PermissionDenied

DATASET = "dataset"
QUEUE_ORDER = ("-priority", "name", "pk")
REVERSED_QUEUE_ORDER = ("priority", "-name", "-pk")


def queue_for(dataset_access: access.DatasetAccess, requested: str | None = None) -> str | None:
    """The queue the user works in: `requested` (labeling or reviewing) when their role allows it; else
    DATASET for managers and above, reviewing for reviewers, labeling for labelers, None for viewers."""
    if requested == assignment.REVIEWING and dataset_access.allows(access.ROLE_REVIEWER):
        return assignment.REVIEWING
    if requested == assignment.LABELING and dataset_access.allows(access.ROLE_LABELER):
        return assignment.LABELING
    if dataset_access.allows(access.ROLE_MANAGER):
        return DATASET
    if dataset_access.allows(access.ROLE_REVIEWER):
        return assignment.REVIEWING
    if dataset_access.allows(access.ROLE_LABELER):
        return assignment.LABELING
    return None


def neighbours(user, sample: Sample, queue: str | None) -> tuple[Sample | None, Sample | None]:
    """The previous and next sample of `sample` in `user`'s `queue` (module docstring); dataset name order
    for DATASET and None. A sample outside the queue has the user's last assigned sample before it and the
    queue's first pending sample (not `sample`) after it. At most four queries."""
    if queue not in assignment.QUEUES:
        return browse.neighbour_samples(sample)
    mine, claimable = _mine(user, sample, queue), _claimable(sample, queue)
    if getattr(sample, _field(queue) + "_id") == user.pk:
        previous = mine.filter(_before(sample)).order_by(*REVERSED_QUEUE_ORDER).first()
        following = mine.filter(_after(sample)).order_by(*QUEUE_ORDER).first()
        return previous, following or claimable.exclude(pk=sample.pk).order_by(*QUEUE_ORDER).first()
    if claimable.filter(pk=sample.pk).exists():
        previous = claimable.filter(_before(sample)).order_by(*REVERSED_QUEUE_ORDER).first()
        following = claimable.filter(_after(sample)).order_by(*QUEUE_ORDER).first()
        return previous or mine.order_by(*REVERSED_QUEUE_ORDER).first(), following
    return mine.order_by(*REVERSED_QUEUE_ORDER).first(), peek_next(user, sample, queue)


def peek_next(user, sample: Sample, queue: str) -> Sample | None:
    """The sample the user would get next in `queue` (labeling or reviewing) after `sample`, without claiming
    it: their first assigned sample that still needs that work, else the first claimable one; never `sample`."""
    pending = assignment.samples_needing_work(sample.dataset, queue).exclude(pk=sample.pk)
    field = _field(queue)
    mine = pending.filter(**{field: user}).order_by(*QUEUE_ORDER).first()
    return mine or pending.filter(**{f"{field}__isnull": True}).order_by(*QUEUE_ORDER).first()


def submit_and_next(user, dataset_access: access.DatasetAccess, sample: Sample, queue: str | None) -> Sample | None:
    """ "Submit and go to my next sample": in the labeling or review queue, claim the user's next sample
    (assignment.claim_next_sample, never `sample` itself); in DATASET order, the next sample by name. None
    when nothing is left. Raises PermissionDenied for a user without a queue (a viewer)."""
    if queue == DATASET:
        return browse.neighbour_samples(sample)[1]
    if queue not in assignment.QUEUES:
        raise PermissionDenied()
    return assignment.claim_next_sample(user, dataset_access, queue=queue, exclude=sample)


def _field(queue: str) -> str:
    return "assigned_labeler" if queue == assignment.LABELING else "assigned_reviewer"


def _mine(user, sample: Sample, queue: str) -> QuerySet[Sample]:
    return Sample.objects.filter(dataset_id=sample.dataset_id, **{_field(queue): user})


def _claimable(sample: Sample, queue: str) -> QuerySet[Sample]:
    return assignment.samples_needing_work(sample.dataset, queue).filter(**{f"{_field(queue)}__isnull": True})


def _after(sample: Sample) -> Q:
    """Samples after `sample` in QUEUE_ORDER."""
    same_priority = Q(priority=sample.priority)
    return (
        Q(priority__lt=sample.priority)
        | (same_priority & Q(name__gt=sample.name))
        | (same_priority & Q(name=sample.name, pk__gt=sample.pk))
    )


def _before(sample: Sample) -> Q:
    """Samples before `sample` in QUEUE_ORDER."""
    same_priority = Q(priority=sample.priority)
    return (
        Q(priority__gt=sample.priority)
        | (same_priority & Q(name__lt=sample.name))
        | (same_priority & Q(name=sample.name, pk__lt=sample.pk))
    )
