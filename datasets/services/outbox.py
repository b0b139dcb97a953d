"""The transactional outbox: Celery tasks that must follow a commit are recorded in the database in the same
transaction, delivered to the broker after the commit, and sent again by the workers' relay whenever the broker
was unreachable. Design: docs/outbox.md.

Every service enqueues follow-up work through `enqueue_on_commit(task_name, *args)`; tasks are looked up by
name (`datasets.tasks.<function>`), so services never import the task module. A write therefore never fails
after it was stored because Redis is down, and its task is not lost: it runs once the broker is back.
"""

import logging
import threading
import time
from datetime import timedelta
from importlib import import_module

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from datasets.models import PendingTask

logger = logging.getLogger(__name__)
RELAY_BATCH = 500


def enqueue_on_commit(task_name: str, *args) -> None:
    """Record Celery task `task_name` (e.g. "datasets.tasks.build_release") with positional `args` (ids, JSON
    values) in the current transaction, and send it to the broker once that transaction commits (at once
    outside one). Nothing is recorded or sent when the transaction rolls back.

    Never raises after the commit: an unreachable broker leaves the row for the relay (relay_pending), which
    sends it when the broker is back. With CELERY_TASK_ALWAYS_EAGER (no Redis) the task runs in-process after
    the commit, as before, and its errors propagate.
    """
    entry = PendingTask.objects.create(task_name=task_name, args=list(args))
    transaction.on_commit(lambda: _deliver(entry.pk, task_name, list(args)))


def _deliver(entry_id: int, task_name: str, args: list) -> None:
    if current_app.conf.task_always_eager:
        _forget([entry_id])
        _registered_task(task_name).apply_async(args)
        return
    try:
        _send(task_name, args)
    except Exception as error:  # any broker failure (kombu, redis-py, socket): the relay sends it later
        logger.warning("Task %s%s left for the outbox relay: broker unreachable (%s)", task_name, tuple(args), error)
        _record_failure([entry_id], error)
        return
    try:
        _forget([entry_id])
    except DatabaseError:  # the task is sent; the relay sends it once more, and tasks are idempotent
        logger.warning("Task %s%s sent but still in the outbox", task_name, tuple(args), exc_info=True)


def _registered_task(task_name: str):
    # Celery imports the task modules in workers; an in-process run may come first. Task names are
    # "<module>.<function>" (shared_task's default), so the name says which module registers it.
    if task_name not in current_app.tasks:
        import_module(task_name.rpartition(".")[0])
    return current_app.tasks[task_name]


def _send(task_name: str, args: list) -> None:
    # One connection attempt and no publish retries: a request must not wait for a broker that is down (Celery's
    # own producer pool retries its connection for seconds), and the relay tries again anyway. Connections are
    # pooled (a new one costs several round trips to Redis); one that failed is reset before it is reused.
    broker = _broker_connections().acquire(block=True, timeout=10)
    try:
        current_app.send_task(task_name, args=args, connection=broker, retry=False)
    except Exception:
        broker.collect()  # drop its channels and sockets: the next use connects afresh
        raise
    finally:
        broker.release()


_pools: dict[str, object] = {}
_pools_lock = threading.Lock()


def _broker_connections():
    """The kombu connection pool of the current broker URL, without connection retries."""
    url = current_app.conf.broker_write_url or current_app.conf.broker_url
    with _pools_lock:
        if url not in _pools:
            broker = current_app.connection_for_write(url, transport_options={"max_retries": 0})
            _pools[url] = broker.Pool(limit=current_app.conf.broker_pool_limit)
        return _pools[url]


def _forget(entry_ids: list[int]) -> None:
    # One DELETE statement: QuerySet.delete() would wrap it in a transaction of its own (two more round trips
    # on every delivery, for a model with no relations and no signals).
    if not entry_ids:
        return
    placeholders = ", ".join(["%s"] * len(entry_ids))
    sql = f"DELETE FROM {PendingTask._meta.db_table} WHERE id IN ({placeholders})"  # noqa: S608 - ours, no input
    with connection.cursor() as cursor:
        cursor.execute(sql, entry_ids)


def _record_failure(entry_ids: list[int], error: Exception) -> None:
    try:
        PendingTask.objects.filter(pk__in=entry_ids).update(attempts=F("attempts") + 1, last_error=str(error)[:1000])
    except DatabaseError:
        logger.warning("Could not record the delivery failure of outbox entries %s", entry_ids, exc_info=True)


def relay_pending(*, older_than: float | None = None, limit: int = RELAY_BATCH) -> int:
    """Send up to `limit` recorded tasks older than `older_than` seconds (default OUTBOX_RELAY_GRACE_SECONDS,
    so that deliveries right after their commit are not raced), oldest first, and delete the ones the broker
    accepted; returns how many were sent. Stops at the first broker failure (the rest waits for the next
    round). Rows are locked with SKIP LOCKED on PostgreSQL, so several relays never send the same row at once.
    Raises DatabaseError when the database is unreachable.
    """
    grace = settings.OUTBOX_RELAY_GRACE_SECONDS if older_than is None else older_than
    cutoff = timezone.now() - timedelta(seconds=grace)
    sent: list[int] = []
    with transaction.atomic():
        entries = list(
            PendingTask.objects.select_for_update(skip_locked=True)
            .filter(created_at__lte=cutoff)
            .order_by("pk")[:limit]
        )
        for entry in entries:
            try:
                _send(entry.task_name, entry.args)
            except Exception as error:  # broker still unreachable: try again next round
                logger.warning("Outbox relay: broker unreachable, %s tasks waiting (%s)", len(entries), error)
                _record_failure([entry.pk], error)
                break
            sent.append(entry.pk)
        _forget(sent)
    if sent:
        logger.info("Outbox relay sent %s waiting tasks", len(sent))
    return len(sent)


def start_relay(interval: float | None = None) -> threading.Thread:
    """Start the relay loop in a daemon thread of this process (the Celery worker calls this when it is ready):
    relay_pending at once, then every `interval` seconds (default OUTBOX_RELAY_INTERVAL_SECONDS). Database and
    broker failures are logged and retried next round; the thread lives as long as the process."""
    seconds = settings.OUTBOX_RELAY_INTERVAL_SECONDS if interval is None else interval
    thread = threading.Thread(target=_relay_loop, args=(seconds,), name="outbox-relay", daemon=True)
    thread.start()
    return thread


def _relay_loop(interval: float) -> None:
    while True:
        try:
            close_old_connections()  # a connection the database dropped is replaced, not reused
            relay_pending()
        except Exception:  # the database is down or anything else: log, and look again next round
            logger.warning("Outbox relay round failed", exc_info=True)
        time.sleep(interval)
