"""Label use cases: create-or-replace with optimistic concurrency, partial update, delete."""

from functools import cache
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from datasets.models import Dataset, Label, LabelSet, Sample
from datasets.realtime import broadcast_label_deleted, broadcast_label_saved
from datasets.services.interpolation import schedule_interpolation
from datasets.services.label_files import check_label_files
from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import validate_label_attributes
from labeling.exceptions import InvalidInput, NotFound, VersionConflict
from labeling.sql import RowReader, adapt, column, table


def format_error_to_invalid_input(error: LabelFormatError, *, prefix: str) -> InvalidInput:
    """Turn a core LabelFormatError into InvalidInput whose paths start at the request field `prefix`."""
    issues = [{**issue.to_dict(), "path": f"{prefix}.{issue.path}" if issue.path else prefix} for issue in error.issues]
    summary = "; ".join(f"{issue['path']}: {issue['message']}" for issue in issues[:5])
    more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
    return InvalidInput(f"Invalid {prefix}: {summary}{more}", errors=issues)


def get_labelset(dataset: Dataset, name: str) -> LabelSet:
    """Return the label set `name` of `dataset`; raises NotFound. One hand-written query (labeling.sql)."""
    labelsets = _readers().labelset
    with connection.cursor() as cursor:
        cursor.execute(_queries().labelset, [dataset.pk, adapt(LabelSet, "name", name)])
        row = cursor.fetchone()
    if row is None:
        raise NotFound()
    labelset = labelsets.read(row)
    labelset.dataset = dataset
    return labelset


def get_label(sample: Sample, labelset_name: str) -> Label:
    """Return the label of `sample` in label set `labelset_name`, its label set and the usernames of its
    creator, last editor and reviewer loaded. Raises NotFound (no such label set, or unlabeled). One query."""
    readers = _readers()
    with connection.cursor() as cursor:
        cursor.execute(_queries().label, [sample.pk, adapt(LabelSet, "name", labelset_name)])
        row = cursor.fetchone()
    if row is None:
        raise NotFound()
    label = readers.label.read(row[: len(readers.label)])
    label.labelset = readers.labelset.read(row[len(readers.label) : -6])
    for field, user_id, username in zip(USER_FIELDS, row[-6::2], row[-5::2], strict=True):
        if user_id is not None:
            setattr(label, field, readers.username.read([user_id, username]))
    label.sample = sample
    return label


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
    statement (an upsert, or an UPDATE conditional on the version), so concurrent writers cannot both win.
    A version the interpolation worker derived from `expected_version` does not make the write stale.
    Raises InvalidInput with every broken format rule; nothing is stored then.
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
    label = _write_label(actor, sample, labelset, values, expected_version)
    label.sample, label.labelset, label.updated_by = sample, labelset, actor
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
        check_label_files(dataset.task_type, stored, sample.attributes)
        return stored
    except LabelFormatError as error:
        raise format_error_to_invalid_input(error, prefix="attributes") from error


def _write_label(actor, sample, labelset, values: dict, expected_version: int | None) -> Label:
    """Insert or update the row in one statement and return it; raises VersionConflict when stale.

    No version, or 0 ("there was no label"): INSERT ... ON CONFLICT DO UPDATE (with 0, the update only
    happens where the stored row still counts as version 0). A version > 0: UPDATE ... WHERE version."""
    queries = _queries()
    written = Label(sample=sample, labelset=labelset, created_by=actor, version=1, **values)
    if expected_version:
        sql = queries.update_if_version
        params = [
            *_database_values(written, WRITTEN_FIELDS),
            sample.pk,
            labelset.pk,
            expected_version,
            expected_version,
        ]
    else:
        inserted = _database_values(written, _inserted(), add=True)
        sql = queries.upsert if expected_version is None else queries.upsert_if_version
        params = inserted if expected_version is None else [*inserted, expected_version, expected_version]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        current = Label.objects.filter(sample=sample, labelset=labelset).values_list("version", flat=True).first()
        raise VersionConflict(current or 0)
    return _readers().label.read(row)


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


# The hand-written statements of the label hot path (labeling.sql) -----------------------------------------

USER_FIELDS = ("created_by", "updated_by", "reviewed_by")
WRITTEN_FIELDS = ("attributes", "label_status", "score", "updated_by", "updated_at")


class _LabelReaders(NamedTuple):
    label: RowReader
    labelset: RowReader
    username: RowReader


class _LabelQueries(NamedTuple):
    labelset: str
    label: str
    upsert: str
    upsert_if_version: str
    update_if_version: str


@cache
def _readers() -> _LabelReaders:
    return _LabelReaders(RowReader(Label), RowReader(LabelSet), RowReader(get_user_model(), ["id", "username"]))


@cache
def _inserted() -> list[str]:
    return [field.name for field in Label._meta.concrete_fields if not field.primary_key]


def _database_values(label: Label, field_names, *, add: bool = False) -> list:
    """The values of `label`'s fields as the database takes them (what Model.save would send)."""
    fields = [Label._meta.get_field(name) for name in field_names]
    return [field.get_db_prep_save(field.pre_save(label, add), connection) for field in fields]


@cache
def _queries() -> _LabelQueries:
    # Only model metadata is interpolated into these statements; every value is a parameter.
    readers, User = _readers(), get_user_model()
    label, labelset, user = table(Label), table(LabelSet), table(User)

    def col(name: str) -> str:  # a label column, qualified by the table (the upsert needs it)
        return f"{label}.{column(Label, name)}"

    usernames = ", ".join(f"{alias}.{column(User, 'id')}, {alias}.{column(User, 'username')}" for alias in USER_FIELDS)
    user_joins = " ".join(
        f"LEFT JOIN {user} {alias} ON {alias}.{column(User, 'id')} = {col(alias)}" for alias in USER_FIELDS
    )
    set_written = ", ".join(f"{column(Label, name)} = %s" for name in WRITTEN_FIELDS)
    set_excluded = ", ".join(f"{column(Label, name)} = EXCLUDED.{column(Label, name)}" for name in WRITTEN_FIELDS)
    bump = f"{column(Label, 'interpolated_from')} = NULL, {column(Label, 'version')} = {col('version')} + 1"
    still_at = f"({col('version')} = %s OR {col('interpolated_from')} = %s)"
    inserted = ", ".join(column(Label, name) for name in _inserted())
    upsert = (
        f"INSERT INTO {label} ({inserted}) VALUES ({', '.join(['%s'] * len(_inserted()))})"  # noqa: S608
        f" ON CONFLICT ({column(Label, 'sample')}, {column(Label, 'labelset')}) DO UPDATE SET {set_excluded}, {bump}"
    )
    returning = f"RETURNING {readers.label.columns()}"
    return _LabelQueries(
        labelset=f"SELECT {readers.labelset.columns()} FROM {labelset}"  # noqa: S608
        f" WHERE {column(LabelSet, 'dataset')} = %s AND {column(LabelSet, 'name')} = %s",
        label=f"SELECT {readers.label.columns(Label._meta.db_table)}, {readers.labelset.columns('ls')}, {usernames}"  # noqa: S608
        f" FROM {label} JOIN {labelset} ls ON ls.{column(LabelSet, 'id')} = {col('labelset')} {user_joins}"
        f" WHERE {col('sample')} = %s AND ls.{column(LabelSet, 'name')} = %s",
        upsert=f"{upsert} {returning}",
        upsert_if_version=f"{upsert} WHERE {still_at} {returning}",
        update_if_version=f"UPDATE {label} SET {set_written}, {bump}"  # noqa: S608
        f" WHERE {column(Label, 'sample')} = %s AND {column(Label, 'labelset')} = %s AND {still_at} {returning}",
    )


def delete_label(actor, sample: Sample, labelset_name: str) -> None:
    """Delete the label of `sample` in `labelset_name`; raises NotFound when there is none."""
    labelset = get_labelset(sample.dataset, labelset_name)
    deleted, _ = Label.objects.filter(sample=sample, labelset=labelset).delete()
    if not deleted:
        raise NotFound()
    broadcast_label_deleted(actor, sample, labelset_name)
