"""Bounded resources (issue 14 item 3): who may upload, how big a file and how much in all, and bitmaps that
would decode to gigabytes. Each refusal is a 4xx naming the reason, and nothing is stored."""

import io
import struct
import time
import zlib

import numpy as np
import pytest
from django.core.files.storage import default_storage

from datasets.models import Asset, Label
from labeling.core.bitmaps import encode_bitmap
from tests.api.conftest import make_dataset, make_persona, make_sample, snapshot


def _announce(api, persona, filename="a.png"):
    return api.post(persona, "/assets/", {"filename": filename})


def _upload(api, announced: dict, content: bytes):
    fields = dict(announced["presignedPostFields"]["fields"])
    return api.client.post(f"/uploads/{announced['uuid']}/", {**fields, "file": io.BytesIO(content)})


def _stored_files() -> list:
    if not default_storage.exists("assets"):
        return []
    return default_storage.listdir("assets")[0]


def test_a_user_with_no_role_anywhere_cannot_upload(api, db):
    nobody = make_persona("outsider", "nora")
    before = snapshot()
    response = _announce(api, nobody)
    assert response.status_code == 403
    assert "role" in response.json()["detail"]
    assert snapshot() == before


def test_a_user_with_a_role_may_upload(api, owner, dataset):
    announced = _announce(api, owner)
    assert announced.status_code == 201
    assert _upload(api, announced.json(), b"\x89PNG...").status_code == 204


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(api, owner, dataset, settings):
    settings.ASSET_MAX_BYTES = 1000
    announced = _announce(api, owner).json()
    before = snapshot()
    response = _upload(api, announced, b"x" * 5000)
    assert response.status_code == 413
    assert "1000 bytes" in response.json()["detail"]
    assert snapshot() == before
    assert _stored_files() == []
    # the same form still takes a file within the limit
    assert _upload(api, announced, b"y" * 900).status_code == 204


def test_uploads_past_the_users_quota_are_refused(api, owner, dataset, settings):
    settings.ASSET_QUOTA_BYTES = 2500
    first, second = _announce(api, owner, "1.bin").json(), _announce(api, owner, "2.bin").json()
    assert _upload(api, first, b"a" * 2000).status_code == 204
    before = snapshot()
    response = _upload(api, second, b"b" * 1000)
    assert response.status_code == 413
    assert "quota" in response.json()["detail"]
    assert snapshot() == before
    assert _upload(api, second, b"b" * 500).status_code == 204
    # and once the quota is used up, not even an upload form is given out
    response = _announce(api, owner, "3.bin")
    assert response.status_code == 413
    assert Asset.objects.filter(created_by=owner.user).count() == 2


def _png_claiming(width: int, height: int) -> bytes:
    """A valid-looking PNG header for a width x height RGBA bitmap with a tiny body."""
    png = encode_bitmap(np.zeros((2, 2), np.uint32))
    header = png[:16] + struct.pack(">II", width, height) + png[24:29]
    return header + struct.pack(">I", zlib.crc32(header[12:29])) + png[33:]


def _all_zero_png(width: int, height: int) -> bytes:
    """A real all-zero RGBA PNG of width x height, compressed at level 9 (about 0.7 MB at 13000 x 13000)."""
    row = b"\x00" + b"\x00\x00\x00\xff" * width
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(body, zlib.crc32(kind)))

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


@pytest.fixture
def bitmap_dataset(owner, settings):
    settings.ASSET_MAX_BYTES = 64 * 1024 * 1024
    categories = {"format_version": "0.1", "categories": [{"id": 1, "name": "road"}]}
    return make_dataset(owner.user, "roads", task_type="segmentation-bitmap", task_attributes=categories)


def _uploaded_url(api, owner, content: bytes) -> str:
    announced = _announce(api, owner, "label.png").json()
    assert _upload(api, announced, content).status_code == 204
    return announced["url"]


def test_a_huge_all_zero_bitmap_is_refused_from_its_header_without_decoding(api, owner, bitmap_dataset):
    # the sample image is 64 x 48; the bitmap claims 13000 x 13000 (0.7 MB of PNG, 676 MB of pixels)
    image_url = _uploaded_url(api, owner, _all_zero_png(64, 48))
    sample = make_sample(bitmap_dataset, "street.png", attributes={"image": {"url": image_url}})
    bitmap_url = _uploaded_url(api, owner, _all_zero_png(13000, 13000))
    before = snapshot()
    started = time.perf_counter()
    label = {"format_version": "0.1", "annotations": [], "segmentation_bitmap": {"url": bitmap_url}}
    response = api.put(owner, f"/labels/{sample.uuid}/ground-truth/", {"attributes": label})
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "path": "attributes.segmentation_bitmap",
        "rule": "image_size",
        "message": "bitmap is 13000x13000 but the image is 64x48",
    }
    assert snapshot() == before
    assert elapsed < 1.0, elapsed  # a bound, not a benchmark: decoding it took 4.6 s and 1.9 GB


def test_a_huge_bitmap_on_an_image_of_unknown_size_is_refused_by_its_pixel_count(api, owner, bitmap_dataset):
    sample = make_sample(bitmap_dataset, "remote.png", attributes={"image": {"url": "https://e.org/x.png"}})
    bitmap_url = _uploaded_url(api, owner, _png_claiming(13000, 13000))
    label = {"format_version": "0.1", "annotations": [], "segmentation_bitmap": {"url": bitmap_url}}
    response = api.put(owner, f"/labels/{sample.uuid}/ground-truth/", {"attributes": label})
    assert response.status_code == 400
    assert response.json()["errors"][0]["rule"] == "bitmap_size"
    assert not Label.objects.filter(sample=sample).exists()
