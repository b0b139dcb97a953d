"""Save-to-event latency of live events through the real stack.

Starts `uvicorn labeling.asgi:application` on a scratch PostgreSQL database (`bench_realtime`, dropped and
migrated afresh) with the Redis channel layer, opens a websocket on the dataset as a script would (API key
header), then PUTs SAVES labels one after another over HTTP (keep-alive) and times each `label.saved` event.

Two layouts: the save and the websocket on the same server process, and on two server processes (the
scale-out case: the event crosses Redis between them).

Figures per layout, in milliseconds:
- request -> event: from the PUT leaving the client to the event arriving (what a watching colleague sees
  after someone clicks Save; includes validating and storing the label);
- commit -> event: from the label's `updated_at` (stamped just before the UPDATE) to the event arriving
  (the event path after the write: commit, on_commit, channel layer, Redis, consumer, websocket);
- channel layer -> event: a group_send from the benchmark process itself to the websocket (delivery alone).

Run from the repository root: `.venv/bin/python bench/bench_realtime.py [--saves 500]`.
Environment: BENCH_POSTGRES_URL (server, default postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL
(default redis://127.0.0.1:6379/15; its channel-layer keys are deleted first).
"""

import argparse
import asyncio
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.machine import describe_machine  # noqa: E402
from labeling.testing import free_port, recreate_database, scratch_database_url, start_uvicorn  # noqa: E402

DATABASE_NAME = "bench_realtime"
# A Redis database of its own: its stale group members (from an interrupted run) are cleared at the start.
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379/15"
TARGET_P50_MS = 10.0
TARGET_P99_MS = 50.0
WARMUP_SAVES = 30
LABEL = {
    "label_status": "LABELED",
    "attributes": {
        "format_version": "0.1",
        "annotations": [
            {"id": 1, "category_id": 1, "type": "bbox", "points": [[10.0, 20.0], [110.0, 90.0]]},
            {"id": 2, "category_id": 1, "type": "polygon", "points": [[1.0, 1.0], [50.0, 1.0], [25.0, 40.0]]},
        ],
    },
}


def clear_channel_layer_keys() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("asgi*"):
        client.delete(key)


def set_up_django_and_data() -> tuple[str, str]:
    """Migrate the scratch database and create alice, her dataset and one sample.
    Returns (sample uuid, API key header value)."""
    os.environ["DATABASE_URL"] = scratch_database_url(DATABASE_NAME)
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labeling.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from datasets.models import Sample
    from datasets.services.datasets import create_dataset
    from labeling.services import create_api_key

    call_command("migrate", verbosity=0)
    alice = get_user_model().objects.create_user(username="alice", password="bench-only-password")
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="bench",
        task_type="vector",
        task_attributes={"format_version": "0.1", "categories": [{"id": 1, "name": "object"}]},
    )
    sample = Sample.objects.create(dataset=dataset, name="a.png", attributes={"image": {"url": "http://x/a.png"}})
    header = f"APIKey {create_api_key(alice)}"
    from django.db import connections

    connections.close_all()
    return str(sample.uuid), header


def start_server(port: int) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DATABASE_URL": scratch_database_url(DATABASE_NAME),
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key",
        "LOG_LEVEL": "WARNING",
    }
    return start_uvicorn(environment, port)


class EventClock:
    """Receives events on a websocket in a thread and stamps each label.saved with its arrival times."""

    def __init__(self, port: int, header: str):
        from websockets.sync.client import connect

        self.websocket = connect(
            f"ws://127.0.0.1:{port}/ws/datasets/alice/bench/", additional_headers={"Authorization": header}
        )
        self.arrivals: dict[int, tuple[float, float, str]] = {}  # version -> (perf_counter, time, updated_at)
        self.arrived = threading.Condition()
        self.thread = threading.Thread(target=self._receive, daemon=True)
        self.thread.start()

    def _receive(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            for message in self.websocket:
                now, wall = time.perf_counter(), time.time()
                event = json.loads(message)
                if event["type"] == "label.saved":
                    with self.arrived:
                        self.arrivals[event["version"]] = (now, wall, event["updated_at"])
                        self.arrived.notify_all()
        except ConnectionClosed:
            pass

    def wait_for(self, version: int, timeout: float = 5) -> tuple[float, float, str]:
        with self.arrived:
            if not self.arrived.wait_for(lambda: version in self.arrivals, timeout=timeout):
                raise SystemExit(f"no label.saved event for version {version} within {timeout} s")
            return self.arrivals[version]

    def close(self) -> None:
        self.websocket.close()


def run(save_port: int, watch_port: int, sample_uuid: str, header: str, saves: int) -> dict[str, list[float]]:
    clock = EventClock(watch_port, header)
    connection = http.client.HTTPConnection("127.0.0.1", save_port, timeout=10)
    body = json.dumps(LABEL)
    path = f"/labels/{sample_uuid}/ground-truth/"
    headers = {"Authorization": header, "Content-Type": "application/json"}
    figures: dict[str, list[float]] = {
        "request -> event": [],
        "commit -> event": [],
        "HTTP save round trip": [],
    }
    for index in range(WARMUP_SAVES + saves):
        sent = time.perf_counter()
        connection.request("PUT", path, body=body, headers=headers)
        response = connection.getresponse()
        answer = json.loads(response.read())
        answered = time.perf_counter()
        if response.status not in (200, 201):
            raise SystemExit(f"save failed: {response.status} {answer}")
        arrived, arrived_wall, updated_at = clock.wait_for(answer["version"])
        if index >= WARMUP_SAVES:
            figures["request -> event"].append((arrived - sent) * 1000)
            figures["commit -> event"].append((arrived_wall - datetime.fromisoformat(updated_at).timestamp()) * 1000)
            figures["HTTP save round trip"].append((answered - sent) * 1000)
    connection.close()
    figures["channel layer -> event"] = asyncio.run(time_delivery(clock, min(saves, 200)))
    clock.close()
    return figures


async def time_delivery(clock: "EventClock", count: int) -> list[float]:
    """The delivery half alone: group_send from this process straight to the layer, timed to the websocket.
    Probe events carry negative versions, so they cannot be mistaken for saves."""
    from channels.layers import get_channel_layer

    from datasets.models import Dataset
    from datasets.realtime import FORWARD_MESSAGE_TYPE, dataset_group

    group = dataset_group(await asyncio.to_thread(lambda: Dataset.objects.get(name="bench").pk))
    layer = get_channel_layer()
    timings = []
    for index in range(1, count + 1):
        event = {"type": "label.saved", "version": -index, "updated_at": datetime.now(UTC).isoformat()}
        sent = time.perf_counter()
        await layer.group_send(group, {"type": FORWARD_MESSAGE_TYPE, "event": event})
        arrived, _, _ = await asyncio.to_thread(clock.wait_for, -index)
        timings.append((arrived - sent) * 1000)
    return timings


def cpu_seconds(process: subprocess.Popen) -> float:
    """User + system CPU time the process has used so far (Linux /proc)."""
    with open(f"/proc/{process.pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def report(layout: str, figures: dict[str, list[float]], cpu_per_save_ms: float) -> bool:
    print(f"  {layout}")
    print(f"    server CPU per save    {cpu_per_save_ms:6.2f} ms (both server processes together)")
    for name, values in figures.items():
        print(
            f"    {name:<22} p50 {percentile(values, 0.5):6.2f} ms   p99 {percentile(values, 0.99):6.2f} ms"
            f"   mean {statistics.fmean(values):6.2f} ms   max {max(values):7.2f} ms"
        )
    values = figures["request -> event"]
    return percentile(values, 0.5) < TARGET_P50_MS and percentile(values, 0.99) < TARGET_P99_MS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=500, help="timed saves per layout (after a warm-up)")
    arguments = parser.parse_args()

    recreate_database(DATABASE_NAME)
    clear_channel_layer_keys()
    sample_uuid, header = set_up_django_and_data()
    first_port, second_port = free_port(), free_port()
    servers = [start_server(first_port), start_server(second_port)]
    try:
        print(describe_machine())
        print("  load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
        print(
            f"live events: {arguments.saves} label saves (PUT, 2 annotations) each timed to its label.saved "
            f"event; uvicorn + Redis channel layer + PostgreSQL"
        )
        print(f"  target (request -> event): p50 < {TARGET_P50_MS:.0f} ms, p99 < {TARGET_P99_MS:.0f} ms")
        layouts = [
            ("save and websocket on one server process:", first_port, first_port),
            ("save on one process, websocket on another (scale-out):", first_port, second_port),
        ]
        met = []
        for layout, save_port, watch_port in layouts:
            cpu_before = sum(cpu_seconds(server) for server in servers)
            figures = run(save_port, watch_port, sample_uuid, header, arguments.saves)
            cpu_used = sum(cpu_seconds(server) for server in servers) - cpu_before
            met.append(report(layout, figures, cpu_used * 1000 / (WARMUP_SAVES + arguments.saves)))
        print(f"  target {'met' if all(met) else 'NOT met'} in {sum(met)} of {len(met)} layouts")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
        drop_database()


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    recreate_database(DATABASE_NAME, create=False)


if __name__ == "__main__":
    main()
