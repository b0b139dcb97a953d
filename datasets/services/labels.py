"""Label use cases: create-or-replace with optimistic concurrency, partial update, delete."""

from contextlib import nullcontext
from functools import cache
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from datasets.models import Dataset, Label, LabelSet, Sample
from datasets.realtime import broadcast_label_deleted, broadcast_label_saved
from datasets.services import label_versions, review
from datasets.services.interpolation import needs_interpolation
from datasets.services.label_files import check_label_files
from datasets.services.outbox import enqueue_on_commit
from datasets.services.pointclouds import point_counts, recheck_flagged_point_counts
from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import validate_label_attributes
from labeling.core.padding import pad_short_label
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
    Raises InvalidInput with every broken format rule, including a point-cloud segmentation label whose number
    of point ids differs from a cloud's known point count (nothing is stored then), NotFound when the dataset
    has no label set `labelset_name`.
    """
    stored = _validated_label_attributes(sample, attributes, label_status)
    now = timezone.now()
    labeling = label_status in LABELING_STATUSES
    values = {
        "attributes": stored,
        "label_status": label_status,
        "score": score,
        "updated_by": actor,
        "updated_at": now,
        # None keeps the stored labeler (KEPT_UNLESS_SET): a prelabel or a review does not label.
        "labeled_by": actor if labeling else None,
        "labeled_at": now if labeling else None,
        "save_id": save_id or "",
        **(review.reviewed_values(actor, label_status, now) if records_review else {}),
    }
    # A label the worker materialises records its task (the outbox) in the write's own transaction; other
    # saves stay autocommitted: one statement on PostgreSQL, which records the version in it too; on SQLite the
    # version follows as a second statement (a crash between the two loses that history entry, not the label).
    with transaction.atomic() if needs_interpolation(sample.dataset, stored) else nullcontext():
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
        label_versions.schedule_pruning(label)
    recheck_flagged_point_counts(sample)  # a label saved before its cloud was read may have been flagged
    return LabelWrite(label, False)


def schedule_interpolation(label: Label) -> None:
    """Enqueue the materialisation of `label` at its current version (datasets.tasks.interpolate_label),
    recorded in the current transaction and sent after it commits (datasets.services.outbox); nothing for a
    label that is not interpolated."""
    if needs_interpolation(label.sample.dataset, label.attributes):
        enqueue_on_commit("datasets.tasks.interpolate_label", label.pk, label.version)


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
            point_counts=point_counts(sample),
        )
        stored = pad_short_label(dataset.task_type, stored, sample.attributes)  # as docs/interpolation.md says
        check_label_files(dataset.task_type, stored, sample.attributes)
        return stored
    except LabelFormatError as error:
        raise format_error_to_invalid_input(error, prefix="attributes") from error


def _write_label(actor, sample, labelset_name: str, values: dict, expected_version: int | None) -> Label | None:
    """Insert or update the row in one statement and return it; None when `expected_version` is stale.

    No version, or 0 ("there was no label"): INSERT ... ON CONFLICT DO UPDATE (with 0, the update only
    happens where the stored row still counts as version 0). A version > 0: UPDATE ... WHERE version.
    The review fields are written when `values` holds them (a verdict status). The statement also records the
    version it wrote in the label's history (services.label_versions): a data-modifying CTE on PostgreSQL, a
    second statement elsewhere (SQLite has no such CTE)."""
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
    history = label_versions.version_parameters(actor, values["attributes"], values["updated_at"])
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(_with_history(sql) if postgresql else sql, [*params, *history] if postgresql else params)
        row = cursor.fetchone()
        if row is None:
            return None
        label = _label_reader().read(row)
        if not postgresql:  # the version this write made, from its own values (a later write has its own)
            cursor.execute(
                label_versions.insert_version_values_sql(), [label.pk, label.version, label.label_status, *history]
            )
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
                records_review=changes.get("label_status") is not None,  # keeping a verdict does not review again
            )
        except VersionConflict:
            if given_version is not None or attempt == UPDATE_RETRIES - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


UPDATE_RETRIES = 3


# The hand-written statements of the label hot path (labeling.sql) -----------------------------------------

WRITTEN_FIELDS = (
    "attributes",
    "label_status",
    "score",
    "updated_by",
    "updated_at",
    "labeled_by",
    "labeled_at",
    "save_id",
)
REVIEW_FIELDS = ("reviewed_by", "reviewed_at")
# Written fields whose NULL means "keep the stored value" (COALESCE in the statements).
KEPT_UNLESS_SET = frozenset({"labeled_by", "labeled_at"})
# The statuses a labeler writes: their writer is the label's `labeled_by`.
LABELING_STATUSES = frozenset({"LABELING_IN_PROGRESS", "LABELED", "SKIPPED"})


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

    def kept(name: str, value: str) -> str:
        return f"COALESCE({value}, {col(name)})" if name in KEPT_UNLESS_SET else value

    set_written = ", ".join(f"{column(Label, name)} = {kept(name, '%s')}" for name in written_fields)
    set_excluded = ", ".join(
        f"{column(Label, name)} = {kept(name, f'EXCLUDED.{column(Label, name)}')}" for name in written_fields
    )
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


@cache
def _with_history(write: str) -> str:
    """`write` (a statement RETURNING the label row) that also records the version it wrote: PostgreSQL runs
    every data-modifying CTE, whether or not the outer query reads it."""
    recorded = label_versions.insert_version_sql("saved")
    return f"WITH saved AS ({write}), recorded AS ({recorded}) SELECT * FROM saved"  # noqa: S608 (metadata only)


def delete_label(actor, sample: Sample, labelset_name: str) -> None:
    """Delete the label of `sample` in `labelset_name`; raises NotFound when there is none."""
    labelset = get_labelset(sample.dataset, labelset_name)
    deleted, _ = Label.objects.filter(sample=sample, labelset=labelset).delete()
    if not deleted:
        raise NotFound()
    broadcast_label_deleted(actor, sample, labelset_name)
