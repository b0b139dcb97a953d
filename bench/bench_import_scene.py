"""Benchmark: importing a SUSTechPOINTS scene into a multi-sensor dataset through the import page's endpoints.

Run from the repository root: `.venv/bin/python bench/bench_import_scene.py [--frames 60] [--parallel 4]`.

It creates (and afterwards drops) the scratch database `bench_import_scene` on the PostgreSQL server of
DATABASE_URL, migrates it, creates the user `bench` with the `multisensor-sequence` dataset bench/drive, starts
`uvicorn labeling.asgi:application` (media in a temporary folder; the import and the point-cloud reads run in
the server process, as with CELERY_TASK_ALWAYS_EAGER), signs in, and uploads a scene of `--frames` frames made
from the 3 camera frames of examples/pointcloud_sequence/ (cloud, 3 camera images and labels per frame, plus the
3 calibrations) with `--parallel` uploads at a time, then starts the `sustech-scene` import. Prints the upload
time, the import time (start request until the job status is SUCCEEDED, point clouds read) and the server's
peak resident memory (VmHWM).
"""

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_upload import PASSWORD, peak_memory_mib, server_env, signed_in_session  # noqa: E402
from bench.machine import describe_machine  # noqa: E402
from labeling.testing import (  # noqa: E402
    free_port,
    recreate_database,
    scratch_database_url,
    start_uvicorn,
    stop_process,
)

BENCH_DATABASE = "bench_import_scene"
SCENE = ROOT / "examples" / "pointcloud_sequence"
SOURCE_FRAMES = ("000965", "000970", "000975")
CAMERAS = ("front", "left", "right")
SET_UP = f"""
import copy
from django.contrib.auth import get_user_model
from datasets.demo_multisensor import MULTISENSOR_TASK_ATTRIBUTES
from datasets.services.datasets import create_dataset
user = get_user_model().objects.create_user("bench", password="{PASSWORD}")
create_dataset(user, owner_name="bench", owner_user=user, name="drive", task_type="multisensor-sequence",
               task_attributes=copy.deepcopy(MULTISENSOR_TASK_ATTRIBUTES))
"""


def scene_files(frames: int) -> list[tuple[str, Path]]:
    """(relative path as dropped, source file) of a scene of `frames` frames."""
    files = [
        (f"bench-scene/calib/camera/{camera}.json", SCENE / "calib" / "camera" / f"{camera}.json") for camera in CAMERAS
    ]
    for index in range(frames):
        source, name = SOURCE_FRAMES[index % len(SOURCE_FRAMES)], f"{index:06d}"
        files.append((f"bench-scene/lidar/{name}.pcd", SCENE / "lidar" / f"{source}.pcd"))
        files.append((f"bench-scene/label/{name}.json", SCENE / "label" / f"{source}.json"))
        files += [
            (f"bench-scene/camera/{camera}/{name}.jpg", SCENE / "camera" / camera / f"{source}.jpg")
            for camera in CAMERAS
        ]
    return files


def upload_one(session, url: str, item: tuple[str, Path]) -> str:
    relative_path, source = item
    with source.open("rb") as file:
        response = session.post(url, files={"file": (source.name, file)}, data={"relativePath": relative_path})
    response.raise_for_status()
    return response.json()["asset"]


def wait_for(session, status_url: str) -> dict:
    while True:
        job = session.get(status_url).json()
        if job["status"] in ("SUCCEEDED", "FAILED"):
            return job
        time.sleep(0.1)


def run(frames: int, parallel: int) -> None:
    recreate_database(BENCH_DATABASE)
    media = tempfile.TemporaryDirectory(prefix="bench-import-scene-")
    env = server_env(scratch_database_url(BENCH_DATABASE), media.name)
    manage = [sys.executable, str(ROOT / "manage.py")]
    server = None
    try:
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
        subprocess.run([*manage, "shell", "-c", SET_UP], env=env, check=True, cwd=ROOT)
        port = free_port()
        env["CSRF_TRUSTED_ORIGINS"] = f"http://127.0.0.1:{port}"
        server = start_uvicorn(env, port)
        base = f"http://127.0.0.1:{port}"
        session = signed_in_session(base, parallel)
        idle_mib = peak_memory_mib(server.pid)
        files = scene_files(frames)
        total_bytes = sum(source.stat().st_size for _, source in files)

        started = time.perf_counter()
        files_url = f"{base}/app/bench/drive/import/sustech-scene/files/"
        with ThreadPoolExecutor(parallel) as pool:
            assets = list(pool.map(lambda item: upload_one(session, files_url, item), files))
        uploaded = time.perf_counter()
        response = session.post(f"{base}/app/bench/drive/import/sustech-scene/", json={"assets": assets, "options": {}})
        response.raise_for_status()
        job = wait_for(session, f"{base}{response.json()['status_url']}")
        finished = time.perf_counter()
        assert job["status"] == "SUCCEEDED", job["errors"][:3]

        print(describe_machine())
        print(f"scene: {frames} frames, {len(files)} files ({total_bytes / 1e6:.0f} MB), {parallel} uploads at a time")
        print(f"upload: {uploaded - started:.1f} s ({len(files) / (uploaded - started):.0f} files/s)")
        cuboids = job["report"]["created"]["objects"]
        print(f"import (one sample, {cuboids} cuboids, clouds read): {finished - uploaded:.1f} s")
        print(f"server memory: {idle_mib:.0f} MiB after sign-in, peak {peak_memory_mib(server.pid):.0f} MiB")
    finally:
        if server is not None:
            stop_process(server)
        recreate_database(BENCH_DATABASE, create=False)
        media.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=60, help="frames of the scene (default 60)")
    parser.add_argument("--parallel", type=int, default=4, help="uploads at a time, as the page does (4)")
    arguments = parser.parse_args()
    run(arguments.frames, arguments.parallel)


if __name__ == "__main__":
    main()
