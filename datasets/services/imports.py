"""Import jobs: uploaded files turned into samples and labels by a pluggable importer, in a Celery worker.

An importer (COCO JSON, video, SUSTechPOINTS scene folder, ...) is an `ImporterSpec` registered with
`register_importer`; the modules in BUILTIN_IMPORTERS register theirs when first imported. The flow:

1. The page uploads each file with `store_import_file` (size limit and the importer's own `check_file`).
2. `start_import` checks the options (`clean_options`), writes an `ImportJob` and enqueues
   `datasets.tasks.run_import` after commit.
3. The worker's `run_import` calls the importer's `run(ctx)` with an `ImportContext`; the importer reads and
   decodes first (reporting `ctx.progress`), then writes everything in one transaction. It raises InvalidInput
   to refuse the whole import: the job is FAILED with those errors, the files it saved are deleted, nothing is
   stored. The job's progress and outcome reach the dataset's watchers as `import.progress` / `import.finished`
   live events (datasets.realtime) and stay on the job row (docs/imports.md).
"""

import importlib
import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from datasets import access, realtime
from datasets.models import Asset, Dataset, ImportJob
from datasets.services.outbox import enqueue_on_commit
from datasets.services.uploads import clean_path, refused_file, safe_file_name
from labeling.core.uploads import HEAD_BYTES
from labeling.exceptions import InvalidInput, NotFound

logger = logging.getLogger(__name__)

# Modules that register an importer when imported (one line each).
BUILTIN_IMPORTERS: tuple[str, ...] = (
    "datasets.services.import_coco",
    "datasets.services.import_sustech",
    "datasets.services.import_video",
)
# Files of one import job.
MAX_FILES_PER_IMPORT = 20_000
# At most this many progress updates per second reach the job row and the live events.
PROGRESS_PER_SECOND = 4
OPTION_KINDS = ("text", "integer", "number", "select", "checkbox", "labelset")


class ImportFileRefused(Exception):
    """Raised by an importer's `check_file` when it cannot take a file; the message is the reason shown."""


@dataclass(frozen=True)
class OptionSpec:
    """One option of an importer's form. kind: one of OPTION_KINDS ("labelset" offers the dataset's label
    sets, default ground-truth); choices: (value, label) pairs for "select"."""

    name: str
    label: str
    kind: str = "text"
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""


@dataclass
class ImportReport:
    """What an import did: `created` counts by kind of thing ({"samples": 3, "labels": 3}), `refused` (item,
    reason) pairs left out while the rest was imported, and free `notes`."""

    created: dict[str, int] = field(default_factory=dict)
    refused: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": dict(self.created),
            "created_order": list(self.created),  # jsonb sorts keys: the importer's order, for the report
            "refused": [{"name": name, "reason": reason} for name, reason in self.refused[:1000]],
            "refused_count": len(self.refused),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class ImporterSpec:
    """An importer. kind: URL-safe id; accept: file extensions the uploader offers (".json"); task_types: the
    dataset task types it imports into; check_file(path, head, size) raises ImportFileRefused; clean_options(
    dataset, options) returns the options with defaults applied or raises InvalidInput naming
    `options.<name>`; run(ctx) does the import (see the module docstring) and returns its ImportReport."""

    kind: str
    label: str
    help: str
    accept: tuple[str, ...]
    task_types: frozenset[str]
    options: tuple[OptionSpec, ...]
    check_file: Callable[[str, bytes, int], None]
    clean_options: Callable[[Dataset, dict], dict]
    run: Callable[["ImportContext"], ImportReport]


_REGISTRY: dict[str, ImporterSpec] = {}


def register_importer(spec: ImporterSpec) -> ImporterSpec:
    """Make `spec` available under `spec.kind` (a later registration of the same kind replaces it)."""
    _REGISTRY[spec.kind] = spec
    return spec


def importers() -> dict[str, ImporterSpec]:
    """Every registered importer by kind (the builtin modules are imported first)."""
    for module in BUILTIN_IMPORTERS:
        importlib.import_module(module)
    return dict(_REGISTRY)


def importers_for(dataset: Dataset) -> list[ImporterSpec]:
    """The importers that import into `dataset`'s task type, by label."""
    return sorted(
        (spec for spec in importers().values() if dataset.task_type in spec.task_types), key=lambda s: s.label
    )


def importer(dataset: Dataset, kind: str) -> ImporterSpec:
    """The importer `kind` for `dataset`. Raises NotFound when there is none, InvalidInput when it does not
    import into the dataset's task type."""
    spec = importers().get(kind)
    if spec is None:
        raise NotFound(f"No importer {kind!r:.40}.")
    if dataset.task_type not in spec.task_types:
        raise InvalidInput(
            f"The {spec.label} import does not import into {dataset.task_type} datasets.",
            errors=[{"path": "kind", "rule": "task_type", "message": f"not for {dataset.task_type} datasets"}],
        )
    return spec


def store_import_file(actor, dataset_access: access.DatasetAccess, kind: str, upload, *, path: str) -> Asset:
    """Store one uploaded file (a Django UploadedFile) for an import of `kind`, after checking it.

    path: its name with the folders it was dropped in. Raises InvalidInput with rule `max_size` (over
    settings.ASSET_MAX_BYTES) or `content` (the importer's check_file refused it); nothing is stored then.
    """
    spec = importer(dataset_access.dataset, kind)
    path = clean_path(path, upload.name)
    limit = settings.ASSET_MAX_BYTES
    if upload.size > limit:
        raise refused_file(path, "max_size", f"{upload.size} bytes is over the limit of {limit} bytes per file")
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    try:
        spec.check_file(path, head, upload.size)
    except ImportFileRefused as error:
        raise refused_file(path, "content", str(error)) from None
    # Under assets/ like the dataset page's uploads: the samples made of them get thumbnails, known image sizes
    # (exports) and the asset checks of label files, as uploaded samples do.
    name = f"assets/{uuid.uuid4().hex}/{safe_file_name(PurePosixPath(path).name)}"
    stored = default_storage.save(name, upload)
    return Asset.objects.create(
        filename=path, file=stored, size=upload.size, created_by=actor, uploaded_at=timezone.now()
    )


def start_import(
    actor, dataset_access: access.DatasetAccess, kind: str, asset_uuids: list[str], options: dict, *, site_url: str
) -> ImportJob:
    """Queue an import of `kind` reading the actor's uploaded assets `asset_uuids` into the dataset.

    options: the importer's options (cleaned here: InvalidInput names `options.<name>`). site_url:
    "http://host:port", prefixed to stored files' /media/ paths. Raises InvalidInput when no file or an unknown
    one is given; the job is enqueued after commit.
    """
    dataset = dataset_access.dataset
    spec = importer(dataset, kind)
    if not isinstance(options, dict):
        raise InvalidInput("options must be an object.", errors=[{"path": "options", "rule": "type", "message": ""}])
    cleaned = spec.clean_options(dataset, options)
    uuids = _asset_uuids(actor, asset_uuids)
    with transaction.atomic():
        job = ImportJob.objects.create(
            dataset=dataset,
            kind=kind,
            options=cleaned,
            asset_uuids=uuids,
            site_url=site_url.rstrip("/"),
            created_by=actor,
            message="queued",
        )
        enqueue_on_commit("datasets.tasks.run_import", job.pk)
        realtime.broadcast_import_progress(job)
    return job


def _asset_uuids(actor, values: list[str]) -> list[str]:
    if not isinstance(values, list) or not values:
        raise refused_file("assets", "required", "upload at least one file")
    if len(values) > MAX_FILES_PER_IMPORT:
        raise refused_file("assets", "max_items", f"at most {MAX_FILES_PER_IMPORT} files per import")
    try:
        uuids = list(dict.fromkeys(str(uuid.UUID(str(value))) for value in values))
    except ValueError:
        raise refused_file("assets", "uuid", "every item must be an uploaded file's id") from None
    found = set(
        str(value)
        for value in Asset.objects.filter(uuid__in=uuids, created_by=actor, uploaded_at__isnull=False).values_list(
            "uuid", flat=True
        )
    )
    if missing := [value for value in uuids if value not in found]:
        raise refused_file("assets", "not_found", f"{len(missing)} file(s) are not uploaded files of yours")
    return uuids


def recent_imports(dataset: Dataset, limit: int = 10) -> list[ImportJob]:
    """The dataset's latest import jobs, newest first."""
    return list(dataset.imports.select_related("created_by")[:limit])


def get_import(dataset: Dataset, import_uuid: str) -> ImportJob:
    """The import job `import_uuid` of `dataset`. Raises NotFound."""
    try:
        return dataset.imports.get(uuid=uuid.UUID(str(import_uuid)))
    except (ValueError, ImportJob.DoesNotExist):
        raise NotFound("No such import.") from None


def job_as_dict(job: ImportJob) -> dict:
    """The job as the page and the status endpoint show it."""
    return {
        "uuid": str(job.uuid),
        "kind": job.kind,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "report": job.report,
        "summary": _created_summary(job.report),
        "errors": job.errors[:100],
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def _created_summary(report: dict) -> str:
    """ "1 sample, 10 frames" from a report's created counts, in the importer's order."""
    created = report.get("created") or {}
    names = [name for name in report.get("created_order") or [] if name in created]
    names += [name for name in created if name not in names]
    return ", ".join(count_of(created[name], name) for name in names)


SINGULARS = {"boxes": "box", "categories": "category"}


def count_of(count: int, plural: str) -> str:
    """ "1 box", "2 boxes": `count` and the kind `plural` ("samples", "boxes"), in the singular for 1."""
    if count != 1:
        return f"{count} {plural}"
    return f"{count} {SINGULARS.get(plural, plural.removesuffix('s'))}"


class ImportContext:
    """What an importer's `run` gets: the job, the dataset, the acting user, the cleaned options, the uploaded
    files (`assets`, sorted by their relative path) and helpers to read them, store new files and report
    progress."""

    def __init__(self, job: ImportJob, actor, assets: list[Asset]):
        self.job = job
        self.dataset: Dataset = job.dataset
        self.actor = actor
        self.options: dict = dict(job.options)
        self.site_url: str = job.site_url
        self.assets = assets
        self.saved_files: list[str] = []
        self._last_progress = 0.0

    @contextmanager
    def open(self, asset: Asset) -> Iterator[IO[bytes]]:
        """The uploaded file's bytes (binary file object from the storage)."""
        with default_storage.open(cast(str, asset.file.name), "rb") as stored:
            yield cast(IO[bytes], stored)

    @contextmanager
    def local_path(self, asset: Asset) -> Iterator[str]:
        """A path on the local file system holding the uploaded file (a temporary copy when the storage is not
        local, removed afterwards)."""
        try:
            yield default_storage.path(cast(str, asset.file.name))
            return
        except NotImplementedError:
            pass
        suffix = PurePosixPath(asset.filename).suffix
        with tempfile.NamedTemporaryFile(suffix=suffix) as copy, self.open(asset) as stored:
            shutil.copyfileobj(stored, copy)
            copy.flush()
            yield copy.name

    def asset_url(self, asset: Asset) -> str:
        """The absolute URL of an uploaded file (what sample attributes hold)."""
        return self.file_url(cast(str, asset.file.name))

    def file_url(self, stored_name: str) -> str:
        url = default_storage.url(stored_name)
        return url if url.startswith(("http://", "https://")) else f"{self.site_url}{url}"

    def save_file(self, name: str, content: bytes | IO[bytes]) -> str:
        """Store a new file (a decoded video frame, a mask) under imports/<job uuid>/<name>; returns its
        absolute URL. Deleted again when the import fails."""
        body = ContentFile(content) if isinstance(content, bytes) else File(content)
        parts = [safe_file_name(part) for part in PurePosixPath(name).parts if part not in ("", ".", "..")]
        stored = default_storage.save(f"imports/{self.job.uuid.hex}/{'/'.join(parts) or 'file'}", body)
        self.saved_files.append(stored)
        return self.file_url(stored)

    def progress(self, done: int, total: int, message: str = "", *, force: bool = False) -> None:
        """Report `done` of `total` (the importer's unit); at most PROGRESS_PER_SECOND updates a second reach
        the job row and the `import.progress` event (the last one, done == total, always does)."""
        now = time.monotonic()
        if not force and done < total and now - self._last_progress < 1 / PROGRESS_PER_SECOND:
            return
        self._last_progress = now
        job = self.job
        job.done, job.total, job.message = max(0, int(done)), max(0, int(total)), str(message)[:300]
        ImportJob.objects.filter(pk=job.pk).update(done=job.done, total=job.total, message=job.message)
        realtime.broadcast_import_progress(job)


def run_import(job_id: int) -> None:
    """The worker's side of start_import: run the job's importer, record and announce the outcome. Safe to run
    twice: a job that is no longer QUEUED (running elsewhere, or finished) is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.QUEUED).update(
        status=ImportJob.RUNNING, started_at=timezone.now(), message="starting"
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("dataset", "created_by").get(pk=job_id)
    realtime.broadcast_import_progress(job)
    assets = list(Asset.objects.filter(uuid__in=job.asset_uuids).order_by("filename", "pk"))
    context = ImportContext(job, job.created_by or get_user_model()(), assets)
    try:
        spec = importer(job.dataset, job.kind)
        report = spec.run(context)
    except InvalidInput as error:
        _finish(job, context, errors=error.errors or [{"path": "", "rule": "invalid", "message": error.message}])
    except Exception:
        logger.exception("import %s (%s) into dataset %s failed", job.uuid, job.kind, job.dataset_id)
        _finish(job, context, errors=[{"path": "", "rule": "internal", "message": "the import failed unexpectedly"}])
    else:
        _finish(job, context, report=report)


def _finish(job: ImportJob, context: ImportContext, *, report: ImportReport | None = None, errors=None) -> None:
    if report is None:
        for stored in context.saved_files:
            default_storage.delete(stored)
    job.status = ImportJob.SUCCEEDED if report is not None else ImportJob.FAILED
    job.report = report.as_dict() if report is not None else {}
    job.errors = [_error(item) for item in (errors or [])][:1000]
    job.finished_at = timezone.now()
    job.message = "done" if report is not None else "refused"
    job.save(update_fields=["status", "report", "errors", "finished_at", "message"])
    realtime.broadcast_import_finished(job)
    logger.info("import %s (%s) into dataset %s: %s", job.uuid, job.kind, job.dataset_id, job.status)


def _error(item: Any) -> dict:
    if isinstance(item, dict):
        return {key: str(item.get(key, ""))[:500] for key in ("path", "rule", "message")}
    return {"path": "", "rule": "invalid", "message": str(item)[:500]}
