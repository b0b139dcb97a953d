"""Benchmark: importing a 5,000-image COCO file through the import service and its Celery task.

Run from the repository root: `.venv/bin/python bench/bench_coco_import.py [--images 5000]
[--task-type vector|segmentation-bitmap]`.

It creates (and afterwards drops) the scratch database `bench_coco_import` on the PostgreSQL server of
DATABASE_URL, migrates it, creates the user `bench` and a dataset of `--task-type`, and stores `--images`
copies of the eleven photos of examples/images/ and examples/coco/ as uploaded import files (hard links in a
temporary MEDIA_ROOT, so the copies cost no disk), each under its own name. The COCO file lists every copy at
its real size with three synthetic annotations: a box (category car), a 12-vertex polygon with its box (dog)
and a person with a polygon, a box and 17 keypoints (person_keypoints' category). It is stored as an upload
too, then `start_import` queues the import and the task runs in this process (CELERY_TASK_ALWAYS_EAGER, as a
worker would run it): read and check the JSON, match the images, read each image's size, build and validate
every label, then one transaction with the samples and labels. Prints the machine, the file size, the time
of the whole import and per image, and this process's resident memory before and at its peak during the
import (VmHWM, reset before the import through /proc/self/clear_refs). The thumbnails task the import enqueues
(run by other workers in production) is held back and timed on its own afterwards.
"""

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402
from labeling.testing import recreate_database, scratch_database_url  # noqa: E402

BENCH_DATABASE = "bench_coco_import"
COCO_EXAMPLE = ROOT / "examples" / "coco"
PHOTOS = [
    *sorted(p for p in (ROOT / "examples" / "images").iterdir() if p.suffix in (".png", ".jpg")),
    COCO_EXAMPLE / "000000000785.jpg",
]
PERSON = json.loads((COCO_EXAMPLE / "coco_val2017_000000000785_person_keypoints.json").read_text())["categories"][0]


def memory_mib(field: str) -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+) kB", status).group(1)) / 1024


def reset_peak_memory() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS (Linux >= 4.0)


def polygon(center_x: float, center_y: float, radius: float, vertices: int = 12) -> list[float]:
    import numpy as np

    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    return (
        np.round(np.column_stack([center_x + radius * np.cos(angles), center_y + radius * np.sin(angles)]), 2)
        .ravel()
        .tolist()
    )


def coco_document(names: list[str], sizes: list[tuple[int, int]]) -> dict:
    """The COCO file: one image per name, three annotations each (module docstring)."""
    images, annotations = [], []
    for image_id, (name, (width, height)) in enumerate(zip(names, sizes, strict=True), start=1):
        images.append({"id": image_id, "file_name": name, "width": width, "height": height})
        w, h = width / 4, height / 4
        keypoints = []
        for index in range(17):
            keypoints += [round(2 * w + (index % 5) * w / 8, 2), round(h + (index // 5) * h / 4, 2), 2]
        base = 3 * image_id
        annotations += [
            {"id": base, "image_id": image_id, "category_id": 3, "bbox": [5, 5, w, h], "area": w * h, "iscrowd": 0},
            {
                "id": base + 1,
                "image_id": image_id,
                "category_id": 18,
                "bbox": [w - h / 2, 3 * h - h / 2, h, h],
                "segmentation": [polygon(w, 3 * h, h / 2)],
                "area": 3.0 * h * h / 4,
                "iscrowd": 0,
            },
            {
                "id": base + 2,
                "image_id": image_id,
                "category_id": 1,
                "bbox": [2 * w, h, w, 2 * h],
                "segmentation": [polygon(2.5 * w, 2 * h, min(w, h) / 2)],
                "keypoints": keypoints,
                "num_keypoints": 17,
                "area": w * h,
                "iscrowd": 0,
            },
        ]
    categories = [{"id": 3, "name": "car"}, {"id": 18, "name": "dog"}, PERSON]
    return {"info": {"description": "bench"}, "images": images, "annotations": annotations, "categories": categories}


def store_uploads(user, count: int):
    """`count` hard-linked copies of PHOTOS and the COCO file, as the user's uploaded import files."""
    from django.conf import settings
    from django.utils import timezone
    from PIL import Image

    from datasets.models import Asset

    folder = Path(settings.MEDIA_ROOT) / "imports" / "uploads" / "bench"
    folder.mkdir(parents=True)
    originals = []
    for photo in PHOTOS:
        shutil.copyfile(photo, folder / photo.name)
        with Image.open(photo) as image:
            originals.append((photo, image.size))
    now, assets, names, sizes = timezone.now(), [], [], []
    for index in range(count):
        photo, size = originals[index % len(originals)]
        name = f"{index:05d}-{photo.name}"
        os.link(folder / photo.name, folder / name)
        stored = f"imports/uploads/bench/{name}"
        assets.append(Asset(filename=name, file=stored, size=photo.stat().st_size, created_by=user, uploaded_at=now))
        names.append(name)
        sizes.append(size)
    content = json.dumps(coco_document(names, sizes)).encode()
    (folder / "instances.json").write_bytes(content)
    assets.append(
        Asset(
            filename="instances.json",
            file="imports/uploads/bench/instances.json",
            size=len(content),
            created_by=user,
            uploaded_at=now,
        )
    )
    Asset.objects.bulk_create(assets)
    return [str(asset.uuid) for asset in assets], len(content)


def run(images: int, task_type: str) -> None:
    recreate_database(BENCH_DATABASE)
    media = tempfile.mkdtemp(prefix="bench-coco-")
    os.environ.update(
        DATABASE_URL=scratch_database_url(BENCH_DATABASE),
        MEDIA_ROOT=media,
        DJANGO_SETTINGS_MODULE="labeling.settings",
        CELERY_TASK_ALWAYS_EAGER="1",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", verbosity=0)
        from datasets import access
        from datasets.models import ImportJob, Label
        from datasets.services import samples
        from datasets.services.datasets import create_dataset
        from datasets.services.imports import start_import
        from datasets.tasks import make_thumbnails

        user = get_user_model().objects.create_user("bench", password="bench-password-42")
        dataset = create_dataset(user, owner_name="bench", owner_user=user, name="coco", task_type=task_type)
        uuids, json_bytes = store_uploads(user, images)
        dataset_access = access.get_dataset(user, "bench", "coco", role=access.ROLE_MANAGER)
        # The thumbnails task the import enqueues runs on other workers in production: held back here and
        # timed on its own, so that it neither counts in the import's time nor runs in the import's process.
        thumbnail_batches: list[list[int]] = []
        samples.schedule_thumbnails = thumbnail_batches.append
        before = memory_mib("VmRSS")
        reset_peak_memory()
        started = time.perf_counter()
        job = start_import(user, dataset_access, "coco", uuids, {}, site_url="http://127.0.0.1:8000")
        seconds = time.perf_counter() - started
        peak = memory_mib("VmHWM")
        started = time.perf_counter()
        for batch in thumbnail_batches:
            make_thumbnails(batch)
        thumbnail_seconds = time.perf_counter() - started
        job = ImportJob.objects.get(pk=job.pk)
        assert job.status == ImportJob.SUCCEEDED, job.errors[:3]
        assert Label.objects.filter(sample__dataset=dataset).count() == images
        print(describe_machine())
        print(f"COCO file: {images} images, {3 * images} annotations, {json_bytes / 1e6:.1f} MB; {task_type} dataset")
        print(f"created: {job.report['created']}")
        per_image = seconds / images * 1000
        print(f"import (service + Celery task in this process): {seconds:.1f} s ({per_image:.2f} ms per image)")
        growth = peak - before
        print(f"thumbnails of the new samples (a separate task): {thumbnail_seconds:.1f} s")
        print(f"worker memory: {before:.0f} MiB before the import, peak {peak:.0f} MiB during it (+{growth:.0f} MiB)")
    finally:
        connections.close_all()
        recreate_database(BENCH_DATABASE, create=False)
        shutil.rmtree(media, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=5000, help="images in the COCO file (default 5000)")
    parser.add_argument(
        "--task-type", default="vector", choices=("vector", "segmentation-bitmap"), help="the dataset's task type"
    )
    arguments = parser.parse_args()
    run(arguments.images, arguments.task_type)


if __name__ == "__main__":
    main()
