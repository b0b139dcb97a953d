"""Browser uploads: store each dropped file as an asset (checked: size limit, content matches extension), then
turn a batch of stored files into samples of the dataset's sample type, with a summary of what was created
and what was refused and why (labeling.core.uploads decides both)."""

import mimetypes
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import cast

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import get_valid_filename

from datasets import access
from datasets.models import Asset
from datasets.services import samples as sample_services
from labeling.core import uploads
from labeling.core.task_types import sample_type_for_task_type
from labeling.exceptions import InvalidInput

# Files of one batch: more are refused (the page sends one batch per drop).
MAX_FILES_PER_BATCH = 10_000


@dataclass
class UploadSummary:
    """`created`: names of the new samples; `refused`: (file or sample name, reason) pairs."""

    created: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "refused": [{"name": name, "reason": reason} for name, reason in self.refused],
        }


def clean_path(path: str, fallback: str) -> str:
    """The dropped file's relative path ("run1/0001.png") with empty, "." and ".." parts dropped; `fallback`
    (the file name) when nothing is left. At most 255 characters."""
    parts = [part for part in str(path or "").replace("\\", "/").split("/") if part not in ("", ".", "..")]
    return ("/".join(parts) or fallback)[-255:]


def store_uploaded_file(actor, dataset_access: access.DatasetAccess, upload, *, path: str) -> Asset:
    """Store one uploaded file (a Django UploadedFile) as an asset of `actor`, after checking it.

    path: its name with the folders it was dropped in. Raises InvalidInput (rule `max_size` when it is over
    settings.ASSET_MAX_BYTES, `content` when it is not what its extension says). Nothing is stored then.
    """
    path = clean_path(path, upload.name)
    limit = settings.ASSET_MAX_BYTES
    if upload.size > limit:
        raise refused_file(path, "max_size", f"{upload.size} bytes is over the limit of {limit} bytes per file")
    head = upload.read(uploads.HEAD_BYTES)
    upload.seek(0)
    try:
        uploads.detect_kind(path, head, upload.size)
    except uploads.UploadRefused as error:
        raise refused_file(path, "content", str(error)) from None
    name = f"assets/{secrets.token_hex(16)}/{safe_file_name(PurePosixPath(path).name)}"
    stored = default_storage.save(name, upload)
    content_type = mimetypes.guess_type(stored)[0] or "application/octet-stream"
    return Asset.objects.create(
        filename=path,
        file=stored,
        content_type=content_type,
        size=upload.size,
        created_by=actor,
        uploaded_at=timezone.now(),
    )


def safe_file_name(name: str) -> str:
    """`name` as a storage-safe file name (Django's get_valid_filename), "file" when nothing is left."""
    try:
        return get_valid_filename(name)
    except Exception:  # Django raises SuspiciousFileOperation for names like ".."
        return "file"


def refused_file(path: str, rule: str, message: str) -> InvalidInput:
    """The InvalidInput of a refused file: one error {path, rule, message}."""
    return InvalidInput(f"{path}: {message}", errors=[{"path": path, "rule": rule, "message": message}])


def create_samples_from_uploads(
    actor, dataset_access: access.DatasetAccess, asset_uuids: list[str], *, site_url: str, text_per_line: bool
) -> UploadSummary:
    """Create the samples a batch of the actor's uploaded assets makes (see uploads.plan_samples).

    site_url: "https://host" prefixed to the assets' /media/ paths (sample URLs are absolute, as the SDK
    expects). A sample name that exists already is refused, the others are created. Raises InvalidInput for
    more than MAX_FILES_PER_BATCH assets.
    """
    if len(asset_uuids) > MAX_FILES_PER_BATCH:
        raise InvalidInput(f"At most {MAX_FILES_PER_BATCH} files per upload.")
    dataset, summary = dataset_access.dataset, UploadSummary()
    assets = Asset.objects.filter(uuid__in=_valid_uuids(asset_uuids), created_by=actor, uploaded_at__isnull=False)
    files = [_uploaded_file(asset, site_url) for asset in assets.order_by("filename")]
    plan = uploads.plan_samples(files, sample_type_for_task_type(dataset.task_type), text_per_line=text_per_line)
    summary.refused += plan.refused
    taken = set(dataset.samples.filter(name__in=[name for name, _ in plan.samples]).values_list("name", flat=True))
    items: list[dict] = []
    for name, attributes in plan.samples:
        if name in taken:
            summary.refused.append((name, "a sample with this name already exists"))
        else:
            taken.add(name)
            items.append({"name": name[:255], "attributes": attributes})
    if items:
        sample_services.create_samples(actor, dataset, items)
    summary.created = [item["name"] for item in items]
    return summary


def _valid_uuids(values: list[str]) -> list[str]:
    valid = []
    for value in values:
        try:
            valid.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return valid


def _uploaded_file(asset: Asset, site_url: str) -> uploads.UploadedFile:
    # The assets here are uploaded (uploaded_at set with the file), so the file has a name.
    with default_storage.open(cast(str, asset.file.name), "rb") as stored:
        head = stored.read(uploads.HEAD_BYTES)
        kind = uploads.detect_kind(asset.filename, head, asset.size or 0)
        text = None
        if kind.kind in (uploads.TEXT, uploads.JSON):
            text = (head + stored.read()).decode("utf-8", errors="replace")
    url = f"{site_url.rstrip('/')}{settings.MEDIA_URL}{asset.file.name}"
    return uploads.UploadedFile(path=asset.filename, url=url, kind=kind, text=text)
