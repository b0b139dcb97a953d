"""Fixtures of the infrastructure tests: a private Redis server the test may stop and restart, real uvicorn web
processes and real Celery workers on the pytest-django test database (PostgreSQL).

These tests need PostgreSQL, redis-server and a free port: they fail, never skip, without them. The machine's
shared Redis is never touched: each test starts its own redis-server on a free port.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

from labeling.testing import free_port, start_uvicorn, stop_process
from tests.releases.conftest import database_url

ROOT = Path(settings.BASE_DIR)


def wait_for(condition, *, timeout: float, what: str):
    """Poll `condition` every 0.2 s until it returns a true value (returned); fail the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}")


class PrivateRedis:
    """A redis-server of this test on 127.0.0.1:`port`, without persistence; stop() and start() at will."""

    def __init__(self, port: int, log_path: Path):
        self.port, self.log_path, self.process = port, log_path, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        executable = shutil.which("redis-server")
        if executable is None:
            pytest.fail("These tests start their own Redis: install redis-server.")
        command = [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=open(self.log_path, "a"), stderr=subprocess.STDOUT)  # noqa: SIM115
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        wait_for(lambda: _pings(client), timeout=10, what="the private redis-server to answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _pings(client: redis.Redis) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False


@pytest.fixture
def private_redis(tmp_path):
    """A started PrivateRedis, stopped after the test."""
    server = PrivateRedis(free_port(), tmp_path / "redis.log")
    server.start()
    yield server
    server.stop()


def process_environment(redis_url: str, queue: str, **extra: str) -> dict:
    """The environment of a web or worker process on the test database, the given Redis and Celery queue."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DEBUG": "true",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@pytest.fixture
def processes(transactional_db, tmp_path):
    """Start web processes (`web(environment) -> base URL`) and Celery workers (`worker(name, environment)`);
    all are stopped after the test, before the test database is flushed."""
    started: list[subprocess.Popen] = []

    class Processes:
        @staticmethod
        def web(environment: dict) -> str:
            port = free_port()
            started.append(start_uvicorn(environment, port))
            return f"http://127.0.0.1:{port}"

        @staticmethod
        def worker(name: str, environment: dict, *, pool: str = "solo") -> subprocess.Popen:
            log_path = tmp_path / f"{name}.log"
            command = [sys.executable, "-m", "celery", "-A", "labeling.celery", "worker", "-P", pool]
            command += ["--concurrency", "2"] if pool == "prefork" else []
            command += ["-Q", environment["CELERY_QUEUE"], "-l", "INFO", "-n", f"{name}@%h"]
            command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=environment,
                stdout=open(log_path, "w"),  # noqa: SIM115 - closed with the process
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            process.log_path = log_path
            started.append(process)
            return process

    yield Processes
    for process in started:
        if process.poll() is None and getattr(process, "log_path", None):  # a worker: its whole group
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        else:
            stop_process(process)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # personas per test
