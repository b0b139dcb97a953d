"""Benchmark: the official segments-ai SDK against a live server on PostgreSQL.

Run from the repository root: `.venv/bin/python bench/bench_sdk.py [--calls 1000] [--objects 50]
[--interface asgi|wsgi]`.

It creates (and afterwards drops) the scratch database `bench_labeling` on the PostgreSQL server of
DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres), migrates it, creates a user with an API
key, starts `uvicorn labeling.asgi:application` on a free port, and times sequential SDK calls one by one:
`add_label` of a vector label with `--objects` bounding boxes on `--calls` fresh samples (gzip bodies, as the
SDK sends them), then `get_label` of each. Each timing is the whole client call: request, server, response
validation by the SDK's pydantic models.

Each timed call's `Server-Timing` response header (labeling.middleware) gives Django's share of it: from
the first middleware in to the response out, without uvicorn, the thread hand-off and the network.

Then the same calls against `bench/canned_server.py`, which answers with the bytes our server returned
without doing any work: the SDK client's own share of each call on this machine (the floor under any server).

Target: median under 5 ms per call on a 2-core machine (Label Studio takes about 67 ms per annotation).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402
from labeling.testing import free_port, recreate_database, scratch_database_url, start_uvicorn  # noqa: E402

BENCH_DATABASE = "bench_labeling"
TARGET_MEDIAN_MS = 5.0
WARM_UP_CALLS = 30


def server_environment(bench_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "1",
    }


def migrate_and_create_user(env: dict, checkout: Path = ROOT) -> str:
    """Migrate the bench database with the code of `checkout` and return a fresh API key for the user `bench`."""
    manage = [sys.executable, str(checkout / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "--skip-checks", "-v", "0"], env=env, check=True, cwd=checkout)
    create = "from django.contrib.auth import get_user_model; get_user_model().objects.create_user('bench')"
    subprocess.run([*manage, "shell", "-c", create], env=env, check=True, cwd=checkout, capture_output=True)
    output = subprocess.run(
        [*manage, "create_api_key", "bench"], env=env, check=True, cwd=checkout, capture_output=True, text=True
    ).stdout
    return output.strip().splitlines()[-1]


def start_server(env: dict, port: int, interface: str) -> subprocess.Popen:
    if interface == "asgi":
        return start_uvicorn(env, port)
    return start_uvicorn(env, port, app="labeling.wsgi:application", interface="wsgi")


def bench_dataset(client, samples: int) -> list[str]:
    """Create the `vector` dataset bench/bench (categories car, person) with `samples` image samples through
    the SDK `client`; return their uuids in order."""
    categories = [{"id": 1, "name": "car"}, {"id": 2, "name": "person"}]
    client.add_dataset("bench", task_type="vector", task_attributes={"format_version": "0.1", "categories": categories})
    new = [
        {"name": f"frame-{index:05d}.jpg", "attributes": {"image": {"url": f"https://example.com/{index}.jpg"}}}
        for index in range(samples)
    ]
    return [sample.uuid for sample in client.add_samples("bench/bench", new)]


def vector_label(objects: int) -> dict:
    annotations = [
        {
            "id": i + 1,
            "category_id": 1 + i % 2,
            "type": "bbox",
            "points": [[i, 2.5 * i], [i + 40.25, 2.5 * i + 30]],
        }
        for i in range(objects)
    ]
    return {"format_version": "0.1", "annotations": annotations}


def timed(call, arguments) -> list[float]:
    """Milliseconds per call, one call per item of `arguments`."""
    timings = []
    for argument in arguments:
        start = time.perf_counter()
        call(argument)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


class ServerTimings:
    """Collects the `Server-Timing: app;dur=<ms>` of every response of a requests session (a response hook;
    the SDK itself is not touched)."""

    def __init__(self, session):
        self.durations: list[float] = []
        session.hooks["response"].append(self._record)

    def _record(self, response, *args, **kwargs):
        found = re.search(r"app;dur=([0-9.]+)", response.headers.get("Server-Timing", ""))
        if found:
            self.durations.append(float(found.group(1)))

    def take(self) -> list[float]:
        """The durations recorded since the last take."""
        taken, self.durations = self.durations, []
        return taken


def report(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    median = statistics.median(ordered)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    verdict = "meets" if median < TARGET_MEDIAN_MS else "MISSES"
    return (
        f"{name:<46} n={len(ordered):>5}  median {median:6.2f} ms  p90 {p90:6.2f} ms  "
        f"mean {statistics.fmean(ordered):6.2f} ms  ({verdict} the {TARGET_MEDIAN_MS:.0f} ms median target)"
    )


def run(calls: int, objects: int, interface: str = "asgi") -> None:
    from segments import SegmentsClient

    bench_url = scratch_database_url(BENCH_DATABASE)
    recreate_database(BENCH_DATABASE)
    env = server_environment(bench_url)
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    server = None
    try:
        key = migrate_and_create_user(env)
        port = free_port()
        server = start_server(env, port, interface)
        with SegmentsClient(api_key=key, api_url=f"http://127.0.0.1:{port}/") as client:
            uuids = bench_dataset(client, calls + WARM_UP_CALLS)
            label = vector_label(objects)
            warm, measured = uuids[:WARM_UP_CALLS], uuids[WARM_UP_CALLS:]
            for uuid in warm:
                client.add_label(uuid, "ground-truth", label)
                client.get_label(uuid)
            server_timings = ServerTimings(client.api_session)
            add = timed(lambda uuid: client.add_label(uuid, "ground-truth", label), measured)
            add_in_django = server_timings.take()
            get = timed(lambda uuid: client.get_label(uuid), measured)
            get_in_django = server_timings.take()
            responses = recorded_responses(client, port, key, measured[-1])
        server.terminate()
        server.wait(timeout=10)
        server = None
        add_floor, get_floor = client_alone(responses, measured, label)
        print(describe_machine())
        print(
            f"server: uvicorn labeling.{interface}:application (1 process, pooled connections), "
            f"PostgreSQL database {BENCH_DATABASE}; load average before: {load_before}"
        )
        print(report(f"add_label ({objects}-object vector label, gzip)", add))
        print(report("get_label", get))
        print(report("  inside Django (Server-Timing): add_label", add_in_django))
        print(report("  inside Django (Server-Timing): get_label", get_in_django))
        print(report("  the SDK client alone: add_label", add_floor))
        print(report("  the SDK client alone: get_label", get_floor))
        print(f"targets: median < {TARGET_MEDIAN_MS:.0f} ms per call (Label Studio: about 67 ms per annotation)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        recreate_database(BENCH_DATABASE, create=False)


def recorded_responses(client, port: int, key: str, sample_uuid: str) -> dict:
    """Our server's responses to one PUT and one GET of the label, as {method: [status, body text]}."""
    import requests

    url = f"http://127.0.0.1:{port}/labels/{sample_uuid}/ground-truth/"
    headers = {"Authorization": f"APIKey {key}"}
    stored = requests.get(url, headers=headers, timeout=10)
    body = {"attributes": stored.json()["attributes"], "label_status": "PRELABELED", "score": None}
    written = requests.put(url, json=body, headers=headers, timeout=10)
    return {"PUT": [written.status_code, written.text], "GET": [stored.status_code, stored.text]}


def client_alone(responses: dict, uuids: list[str], label: dict) -> tuple[list[float], list[float]]:
    """Time the same SDK calls against bench/canned_server.py answering with `responses`."""
    from segments import SegmentsClient

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as canned:
        json.dump(responses, canned)  # the handshake GET /api_status/ only needs a 200
    responses_file = Path(canned.name)
    port = free_port()
    env = {**os.environ, "CANNED_RESPONSES": str(responses_file), "PYTHONPATH": str(ROOT)}
    server = start_uvicorn(env, port, app="bench.canned_server:app")
    try:
        with SegmentsClient(api_key="canned", api_url=f"http://127.0.0.1:{port}/") as client:
            for uuid in uuids[:WARM_UP_CALLS]:
                client.add_label(uuid, "ground-truth", label)
                client.get_label(uuid)
            add = timed(lambda uuid: client.add_label(uuid, "ground-truth", label), uuids)
            get = timed(lambda uuid: client.get_label(uuid), uuids)
    finally:
        server.terminate()
        server.wait(timeout=10)
        responses_file.unlink()
    return add, get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="timed calls of each kind (default 1000)")
    parser.add_argument("--objects", type=int, default=50, help="bounding boxes per label (default 50)")
    parser.add_argument(
        "--interface",
        choices=["asgi", "wsgi"],
        default="asgi",
        help="serve labeling.asgi (production, default) or labeling.wsgi through uvicorn, for comparison",
    )
    arguments = parser.parse_args()
    run(arguments.calls, arguments.objects, arguments.interface)


if __name__ == "__main__":
    main()
