"""Progress and who did what, for the pages: the dataset page's filtered and sorted sample rows (with who
labeled and who reviewed each label of the label set shown, the ground truth by default), its label sets with
their counts, per-person counts, and the home page's progress per dataset. Read-only; every function makes a
fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from datasets.models import GROUND_TRUTH, Dataset, Label, LabelSet, Sample
from datasets.services.browse import SAMPLES_PER_PAGE, UNLABELED, image_url_of
from datasets.services.dataset_setup import category_ids_of
from datasets.services.pointclouds import label_problems
from labeling.core.task_types import LABEL_STATUSES, sample_type_for_task_type

# Sample types whose samples have point clouds the server reads (their problems show on the dataset page).
POINT_CLOUD_SAMPLE_TYPES = ("pointcloud", "pointcloud-sequence", "multisensor-sequence")
# Statuses that count as done on the home page's progress bar.
DONE_STATUSES = ("LABELED", "REVIEWED", "VERIFIED")
# ?sort= values (a leading "-" sorts descending) -> the annotated or model field.
SORTS = {
    "name": "name",
    "created": "created_at",
    "status": "label_status",
    "labeler": "labeled_by_name",
    "reviewer": "reviewed_by_name",
    "updated": "label_updated_at",
    "priority": "priority",
}


@dataclass(frozen=True)
class SampleFilters:
    """The dataset page's filters, parsed leniently from its query string (unknown values are ignored)."""

    status: str | None = None  # a label status, or UNLABELED
    assignee: str | None = None  # username of the assigned labeler or reviewer
    labeler: str | None = None  # username in labeled_by
    category: int | None = None  # a category id some annotation uses
    name: str | None = None  # part of the sample name, any case
    sort: str = "name"
    labelset: str = GROUND_TRUTH  # the label set whose status, labeler and reviewer the rows show

    @classmethod
    def from_query(cls, query) -> "SampleFilters":
        """From a QueryDict (request.GET)."""
        status = query.get("status") or None
        category = query.get("category") or ""
        sort = query.get("sort") or "name"
        return cls(
            status=status if status in LABEL_STATUSES else None,
            assignee=query.get("assignee") or None,
            labeler=query.get("labeler") or None,
            category=int(category) if category.isdigit() else None,
            name=(query.get("name") or "").strip() or None,
            sort=sort if sort.lstrip("-") in SORTS else "name",
            labelset=query.get("labelset") or GROUND_TRUTH,
        )


@dataclass(frozen=True)
class ProgressRow:
    sample: Sample
    label_status: str
    labeled_by: str | None
    reviewed_by: str | None
    thumbnail_url: str | None
    image_url: str | None
    problems: tuple[str, ...] = ()  # unreadable point clouds, point counts that do not match a label


def _label_field(field: str, labelset: str):
    labels = Label.objects.filter(sample=OuterRef("pk"), labelset__name=labelset)
    return Subquery(labels.values(field)[:1])


def filtered_samples(dataset: Dataset, filters: SampleFilters) -> QuerySet[Sample]:
    """The samples of `dataset` matching `filters`, annotated with their label's (in `filters.labelset`)
    status, labeler and reviewer names and update time, ordered by `filters.sort` (ties by name, then id)."""
    labelset = filters.labelset
    samples = (
        Sample.objects.filter(dataset=dataset)
        .select_related("assigned_labeler", "assigned_reviewer", "thumbnail")
        .annotate(
            label_status=_label_field("label_status", labelset),
            labeled_by_name=_label_field("labeled_by__username", labelset),
            reviewed_by_name=_label_field("reviewed_by__username", labelset),
            label_updated_at=_label_field("updated_at", labelset),
        )
    )
    if filters.status == UNLABELED:
        samples = samples.filter(label_status__isnull=True)
    elif filters.status:
        samples = samples.filter(label_status=filters.status)
    if filters.assignee:
        samples = samples.filter(
            Q(assigned_labeler__username=filters.assignee) | Q(assigned_reviewer__username=filters.assignee)
        )
    if filters.labeler:
        samples = samples.filter(labeled_by_name=filters.labeler)
    if filters.name:
        samples = samples.filter(name__icontains=filters.name)
    if filters.category is not None:
        samples = samples.filter(pk__in=_samples_using_category(dataset, filters.category, labelset))
    field = SORTS[filters.sort.lstrip("-")]
    if filters.sort.startswith("-"):
        return samples.order_by(F(field).desc(nulls_last=True), "name", "pk")
    return samples.order_by(F(field).asc(nulls_last=True), "name", "pk")


def _samples_using_category(dataset: Dataset, category_id: int, labelset: str = GROUND_TRUTH):
    """Ids of samples whose label in `labelset` has an annotation of `category_id` (in any frame)."""
    labels = Label.objects.filter(sample__dataset=dataset, labelset__name=labelset)
    if connection.vendor == "postgresql":  # jsonb containment, served by the JSON operators
        wanted = [{"category_id": category_id}]
        labels = labels.filter(
            Q(attributes__annotations__contains=wanted) | Q(attributes__frames__contains=[{"annotations": wanted}])
        )
        return labels.values("sample_id")
    # SQLite (the embedded default) has no JSON containment: read the candidates' attributes once.
    rows = labels.values_list("sample_id", "attributes")
    return [sample_id for sample_id, attributes in rows.iterator() if category_id in category_ids_of(attributes)]


def sample_page(dataset: Dataset, filters: SampleFilters, page_number) -> tuple[Page, list[ProgressRow]]:
    """One page of SAMPLES_PER_PAGE rows matching `filters`, with the point-cloud problems of each sample on
    point-cloud datasets. Two queries (one more with a category on SQLite, one more on point-cloud datasets)."""
    page = Paginator(filtered_samples(dataset, filters), SAMPLES_PER_PAGE).get_page(page_number)
    is_pointcloud = sample_type_for_task_type(dataset.task_type) in POINT_CLOUD_SAMPLE_TYPES
    problems = label_problems([sample.pk for sample in page.object_list]) if is_pointcloud else {}
    rows = [
        ProgressRow(
            sample=sample,
            label_status=sample.label_status or UNLABELED,  # type: ignore[attr-defined]  # filtered_samples annotates
            labeled_by=sample.labeled_by_name,  # type: ignore[attr-defined]
            reviewed_by=sample.reviewed_by_name,  # type: ignore[attr-defined]
            thumbnail_url=f"{settings.MEDIA_URL}{sample.thumbnail.file.name}" if sample.thumbnail is not None else None,
            image_url=image_url_of(sample.attributes),
            problems=tuple(problems.get(sample.pk, ())),
        )
        for sample in page.object_list
    ]
    return page, rows


@dataclass(frozen=True)
class LabelsetCounts:
    """A label set of the dataset page's "Label sets" panel."""

    name: str
    description: str
    is_groundtruth: bool
    labels: int  # samples with a label in this label set
    unlabeled: int  # samples without one
    statuses: tuple[tuple[str, int], ...]  # (label status, labels) of the statuses in use, LABEL_STATUSES order


def labelset_counts(dataset: Dataset, samples_total: int) -> list[LabelsetCounts]:
    """Every label set of `dataset` (ground truth first, then by name) with its label count and its counts
    per label status; `samples_total` (the dataset's sample count) gives the unlabeled ones. One query."""
    stored = [status for status in LABEL_STATUSES if status != UNLABELED]
    per_status = {
        f"status_{index}": Count("labels", filter=Q(labels__label_status=status)) for index, status in enumerate(stored)
    }
    rows = LabelSet.objects.filter(dataset=dataset).annotate(total=Count("labels"), **per_status)
    return [
        LabelsetCounts(
            name=row.name,
            description=row.description,
            is_groundtruth=row.is_groundtruth,
            labels=row.total,  # type: ignore[attr-defined]  # annotated above
            unlabeled=max(0, samples_total - row.total),  # type: ignore[attr-defined]
            statuses=tuple(
                (status, count) for index, status in enumerate(stored) if (count := getattr(row, f"status_{index}"))
            ),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class PersonCounts:
    username: str
    labeled: int  # ground-truth labels this person labeled last
    reviewed: int  # ground-truth labels this person reviewed last (REVIEWED, REJECTED or VERIFIED)
    rejected: int  # of the labels this person labeled, how many stand REJECTED


def person_counts(
    dataset: Dataset, *, since: datetime | None = None, until: datetime | None = None
) -> list[PersonCounts]:
    """Per-person counts over the ground truth of `dataset`, by username; labeled and rejected count labels
    labeled in [since, until), reviewed counts reviews in that range (open ends: no bound). Two queries."""
    labels = Label.objects.filter(sample__dataset=dataset, labelset__is_groundtruth=True)
    labeled = labels.filter(labeled_by__isnull=False, **_range("labeled_at", since, until))
    reviewed = labels.filter(reviewed_by__isnull=False, **_range("reviewed_at", since, until))
    counts: dict[int, dict[str, int]] = {}
    for user_id, total, rejected in labeled.values_list("labeled_by").annotate(
        total=Count("pk"), rejected=Count("pk", filter=Q(label_status="REJECTED"))
    ):
        counts.setdefault(user_id, {}).update(labeled=total, rejected=rejected)
    for user_id, total in reviewed.values_list("reviewed_by").annotate(total=Count("pk")):
        counts.setdefault(user_id, {})["reviewed"] = total
    names = dict(get_user_model().objects.filter(pk__in=counts).values_list("pk", "username"))
    people = [
        PersonCounts(names[user_id], c.get("labeled", 0), c.get("reviewed", 0), c.get("rejected", 0))
        for user_id, c in counts.items()
    ]
    return sorted(people, key=lambda person: person.username)


def _range(field: str, since: datetime | None, until: datetime | None) -> dict:
    bounds = {}
    if since is not None:
        bounds[f"{field}__gte"] = since
    if until is not None:
        bounds[f"{field}__lt"] = until
    return bounds


def with_progress(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """`datasets` annotated with `samples_total` and `samples_done` (ground truth in DONE_STATUSES). One query
    with the list (two subqueries per row, no join fan-out)."""
    total = Sample.objects.filter(dataset=OuterRef("pk")).order_by().values("dataset").annotate(n=Count("pk"))
    done = (
        Label.objects.filter(
            sample__dataset=OuterRef("pk"), labelset__name=GROUND_TRUTH, label_status__in=DONE_STATUSES
        )
        .order_by()
        .values("sample__dataset")
        .annotate(n=Count("pk"))
    )
    return datasets.annotate(
        samples_total=Coalesce(Subquery(total.values("n")[:1]), Value(0), output_field=IntegerField()),
        samples_done=Coalesce(Subquery(done.values("n")[:1]), Value(0), output_field=IntegerField()),
    )
