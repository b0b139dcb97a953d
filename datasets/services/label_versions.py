"""Recording and pruning a label's saved versions (its history, docs/history.md).

Every label write records the version it made, in the same statement (PostgreSQL) or transaction (SQLite) as
the write: services.labels folds `insert_version_sql` into its upsert; the interpolation worker and the bulk
imports call `record_versions`. Retention: a label keeps its LABEL_HISTORY_KEEP latest versions (0 = every
version) and drops versions older than LABEL_HISTORY_DAYS days (0 = no age limit); its current version is
always kept. A label is pruned by a worker (datasets.tasks.prune_label_history) after every
LABEL_HISTORY_PRUNE_EVERY-th version, and every label by `manage.py prune_label_history` (e.g. nightly cron).
Reading and restoring versions: services.label_history.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from datasets.models import Label, LabelVersion
from datasets.services.outbox import enqueue_on_commit
from labeling.core.label_history import compress_attributes
from labeling.sql import adapt, column, table

# The columns a recorded version takes from the label row it follows, and those that are parameters.
FROM_LABEL = ("label", "version", "label_status")
PARAMETERS = ("attributes", "codec", "raw_size", "stored_size", "created_by", "created_at")


def version_parameters(actor, attributes, created_at: datetime) -> list:
    """The parameters of `insert_version_sql` for a version with `attributes` (a label's JSON value) written
    by `actor` (None: the system, e.g. the interpolation worker) at `created_at` (timezone-aware)."""
    stored = compress_attributes(attributes)
    values = {
        "attributes": stored.data,
        "codec": stored.codec,
        "raw_size": stored.raw_size,
        "stored_size": len(stored.data),
        "created_by": actor.pk if actor is not None else None,
        "created_at": created_at,
    }
    return [adapt(LabelVersion, name, values[name]) for name in PARAMETERS]


@cache
def insert_version_sql(source: str) -> str:
    """`INSERT INTO <label version> ... SELECT ... FROM <source>`: records, for each row of `source` (a
    table or CTE with a label's `id`, `version` and `label_status` columns), a version whose other values are
    the parameters of version_parameters, in PARAMETERS order."""
    columns = ", ".join(column(LabelVersion, name) for name in (*FROM_LABEL, *PARAMETERS))
    taken = ", ".join(f"{source}.{column(Label, name)}" for name in ("id", "version", "label_status"))
    parameters = ", ".join(["%s"] * len(PARAMETERS))
    return f"INSERT INTO {table(LabelVersion)} ({columns}) SELECT {taken}, {parameters} FROM {source}"  # noqa: S608


def insert_version_values_sql() -> str:
    """`INSERT INTO <label version> ... VALUES (...)`: one version, its parameters the label's id, version and
    label_status, then version_parameters' values in PARAMETERS order (SQLite's second statement of a save)."""
    columns = ", ".join(column(LabelVersion, name) for name in (*FROM_LABEL, *PARAMETERS))
    values = ", ".join(["%s"] * (len(FROM_LABEL) + len(PARAMETERS)))
    return f"INSERT INTO {table(LabelVersion)} ({columns}) VALUES ({values})"  # noqa: S608


def record_versions(labels: Iterable[Label], actor, created_at: datetime | None = None) -> None:
    """Record the current version of each of `labels` (saved rows: pk, version, label_status and attributes
    set), written by `actor` (None: the system); for the writes that do not go through services.labels
    (bulk imports, clones, the interpolation worker). Call it in the write's transaction."""
    now = created_at or timezone.now()
    versions = []
    for label in labels:
        stored = compress_attributes(label.attributes)
        versions.append(
            LabelVersion(
                label_id=label.pk,
                version=label.version,
                label_status=label.label_status,
                attributes=stored.data,
                codec=stored.codec,
                raw_size=stored.raw_size,
                stored_size=len(stored.data),
                created_by=actor,
                created_at=now,
            )
        )
    LabelVersion.objects.bulk_create(versions, batch_size=500)


def schedule_pruning(label: Label) -> None:
    """Enqueue the pruning of `label`'s history (datasets.tasks.prune_label_history) when its version is a
    multiple of LABEL_HISTORY_PRUNE_EVERY and a retention limit is set; nothing otherwise (most writes)."""
    every = settings.LABEL_HISTORY_PRUNE_EVERY
    limited = settings.LABEL_HISTORY_KEEP > 0 or settings.LABEL_HISTORY_DAYS > 0
    if limited and every > 0 and label.version % every == 0:
        enqueue_on_commit("datasets.tasks.prune_label_history", label.pk)


def prune_label_history(
    label_id: int | None = None, *, keep: int | None = None, days: int | None = None, now: datetime | None = None
) -> int:
    """Delete the versions of label `label_id` (every label when None) beyond the retention settings: all but
    the `keep` latest (default LABEL_HISTORY_KEEP; 0 = no count limit) and those older than `days` days
    (default LABEL_HISTORY_DAYS; 0 = no age limit). A label's current version is never deleted. Returns the
    number of versions deleted. Idempotent."""
    keep = settings.LABEL_HISTORY_KEEP if keep is None else keep
    days = settings.LABEL_HISTORY_DAYS if days is None else days
    if keep <= 0 and days <= 0:
        return 0
    doomed = Q(version__lte=F("label__version") - keep) if keep > 0 else Q(pk__in=[])
    if days > 0:
        doomed |= Q(created_at__lt=(now or timezone.now()) - timedelta(days=days))
    versions = LabelVersion.objects.filter(doomed).exclude(version=F("label__version"))
    if label_id is not None:
        versions = versions.filter(label_id=label_id)
    deleted, _ = versions.delete()
    return deleted
