"""Benchmark: the cost of the outbox (datasets.services.outbox) per enqueued task, with the broker up and down,
and the relay's rate when the broker returns; print the figures and the machine.

Run from the repository root: `.venv/bin/python bench/bench_outbox.py [--tasks 500]`.

It creates (and afterwards drops) the scratch database `bench_outbox` on the PostgreSQL server of DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/postgres) and starts a private redis-server on a free port (the
machine's Redis is not touched). Figures, each the median of `--tasks` runs in one process:
- before: `send_task` through Celery's producer pool, what services did before the outbox;
- a write alone: one row inserted and committed, the least a save costs (the scale of the figures below);
- outbox, broker up: one transaction recording the task, commit, send, delete (enqueue_on_commit);
- outbox, broker down: the same, the send failing on a refused connection (the row stays for the relay);
- relay: sending the rows left while the broker was down, once it is back (tasks per second).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402
from labeling.testing import free_port, recreate_database, scratch_database_url  # noqa: E402

BENCH_DATABASE = "bench_outbox"
TASK = "datasets.tasks.interpolate_label"


def start_redis(port: int) -> subprocess.Popen:
    command = [shutil.which("redis-server") or "redis-server", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    import redis

    for _ in range(100):
        try:
            if redis.Redis(port=port).ping():
                return process
        except redis.RedisError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def median_ms(run, count: int) -> float:
    timings = []
    for index in range(count):
        started = time.perf_counter()
        run(index)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=500)
    count = parser.parse_args().tasks
    port = free_port()
    redis_process = start_redis(port)
    recreate_database(BENCH_DATABASE)
    os.environ.update(
        DATABASE_URL=scratch_database_url(BENCH_DATABASE),
        REDIS_URL=f"redis://127.0.0.1:{port}/0",
        CELERY_TASK_ALWAYS_EAGER="0",
        CELERY_QUEUE="bench-outbox",
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="labeling.settings",
    )
    try:
        import django

        django.setup()
        from celery import current_app
        from django.core.management import call_command
        from django.db import connections, transaction

        from datasets.models import PendingTask
        from datasets.services.outbox import enqueue_on_commit, relay_pending

        call_command("migrate", verbosity=0)

        def before(index: int) -> None:
            current_app.send_task(TASK, args=[index, 1])

        def write_alone(index: int) -> None:  # what a save costs at least: one row, one commit
            with transaction.atomic():
                PendingTask.objects.create(task_name=TASK, args=[index, 1])

        def outbox(index: int) -> None:
            with transaction.atomic():
                enqueue_on_commit(TASK, index, 1)

        before_ms = median_ms(before, count)
        write_ms = median_ms(write_alone, count)
        PendingTask.objects.all().delete()
        up_ms = median_ms(outbox, count)
        redis_process.terminate()
        redis_process.wait()
        down_ms = median_ms(outbox, count)
        waiting = PendingTask.objects.count()
        redis_process = start_redis(port)
        started = time.perf_counter()
        relayed = relay_pending(older_than=0, limit=waiting)
        relay_seconds = time.perf_counter() - started
        connections.close_all()
    finally:
        redis_process.terminate()
        redis_process.wait()
        for each in __import__("django.db", fromlist=["connections"]).connections.all():
            if getattr(each, "pool", None) is not None:
                each.close_pool()
        recreate_database(BENCH_DATABASE, create=False)
    print(describe_machine())
    print(f"before (send_task through the producer pool): {before_ms:.2f} ms per task (median of {count})")
    print(f"a write alone (one row, one commit; for scale): {write_ms:.2f} ms")
    print(f"outbox, broker up (record + commit + send + delete): {up_ms:.2f} ms per task")
    print(f"outbox, broker down (record + commit + refused send): {down_ms:.2f} ms per task, {waiting} rows kept")
    print(
        f"relay after the broker returned: {relayed} tasks in {relay_seconds:.2f} s ({relayed / relay_seconds:.0f}/s)"
    )


if __name__ == "__main__":
    main()
