"""Label use cases: create-or-replace with optimistic concurrency, partial update, delete."""

from functools import cache
from typing import NamedTuple

from django.db import connection
from django.utils import timezone

from datasets.models import Dataset, Label, LabelSet, Sample
from datasets.realtime import broadcast_label_deleted, broadcast_label_saved
from datasets.services.interpolation import schedule_interpolation
from datasets.services.label_files import check_label_files
from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import validate_label_attributes
from labeling.core.padding import pad_short_label
from labeling.exceptions import InvalidInput, NotFound, VersionConflict
from labeling.sql import RowReader, adapt, column, db_value, table


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
    VersionConflict and writes nothing. None keeps the SDK's create-or-replace behaviour. The write is one
    statement that also finds the label set (an upsert, or an UPDATE conditional on the version), so
    concurrent writers cannot both win. A version the interpolation worker derived from `expected_version`
    does not make the write stale. Raises InvalidInput with every broken format rule (nothing is stored
    then), NotFound when the dataset has no label set `labelset_name`.
    """
    stored = _validated_label_attributes(sample, attributes, label_status)
    values = {
        "attributes": stored,
        "label_status": label_status,
        "score": score,
        "updated_by": actor,
        "updated_at": timezone.now(),
    }
    label = _write_label(actor, sample, labelset_name, values, expected_version)
    label.sample, label.updated_by = sample, actor
    # The statement found the label set; its id and name are all the response and the event need.
    label.labelset = LabelSet(id=label.labelset_id, dataset=sample.dataset, name=labelset_name)
    if label.created_by_id == actor.pk:
        label.created_by = actor
    broadcast_label_saved(sample, label)
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
        stored = pad_short_label(dataset.task_type, stored, sample.attributes)  # as docs/interpolation.md says
        check_label_files(dataset.task_type, stored, sample.attributes)
        return stored
    except LabelFormatError as error:
        raise format_error_to_invalid_input(error, prefix="attributes") from error


def _write_label(actor, sample, labelset_name: str, values: dict, expected_version: int | None) -> Label:
    """Insert or update the row in one statement and return it; raises VersionConflict when stale, NotFound
    when there is no such label set.

    No version, or 0 ("there was no label"): INSERT ... ON CONFLICT DO UPDATE (with 0, the update only
    happens where the stored row still counts as version 0). A version > 0: UPDATE ... WHERE version."""
    queries = _queries()
    labelset_key = [sample.dataset_id, adapt(LabelSet, "name", labelset_name)]
    written = Label(sample=sample, created_by=actor, version=1, **values)
    if expected_version:
        sql = queries.update_if_version
        updated = _database_values(written, WRITTEN_FIELDS)
        params = [*updated, sample.pk, *labelset_key, expected_version, expected_version]
    else:
        inserted = [*_database_values(written, _inserted()[1:], add=True), *labelset_key]
        sql = queries.upsert if expected_version is None else queries.upsert_if_version
        params = inserted if expected_version is None else [*inserted, expected_version, expected_version]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        existing = get_labelset(sample.dataset, labelset_name)  # NotFound when that was the reason
        current = Label.objects.filter(sample=sample, labelset=existing).values_list("version", flat=True).first()
        raise VersionConflict(current or 0)
    label = _label_reader().read(row)
    label.attributes = values["attributes"]  # what was written; not read back (3 KB of JSON to parse again)
    return label


def update_label(actor, sample: Sample, labelset_name: str, **changes) -> Label:
    """Partially update an existing label: `changes` holds any of attributes, label_status, score, version.

    A read-modify-write under the version check: the fields not in `changes` come from the stored label,
    and the write is conditional on that label's version (or on `version` when the caller sent one), so a
    concurrent PUT is never overwritten by the fields read before it. Without `version`, a write that loses
    such a race reads the label again and retries (UPDATE_RETRIES times, then VersionConflict). Raises
    NotFound when the sample has no label in that label set; otherwise as save_label.
    """
    labelset = get_labelset(sample.dataset, labelset_name)
    given_version = changes.get("version")
    for attempt in range(UPDATE_RETRIES):
        label = Label.objects.filter(sample=sample, labelset=labelset).first()
        if label is None:
            raise NotFound()
        try:
            return save_label(
                actor,
                sample,
                labelset_name,
                attributes=changes.get("attributes", label.attributes),
                label_status=changes.get("label_status") or label.label_status,
                score=changes.get("score", label.score),
                expected_version=label.version if given_version is None else given_version,
            )
        except VersionConflict:
            if given_version is not None or attempt == UPDATE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


UPDATE_RETRIES = 3


# The hand-written statements of the label hot path (labeling.sql) -----------------------------------------

WRITTEN_FIELDS = ("attributes", "label_status", "score", "updated_by", "updated_at")


class _LabelQueries(NamedTuple):
    upsert: str
    upsert_if_version: str
    update_if_version: str


@cache
def _label_reader() -> RowReader:
    """Every column but `attributes`, which the writer already holds."""
    return RowReader(Label, [field.name for field in Label._meta.concrete_fields if field.name != "attributes"])


@cache
def _inserted() -> list[str]:
    """The inserted fields, `labelset` first (its value comes from the label set row, not a parameter)."""
    fields = [field.name for field in Label._meta.concrete_fields if not field.primary_key]
    return ["labelset", *(name for name in fields if name != "labelset")]


def _database_values(label: Label, field_names, *, add: bool = False) -> list:
    """The values of `label`'s fields as the database takes them (what Model.save would send)."""
    fields = [Label._meta.get_field(name) for name in field_names]
    return [db_value(field, field.pre_save(label, add)) for field in fields]


@cache
def _queries() -> _LabelQueries:
    # Only model metadata is interpolated into these statements; every value is a parameter.
    label, labelset = table(Label), table(LabelSet)

    def col(name: str) -> str:  # a label column, qualified by the table (the upsert needs it)
        return f"{label}.{column(Label, name)}"

    set_written = ", ".join(f"{column(Label, name)} = %s" for name in WRITTEN_FIELDS)
    set_excluded = ", ".join(f"{column(Label, name)} = EXCLUDED.{column(Label, name)}" for name in WRITTEN_FIELDS)
    bump = f"{column(Label, 'interpolated_from')} = NULL, {column(Label, 'version')} = {col('version')} + 1"
    still_at = f"({col('version')} = %s OR {col('interpolated_from')} = %s)"
    inserted = ", ".join(column(Label, name) for name in _inserted())
    parameters = ", ".join(["%s"] * (len(_inserted()) - 1))
    find_labelset = f"FROM {labelset} WHERE {column(LabelSet, 'dataset')} = %s AND {column(LabelSet, 'name')} = %s"
    upsert = (
        f"INSERT INTO {label} ({inserted}) SELECT {column(LabelSet, 'id')}, {parameters} {find_labelset}"
        f" ON CONFLICT ({column(Label, 'sample')}, {column(Label, 'labelset')}) DO UPDATE SET {set_excluded}, {bump}"
    )
    returning = f"RETURNING {_label_reader().columns()}"
    return _LabelQueries(
        upsert=f"{upsert} {returning}",
        upsert_if_version=f"{upsert} WHERE {still_at} {returning}",
        update_if_version=f"UPDATE {label} SET {set_written}, {bump}"  # noqa: S608
        f" WHERE {column(Label, 'sample')} = %s AND {column(Label, 'labelset')} = (SELECT {column(LabelSet, 'id')}"
        f" {find_labelset}) AND {still_at} {returning}",
    )


def delete_label(actor, sample: Sample, labelset_name: str) -> None:
    """Delete the label of `sample` in `labelset_name`; raises NotFound when there is none."""
    labelset = get_labelset(sample.dataset, labelset_name)
    deleted, _ = Label.objects.filter(sample=sample, labelset=labelset).delete()
    if not deleted:
        raise NotFound()
    broadcast_label_deleted(actor, sample, labelset_name)
