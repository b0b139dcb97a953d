"""Reading and restoring a label's saved versions (docs/history.md); recording and pruning them is
services.label_versions. Managers see and restore a label's history (the endpoints and the page check it)."""

from django.db.models import QuerySet

from datasets.models import Label, LabelVersion
from datasets.services import labels
from labeling.core.label_history import decompress_attributes
from labeling.exceptions import NotFound


def list_versions(label: Label) -> QuerySet[LabelVersion]:
    """The saved versions of `label`, newest first, with their writer loaded and without their attributes
    (each can be megabytes): version, label_status, raw_size, stored_size, created_by, created_at."""
    return (
        LabelVersion.objects.filter(label=label).select_related("created_by").defer("attributes").order_by("-version")
    )


def get_version(label: Label, version: int) -> LabelVersion:
    """The saved version `version` of `label` (its writer loaded); NotFound when it was never saved or was
    pruned (retention settings)."""
    found = LabelVersion.objects.select_related("created_by").filter(label=label, version=version).first()
    if found is None:
        raise NotFound(f"Label version {version} is not in this label's history.")
    return found


def version_attributes(version: LabelVersion):
    """The attributes `version` stored (a label's JSON value, or None)."""
    return decompress_attributes(version.attributes, version.codec)


def restore_version(actor, label: Label, version: int, *, expected_version: int | None = None) -> Label:
    """Make saved version `version` of `label` (sample and label set loaded) its current label again: its
    attributes and label status are written through services.labels.write_label as a new version (a new version
    number, a label_saved event, a history entry written by `actor`). The review on record is kept (a restore
    is not a review). expected_version: the current version the caller saw (a stale one raises
    VersionConflict); None restores over whatever is current. The caller checked that `actor` manages the
    dataset. Raises NotFound for a version not in the history; InvalidInput when the stored attributes no
    longer fit the dataset (e.g. a category was removed since).
    """
    saved = get_version(label, version)
    return labels.write_label(
        actor,
        label.sample,
        label.labelset.name,
        attributes=version_attributes(saved),
        label_status=saved.label_status,
        score=label.score,
        expected_version=expected_version,
        records_review=False,
    ).label
