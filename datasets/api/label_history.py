"""A label's history (docs/history.md), for managers: its saved versions, one version's attributes, and the
restore of a version as the label's new current version, at /labels/{uuid}/{labelset}/history/."""

from django.http import HttpRequest
from ninja import Query, Router, Schema

from datasets import access
from datasets.api.common import paginate
from datasets.presenters import label_to_dict, label_version_to_dict
from datasets.schemas import MAX_DB_INTEGER, LabelOut, LabelVersionDetailOut, LabelVersionOut
from datasets.services import label_history
from labeling.exceptions import InvalidInput

router = Router(tags=["labels"])
IF_MATCH = "If-Match"


class HistoryQuery(Schema):
    per_page: str | None = None
    page: str | None = None


def _managed_label(request: HttpRequest, sample_uuid: str, labelset: str):
    label, _ = access.get_label(request.auth, sample_uuid, labelset.split("?", 1)[0], role=access.ROLE_MANAGER)
    return label


@router.get(
    "/labels/{sample_uuid}/{labelset}/history/",
    response=list[LabelVersionOut],
    summary="A label's saved versions, newest first (manager)",
)
def list_label_versions(request: HttpRequest, sample_uuid: str, labelset: str, query: Query[HistoryQuery]):
    label = _managed_label(request, sample_uuid, labelset)
    versions = paginate(label_history.list_versions(label), query.per_page, query.page)
    return [label_version_to_dict(version) for version in versions]


@router.get(
    "/labels/{sample_uuid}/{labelset}/history/{version}/",
    response=LabelVersionDetailOut,
    summary="One saved version of a label, with its attributes (manager)",
)
def get_label_version(request: HttpRequest, sample_uuid: str, labelset: str, version: int):
    saved = label_history.get_version(_managed_label(request, sample_uuid, labelset), version)
    return {**label_version_to_dict(saved), "attributes": label_history.version_attributes(saved) or None}


@router.post(
    "/labels/{sample_uuid}/{labelset}/history/{version}/restore/",
    response=LabelOut,
    summary="Make a saved version the current label, as a new version (manager)",
    description="No body. Optional `If-Match: <current version>` (quoted or not): a stale one is a 409.",
)
def restore_label_version(request: HttpRequest, sample_uuid: str, labelset: str, version: int):
    expected = _expected_version(request)
    label = _managed_label(request, sample_uuid, labelset)
    return label_to_dict(label_history.restore_version(request.auth, label, version, expected_version=expected))


def _expected_version(request: HttpRequest) -> int | None:
    """The current version the client saw, from If-Match (None without one, or "*"); InvalidInput when it is
    not a version."""
    raw = request.headers.get(IF_MATCH)
    if raw is None or raw.strip() == "*":  # "*": any current version (HTTP's meaning)
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or int(value) > MAX_DB_INTEGER:
        raise InvalidInput(
            f"{IF_MATCH}: the label version you saw, a whole number.",
            errors=[{"path": IF_MATCH, "rule": "version", "message": "a label version (a whole number)"}],
        )
    return int(value)
