"""Thumbnails: made by the worker after a sample is created, kept as an asset, shown by the dataset page
instead of the original."""

import io
import json
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
