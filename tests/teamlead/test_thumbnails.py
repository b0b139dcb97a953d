"""Thumbnails: made by the worker after a sample is created, kept as an asset, shown by the dataset page
instead of the original."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from datasets.models import Asset, Sample
from datasets.tasks import make_thumbnails

pytestmark = pytest.mark.django_db
PHOTO = Path(__file__).resolve().parents[2] / "examples" / "images" / "rocket.jpg"


def uploaded_sample(client, capture) -> Sample:
    file = SimpleUploadedFile(PHOTO.name, PHOTO.read_bytes())
    asset = client.post(reverse("upload-file", args=["alice", "photos"]), {"file": file}).json()["asset"]
    url = reverse("upload-samples", args=["alice", "photos"])
    with capture(execute=True):  # run what the services left for after commit: the thumbnail task
        client.post(url, json.dumps({"assets": [asset]}), "application/json")
    return Sample.objects.select_related("thumbnail").get(name=PHOTO.name)


def test_an_uploaded_photo_gets_a_small_jpeg_thumbnail_that_the_dataset_page_shows(
    client, alice, vector_dataset, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    sample = uploaded_sample(client, django_capture_on_commit_callbacks)  # the worker runs in-process

    assert sample.thumbnail is not None
    response = client.get(f"/media/{sample.thumbnail.file.name}")
    thumbnail = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert thumbnail.format == "JPEG"
    assert max(thumbnail.size) == 192
    assert sample.thumbnail.size < PHOTO.stat().st_size / 10
    page = client.get(reverse("dataset", args=["alice", "photos"])).content.decode()
    assert f'src="/media/{sample.thumbnail.file.name}"' in page
    assert sample.attributes["image"]["url"] not in page  # never the original


def test_making_thumbnails_twice_makes_one(client, alice, vector_dataset, django_capture_on_commit_callbacks):
    client.force_login(alice)
    sample = uploaded_sample(client, django_capture_on_commit_callbacks)
    assets = Asset.objects.count()
    assert make_thumbnails([sample.pk]) == 0
    assert Asset.objects.count() == assets


def test_an_image_on_another_host_gets_no_thumbnail_and_no_request(vector_dataset):
    sample = vector_dataset.samples.get()  # http://testserver/static/examples/... : not an asset of ours
    assert make_thumbnails([sample.pk]) == 0
    sample.refresh_from_db()
    assert sample.thumbnail_id is None


def test_new_image_attributes_get_a_new_thumbnail(client, alice, vector_dataset, django_capture_on_commit_callbacks):
    client.force_login(alice)
    sample = uploaded_sample(client, django_capture_on_commit_callbacks)
    first = sample.thumbnail_id
    other = Sample.objects.get(name="chelsea.png")  # an image not stored here: no thumbnail
    url = reverse("upload-file", args=["alice", "photos"])
    coffee = PHOTO.parent / "coffee.png"
    asset = client.post(url, {"file": SimpleUploadedFile(coffee.name, coffee.read_bytes())}).json()["asset"]
    image_url = f"http://testserver/media/{Asset.objects.get(uuid=asset).file.name}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(
            f"/samples/{sample.uuid}/",
            json.dumps({"attributes": {"image": {"url": image_url}}}),
            content_type="application/json",
        )
    assert response.status_code == 200, response.content
    sample.refresh_from_db()
    assert sample.thumbnail_id not in (None, first)
    assert other.thumbnail_id is None


def test_a_file_uploaded_in_the_django_admin_gets_an_unguessable_url(client):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@x.org", "pw-for-root-42")
    client.force_login(root)
    file = SimpleUploadedFile(PHOTO.name, PHOTO.read_bytes())
    response = client.post(reverse("admin:datasets_asset_add"), {"filename": "rocket.jpg", "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    name = Asset.objects.get().file.name
    prefix, folder, file_name = name.split("/")
    assert (prefix, file_name) == ("assets", "rocket.jpg")
    assert re.fullmatch(r"[0-9a-f]{32}", folder)
