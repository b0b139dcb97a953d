"""The release build: what the Celery task datasets.tasks.build_release runs (build_release_file), with its
claim, the snapshot, the streamed §9.1 file and its publication. Use cases that create releases live in
services.releases; this module imports neither them nor the tasks (no import circle).

The build streams the release file of spec §9.1 (the JSON the SDK's SegmentsDataset reads) from one consistent
database snapshot into a temporary file, then publishes it to the default storage under an unguessable name,
served publicly at /media/. Design and guarantees: docs/releases.md.
"""

import json
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import IO

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import InterfaceError, OperationalError, connections, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import get_valid_filename

from datasets import realtime
from datasets.models import Label, Release, Sample

logger = logging.getLogger(__name__)


# --- The build ------------------------------------------------------------------------------------------------
# A Celery worker (datasets.tasks.build_release) calls build_release_file. See docs/releases.md for the design.

SAMPLES_PER_CHUNK = 2000
# Test hook (documented in docs/releases.md): seconds to sleep after each chunk of samples, so that a test can
# kill a worker in the middle of a build. Unset (0) in production.
TEST_DELAY_ENV = "RELEASE_BUILD_TEST_DELAY_SECONDS"
# JSON columns are read as their text and copied into the file as is: decoding and re-encoding every label
# would take most of the build's time (docs/releases.md, benchmark).
_SAMPLE_COLUMNS = ("pk", "uuid", "name", "metadata_json", "attributes_json", "priority")
_LABEL_COLUMNS = (
    "sample_id",
    "labelset_id",
    "label_status",
    "attributes_json",
    "score",
    "created_at",
    "created_by__username",
    "updated_at",
)


def build_release_file(release_id: int) -> bool:
    """Build the release file of a PENDING release, publish it and mark the release SUCCEEDED; mark it
    FAILED (with the reason) on any error that is not a lost database connection.

    Safe to run twice, and concurrently: a release that is no longer PENDING, or gone, is left alone; on
    PostgreSQL a release whose build runs elsewhere (its advisory lock, build_lock_key, is held) is left to
    that build; a PENDING one is built from scratch into a private temporary file, and only a complete file
    is published, in the same transaction that flips the status (conditional on PENDING, so one build wins).
    OperationalError/InterfaceError (database briefly gone) propagate so the task can retry. Returns False when
    the release was left to a build running elsewhere (the caller looks again later, in case that one dies),
    True otherwise.
    """
    with _build_claim(release_id) as claimed:
        if not claimed:  # another delivery of this build (redelivered, or re-enqueued by a sweep) is running
            logger.info("Release %s is being built by another worker: this delivery leaves it to that one", release_id)
            return False
        release = Release.objects.select_related("dataset").filter(pk=release_id).first()
        if release is None or release.status != Release.PENDING:
            return True
        try:
            with tempfile.TemporaryFile(prefix="release-") as temporary:
                samples_count = write_snapshot(release, temporary)
                temporary.seek(0)
                _publish(release, temporary, samples_count)
        except (OperationalError, InterfaceError):
            raise
        except Exception as error:  # a release must never stay PENDING: any other failure is reported as FAILED
            logger.exception("Release %s failed", release_id)
            fail_release(release_id, f"{type(error).__name__}: {error}")
        return True


# The advisory-lock key space of release builds: (this, release id) in PostgreSQL's two-integer form.
RELEASE_BUILD_LOCK = 0x52454C  # "REL"


def build_lock_key(release_id: int) -> tuple[int, int]:
    """The PostgreSQL advisory-lock key (two int4) that the build of release `release_id` holds while it runs.
    Ids beyond 2**31 share keys with smaller ones (such a pair would build one after the other)."""
    return RELEASE_BUILD_LOCK, release_id % 2**31


@contextmanager
def _build_claim(release_id: int) -> Iterator[bool]:
    # PostgreSQL: a session advisory lock on the release, so that two deliveries of its build never run at
    # once (each would write the whole file; only one could publish). PostgreSQL drops the lock with the
    # session of a worker that dies. Other databases have no workers of their own (tasks run in-process).
    connection = connections["default"]
    if connection.vendor != "postgresql":
        yield True
        return
    key = build_lock_key(release_id)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        claimed = cursor.fetchone()[0]
    try:
        yield claimed
    finally:
        if claimed:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
            except (OperationalError, InterfaceError):  # the session is gone, and its lock with it
                logger.warning("Release %s: could not release its build lock", release_id, exc_info=True)


def pending_release_ids() -> list[int]:
    """Ids of the releases still PENDING, oldest first (for the recovery sweep)."""
    return list(Release.objects.filter(status=Release.PENDING).order_by("created_at").values_list("pk", flat=True))


def fail_release(release_id: int, reason: str) -> None:
    """Mark a PENDING release FAILED with `reason` (truncated to 1000 characters); no-op otherwise."""
    with transaction.atomic():
        updated = Release.objects.filter(pk=release_id, status=Release.PENDING).update(
            status=Release.FAILED, failure_reason=reason[:1000], finished_at=timezone.now()
        )
        if updated:
            release = Release.objects.get(pk=release_id)
            realtime.broadcast_release_finished(release)


def write_snapshot(release: Release, out: IO[bytes]) -> int:
    """Write the §9.1 document of `release` to the binary file `out`, sample by sample, from one consistent
    snapshot of the database; return the number of samples written.

    PostgreSQL: one REPEATABLE READ READ ONLY transaction read through server-side cursors, so labels saved
    meanwhile are all in or all out and memory stays flat (SAMPLES_PER_CHUNK samples and their labels at a
    time). SQLite: the single read transaction is the snapshot. When called inside an open transaction (tests,
    eager tasks in a request) that transaction is the snapshot and its isolation level is left alone.
    """
    delay = float(os.environ.get(TEST_DELAY_ENV) or 0)
    with transaction.atomic(), ThreadPoolExecutor(max_workers=1) as progress:
        _begin_snapshot()
        document = release_document(release)
        labelset_names = {labelset.pk: labelset.name for labelset in release.dataset.labelsets.all()}
        samples = Sample.objects.filter(dataset=release.dataset).order_by("name", "pk")
        samples_total = samples.count()
        head = json.dumps(document, cls=DjangoJSONEncoder, separators=(",", ":"))
        out.write(head.removesuffix("]}}").encode())  # release_document puts `"samples":[]` last
        samples_done = 0
        rows = samples.annotate(metadata_json=_as_text("metadata"), attributes_json=_as_text("attributes"))
        for chunk in _chunks(rows.values_list(*_SAMPLE_COLUMNS).iterator(chunk_size=SAMPLES_PER_CHUNK)):
            out.write(_encode_samples(chunk, labelset_names, first=samples_done == 0))
            samples_done += len(chunk)
            # Sent from another thread: this one is inside the snapshot transaction, which would hold the
            # event until it ends; the sender thread has no transaction open, so the event goes out at once.
            progress.submit(_send_progress, release, samples_done, samples_total)
            if delay:
                time.sleep(delay)
        out.write(b"]}}")
    return samples_done


def _send_progress(release: Release, samples_done: int, samples_total: int) -> None:
    try:
        realtime.broadcast_release_progress(release, samples_done=samples_done, samples_total=samples_total)
    finally:
        # Django opens a connection in this thread to ask for autocommit: hand it back.
        connections.close_all()


def _begin_snapshot() -> None:
    connection = transaction.get_connection()
    outermost = len(connection.atomic_blocks) == 1
    if connection.vendor == "postgresql" and outermost:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _chunks(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == SAMPLES_PER_CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _as_text(field: str) -> Cast:
    return Cast(field, output_field=TextField())


def _encode_samples(chunk: list[tuple], labelset_names: dict[int, str], *, first: bool) -> bytes:
    """Rows of `_SAMPLE_COLUMNS` -> their §9.1 sample objects, comma-separated (with a leading comma unless
    `first`). Every label set key is present; null when the sample has no label in it. One label query."""
    labels: dict[int, dict[str, str]] = {}
    rows = (
        Label.objects.filter(sample_id__in=[row[0] for row in chunk])
        .annotate(attributes_json=_as_text("attributes"))
        .values_list(*_LABEL_COLUMNS)
    )
    for sample_id, labelset_id, status, attributes, score, created_at, created_by, updated_at in rows:
        labels.setdefault(sample_id, {})[labelset_names[labelset_id]] = (
            f'{{"label_status":{_string(status)},"attributes":{attributes or "null"},"score":{_number(score)},'
            f'"created_at":{_time(created_at)},"created_by":{_string(created_by or "")},'
            f'"updated_at":{_time(updated_at)}}}'
        )
    encoded = []
    for sample_id, sample_uuid, name, metadata, attributes, priority in chunk:
        sample_labels = labels.get(sample_id, {})
        label_members = ",".join(
            f"{_string(labelset)}:{sample_labels.get(labelset, 'null')}" for labelset in labelset_names.values()
        )
        metadata = metadata if metadata and metadata != "null" else "{}"
        encoded.append(
            f'{{"uuid":"{sample_uuid}","name":{_string(name)},"metadata":{metadata},'
            f'"attributes":{attributes or "null"},"priority":{_number(priority)},"labels":{{{label_members}}}}}'
        )
    return (("" if first else ",") + ",".join(encoded)).encode()


_string = json.dumps


def _number(value: float | None) -> str:
    return "null" if value is None else json.dumps(value)


def _time(value) -> str:
    return "null" if value is None else json.dumps(_ENCODER.default(value))


_ENCODER = DjangoJSONEncoder()


def _publish(release: Release, temporary: IO[bytes], samples_count: int) -> None:
    """Store the complete file under a new unguessable name and mark the release SUCCEEDED, both only if it
    is still PENDING (the row lock makes concurrent builds publish one file). A crash between the two leaves
    an unreferenced file under a random name, never a published partial one."""
    file_name = get_valid_filename(f"{release.dataset.name}-{release.name}.json")
    with transaction.atomic():
        if not Release.objects.select_for_update().filter(pk=release.pk, status=Release.PENDING).exists():
            return
        stored = default_storage.save(f"releases/{secrets.token_hex(16)}/{file_name}", File(temporary))
        try:
            Release.objects.filter(pk=release.pk).update(
                status=Release.SUCCEEDED, file=stored, samples_count=samples_count, finished_at=timezone.now()
            )
        except Exception:
            default_storage.delete(stored)
            raise
        published = Release.objects.select_related("dataset").get(pk=release.pk)
        realtime.broadcast_release_finished(published)


def release_document(release: Release) -> dict:
    """The §9.1 document of `release` without its samples (`dataset.samples` is [] and the last key: the
    build streams the samples in its place). One query."""
    dataset = release.dataset
    return {
        "name": release.name,
        "description": release.description,
        "created_at": release.created_at,
        "dataset": {
            "name": dataset.name,
            "owner": dataset.owner_name,
            "task_type": dataset.task_type,
            "task_attributes": dataset.task_attributes,
            "labelsets": [
                {"name": labelset.name, "description": labelset.description} for labelset in dataset.labelsets.all()
            ],
            "samples": [],
        },
    }
