"""Benchmark: how long the calibration check page makes a manager wait, before (the 48 candidates ranked inside
the request) and after the ranking moved to a worker (issue 19 follow-up); print the figures and the machine.

Run from the repository root: `.venv/bin/python bench/bench_calibration_page.py [--runs 3]`.

It creates (and afterwards drops) the scratch database `bench_calibration_page` on the PostgreSQL server of
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), with the demo's multi-sensor sample (3 frames of
~67k points, 2048x1536 cameras). Tasks go to an in-memory broker no worker reads; the worker's part is timed by
calling its service here. Medians of `--runs` runs, wall milliseconds, camera `front`:
- before: ranking inside the request (rank_calibration_candidates, frames decoded already, as on a second visit);
- page, first visit: the answer with "Ranking the 48 candidates…" (fingerprint, row reset, task enqueued);
- worker: rank_and_store (ranking plus 12 progress updates and the stored row);
- page / API with the stored ranking: the 48 previews' page, the candidates' JSON.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402
from labeling.testing import recreate_database, scratch_database_url  # noqa: E402

BENCH_DATABASE = "bench_calibration_page"


def median_ms(run, count: int) -> float:
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    recreate_database(BENCH_DATABASE)
    os.environ.update(
        DATABASE_URL=scratch_database_url(BENCH_DATABASE),
        REDIS_URL="",
        CELERY_TASK_ALWAYS_EAGER="0",
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="labeling.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    try:
        call_command("migrate", verbosity=0)
        measure(runs, Client(SERVER_NAME="testserver"))
    finally:
        connections.close_all()
        recreate_database(BENCH_DATABASE, create=False)


def measure(runs: int, client) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from datasets.demo import DEMO_ADMIN, create_demo_data
    from datasets.models import CalibrationRanking
    from datasets.services import calibration

    dataset = create_demo_data("http://testserver").multisensor_dataset
    sample = dataset.samples.get()
    client.force_login(get_user_model().objects.get(username=DEMO_ADMIN))
    page = f"{reverse('calibration-check', args=[dataset.owner_name, dataset.name])}?sample={sample.uuid}&camera=front"
    api = f"/samples/{sample.uuid}/calibration/front/candidates/"
    calibration.rank_calibration_candidates(sample, "front")  # frames decoded once, as in a warm server

    def first_visit() -> None:
        CalibrationRanking.objects.all().delete()
        assert "Ranking the 48 candidates" in client.get(page).content.decode()

    print(describe_machine())
    inline = median_ms(lambda: calibration.rank_calibration_candidates(sample, "front"), runs)
    print(f"before: ranking in the request: {inline:.0f} ms")
    print(f"page, first visit (answers with the progress): {median_ms(first_visit, runs):.0f} ms")
    print(f"worker: rank and store: {median_ms(lambda: worker(sample), runs):.0f} ms")
    print(f"page with the stored ranking (48 previews): {median_ms(lambda: client.get(page), runs):.0f} ms")
    print(f"API candidates with the stored ranking: {median_ms(lambda: client.get(api), runs):.0f} ms")


def worker(sample) -> None:
    from datasets.models import CalibrationRanking
    from datasets.services import calibration_rankings

    CalibrationRanking.objects.filter(sample=sample).update(status=CalibrationRanking.PENDING)
    calibration_rankings.rank_and_store(sample.pk, "front")


if __name__ == "__main__":
    main()
