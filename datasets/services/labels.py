"""Label use cases: create-or-replace with optimistic concurrency, partial update, delete."""

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from datasets.models import Dataset, Label, LabelSet, Sample
from datasets.realtime import broadcast_label_deleted, broadcast_label_saved
from datasets.services.interpolation import schedule_interpolation
from datasets.services.label_files import check_label_files
from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import validate_label_attributes
from labeling.exceptions import InvalidInput, NotFound, VersionConflict


def format_error_to_invalid_input(error: LabelFormatError, *, prefix: str) -> InvalidInput:
    """Turn a core LabelFormatError into InvalidInput whose paths start at the request field `prefix`."""
    issues = [{**issue.to_dict(), "path": f"{prefix}.{issue.path}" if issue.path else prefix} for issue in error.issues]
    summary = "; ".join(f"{issue['path']}: {issue['message']}" for issue in issues[:5])
    more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
    return InvalidInput(f"Invalid {prefix}: {summary}{more}", errors=issues)


def get_labelset(dataset: Dataset, name: str) -> LabelSet:
    """Return the label set `name` of `dataset`; raises NotFound."""
    labelset = LabelSet.objects.filter(dataset=dataset, name=name).first()
    if labelset is None:
        raise NotFound()
    return labelset


def save_label(
    actor,
    sample: Sample,
    labelset_name: str,
    *,
    attributes: dict | None,
    label_status: str,
    score: float | None = None,
    expected_version: int | None = None,
) -> Label:
    """Create or replace the label of `sample` in label set `labelset_name`, validated against the dataset.

    expected_version: the version the writer started from (0 = "there was no label"); a stale one raises
    VersionConflict and writes nothing. None keeps the SDK's create-or-replace behaviour. The check is a
    conditional UPDATE in the database, so concurrent writers cannot both win. A version the interpolation
    worker derived from `expected_version` does not make the write stale. Raises InvalidInput with every
    broken format rule; nothing is stored then.
    """
    labelset = get_labelset(sample.dataset, labelset_name)
    stored = _validated_label_attributes(sample, attributes, label_status)
    values = {
        "attributes": stored,
        "label_status": label_status,
        "score": score,
        "updated_by": actor,
        "updated_at": timezone.now(),
    }
    with transaction.atomic():
        label = _update_label(sample, labelset, values, expected_version)
        if label is None:
            label = _create_label(actor, sample, labelset, values, expected_version)
        broadcast_label_saved(sample, label)
        label.sample = sample
        schedule_interpolation(label)
    return label


def _validated_label_attributes(sample: Sample, attributes: dict | None, label_status: str) -> dict | None:
    if attributes is None:
        return None
    dataset = sample.dataset
    try:
        stored = validate_label_attributes(
            dataset.task_type,
            attributes,
            task_attributes=dataset.task_attributes,
            sample_attributes=sample.attributes,
            label_status=label_status,
        )
        check_label_files(dataset.task_type, stored, sample.attributes)
        return stored
    except LabelFormatError as error:
        raise format_error_to_invalid_input(error, prefix="attributes") from error


def _update_label(sample, labelset, values: dict, expected_version: int | None) -> Label | None:
    rows = Label.objects.filter(sample=sample, labelset=labelset)
    if expected_version is not None:
        rows = rows.filter(Q(version=expected_version) | Q(interpolated_from=expected_version))
    if rows.update(**values, interpolated_from=None, version=F("version") + 1):
        return Label.objects.select_related("created_by", "updated_by", "labelset").get(
            sample=sample, labelset=labelset
        )
    current = Label.objects.filter(sample=sample, labelset=labelset).values_list("version", flat=True).first()
    if current is not None:
        raise VersionConflict(current)
    if expected_version not in (None, 0):
        raise VersionConflict(0)
    return None


def _create_label(actor, sample, labelset, values: dict, expected_version: int | None) -> Label:
    try:
        with transaction.atomic():
            return Label.objects.create(sample=sample, labelset=labelset, created_by=actor, version=1, **values)
    except IntegrityError:
        # Another writer created it first: a versioned write lost the race, an unversioned one replaces it.
        label = _update_label(sample, labelset, values, expected_version)
        if label is None:
            raise
        return label


def update_label(actor, sample: Sample, labelset_name: str, **changes) -> Label:
    """Partially update an existing label: `changes` holds any of attributes, label_status, score, version.

    Raises NotFound when the sample has no label in that label set; otherwise as save_label.
    """
    labelset = get_labelset(sample.dataset, labelset_name)
    label = Label.objects.filter(sample=sample, labelset=labelset).first()
    if label is None:
        raise NotFound()
    return save_label(
        actor,
        sample,
        labelset_name,
        attributes=changes.get("attributes", label.attributes),
        label_status=changes.get("label_status") or label.label_status,
        score=changes.get("score", label.score),
        expected_version=changes.get("version"),
    )


def delete_label(actor, sample: Sample, labelset_name: str) -> None:
    """Delete the label of `sample` in `labelset_name`; raises NotFound when there is none."""
    labelset = get_labelset(sample.dataset, labelset_name)
    deleted, _ = Label.objects.filter(sample=sample, labelset=labelset).delete()
    if not deleted:
        raise NotFound()
    broadcast_label_deleted(actor, sample, labelset_name)
