"""Sample use cases: add one or many, update (null unassigns), delete one or many, and the filtered listing.

Sample `attributes` are checked against the dataset's sample type by the label-format core and stored exactly
as received. The server never fetches sample URLs (the SDK's own fixtures use dummy URLs).
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from datasets import access
from datasets.models import Dataset, Label, LabelSet, Sample
from datasets.realtime import broadcast_sample_assigned, broadcast_sample_created, broadcast_sample_deleted
from datasets.services.labels import format_error_to_invalid_input
from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import LABEL_STATUSES, validate_sample_attributes
from labeling.exceptions import AlreadyExists, InvalidInput

SAMPLE_FIELDS = (
    "name",
    "attributes",
    "metadata",
    "priority",
    "readme",
    "assigned_labeler",
    "assigned_reviewer",
)
ASSIGNEE_ROLES = {"assigned_labeler": access.ROLE_LABELER, "assigned_reviewer": access.ROLE_REVIEWER}
UNLABELED = "UNLABELED"
SORT_FIELDS = {
    "name": "name",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "priority": "priority",
    "gt_label__updated_at": "ground_truth_updated_at",
}


def _validated_attributes(dataset: Dataset, attributes, path: str) -> dict:
    try:
        validate_sample_attributes(dataset.task_type, attributes)
    except LabelFormatError as error:
        raise format_error_to_invalid_input(error, prefix=path) from error
    return attributes


def _assignees(dataset: Dataset, values: dict, cache: dict | None = None) -> dict:
    """Turn `assigned_labeler`/`assigned_reviewer` usernames into users who hold at least the matching role on
    the dataset (None unassigns). Raises InvalidInput for an unknown user or one without that role."""
    cache = {} if cache is None else cache
    resolved: dict[str, object] = {}
    for field, role in ASSIGNEE_ROLES.items():
        if field not in values:
            continue
        username = values[field]
        if username is None:
            resolved[field] = None
            continue
        if (username, role) not in cache:
            cache[username, role] = _assignable_user(dataset, username, role)
        if cache[username, role] is None:
            raise InvalidInput(
                f"The {field.replace('_', ' ')} needs the {role} role or above on this dataset.",
                errors=[{"path": field, "rule": "assignee", "message": f"needs the {role} role on the dataset"}],
            )
        resolved[field] = cache[username, role]
    return resolved


def _assignable_user(dataset: Dataset, username: str, role: str):
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        return None
    held = access.role_for(user, dataset)
    return user if held is not None and access.ROLE_RANK[held] >= access.ROLE_RANK[role] else None


def _duplicate_name() -> AlreadyExists:
    return AlreadyExists("A sample with this name already exists in this dataset.")


def create_sample(actor, dataset: Dataset, values: dict) -> Sample:
    """Add one sample. `values` holds name, attributes and optionally metadata, priority, readme,
    assigned_labeler/assigned_reviewer (usernames).

    Raises AlreadyExists for a duplicate name, InvalidInput for bad attributes or assignees.
    """
    fields = _sample_fields(dataset, values, path="attributes")
    if Sample.objects.filter(dataset=dataset, name=fields["name"]).exists():
        raise _duplicate_name()
    try:
        with transaction.atomic():
            sample = Sample.objects.create(dataset=dataset, created_by=actor, **fields)
            broadcast_sample_created(actor, sample)
            return sample
    except IntegrityError:
        raise _duplicate_name() from None


def _sample_fields(dataset: Dataset, values: dict, *, path: str, cache: dict | None = None) -> dict:
    fields = {key: values[key] for key in SAMPLE_FIELDS if key in values and key not in ASSIGNEE_ROLES}
    fields["attributes"] = _validated_attributes(dataset, values["attributes"], path)
    fields["metadata"] = fields.get("metadata") or {}
    fields.update(_assignees(dataset, values, cache))
    return fields


def create_samples(actor, dataset: Dataset, items: list[dict]) -> list[Sample]:
    """Add many samples at once (the SDK's add_samples), returned in the order given.

    A sample whose name already exists is returned unchanged, as the SDK documents; a name repeated within
    `items` is created once. All items are validated first: InvalidInput lists every bad item and nothing is
    stored then.
    """
    cache: dict = {}
    prepared, issues = [], []
    for index, values in enumerate(items):
        try:
            prepared.append(_sample_fields(dataset, values, path=f"[{index}].attributes", cache=cache))
        except InvalidInput as error:
            issues += error.errors or [{"path": f"[{index}]", "rule": "invalid", "message": error.message}]
    if issues:
        summary = "; ".join(f"{issue['path']}: {issue['message']}" for issue in issues[:5])
        raise InvalidInput(f"Invalid samples: {summary}", errors=issues)
    with transaction.atomic():
        existing = {s.name: s for s in _with_people(dataset.samples.filter(name__in=[f["name"] for f in prepared]))}
        new = {}
        for fields in prepared:
            if fields["name"] not in existing and fields["name"] not in new:
                new[fields["name"]] = Sample(dataset=dataset, created_by=actor, **fields)
        try:
            with transaction.atomic():
                Sample.objects.bulk_create(new.values())
        except IntegrityError:
            raise _duplicate_name() from None
        for sample in new.values():
            broadcast_sample_created(actor, sample)
    by_name = {**existing, **new}
    return [by_name[fields["name"]] for fields in prepared]


def update_sample(actor, sample: Sample, changes: dict) -> Sample:
    """Apply a partial update: any of SAMPLE_FIELDS; `assigned_labeler: None` unassigns, a missing key leaves
    the field alone. Raises AlreadyExists (name taken), InvalidInput (attributes, assignees, null values)."""
    nulls = [key for key, value in changes.items() if value is None and key not in ASSIGNEE_ROLES]
    if nulls:
        errors = [{"path": key, "rule": "required", "message": "may not be null"} for key in nulls]
        raise InvalidInput(f"Invalid request: {', '.join(nulls)} may not be null", errors=errors)
    dataset = sample.dataset
    if "attributes" in changes:
        _validated_attributes(dataset, changes["attributes"], "attributes")
    fields = {key: value for key, value in changes.items() if key in SAMPLE_FIELDS and key not in ASSIGNEE_ROLES}
    fields.update(_assignees(dataset, changes))
    if "name" in fields and dataset.samples.filter(name=fields["name"]).exclude(pk=sample.pk).exists():
        raise _duplicate_name()
    for key, value in fields.items():
        setattr(sample, key, value)
    try:
        with transaction.atomic():
            sample.save(update_fields=[*fields, "updated_at"])
            if ASSIGNEE_ROLES.keys() & changes.keys():
                broadcast_sample_assigned(actor, sample)
    except IntegrityError:
        raise _duplicate_name() from None
    return sample


def delete_sample(actor, sample: Sample) -> None:
    """Delete a sample with its labels, issues and workunits."""
    with transaction.atomic():
        broadcast_sample_deleted(actor, sample)
        sample.delete()


def delete_samples(actor, dataset: Dataset, uuids: list[str]) -> int:
    """Delete the samples of `dataset` with these uuids; unknown or malformed uuids are skipped. Returns how
    many samples were deleted."""
    valid = [value for value in uuids if _is_uuid(value)]
    with transaction.atomic():
        doomed = list(Sample.objects.filter(dataset=dataset, uuid__in=valid).only("pk", "uuid", "name", "dataset_id"))
        for sample in doomed:
            broadcast_sample_deleted(actor, sample)
        Sample.objects.filter(pk__in=[sample.pk for sample in doomed]).delete()
    return len(doomed)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# Listing ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleQuery:
    """get_samples' filters, already parsed leniently from the query string (see datasets.api.samples)."""

    name_contains: str | None = None
    metadata: tuple[tuple[str, str], ...] = ()
    label_statuses: tuple[str, ...] = ()
    labelset: str | None = None
    sort: str = "name"
    descending: bool = False


def find_labelset(dataset: Dataset, name: str | None) -> LabelSet | None:
    """The label set `name` of `dataset`, or None (list queries tolerate unknown names)."""
    if not name:
        return None
    return LabelSet.objects.filter(dataset=dataset, name=name).first()


def _with_people(samples: QuerySet[Sample]) -> QuerySet[Sample]:
    return samples.select_related("created_by", "assigned_labeler", "assigned_reviewer")


def list_samples(dataset: Dataset, query: SampleQuery, labelset: LabelSet | None) -> QuerySet[Sample]:
    """The samples of `dataset` matching `query`, ordered (ties broken by id, so pages are stable).

    `label_statuses` apply to `labelset` (ground truth when None); UNLABELED also matches "no label".
    """
    samples = _with_people(dataset.samples.all())
    if query.name_contains:
        samples = samples.filter(name__icontains=query.name_contains)
    for index, (key, value) in enumerate(query.metadata):
        alias = f"metadata_filter_{index}"
        # Cast: compared as text on every database (SQLite would otherwise parse `value` as JSON).
        as_text = Cast(KeyTextTransform(key, "metadata"), TextField())
        samples = samples.alias(**{alias: as_text}).filter(**{alias: value})
    statuses = [status for status in query.label_statuses if status in LABEL_STATUSES]
    if statuses:
        samples = samples.filter(_status_filter(dataset, labelset, statuses))
    if query.sort == "gt_label__updated_at":
        ground_truth = Label.objects.filter(sample=OuterRef("pk"), labelset__is_groundtruth=True)
        samples = samples.annotate(ground_truth_updated_at=Subquery(ground_truth.values("updated_at")[:1]))
    order = F(SORT_FIELDS.get(query.sort, "name"))
    # PostgreSQL's null placement (unlabeled samples last when ascending) on every database.
    if query.descending:
        return samples.order_by(order.desc(nulls_first=True), F("pk").desc())
    return samples.order_by(order.asc(nulls_last=True), F("pk").asc())


def _status_filter(dataset: Dataset, labelset: LabelSet | None, statuses: list[str]) -> Q:
    labels = Label.objects.filter(sample=OuterRef("pk"))
    labels = labels.filter(labelset=labelset) if labelset else labels.filter(labelset__is_groundtruth=True)
    condition = Q(Exists(labels.filter(label_status__in=statuses)))
    if UNLABELED in statuses:
        condition |= ~Q(Exists(labels))
    return condition


def labels_by_sample(samples: list[Sample], labelset: LabelSet) -> dict[int, Label]:
    """{sample id: its label in `labelset`} for a page of samples, people preloaded. One query."""
    labels = Label.objects.filter(sample__in=[s.pk for s in samples], labelset=labelset).select_related(
        "created_by", "updated_by", "reviewed_by"
    )
    by_sample = {}
    for label in labels:
        label.labelset = labelset
        by_sample[label.sample_id] = label
    return by_sample
