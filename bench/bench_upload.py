"""Benchmark: uploading photos through the dataset page's uploader endpoints, as the browser's Uppy does.

Run from the repository root: `.venv/bin/python bench/bench_upload.py [--photos 1000] [--parallel 4]`.

It creates (and afterwards drops) the scratch database `bench_upload` on the PostgreSQL server of DATABASE_URL,
migrates it, creates the user `bench` with the `vector` dataset bench/photos, starts `uvicorn
labeling.asgi:application` (media in a temporary folder; the thumbnail task runs in the server process, as
with CELERY_TASK_ALWAYS_EAGER), signs in through the login page, and uploads `--photos` copies of the ten
photos of examples/images/ (each under its own name) with `--parallel` uploads at a time: POST
/app/bench/photos/upload/ per file, then one POST .../upload/samples/ that creates the samples. Prints the
time of each phase, files and MB per second, and the server's peak resident memory (VmHWM).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402
from labeling.testing import (  # noqa: E402
    free_port,
    recreate_database,
    scratch_database_url,
    start_uvicorn,
    stop_process,
)

BENCH_DATABASE = "bench_upload"
PASSWORD = "bench-password-42"
PHOTOS = sorted(p for p in (ROOT / "examples" / "images").iterdir() if p.suffix in (".png", ".jpg"))
SET_UP = f"""
from django.contrib.auth import get_user_model
from datasets.services.datasets import create_dataset
user = get_user_model().objects.create_user("bench", password="{PASSWORD}")
create_dataset(user, owner_name="bench", owner_user=user, name="photos", task_type="vector")
"""


def signed_in_session(base: str, parallel: int) -> requests.Session:
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=parallel, pool_maxsize=parallel)
    session.mount("http://", adapter)
    session.get(f"{base}/login/")
    token = session.cookies["csrftoken"]
    response = session.post(
        f"{base}/login/", data={"username": "bench", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    response.raise_for_status()
    session.headers["X-CSRFToken"] = session.cookies["csrftoken"]  # rotated by the login
    session.headers["Referer"] = f"{base}/"
    return session


def server_env(database_url: str, media_root: str) -> dict:
    """The environment of a bench server process: production settings (DEBUG off) on `database_url` and
    `media_root`, Celery tasks run in-process (no Redis), warnings only in the log."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": media_root,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "CSRF_TRUSTED_ORIGINS": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }
    env.pop("REDIS_URL", None)
    return env


def upload_one(session: requests.Session, url: str, index: int) -> str:
    photo = PHOTOS[index % len(PHOTOS)]
    name = f"{index:05d}-{photo.name}"
    with photo.open("rb") as file:
        response = session.post(url, files={"file": (name, file)}, data={"relativePath": name})
    response.raise_for_status()
    return response.json()["asset"]


def peak_memory_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def run(photos: int, parallel: int) -> None:
    bench_url = scratch_database_url(BENCH_DATABASE)
    recreate_database(BENCH_DATABASE)
    media = tempfile.TemporaryDirectory(prefix="bench-upload-")
    env = server_env(bench_url, media.name)
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
        upload_url = f"{base}/app/bench/photos/upload/"
        total_bytes = sum(PHOTOS[i % len(PHOTOS)].stat().st_size for i in range(photos))

        started = time.perf_counter()
        with ThreadPoolExecutor(parallel) as pool:
            assets = list(pool.map(lambda index: upload_one(session, upload_url, index), range(photos)))
        uploaded = time.perf_counter()
        response = session.post(f"{base}/app/bench/photos/upload/samples/", json={"assets": assets})
        response.raise_for_status()
        finished = time.perf_counter()
        summary = response.json()
        assert len(summary["created"]) == photos, summary["refused"][:3]

        upload_seconds, samples_seconds = uploaded - started, finished - uploaded
        print(describe_machine())
        print(f"photos: {photos} ({total_bytes / 1e6:.0f} MB), {parallel} uploads at a time")
        print(
            f"upload: {upload_seconds:.1f} s ({photos / upload_seconds:.0f} files/s, "
            f"{total_bytes / 1e6 / upload_seconds:.0f} MB/s)"
        )
        print(
            f"create samples + thumbnails (in the server process): {samples_seconds:.1f} s "
            f"({samples_seconds / photos * 1000:.1f} ms per photo)"
        )
        print(f"server memory: {idle_mib:.0f} MiB after sign-in, peak {peak_memory_mib(server.pid):.0f} MiB")
    finally:
        if server is not None:
            stop_process(server)
        recreate_database(BENCH_DATABASE, create=False)
        media.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=300, help="how many photos to upload (default 300)")
    parser.add_argument("--parallel", type=int, default=4, help="uploads at a time, as the page does (4)")
    arguments = parser.parse_args()
    run(arguments.photos, arguments.parallel)


if __name__ == "__main__":
    main()
