"""Read side of datasets for the API: visible datasets with counts, label statistics and the caller's role.

Every loader here works on a whole page of datasets with a fixed number of queries, so list endpoints do not
grow queries with the page size.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from datasets import access
from datasets.models import Collaborator, Dataset, Label, LabelSet, Sample
from labeling.core.label_formats import LABEL_STATUSES
from labeling.models import Membership

UNLABELED = "UNLABELED"


@dataclass(frozen=True)
class DatasetDetails:
    """A dataset with what its API representation needs besides its own columns."""

    dataset: Dataset
    role: str | None
    label_stats: dict[str, int]
    labelsets: list[LabelSet]


def _count_of(model, **filters) -> Coalesce:
    rows = model.objects.filter(**filters).order_by().values("dataset").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_counts(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """Annotate `samples_count` and `collaborators_count` (subqueries: no join fan-out, no extra query)."""
    return datasets.select_related("owner_user", "owner_organization").annotate(
        samples_count=_count_of(Sample, dataset=OuterRef("pk")),
        collaborators_count=_count_of(Collaborator, dataset=OuterRef("pk")),
    )


def visible_datasets_of(user, *, owner_name: str | None = None) -> QuerySet[Dataset]:
    """Datasets `user` may see (owned, through an organization, as collaborator, or public), optionally only
    those owned by `owner_name`, with counts, in full-name order."""
    datasets = access.visible_datasets(user)
    if owner_name is not None:
        datasets = datasets.filter(owner_name=owner_name)
    return with_counts(datasets).order_by("owner_name", "name")


def roles_for(user, datasets: list[Dataset]) -> dict[int, str | None]:
    """{dataset id: the user's effective role}, the bulk twin of access.role_for (same rules). Two queries."""
    if not user.is_authenticated:
        return {d.pk: access.VIEWER if d.public else None for d in datasets}
    ids = [d.pk for d in datasets]
    collaborations = dict(Collaborator.objects.filter(user=user, dataset_id__in=ids).values_list("dataset_id", "role"))
    organization_ids = {d.owner_organization_id for d in datasets if d.owner_organization_id}
    memberships = dict(
        Membership.objects.filter(user=user, organization_id__in=organization_ids).values_list(
            "organization_id", "role"
        )
    )
    roles: dict[int, str | None] = {}
    for dataset in datasets:
        if dataset.owner_user_id == user.pk:
            roles[dataset.pk] = access.OWNER
            continue
        found = [collaborations.get(dataset.pk), memberships.get(dataset.owner_organization_id or 0)]
        held = [role for role in found if role]
        fallback = access.VIEWER if dataset.public else None
        roles[dataset.pk] = max(held, key=access.ROLE_RANK.__getitem__) if held else fallback
    return roles


def label_stats_for(datasets: list[Dataset]) -> dict[int, dict[str, int]]:
    """{dataset id: {label status: ground-truth labels, UNLABELED: samples without one, TOTAL: samples}}.

    Needs `samples_count` on each dataset (see with_counts). One query.
    """
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Label.objects.filter(labelset__dataset__in=[d.pk for d in datasets], labelset__is_groundtruth=True)
        .values_list("labelset__dataset_id", "label_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for dataset_id, status, n in rows:
        counts[dataset_id][status] = n
    stats = {}
    for dataset in datasets:
        by_status = {status: counts[dataset.pk].get(status, 0) for status in LABEL_STATUSES}
        labeled = sum(counts[dataset.pk].values())
        total = dataset.samples_count  # type: ignore[attr-defined]  # annotated by with_counts
        by_status[UNLABELED] += max(total - labeled, 0)
        stats[dataset.pk] = {**by_status, "TOTAL": total}
    return stats


def details_for(user, datasets: list[Dataset], *, roles: dict[int, str | None] | None = None) -> list[DatasetDetails]:
    """Load roles, label statistics and label sets of a page of datasets (annotated by with_counts).

    Four queries whatever the page size (two when `roles` is given).
    """
    if not datasets:
        return []
    roles = roles if roles is not None else roles_for(user, datasets)
    stats = label_stats_for(datasets)
    labelsets: dict[int, list[LabelSet]] = defaultdict(list)
    for labelset in LabelSet.objects.filter(dataset__in=[d.pk for d in datasets]):
        labelsets[labelset.dataset_id].append(labelset)
    return [DatasetDetails(d, roles[d.pk], stats[d.pk], labelsets[d.pk]) for d in datasets]


def dataset_details(user, dataset_access: access.DatasetAccess) -> DatasetDetails:
    """Details of one dataset already loaded through access.get_dataset (its role is known). Three queries."""
    dataset = with_counts(Dataset.objects.filter(pk=dataset_access.dataset.pk)).get()
    return details_for(user, [dataset], roles={dataset.pk: dataset_access.role})[0]
