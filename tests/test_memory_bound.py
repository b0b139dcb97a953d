"""Server memory under the bad-input battery of issue 14 (a real uvicorn process, PostgreSQL): gzip bombs,
with and without credentials, a 13000 x 13000 bitmap PNG, a big upload past the size limit, NaN, NUL and
deeply nested bodies, huge pages. Every request is refused (4xx) and the process's resident memory, read from
/proc before and after, grows by less than MEMORY_BOUND_MIB.

The figures are printed (pytest -s shows them); the bound is what this test asserts, not a benchmark."""

import io
import json
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
import requests
from django.conf import settings

from datasets.models import Collaborator
from labeling.core.bitmaps import encode_bitmap
from labeling.testing import free_port, start_uvicorn, stop_process
from tests.api.conftest import make_dataset, make_persona, make_sample

pytestmark = pytest.mark.postgresql
MIB = 1024 * 1024
MEMORY_BOUND_MIB = 64
GZIP_CAP_MIB = 16  # the server's GZIP_MAX_LABEL_MB in this test


def _server_environment() -> dict:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("This test starts a server process on the test database: set DATABASE_URL (PostgreSQL).")
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    url = f"postgres://{database.get('USER') or 'postgres'}{password}@{database.get('HOST') or '127.0.0.1'}"
    environment = {
        **os.environ,
        "DATABASE_URL": f"{url}:{database.get('PORT') or 5432}/{database['NAME']}",
        "DEBUG": "true",
        "LOG_LEVEL": "ERROR",
        "GZIP_MAX_LABEL_MB": str(GZIP_CAP_MIB),
        "ASSET_MAX_MB": "8",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    environment.pop("REDIS_URL", None)
    return environment


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _bomb(inflated_mib: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b" " * MIB
    return b"".join(compressor.compress(block) for _ in range(inflated_mib)) + compressor.flush()


def _all_zero_png(width: int, height: int) -> bytes:
    row = b"\x00" + b"\x00\x00\x00\xff" * width
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(body, zlib.crc32(kind)))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def test_the_bad_input_battery_is_refused_and_memory_stays_bounded(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    owner, nobody = make_persona("owner"), make_persona("outsider", "nora")
    categories = {"format_version": "0.1", "categories": [{"id": 1, "name": "road"}]}
    dataset = make_dataset(owner.user, "roads", task_type="segmentation-bitmap", task_attributes=categories)
    Collaborator.objects.create(dataset=make_dataset(owner.user, "other"), user=owner.user, role="admin")
    port = free_port()
    process = start_uvicorn(_server_environment(), port)
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"APIKey {owner.key}"}
    try:
        session = requests.Session()

        def upload(persona, name: str, content: bytes) -> tuple[int, str | None]:
            announced = session.post(
                f"{base}/assets/", json={"filename": name}, headers={"Authorization": f"APIKey {persona.key}"}
            )
            if announced.status_code != 201:
                return announced.status_code, None
            form = announced.json()["presignedPostFields"]
            target = form["url"].replace(form["url"].split("/uploads/")[0], base)
            sent = session.post(target, data=form["fields"], files={"file": (name, io.BytesIO(content))})
            return sent.status_code, announced.json()["url"].replace(announced.json()["url"].split("/media/")[0], base)

        # warm up: the code paths the battery takes, so their imports and caches are in the baseline
        status, image_url = upload(owner, "street.png", _all_zero_png(64, 48))
        assert status == 204
        sample = make_sample(dataset, "street.png", attributes={"image": {"url": image_url}})
        label_url = f"{base}/labels/{sample.uuid}/ground-truth/"
        small = encode_bitmap(np.zeros((48, 64), np.uint32))
        status, small_url = upload(owner, "ok.png", small)
        ok_label = {"format_version": "0.1", "annotations": [], "segmentation_bitmap": {"url": small_url}}
        for _ in range(3):
            assert session.put(label_url, json={"attributes": ok_label}, headers=auth).status_code == 201
            assert session.get(f"{base}/datasets/olivia/roads/samples/", headers=auth).status_code == 200
        before = _rss_mib(process.pid)

        # the battery
        bomb = _bomb(512)  # 512 MiB of spaces in about 0.5 MiB
        statuses = []
        gzip_headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
        for _ in range(4):
            statuses.append(session.put(label_url, data=bomb, headers=gzip_headers).status_code)  # anonymous
        for _ in range(2):
            statuses.append(session.put(label_url, data=bomb, headers={**gzip_headers, **auth}).status_code)
        status, huge_url = upload(owner, "huge.png", _all_zero_png(13000, 13000))
        assert status == 204
        huge_label = {"format_version": "0.1", "annotations": [], "segmentation_bitmap": {"url": huge_url}}
        statuses.append(session.put(label_url, json={"attributes": huge_label}, headers=auth).status_code)
        statuses.append(upload(nobody, "big.bin", b"x" * MIB)[0])
        statuses.append(upload(owner, "big.bin", b"x" * (32 * MIB))[0])
        raw_bodies = [
            b'{"attributes": null, "score": NaN}',
            b'{"label_status": "PRELABELED\\u0000"}',
            b"[" * 5000 + b"]" * 5000,
            json.dumps({"attributes": {"a": "\ud800"}}).encode(),
            b"null",
            b"[]",
        ]
        for raw in raw_bodies:
            statuses.append(
                session.put(label_url, data=raw, headers={**auth, "Content-Type": "application/json"}).status_code
            )
        statuses.append(
            session.get(f"{base}/datasets/olivia/roads/samples/?page=99999999999999999999", headers=auth).status_code
        )
        statuses.append(session.get(f"{base}/samples/%00/", headers=auth).status_code)
        statuses.append(
            session.patch(
                f"{base}/datasets/olivia/roads/", json={"labeling_inactivity_timeout_seconds": 2**32}, headers=auth
            ).status_code
        )
        after = _rss_mib(process.pid)
    finally:
        stop_process(process)

    print(f"\nserver RSS before the battery {before:.0f} MiB, after {after:.0f} MiB (+{after - before:.0f} MiB)")
    assert statuses == [401] * 4 + [413] * 2 + [400, 403, 413] + [400] * 6 + [404, 400, 400], statuses
    assert after - before < MEMORY_BOUND_MIB, (before, after)
