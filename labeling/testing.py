"""Helpers for the tests and benchmarks that run the app as a real server process (uvicorn)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parent.parent

# Debian's Chromium, started the way this machine needs it (no sandbox as root, no calls home).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def scratch_database_url(name: str) -> str:
    """The URL of database `name` on the PostgreSQL server of DATABASE_URL (default: the local one)."""
    base = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres")
    return urlunsplit(base._replace(path=f"/{name}"))


def recreate_database(name: str, *, create: bool = True) -> None:
    """Drop database `name` (ending its sessions) on that server and, with `create`, create it empty."""
    import psycopg

    with psycopg.connect(scratch_database_url("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_uvicorn(
    environment: dict,
    port: int,
    *,
    app: str = "labeling.asgi:application",
    interface: str = "asgi3",
    timeout: float = 30,
    checkout: Path = REPO_ROOT,
) -> subprocess.Popen:
    """Start `uvicorn app` on 127.0.0.1:`port` with `environment` and return once it accepts connections.

    checkout: the source tree to serve (default this one; bench/compare_sdk.py serves another revision).
    Raises RuntimeError when the process exits or does not listen within `timeout` seconds (it is stopped).
    """
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        app,
        "--interface",
        interface,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        "--lifespan",
        "off",
    ]
    process = subprocess.Popen(command, env=environment, cwd=checkout)  # noqa: S603 (our own fixed command line)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    stop_process(process)
    raise RuntimeError(f"uvicorn on port {port} did not start within {timeout} s")


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate `process`, killing it if it has not exited after `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
