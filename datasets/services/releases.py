"""Release use cases: create (PENDING, built by a Celery task after commit), delete, and the dataset page's
releases panel. The build itself is services.release_build (what the task runs).

The build streams the release file of spec §9.1 (the JSON the SDK's SegmentsDataset reads) from one consistent
database snapshot into a temporary file, then publishes it to the default storage under an unguessable name,
served publicly at /media/. Design and guarantees: docs/releases.md.
"""

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count

from datasets.models import GROUND_TRUTH, Dataset, Label, LabelSet, Release, Sample
from datasets.services.outbox import enqueue_on_commit
from labeling.core.task_types import LABEL_STATUSES
from labeling.exceptions import AlreadyExists, NotFound


def list_releases(dataset: Dataset):
    """The releases of `dataset`, newest first."""
    return Release.objects.filter(dataset=dataset).order_by("-created_at", "-pk")


def get_release(dataset: Dataset, name: str) -> Release:
    """The release `name` of `dataset`; raises NotFound."""
    release = Release.objects.filter(dataset=dataset, name=name).first()
    if release is None:
        raise NotFound()
    return release


def create_release(actor, dataset: Dataset, *, name: str, description: str = "") -> Release:
    """Create a PENDING release and enqueue its build (datasets.tasks.build_release) in the same transaction,
    sent after commit (datasets.services.outbox). Raises AlreadyExists for a duplicate name.
    """
    try:
        with transaction.atomic():
            release = Release.objects.create(dataset=dataset, name=name, description=description, created_by=actor)
            enqueue_on_commit("datasets.tasks.build_release", release.pk)
    except IntegrityError:
        raise AlreadyExists("A release with this name already exists in this dataset.") from None
    return release


def delete_release(actor, dataset: Dataset, name: str) -> None:
    """Delete the release `name` and, after commit, its file. Raises NotFound."""
    release = get_release(dataset, name)
    file_name = release.file.name
    with transaction.atomic():
        release.delete()
        if file_name:
            transaction.on_commit(lambda: default_storage.delete(file_name))


# --- The dataset page's releases panel --------------------------------------------------------------------------


def release_panel(dataset: Dataset) -> dict:
    """Context of the dataset page's releases panel: `releases` (newest first) and `label_statistics`:
    {"statuses": [label status], "labelsets": [{"name", "counts": {status: samples}}], "categories":
    [{"name", "counts": {status: annotations}}]}; categories count the ground-truth annotations (removed ones
    skipped) of image labels, every frame of sequence labels and every sensor of multi-sensor labels, by the
    status of their label. Four queries, whatever the dataset's size."""
    labelsets = list(dataset.labelsets.all())
    total = dataset.samples.count()
    by_labelset: dict[int, dict[str, int]] = {labelset.pk: {} for labelset in labelsets}
    rows = (
        Label.objects.filter(sample__dataset=dataset)
        .values_list("labelset_id", "label_status")
        .annotate(count=Count("pk"))
    )
    for labelset_id, status, count in rows:
        by_labelset[labelset_id][status] = count
    for counts in by_labelset.values():
        counts["UNLABELED"] = total - sum(counts.values())
    names = {category["id"]: category["name"] for category in dataset.categories}
    by_category: dict[str, dict[str, int]] = {name: {} for name in names.values()}
    for category_id, status, count in _annotation_counts(dataset):
        name = names.get(category_id, f"#{category_id}")
        by_category.setdefault(name, {})[status] = count
    return {
        "releases": list(list_releases(dataset)[:20]),
        "label_statistics": {
            "statuses": list(LABEL_STATUSES),
            "labelsets": [{"name": ls.name, "counts": by_labelset[ls.pk]} for ls in labelsets],
            "categories": [{"name": name, "counts": counts} for name, counts in by_category.items()],
        },
    }


# Where a label's annotations are: a single image's, every frame's of a sequence, every sensor's of a
# multi-sensor label (its image or sequence attributes). (PostgreSQL jsonpath, SQLite json_each sources.)
_ANNOTATION_PATHS = (
    "$.annotations[*]",
    "$.frames[*].annotations[*]",
    "$.sensors[*].attributes.annotations[*]",
    "$.sensors[*].attributes.frames[*].annotations[*]",
)
_SQLITE_ANNOTATION_SOURCES = (
    "json_each(l.attributes, '$.annotations') a",
    "json_each(l.attributes, '$.frames') f, json_each(f.value, '$.annotations') a",
    "json_each(l.attributes, '$.sensors') se, json_each(se.value, '$.attributes.annotations') a",
    "json_each(l.attributes, '$.sensors') se, json_each(se.value, '$.attributes.frames') f, "
    "json_each(f.value, '$.annotations') a",
)


def _annotation_counts(dataset: Dataset) -> list[tuple[int | str, str, int]]:
    """(category_id, label status, annotations) over the dataset's ground-truth labels: the annotations of
    images, of every frame of sequences and of every sensor of multi-sensor labels (_ANNOTATION_PATHS),
    counted in the database (JSON functions of PostgreSQL or SQLite)."""
    label, sample, labelset = Label._meta.db_table, Sample._meta.db_table, LabelSet._meta.db_table
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        category = "(a.value->>'category_id')"
        sources = [f"jsonb_path_query(l.attributes, '{path}') AS a(value)" for path in _ANNOTATION_PATHS]
        not_removed = "a.value->'removed' IS DISTINCT FROM 'true'::jsonb AND jsonb_typeof(a.value) = 'object'"
    else:
        category = "json_extract(a.value, '$.category_id')"
        sources = list(_SQLITE_ANNOTATION_SOURCES)
        not_removed = "json_type(a.value) = 'object' AND coalesce(json_extract(a.value, '$.removed'), 0) != 1"
    selects = [
        f"SELECT {category} AS category, l.label_status AS status FROM {label} l "  # noqa: S608 - table names
        f"JOIN {sample} s ON s.id = l.sample_id JOIN {labelset} ls ON ls.id = l.labelset_id, {source} "
        f"WHERE s.dataset_id = %s AND ls.name = %s AND {not_removed}"
        for source in sources
    ]
    sql = f"SELECT category, status, COUNT(*) FROM ({' UNION ALL '.join(selects)}) u GROUP BY 1, 2"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [dataset.pk, GROUND_TRUTH] * len(selects))
        return [(_category_id(category_id), status, count) for category_id, status, count in cursor.fetchall()]


def _category_id(value) -> int | str:
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)
