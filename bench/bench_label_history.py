"""Benchmark: what the label history (docs/history.md) stores per version, and what it adds to a label save.

Run from the repository root: `.venv/bin/python bench/bench_label_history.py [--saves 400] [--no-database]`.

Part 1, no database: bytes stored per version (labeling.core.label_history: orjson, zlib level 1) for
- a 50-object vector label (polygons of 8 vertices),
- a 1,000-frame image-vector-sequence label (10 tracks moving smoothly, a box per track per frame),
- a 1M-point point-cloud segmentation label: the instance of every point of examples/pointcloud_single/000950.bin
  (68,242 real points in scan order; points above the ground grouped by 4 m cells into 40 instances), the scan
  repeated to 1,000,000 points; and the same ids shuffled (points in no order, the worst case),
- a segmentation-bitmap label (the 1920x1080 bitmap is a URL to an asset; the label holds 30 instances).
It also prices the alternative to whole versions for the big label: a diff against the previous version (the
point ids XOR the previous ones, compressed) after relabeling one instance of 10,000 points.

Part 2, PostgreSQL (skipped with --no-database): the write path with and without the history. It creates (and
drops) the scratch database `bench_label_history` on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/postgres), and times services.labels.write_label of a 50-object vector
label, alternating blocks with the history recorded (the upsert's data-modifying CTE) and without it (the
plain upsert, as before this feature), so both see the same machine; then the same with the label statement
timed inside PostgreSQL (EXPLAIN ANALYZE in a rolled-back savepoint before the real statement: the database's
share, without Python, the network or other jobs' load on the client). Then the size on disk per version: the
history table with its TOAST and index, divided by its rows.
"""

import argparse
import os
import random
import statistics
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402
from labeling.core.label_history import compress_attributes  # noqa: E402
from labeling.testing import recreate_database, scratch_database_url  # noqa: E402

BENCH_DATABASE = "bench_label_history"
POINT_CLOUD = ROOT / "examples" / "pointcloud_single" / "000950.bin"
POINTS = 1_000_000


def vector_label(objects: int = 50, seed: int = 1) -> dict:
    """`objects` polygons of 8 vertices at two-decimal pixel coordinates of a 1920x1080 image."""
    rng = random.Random(seed)
    annotations = []
    for index in range(objects):
        cx, cy = rng.uniform(100, 1820), rng.uniform(100, 980)
        points = [[round(cx + rng.uniform(-80, 80), 2), round(cy + rng.uniform(-80, 80), 2)] for _ in range(8)]
        annotations.append({"id": index + 1, "category_id": rng.randint(1, 5), "type": "polygon", "points": points})
    return {"format_version": "0.1", "annotations": annotations}


def sequence_label(frames: int = 1000, tracks: int = 10) -> dict:
    """`tracks` boxes moving smoothly over `frames` frames, every 10th frame a keyframe."""
    rng = random.Random(2)
    starts = [
        (rng.uniform(0, 1700), rng.uniform(0, 900), rng.uniform(-2, 2), rng.uniform(-1, 1)) for _ in range(tracks)
    ]
    label_frames = []
    for frame in range(frames):
        annotations = []
        for track, (x, y, dx, dy) in enumerate(starts):
            x0, y0 = round(x + dx * frame, 2), round(y + dy * frame, 2)
            annotations.append(
                {
                    "id": track + 1,
                    "track_id": track + 1,
                    "category_id": track % 3 + 1,
                    "type": "bbox",
                    "points": [[x0, y0], [round(x0 + 120.5, 2), round(y0 + 80.25, 2)]],
                    "is_keyframe": frame % 10 == 0,
                }
            )
        label_frames.append({"annotations": annotations, "timestamp": frame})
    return {"format_version": "0.2", "frames": label_frames}


def point_instances() -> np.ndarray:
    """The instance id of each of POINTS points: the real scan's points above the ground (z > -1.3 m) by 4 m cell,
    40 instances at most, the rest 0 (unlabeled); the scan repeated to POINTS points."""
    cloud = np.fromfile(POINT_CLOUD, dtype=np.float32).reshape(-1, 4)
    cells = np.floor(cloud[:, :2] / 4).astype(np.int64)
    cell_ids = cells[:, 0] * 1000 + cells[:, 1]
    above = cloud[:, 2] > -1.3
    unique, inverse = np.unique(cell_ids[above], return_inverse=True)
    counts = np.bincount(inverse)
    kept = np.argsort(-counts)[:40]  # the 40 densest cells become instances 1..40
    instance_of_cell = np.zeros(len(unique), dtype=np.int64)
    instance_of_cell[kept] = np.arange(1, len(kept) + 1)
    ids = np.zeros(len(cloud), dtype=np.int64)
    ids[above] = instance_of_cell[inverse]
    return np.resize(ids, POINTS)


def segmentation_label(ids: np.ndarray) -> dict:
    instances = sorted(set(ids.tolist()) - {0})
    annotations = [{"id": int(i), "category_id": int(i) % 4 + 1} for i in instances]
    return {"format_version": "0.1", "annotations": annotations, "point_annotations": ids.tolist()}


def bitmap_label() -> dict:
    annotations = [{"id": i + 1, "category_id": i % 5 + 1} for i in range(30)]
    url = "https://labels.example.org/media/assets/5b1c0e0e-4c1e-4a56-9a49-1f7e1c0a2b3d.png"
    return {"format_version": "0.1", "annotations": annotations, "segmentation_bitmap": {"url": url}}


def stored_figures(name: str, attributes: dict) -> None:
    raw = orjson.dumps(attributes)
    timings = []
    for _ in range(200 if len(raw) < 100_000 else 5):  # the median of several: one run is noise on a busy VM
        started = time.perf_counter()
        stored = compress_attributes(attributes)
        timings.append(time.perf_counter() - started)
    seconds = statistics.median(timings)
    level6 = len(zlib.compress(raw, 6))
    print(
        f"{name:<50} JSON {len(raw):>10,} B  stored {len(stored.data):>9,} B ({len(raw) / len(stored.data):5.1f}x)"
        f"  zlib-6 would be {level6:>9,} B  encode+compress {seconds * 1000:7.2f} ms (median)"
    )


def diff_figures(ids: np.ndarray) -> None:
    """A second version relabels one instance of 10,000 points: its whole stored size against a diff's."""
    changed = ids.copy()
    where = np.flatnonzero(changed == 0)[:10_000]
    changed[where] = 41
    whole = len(compress_attributes(segmentation_label(changed)).data)
    xor = np.bitwise_xor(changed, ids).astype(np.int32)
    diff = len(zlib.compress(xor.tobytes(), 1))
    print(
        f"{'  next version, 10,000 points relabeled':<50} whole {whole:>9,} B; a diff (XOR, zlib) {diff:>7,} B:"
        f" {whole - diff:,} B saved per version of this 1M-point label"
    )


def storage_part() -> None:
    print("Part 1: bytes per version (orjson, zlib level 1)")
    stored_figures("vector, 50 polygons", vector_label())
    stored_figures("image-vector-sequence, 1,000 frames x 10", sequence_label())
    ids = point_instances()
    stored_figures("pointcloud-segmentation, 1M points in scan order", segmentation_label(ids))
    diff_figures(ids)
    shuffled = ids.copy()
    np.random.default_rng(3).shuffle(shuffled)
    stored_figures("pointcloud-segmentation, 1M points shuffled", segmentation_label(shuffled))
    stored_figures("segmentation-bitmap, 30 instances (URL)", bitmap_label())


def database_part(saves: int) -> None:
    recreate_database(BENCH_DATABASE)
    os.environ.update(
        DATABASE_URL=scratch_database_url(BENCH_DATABASE),
        LOG_LEVEL="ERROR",
        CELERY_TASK_ALWAYS_EAGER="1",
        DJANGO_SETTINGS_MODULE="labeling.settings",
        LABEL_HISTORY_KEEP="0",  # keep every version: the size per version is measured below
    )
    try:
        import django

        django.setup()
        timings, per_version = _time_saves(saves)
    finally:
        from django.db import connections

        connections.close_all()
        for each in connections.all():
            if getattr(each, "pool", None) is not None:
                each.close_pool()
        recreate_database(BENCH_DATABASE, create=False)
    print(f"Part 2: services.labels.write_label, 50-object vector label, PostgreSQL; median of {saves} saves each")
    for name, values in timings.items():
        print(f"  {name:<44} {statistics.median(values):6.3f} ms")
    for where in ("", ", in PostgreSQL"):
        with_it = statistics.median(timings[f"with history{where}"])
        difference = with_it - statistics.median(timings[f"without history (before){where}"])
        print(f"  difference{where or ' (whole save)'}: {difference:+.3f} ms per save")
    print(f"  on disk: {per_version:,.0f} B per version of that label (table + TOAST + index, / rows)")


def _time_saves(saves: int) -> tuple[dict[str, list[float]], float]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from datasets.models import LabelVersion, Sample
    from datasets.services import label_versions, labels
    from datasets.services.datasets import create_dataset

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench")
    categories = [{"id": i, "name": f"c{i}"} for i in range(1, 6)]
    dataset = create_dataset(
        user, owner_name="bench", owner_user=user, name="history", task_type="vector",
        task_attributes={"format_version": "0.1", "categories": categories},
    )  # fmt: skip
    sample = Sample.objects.create(dataset=dataset, name="a.png", attributes={"image": {"url": "https://x/a.png"}})
    with_history = labels._with_history
    sides = {
        "with history": lambda sql: with_history(sql),
        "without history (before)": lambda sql: sql,
    }
    timings: dict[str, list[float]] = {name: [] for name in sides}
    versions = [vector_label(seed=seed) for seed in range(8)]
    original_parameters = label_versions.version_parameters
    for block in range(saves // 20):
        for name, wrap in sides.items() if block % 2 == 0 else reversed(sides.items()):
            labels._with_history = wrap
            # without the history, no parameters for it either (and no compression)
            label_versions.version_parameters = original_parameters if name == "with history" else lambda *a: []
            for index in range(20):
                started = time.perf_counter()
                labels.write_label(user, sample, "ground-truth", attributes=versions[index % 8], label_status="LABELED")
                timings[name].append((time.perf_counter() - started) * 1000)

    with connection.cursor() as cursor:  # before the EXPLAIN ANALYZE runs, whose rolled-back rows take space
        cursor.execute("SELECT pg_total_relation_size('datasets_labelversion')")
        per_version = cursor.fetchone()[0] / LabelVersion.objects.count()

    def save() -> None:
        labels.write_label(user, sample, "ground-truth", attributes=versions[0], label_status="LABELED")

    server = _server_side(saves, save, sides, labels, label_versions, with_history, original_parameters)
    labels._with_history, label_versions.version_parameters = with_history, original_parameters
    return {**timings, **server}, per_version


def _server_side(saves, save, sides, labels, label_versions, with_history, original_parameters) -> dict:
    """The label statement's execution time inside PostgreSQL (EXPLAIN ANALYZE's, rolled back before the real
    statement runs), with and without the history: the database's share without Python, network or the client."""
    from django.db import connection, transaction

    measured: dict[str, list[float]] = {f"{name}, in PostgreSQL": [] for name in sides}
    state = {"name": "", "inside": False}

    def explain(execute, sql, params, many, context):
        if state["inside"] or not sql.startswith(("WITH saved", 'INSERT INTO "datasets_label"')):
            return execute(sql, params, many, context)
        state["inside"] = True
        try:
            with transaction.atomic():
                context["cursor"].execute(f"EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) {sql}", params)
                plan = context["cursor"].fetchone()[0]
                measured[state["name"]].append(plan[0]["Execution Time"])
                transaction.set_rollback(True)
        finally:
            state["inside"] = False
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        for block in range(saves // 20):
            for name, wrap in sides.items() if block % 2 == 0 else reversed(sides.items()):
                labels._with_history = wrap
                label_versions.version_parameters = original_parameters if name == "with history" else lambda *a: []
                state["name"] = f"{name}, in PostgreSQL"
                for _ in range(20):
                    save()
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=400, help="timed saves on each side (default 400)")
    parser.add_argument("--no-database", action="store_true", help="only the bytes per version (part 1)")
    options = parser.parse_args()
    print(describe_machine())
    storage_part()
    if not options.no_database:
        database_part(options.saves)


if __name__ == "__main__":
    main()
