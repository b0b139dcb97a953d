"""Label use cases: create-or-replace with optimistic concurrency, partial update, delete."""

from functools import cache
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from datasets.models import Dataset, Label, LabelSet, Sample
from datasets.realtime import broadcast_label_deleted, broadcast_label_saved
from datasets.services import review
from datasets.services.interpolation import needs_interpolation
from datasets.services.label_files import check_label_files
from datasets.tasks import interpolate_label
from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import validate_label_attributes
from labeling.exceptions import InvalidInput, NotFound, VersionConflict
from labeling.sql import RowReader, adapt, column, concrete_field, db_value, table


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


class LabelWrite(NamedTuple):
    """The outcome of write_label: the stored label, and whether the request was a retry of the write that
    stored it (nothing was written then)."""

    label: Label
    replayed: bool


def save_label(
    actor,
    sample: Sample,
    labelset_name: str,
    *,
    attributes: dict | None,
    label_status: str,
    score: float | None = None,
    expected_version: int | None = None,
    save_id: str | None = None,
    records_review: bool = True,
) -> Label:
    """write_label's label (for callers that need not know whether the write was a retry)."""
    return write_label(
        actor,
        sample,
        labelset_name,
        attributes=attributes,
        label_status=label_status,
        score=score,
        expected_version=expected_version,
        save_id=save_id,
        records_review=records_review,
    ).label


def write_label(
    actor,
    sample: Sample,
    labelset_name: str,
    *,
    attributes: dict | None,
    label_status: str,
    score: float | None = None,
    expected_version: int | None = None,
    save_id: str | None = None,
    records_review: bool = True,
) -> LabelWrite:
    """Create or replace the label of `sample` in label set `labelset_name`, validated against the dataset.

    The caller has checked the write rule (services.review.check_save_label). expected_version: the version
    the writer started from (0 = "there was no label"); a stale one raises VersionConflict and writes
    nothing. None keeps the SDK's create-or-replace behaviour. The write is one statement that also finds
    the label set (an upsert, or an UPDATE conditional on the version), so concurrent writers cannot both
    win. A version the interpolation worker derived from `expected_version` does not make the write stale.
    save_id: the client's id of this save attempt (Idempotency-Key, at most 64 characters), stored with the
    label; a stale write whose save_id is the stored label's is the retry of a write that reached the
    server, answered with the stored label (replayed=True, nothing written, no event). A verdict status
    (REVIEWED, REJECTED, VERIFIED) also stores reviewed_by/reviewed_at (services.review.reviewed_values),
    unless records_review is False (a write that only keeps the stored status, see update_label).
    Raises InvalidInput with every broken format rule (nothing is stored then), NotFound when the dataset
    has no label set `labelset_name`.
    """
    stored = _validated_label_attributes(sample, attributes, label_status)
    now = timezone.now()
    values = {
        "attributes": stored,
        "label_status": label_status,
        "score": score,
        "updated_by": actor,
        "updated_at": now,
        "save_id": save_id or "",
        **(review.reviewed_values(actor, label_status, now) if records_review else {}),
    }
    label = _write_label(actor, sample, labelset_name, values, expected_version)
    if label is None:  # stale: a conflict, unless it is the retry of the write that made the stored version
        return LabelWrite(_stored_label_of_retry(sample, labelset_name, values["save_id"]), True)
    label.sample, label.updated_by = sample, actor
    # The statement found the label set; its id and name are all the response and the event need.
    label.labelset = LabelSet(id=label.labelset_id, dataset=sample.dataset, name=labelset_name)
    if label.created_by_id == actor.pk:
        label.created_by = actor
    if label.reviewed_by_id == actor.pk:
        label.reviewed_by = actor
    broadcast_label_saved(sample, label)
    schedule_interpolation(label)
    return LabelWrite(label, False)


def schedule_interpolation(label: Label) -> None:
    """Enqueue the materialisation of `label` at its current version (datasets.tasks.interpolate_label),
    after the transaction commits; nothing for a label that is not interpolated."""
    if needs_interpolation(label.sample.dataset, label.attributes):
        label_id, version = label.pk, label.version
        transaction.on_commit(lambda: interpolate_label.delay(label_id, version))


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


def _write_label(actor, sample, labelset_name: str, values: dict, expected_version: int | None) -> Label | None:
    """Insert or update the row in one statement and return it; None when `expected_version` is stale.

    No version, or 0 ("there was no label"): INSERT ... ON CONFLICT DO UPDATE (with 0, the update only
    happens where the stored row still counts as version 0). A version > 0: UPDATE ... WHERE version.
    The review fields are written when `values` holds them (a verdict status)."""
    queries = _queries(reviewed="reviewed_by" in values)
    written_fields = queries.written_fields
    labelset_key = [sample.dataset_id, adapt(LabelSet, "name", labelset_name)]
    written = Label(sample=sample, created_by=actor, version=1, **values)
    if expected_version:
        sql = queries.update_if_version
        updated = _database_values(written, written_fields)
        params = [*updated, sample.pk, *labelset_key, expected_version, expected_version]
    else:
        inserted = [*_database_values(written, _inserted()[1:], add=True), *labelset_key]
        sql = queries.upsert if expected_version is None else queries.upsert_if_version
        params = inserted if expected_version is None else [*inserted, expected_version, expected_version]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    label = _label_reader().read(row)
    label.attributes = values["attributes"]  # what was written; not read back (3 KB of JSON to parse again)
    return label


def _stored_label_of_retry(sample: Sample, labelset_name: str, save_id: str | None) -> Label:
    """The stored label when its last save id is `save_id` (the retried write reached the server before);
    raises VersionConflict with the stored version otherwise, NotFound when there is no such label set."""
    labelset = get_labelset(sample.dataset, labelset_name)  # NotFound when that was the reason
    stored = (
        Label.objects.select_related("created_by", "updated_by", "reviewed_by")
        .filter(sample=sample, labelset=labelset)
        .first()
    )
    if stored is None or not save_id or stored.save_id != save_id:
        raise VersionConflict(stored.version if stored else 0)
    stored.sample, stored.labelset = sample, labelset
    return stored


def update_label(actor, sample: Sample, labelset_name: str, **changes) -> Label:
    """Partially update an existing label: `changes` holds any of attributes, label_status, score, version
    (default: the stored version, so the merge never overwrites a concurrent write).

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
        # Without a version, the one just read: a write landing in between conflicts instead of being overwritten.
        expected_version=label.version if changes.get("version") is None else changes["version"],
        records_review=changes.get("label_status") is not None,  # keeping a verdict does not review again
    )


# The hand-written statements of the label hot path (labeling.sql) -----------------------------------------

WRITTEN_FIELDS = ("attributes", "label_status", "score", "updated_by", "updated_at", "save_id")
REVIEW_FIELDS = ("reviewed_by", "reviewed_at")


class _LabelQueries(NamedTuple):
    written_fields: tuple[str, ...]
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
    fields = [concrete_field(Label, name) for name in field_names]
    return [db_value(field, field.pre_save(label, add)) for field in fields]


@cache
def _queries(*, reviewed: bool) -> _LabelQueries:
    """The statements of a write; reviewed: they also write REVIEW_FIELDS (a reviewer's verdict)."""
    # Only model metadata is interpolated into these statements; every value is a parameter.
    label, labelset = table(Label), table(LabelSet)
    written_fields = WRITTEN_FIELDS + REVIEW_FIELDS if reviewed else WRITTEN_FIELDS

    def col(name: str) -> str:  # a label column, qualified by the table (the upsert needs it)
        return f"{label}.{column(Label, name)}"

    set_written = ", ".join(f"{column(Label, name)} = %s" for name in written_fields)
    set_excluded = ", ".join(f"{column(Label, name)} = EXCLUDED.{column(Label, name)}" for name in written_fields)
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
        written_fields=written_fields,
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
