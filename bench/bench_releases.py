"""Benchmark: build a release of 100,000 labeled samples, then export it to COCO on the server side; print
the time and the peak memory of each.

Run from the repository root: `.venv/bin/python bench/bench_releases.py [--samples 100000] [--objects 3]`.

It creates (and afterwards drops) the scratch database `bench_releases` on the PostgreSQL server of
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), migrates it, bulk-creates `--samples`
image samples with a `vector` label of `--objects` bounding boxes each (2,000 rows per insert), then runs the
build (datasets.services.release_build.build_release_file, what the Celery task calls) in a fresh process and
reports its wall time and peak resident memory (ru_maxrss of that process: Django, the ORM and the build).
Then, in another fresh process, the server-side COCO instance export of that release
(datasets.services.exports.export_release, what GET .../releases/{release}/export/ serves), read to the end.

Target: under 20 s and under 300 MB (Label Studio takes about 25 s to export 20,000 tasks).
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402
from labeling.testing import recreate_database, scratch_database_url  # noqa: E402

BENCH_DATABASE = "bench_releases"
TARGET_SECONDS = 20.0
TARGET_MEGABYTES = 300.0
BATCH = 2000


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labeling.settings")
    import django

    django.setup()


def populate(samples: int, objects: int) -> int:
    """Create the dataset, samples and labels; return a PENDING release's id (its build is not enqueued)."""
    setup_django()
    from django.contrib.auth import get_user_model

    from datasets.models import Label, LabelSet, Release, Sample
    from datasets.services.datasets import create_dataset

    owner = get_user_model().objects.create_user(username="bench", password="bench-password-123")
    task_attributes = {"format_version": "0.1", "categories": [{"id": 1, "name": "car"}, {"id": 2, "name": "person"}]}
    dataset = create_dataset(
        owner, owner_name="bench", owner_user=owner, name="big", task_type="vector", task_attributes=task_attributes
    )
    labelset = LabelSet.objects.get(dataset=dataset, name="ground-truth")
    for start in range(0, samples, BATCH):
        created = Sample.objects.bulk_create(
            Sample(
                dataset=dataset,
                name=f"{index:07}.jpg",
                attributes={"image": {"url": f"https://images.example.org/{index:07}.jpg"}},
                metadata={"shard": index % 16},
            )
            for index in range(start, min(start + BATCH, samples))
        )
        Label.objects.bulk_create(
            Label(
                sample=sample,
                labelset=labelset,
                label_status="LABELED",
                attributes=vector_label(objects),
                created_by=owner,
            )
            for sample in created
        )
    return Release.objects.create(dataset=dataset, name="v1", created_by=owner).pk


def vector_label(objects: int) -> dict:
    annotations = [
        {"id": i + 1, "category_id": 1 + i % 2, "type": "bbox", "points": [[10.0 * i, 20.0], [10.0 * i + 35.5, 80.25]]}
        for i in range(objects)
    ]
    return {"format_version": "0.1", "annotations": annotations}


def build(release_id: int) -> None:
    """Time one build in this process; print seconds, peak RSS and the file size."""
    setup_django()
    from django.core.files.storage import default_storage

    from datasets.models import Release
    from datasets.services.release_build import build_release_file

    started = time.perf_counter()
    build_release_file(release_id)
    seconds = time.perf_counter() - started
    release = Release.objects.get(pk=release_id)
    megabytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = default_storage.size(release.file.name) / 1e6 if release.file else 0
    print(
        f"{release.status}: {release.samples_count} samples, {size:.0f} MB file, {seconds:.1f} s, "
        f"{megabytes:.0f} MB peak RSS"
    )
    print(f"RESULT {seconds:.3f} {megabytes:.1f} {release.status}")


def export(release_id: int) -> None:
    """Time one server-side COCO export of the built release in this process, reading every byte of it;
    print seconds, the time to the first byte, peak RSS and the size."""
    setup_django()
    from datasets.models import Release
    from datasets.services.exports import export_release

    started = time.perf_counter()
    exported = export_release(Release.objects.select_related("dataset").get(pk=release_id), "coco-instance")
    chunks = exported.chunks()
    size = len(next(chunks, b""))
    first_byte = time.perf_counter() - started
    for chunk in chunks:
        size += len(chunk)
    seconds = time.perf_counter() - started
    megabytes = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"exported {exported.file_name}: {size / 1e6:.0f} MB, first byte after {first_byte:.1f} s")
    print(f"RESULT {seconds:.3f} {megabytes:.1f}")


def run(arguments: list[str], environment: dict) -> str:
    result = subprocess.run(
        [sys.executable, __file__, *arguments], env=environment, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--objects", type=int, default=3)
    parser.add_argument("--populate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--export", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.populate:
        print(f"RELEASE {populate(options.samples, options.objects)}")
        return
    if options.build:
        build(options.build)
        return
    if options.export:
        export(options.export)
        return

    print(describe_machine())
    bench_url = scratch_database_url(BENCH_DATABASE)
    recreate_database(BENCH_DATABASE)
    try:
        with tempfile.TemporaryDirectory() as media:
            environment = {
                **os.environ,
                "DATABASE_URL": bench_url,
                "MEDIA_ROOT": media,
                "LOG_LEVEL": "WARNING",
                "CELERY_TASK_ALWAYS_EAGER": "1",
                "DATABASE_POOL_MIN": "1",
            }
            environment.pop("REDIS_URL", None)  # no live events to deliver: the build alone is measured
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=environment, cwd=ROOT, check=True)
            started = time.perf_counter()
            output = run(
                ["--populate", "--samples", str(options.samples), "--objects", str(options.objects)], environment
            )
            release_id = int(output.split("RELEASE ")[1].split()[0])
            print(
                f"populated {options.samples} samples with {options.objects} boxes each "
                f"in {time.perf_counter() - started:.1f} s"
            )
            output = run(["--build", str(release_id)], environment)
            print(output.split("RESULT")[0].strip())
            seconds, megabytes, status = output.split("RESULT ")[1].split()
            verdict = float(seconds) < TARGET_SECONDS and float(megabytes) < TARGET_MEGABYTES and status == "SUCCEEDED"
            print(
                f"build: {float(seconds):.1f} s (target < {TARGET_SECONDS:.0f} s), peak RSS {float(megabytes):.0f} MB "
                f"(target < {TARGET_MEGABYTES:.0f} MB): {'OK' if verdict else 'MISSED'}"
            )
            output = run(["--export", str(release_id)], environment)
            print(output.split("RESULT")[0].strip())
            seconds, megabytes = output.split("RESULT ")[1].split()
            verdict = float(seconds) < TARGET_SECONDS and float(megabytes) < TARGET_MEGABYTES
            print(
                f"COCO export: {float(seconds):.1f} s (target < {TARGET_SECONDS:.0f} s), peak RSS "
                f"{float(megabytes):.0f} MB (target < {TARGET_MEGABYTES:.0f} MB): {'OK' if verdict else 'MISSED'}"
            )
    finally:
        recreate_database(BENCH_DATABASE, create=False)


if __name__ == "__main__":
    main()
