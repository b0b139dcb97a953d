"""Assets: the SDK's two-step upload_asset against our own upload target, public unguessable URLs that keep
their extension, one-time upload tokens. The uploader (olivia) owns a dataset: a user with no role anywhere
may not upload (test_resources.py)."""

import io
from datetime import timedelta

import pytest
import requests
from PIL import Image
from segments.exceptions import NetworkError
from segments.utils import bitmap2file, load_image_from_url, load_label_bitmap_from_url

from datasets.models import Asset
from tests.api.conftest import snapshot


def png_bytes(color=(200, 30, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, format="PNG")
    return buffer.getvalue()


def test_sdk_uploads_a_png_served_publicly_at_a_url_with_its_extension(owner_sdk, owner, dataset):
    content = png_bytes()
    asset = owner_sdk.upload_asset(io.BytesIO(content), "rose.png")

    assert asset.filename == "rose.png"
    assert asset.url.endswith("/rose.png")
    assert len(asset.url.split("/assets/")[1].split("/")[0]) == 32  # 128 random bits in the path
    fetched = requests.get(asset.url, timeout=10)  # no Authorization header, like the SDK's own fetches
    assert fetched.status_code == 200
    assert fetched.content == content
    assert fetched.headers["Content-Type"] == "image/png"
    assert load_image_from_url(asset.url).size == (8, 6)
    stored = Asset.objects.get(uuid=asset.uuid)
    assert (stored.size, stored.upload_token_hash) == (len(content), "")


def test_a_sample_whose_image_is_an_uploaded_asset(owner_sdk, dataset):
    asset = owner_sdk.upload_asset(io.BytesIO(png_bytes()), "tulip.png")
    sample = owner_sdk.add_sample("olivia/flowers", "tulip.png", {"image": {"url": asset.url}})
    image_url = owner_sdk.get_sample(sample.uuid).attributes.image.url
    assert image_url == asset.url
    assert requests.get(image_url, timeout=10).content == png_bytes()


def test_segmentation_bitmap_round_trips_through_an_asset(owner_sdk, owner, dataset):
    import numpy as np

    bitmap = np.zeros((4, 5), dtype=np.uint32)
    bitmap[1:3, 2:4] = 70000  # an id that needs all three colour channels
    asset = owner_sdk.upload_asset(bitmap2file(bitmap), "label.png")
    assert (load_label_bitmap_from_url(asset.url) == bitmap).all()


def test_the_upload_form_is_single_use(api, owner, live_server, dataset):
    announced = api.post(owner, "/assets/", {"filename": "once.png"}).json()
    target, fields = announced["presignedPostFields"]["url"], announced["presignedPostFields"]["fields"]
    assert sorted(fields) == sorted(
        [
            "acl",
            "Content-Type",
            "key",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "policy",
            "x-amz-signature",
        ]
    )
    target = target.replace("http://testserver", live_server.url)

    first = requests.post(target, data=fields, files={"file": png_bytes()}, timeout=10)
    second = requests.post(target, data=fields, files={"file": png_bytes((0, 0, 0))}, timeout=10)

    assert (first.status_code, first.content) == (204, b"")
    assert second.status_code == 403
    public = announced["url"].replace("http://testserver", live_server.url)
    assert requests.get(public, timeout=10).content == png_bytes()


@pytest.mark.parametrize("tamper", ["signature", "key", "expired", "no-file"])
def test_a_tampered_or_late_upload_is_refused(api, owner, tamper, dataset):
    announced = api.post(owner, "/assets/", {"filename": "x.png"}).json()
    fields = dict(announced["presignedPostFields"]["fields"])
    files = {"file": io.BytesIO(png_bytes())}
    if tamper == "signature":
        fields["x-amz-signature"] = "forged"
    elif tamper == "key":
        fields["key"] = "assets/0123/other.png"
    elif tamper == "expired":
        Asset.objects.update(created_at=Asset.objects.get().created_at - timedelta(hours=2))
    else:
        files = {}
    before = snapshot()
    response = api.client.post(f"/uploads/{announced['uuid']}/", {**fields, **files})
    assert response.status_code in (400, 403)
    assert "detail" in response.json()
    assert snapshot() == before


def test_unknown_media_is_not_found_and_only_public_folders_are_served(api, owner, settings, dataset):
    (settings.MEDIA_ROOT / "private").mkdir(parents=True)
    (settings.MEDIA_ROOT / "private" / "secret.txt").write_text("no")
    assert api.client.get("/media/assets/nothing/here.png").status_code == 404
    assert api.client.get("/media/private/secret.txt").status_code == 404
    assert api.client.get("/media/assets/../private/secret.txt").status_code == 404


def test_uploaded_files_are_sandboxed(api, owner, dataset):
    announced = api.post(owner, "/assets/", {"filename": "page.html"}).json()
    fields = announced["presignedPostFields"]["fields"]
    api.client.post(f"/uploads/{announced['uuid']}/", {**fields, "file": io.BytesIO(b"<script>alert(1)</script>")})
    response = api.client.get(announced["url"].replace("http://testserver", ""))
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("filename", ["../../etc/passwd", "a/b.png", "..", ""])
def test_asset_names_are_file_names(api, owner, filename, dataset):
    assert api.post(owner, "/assets/", {"filename": filename}).status_code == 400


def test_anonymous_cannot_announce_an_upload(api, anonymous, db):
    assert api.post(anonymous, "/assets/", {"filename": "x.png"}).status_code == 401
    assert not Asset.objects.exists()


def test_sdk_upload_failure_is_a_network_error(owner_sdk, owner, monkeypatch, dataset):
    from datasets.services import assets

    monkeypatch.setattr(assets, "UPLOAD_WINDOW", timedelta(seconds=-1))
    with pytest.raises(NetworkError):
        owner_sdk.upload_asset(io.BytesIO(png_bytes()), "late.png")
