"""Live events of a dataset: the websocket payloads, the group they go to, and the senders.

Every payload is a TypedDict with a Literal `type`; clients switch on `type`. The services call one
`broadcast_*` sender per change, inside or outside their transaction: the sender builds the payload at once
(from the values being written) and hands it to the channel layer only after the transaction commits, so a
rolled-back change is never announced. Sending is best effort: when the channel layer fails (Redis down,
slow or full) the change stays stored and the event is logged as dropped.

Group: one per dataset, `dataset_group(dataset_id)`; the consumer (`datasets.consumers`) joins it and
forwards each event unchanged. See docs/realtime.md.
"""

import asyncio
import logging
from typing import Literal, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# A save waits at most this long for the channel layer: a dead or blackholed Redis costs the request this
# much, once, and the event is dropped (seconds).
SEND_TIMEOUT_SECONDS = 0.5

# The consumer method that forwards an event: group messages are {"type": FORWARD_MESSAGE_TYPE, "event": ...}.
FORWARD_MESSAGE_TYPE = "dataset.event"


class LabelSaved(TypedDict):
    type: Literal["label.saved"]
    sample_uuid: str
    labelset: str
    label_status: str
    version: int
    updated_by: str | None  # username
    updated_at: str  # ISO 8601, UTC


class LabelDeleted(TypedDict):
    type: Literal["label.deleted"]
    sample_uuid: str
    labelset: str
    deleted_by: str | None


class SampleAssigned(TypedDict):
    type: Literal["sample.assigned"]
    sample_uuid: str
    assigned_labeler: str | None  # username, None = unassigned
    assigned_reviewer: str | None
    assigned_by: str | None


class SampleCreated(TypedDict):
    type: Literal["sample.created"]
    sample_uuid: str
    name: str
    created_by: str | None


class SamplesImported(TypedDict):
    """Many samples created at once by a corpus import: one event instead of one `sample.created` each."""

    type: Literal["samples.imported"]
    samples_created: int
    labels_created: int
    first_sample: str
    last_sample: str
    imported_by: str | None


class TextImportProgress(TypedDict):
    """A queued text corpus import (docs/text.md) has reached `phase`."""

    type: Literal["text_import.progress"]
    import_id: str
    file_name: str
    phase: Literal["importing"]


class TextImportFinished(TypedDict):
    """A queued text corpus import is done: `summary` of what was created, or None and `errors` (refused lines
    with their numbers, nothing stored)."""

    type: Literal["text_import.finished"]
    import_id: str
    file_name: str
    summary: dict | None
    detail: str
    errors: list[dict]


class SampleDeleted(TypedDict):
    type: Literal["sample.deleted"]
    sample_uuid: str
    name: str
    deleted_by: str | None


class ReleaseProgress(TypedDict):
    type: Literal["release.progress"]
    release_uuid: str
    name: str
    samples_done: int
    samples_total: int


class ReleaseFinished(TypedDict):
    type: Literal["release.finished"]
    release_uuid: str
    name: str
    status: Literal["SUCCEEDED", "FAILED"]
    samples_count: int
    failure_reason: str


class InterpolationFinished(TypedDict):
    type: Literal["interpolation.finished"]
    sample_uuid: str
    labelset: str
    version: int  # the label version the interpolation wrote
    track_ids: list[int]


class IssueChanged(TypedDict):
    """An issue of a sample was raised, changed (resolved, reopened, edited), commented on or deleted."""

    type: Literal["issue.changed"]
    sample_uuid: str
    issue_uuid: str
    action: Literal["created", "updated", "commented", "deleted"]
    status: str  # OPEN, CLOSED
    changed_by: str | None


class ImportProgress(TypedDict):
    """An import job (datasets.services.imports) got `done` of `total` items (the importer's unit) further."""

    type: Literal["import.progress"]
    import_id: str
    kind: str
    status: str  # QUEUED, RUNNING
    done: int
    total: int
    message: str


class ImportFinished(TypedDict):
    """An import job ended: SUCCEEDED with its `report`, or FAILED with `errors` (nothing stored then)."""

    type: Literal["import.finished"]
    import_id: str
    kind: str
    status: Literal["SUCCEEDED", "FAILED"]
    report: dict
    errors: list[dict]


DatasetEvent = (
    LabelSaved
    | LabelDeleted
    | SampleAssigned
    | SampleCreated
    | SamplesImported
    | TextImportProgress
    | TextImportFinished
    | SampleDeleted
    | ReleaseProgress
    | ReleaseFinished
    | InterpolationFinished
    | IssueChanged
    | ImportProgress
    | ImportFinished
)


def dataset_group(dataset_id: int) -> str:
    """The channel-layer group of one dataset. Keyed by primary key: names change, and group names only
    allow ASCII letters, digits, hyphens, underscores and periods."""
    return f"dataset.{dataset_id}"


def user_group(user_id: int) -> str:
    """The channel-layer group of one user's open websockets (every dataset they watch)."""
    return f"user.{user_id}"


# The consumer method that re-checks a user's access: {"type": ACCESS_CHANGED_MESSAGE_TYPE} to user_group.
# A control message, never forwarded to the browser.
ACCESS_CHANGED_MESSAGE_TYPE = "access.changed"


def broadcast_access_changed(user_id: int) -> None:
    """After commit, make each open websocket of user `user_id` check again that the user may still see its
    dataset; the ones that may not are closed at once (a removed collaborator or organization member)."""
    transaction.on_commit(lambda: _send_control(user_group(user_id), {"type": ACCESS_CHANGED_MESSAGE_TYPE}))


def _send_control(group: str, message: dict) -> None:
    try:
        async_to_sync(_raw_group_send)(group, message)
    except Exception:  # any layer error: the change it announces is already committed
        logger.warning("realtime control message dropped: %s to %s", message["type"], group, exc_info=True)


async def _raw_group_send(group: str, message: dict) -> None:
    channel_layer = get_channel_layer()
    if channel_layer is None:
        raise RuntimeError("no channel layer configured")
    await asyncio.wait_for(channel_layer.group_send(group, message), timeout=SEND_TIMEOUT_SECONDS)


def _username(user) -> str | None:
    return getattr(user, "username", None) if user is not None else None


def broadcast_label_saved(sample, label) -> None:
    """Announce a created or replaced label of `sample`. `label`: the stored Label with `labelset` and
    `updated_by` loaded (no query is made here). Sent after commit."""
    event: LabelSaved = {
        "type": "label.saved",
        "sample_uuid": str(sample.uuid),
        "labelset": label.labelset.name,
        "label_status": label.label_status,
        "version": label.version,
        "updated_by": _username(label.updated_by),
        "updated_at": label.updated_at.isoformat(),
    }
    broadcast(sample.dataset_id, event)


def broadcast_label_deleted(actor, sample, labelset_name: str) -> None:
    """Announce that the label of `sample` in `labelset_name` was deleted by `actor`. Sent after commit."""
    event: LabelDeleted = {
        "type": "label.deleted",
        "sample_uuid": str(sample.uuid),
        "labelset": labelset_name,
        "deleted_by": _username(actor),
    }
    broadcast(sample.dataset_id, event)


def broadcast_sample_assigned(actor, sample) -> None:
    """Announce the current labeler and reviewer of `sample` (after it was saved). Sent after commit."""
    event: SampleAssigned = {
        "type": "sample.assigned",
        "sample_uuid": str(sample.uuid),
        "assigned_labeler": _username(sample.assigned_labeler),
        "assigned_reviewer": _username(sample.assigned_reviewer),
        "assigned_by": _username(actor),
    }
    broadcast(sample.dataset_id, event)


def broadcast_sample_created(actor, sample) -> None:
    """Announce a new sample of its dataset. Sent after commit."""
    event: SampleCreated = {
        "type": "sample.created",
        "sample_uuid": str(sample.uuid),
        "name": sample.name,
        "created_by": _username(actor),
    }
    broadcast(sample.dataset_id, event)


def broadcast_samples_imported(actor, dataset, *, samples: list, labels_created: int) -> None:
    """Announce an import of `samples` (non-empty, in order) into `dataset`. Sent after commit."""
    event: SamplesImported = {
        "type": "samples.imported",
        "samples_created": len(samples),
        "labels_created": labels_created,
        "first_sample": samples[0].name,
        "last_sample": samples[-1].name,
        "imported_by": _username(actor),
    }
    broadcast(dataset.pk, event)


def broadcast_text_import_progress(dataset, *, import_id: str, file_name: str, phase: str) -> None:
    """Announce the phase a queued text import has reached. Sent after commit (at once outside a transaction)."""
    event: TextImportProgress = {
        "type": "text_import.progress",
        "import_id": import_id,
        "file_name": file_name,
        "phase": phase,  # type: ignore[typeddict-item]
    }
    broadcast(dataset.pk, event)


def broadcast_text_import_finished(
    dataset, *, import_id: str, file_name: str, summary: dict | None, detail: str, errors: list[dict]
) -> None:
    """Announce the outcome of a queued text import: its summary, or its refused lines (at most 100)."""
    event: TextImportFinished = {
        "type": "text_import.finished",
        "import_id": import_id,
        "file_name": file_name,
        "summary": summary,
        "detail": detail,
        "errors": errors[:100],
    }
    broadcast(dataset.pk, event)


def broadcast_issue_changed(actor, issue, action: str) -> None:
    """Announce a change of `issue` (action: created, updated, commented, deleted). Sent after commit."""
    event: IssueChanged = {
        "type": "issue.changed",
        "sample_uuid": str(issue.sample.uuid),
        "issue_uuid": str(issue.uuid),
        "action": action,  # type: ignore[typeddict-item]
        "status": issue.status,
        "changed_by": _username(actor),
    }
    broadcast(issue.sample.dataset_id, event)


def broadcast_import_progress(job) -> None:
    """Announce an import job's progress (its row's `status`, `done`, `total`, `message`). Sent after commit."""
    event: ImportProgress = {
        "type": "import.progress",
        "import_id": str(job.uuid),
        "kind": job.kind,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "message": job.message,
    }
    broadcast(job.dataset_id, event)


def broadcast_import_finished(job) -> None:
    """Announce an import job whose status became SUCCEEDED or FAILED (at most 100 errors). Sent after commit."""
    event: ImportFinished = {
        "type": "import.finished",
        "import_id": str(job.uuid),
        "kind": job.kind,
        "status": job.status,
        "report": job.report,
        "errors": job.errors[:100],
    }
    broadcast(job.dataset_id, event)


def broadcast_sample_deleted(actor, sample) -> None:
    """Announce a deleted sample. Call it with the sample instance before or after `delete()` (it reads
    only `uuid`, `name` and `dataset_id`, which survive the delete). Sent after commit."""
    event: SampleDeleted = {
        "type": "sample.deleted",
        "sample_uuid": str(sample.uuid),
        "name": sample.name,
        "deleted_by": _username(actor),
    }
    broadcast(sample.dataset_id, event)


def broadcast_release_progress(release, *, samples_done: int, samples_total: int) -> None:
    """Announce how far a release job got: `samples_done` of `samples_total` samples written. Sent after
    commit (at once when no transaction is open, as in a worker between batches)."""
    event: ReleaseProgress = {
        "type": "release.progress",
        "release_uuid": str(release.uuid),
        "name": release.name,
        "samples_done": samples_done,
        "samples_total": samples_total,
    }
    broadcast(release.dataset_id, event)


def broadcast_release_finished(release) -> None:
    """Announce a release whose `status` became SUCCEEDED or FAILED. Sent after commit."""
    event: ReleaseFinished = {
        "type": "release.finished",
        "release_uuid": str(release.uuid),
        "name": release.name,
        "status": release.status,
        "samples_count": release.samples_count,
        "failure_reason": release.failure_reason,
    }
    broadcast(release.dataset_id, event)


def broadcast_interpolation_finished(sample, label, track_ids: list[int]) -> None:
    """Announce that interpolation wrote `label` of `sample` (tracks `track_ids`); `label` as for
    broadcast_label_saved. Sent after commit. The label write itself announces `label.saved` when it goes
    through save_label."""
    event: InterpolationFinished = {
        "type": "interpolation.finished",
        "sample_uuid": str(sample.uuid),
        "labelset": label.labelset.name,
        "version": label.version,
        "track_ids": [int(track_id) for track_id in track_ids],
    }
    broadcast(sample.dataset_id, event)


def broadcast(dataset_id: int, event: DatasetEvent) -> None:
    """Send `event` to the dataset's group once the current transaction commits (at once outside one).
    Never raises: a channel-layer failure is logged as a dropped event."""
    transaction.on_commit(lambda: send_now(dataset_group(dataset_id), event))


def use_event_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Send events from now on through `loop`, the ASGI server's event loop (labeling.asgi calls this).

    Request threads then schedule each send on that loop and return at once, instead of running a loop of
    their own per event: the in-memory layer's queues and the Redis layer's connections belong to it."""
    global _server_loop, _send_lock
    if loop is not _server_loop:
        _server_loop, _send_lock = loop, None


_server_loop: asyncio.AbstractEventLoop | None = None
_send_lock: asyncio.Lock | None = None  # created on the server loop: keeps that loop's sends in order


def send_now(group: str, event: DatasetEvent) -> None:
    """Hand `event` to the channel layer now. Never raises.

    In an ASGI server's request thread the send is scheduled on the server's loop and this returns at once
    (failures are logged there); elsewhere (Celery workers, commands, tests) it waits at most
    SEND_TIMEOUT_SECONDS."""
    loop = _server_loop
    if loop is not None and loop.is_running() and not _runs_on(loop):
        future = asyncio.run_coroutine_threadsafe(_ordered_group_send(group, event), loop)
        future.add_done_callback(lambda done: _log_if_dropped(done, group, event))
        return
    try:
        async_to_sync(_group_send)(group, event)
    except Exception:  # any layer error: the write it announces is already committed
        logger.warning("realtime event dropped: %s to %s", event["type"], group, exc_info=True)


def _runs_on(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def _log_if_dropped(done, group: str, event: DatasetEvent) -> None:
    if not done.cancelled() and done.exception() is not None:
        logger.warning("realtime event dropped: %s to %s", event["type"], group, exc_info=done.exception())


async def _ordered_group_send(group: str, event: DatasetEvent) -> None:
    global _send_lock
    if _send_lock is None:
        _send_lock = asyncio.Lock()
    async with _send_lock:  # FIFO: events leave in the order the request threads committed them
        await _group_send(group, event)


async def _group_send(group: str, event: DatasetEvent) -> None:
    channel_layer = get_channel_layer()
    if channel_layer is None:
        raise RuntimeError("no channel layer configured")
    message = {"type": FORWARD_MESSAGE_TYPE, "event": event}
    await asyncio.wait_for(channel_layer.group_send(group, message), timeout=SEND_TIMEOUT_SECONDS)
