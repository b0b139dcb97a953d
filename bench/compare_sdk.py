"""A/B comparison: the SDK's add_label and get_label against this checkout's server and another revision's.

Run from the repository root: `.venv/bin/python bench/compare_sdk.py BASELINE [--blocks 20] [--per-block 50]`,
BASELINE being any git revision (a commit, `HEAD~3`, a branch). `make compare-sdk BASELINE=<rev>` does the same.

The bench VM's speed drifts by tens of percent within an hour, more than most changes to the hot path gain,
so two runs of bench_sdk.py made minutes apart cannot tell a 5% gain from drift. This starts both servers
at once (the baseline from a temporary `git worktree` of BASELINE, with this checkout's virtualenv, each on
its own scratch PostgreSQL database) and alternates blocks of `--per-block` calls between them, so both see
the same machine. It prints each side's medians and the difference.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_sdk import (  # noqa: E402
    WARM_UP_CALLS,
    bench_dataset,
    migrate_and_create_user,
    server_environment,
    vector_label,
)
from bench.machine import describe_machine  # noqa: E402
from labeling.testing import free_port, recreate_database, scratch_database_url, start_uvicorn  # noqa: E402


class Side:
    """One server under comparison: its checkout, scratch database, uvicorn process and SDK client."""

    def __init__(self, name: str, checkout: Path, samples: int):
        from segments import SegmentsClient

        self.name, self.checkout, self.database = name, checkout, f"bench_compare_{name}"
        self.add: list[float] = []
        self.get: list[float] = []
        recreate_database(self.database)
        env = server_environment(scratch_database_url(self.database))
        key = migrate_and_create_user(env, checkout)
        port = free_port()
        self.server = start_uvicorn(env, port, checkout=checkout)
        self.client = SegmentsClient(api_key=key, api_url=f"http://127.0.0.1:{port}/")
        self.uuids = bench_dataset(self.client, samples)

    def run_block(self, uuids: list[str], label: dict, *, record: bool = True) -> None:
        for uuid in uuids:
            started = time.perf_counter()
            self.client.add_label(uuid, "ground-truth", label)
            if record:
                self.add.append((time.perf_counter() - started) * 1000)
        for uuid in uuids:
            started = time.perf_counter()
            self.client.get_label(uuid)
            if record:
                self.get.append((time.perf_counter() - started) * 1000)

    def stop(self) -> None:
        self.client.close()
        self.server.terminate()
        self.server.wait(timeout=10)
        recreate_database(self.database, create=False)


def compare(baseline: str, blocks: int, per_block: int, objects: int) -> None:
    revision = subprocess.run(
        ["git", "rev-parse", "--short", baseline], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    label = vector_label(objects)
    samples = WARM_UP_CALLS + blocks * per_block
    with tempfile.TemporaryDirectory(prefix="compare-sdk-") as scratch:
        worktree = Path(scratch) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(worktree), revision], cwd=ROOT, check=True)
        sides: list[Side] = []
        try:
            sides = [Side("baseline", worktree, samples), Side("checkout", ROOT, samples)]
            for side in sides:
                side.run_block(side.uuids[:WARM_UP_CALLS], label, record=False)
            for block in range(blocks):
                start = WARM_UP_CALLS + block * per_block
                for side in sides if block % 2 == 0 else reversed(sides):
                    side.run_block(side.uuids[start : start + per_block], label)
        finally:
            for side in sides:
                side.stop()
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)
    print(describe_machine())
    print(
        f"{blocks} alternating blocks of {per_block} calls per side; {objects}-object vector label; uvicorn, PostgreSQL"
    )
    baseline_side, checkout_side = sides
    for call in ("add", "get"):
        before = statistics.median(getattr(baseline_side, call))
        after = statistics.median(getattr(checkout_side, call))
        print(
            f"{call}_label median: baseline {revision} {before:6.2f} ms, this checkout {after:6.2f} ms, "
            f"difference {after - before:+6.2f} ms ({(after - before) / before:+.0%})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline", help="the git revision to compare this checkout with")
    parser.add_argument("--blocks", type=int, default=20, help="alternating blocks per side (default 20)")
    parser.add_argument("--per-block", type=int, default=50, help="calls of each kind per block (default 50)")
    parser.add_argument("--objects", type=int, default=50, help="bounding boxes per label (default 50)")
    arguments = parser.parse_args()
    compare(arguments.baseline, arguments.blocks, arguments.per_block, arguments.objects)


if __name__ == "__main__":
    main()
