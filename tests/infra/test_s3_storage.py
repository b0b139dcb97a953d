"""Shared media on an S3-compatible object store (issue 14, item 5): two web processes and a Celery worker on
moto's standalone S3 server, started by the test. An asset uploaded through one process is served by the
other; a release file built by the worker lands in the store; nothing is written to the local folder."""

import io
import os
import shutil
import subprocess
from pathlib import Path

import boto3
import pytest
import requests
from django.conf import settings
from PIL import Image

from datasets.models import Release, Sample
from datasets.services.datasets import create_dataset
from labeling.services import create_api_key
from labeling.testing import free_port, stop_process
from tests.conftest import VECTOR_TASK_ATTRIBUTES
from tests.infra.conftest import process_environment, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]

BUCKET = "labeling-media"


@pytest.fixture
def s3_endpoint(tmp_path):
    """moto's S3 server on a free port with an empty bucket BUCKET; its URL. Fails when moto is missing."""
    executable = shutil.which("moto_server", path=str(Path(os.sys.executable).parent)) or shutil.which("moto_server")
    if executable is None:
        pytest.fail("This test needs moto's server: pip install 'moto[server]' (the [test] extra).")
    port = free_port()
    log = open(tmp_path / "moto.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen([executable, "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(url), timeout=30, what="moto's S3 server to answer")
    s3_client(url).create_bucket(Bucket=BUCKET)
    yield url
    stop_process(process)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=1).status_code < 500
    except requests.ConnectionError:
        return False


def s3_client(url: str):
    return boto3.client(
        "s3", endpoint_url=url, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )


def stored_keys(url: str) -> list[str]:
    return sorted(item["Key"] for item in s3_client(url).list_objects_v2(Bucket=BUCKET).get("Contents", []))


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 220)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_two_web_processes_and_a_worker_share_media_on_an_s3_store(
    s3_endpoint, private_redis, processes, alice, tmp_path
):
    # given two web processes and a worker that keep media in the object store, not in their local folder
    store = {
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": BUCKET,
        "S3_ENDPOINT_URL": s3_endpoint,
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "S3_REGION": "us-east-1",
        "MEDIA_ROOT": str(tmp_path / "local-media"),
        "SITE_URL": "",
    }
    environment = process_environment(private_redis.url, f"s3-{os.getpid()}", **store)
    first, second = processes.web(environment), processes.web(environment)
    worker = processes.worker("worker", environment)
    key = {"Authorization": f"APIKey {create_api_key(alice)}"}
    # (only a user with a role somewhere may upload: alice owns the dataset the asset is for)
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="cars",
        task_type="vector",
        task_attributes=VECTOR_TASK_ATTRIBUTES,
    )
    # when an asset is announced and uploaded through the first process
    announced = requests.post(f"{first}/assets/", json={"filename": "car.jpg"}, headers=key, timeout=30)
    assert announced.status_code == 201, announced.text
    form = announced.json()["presignedPostFields"]
    content = jpeg_bytes()
    uploaded = requests.post(form["url"], data=form["fields"], files={"file": ("car.jpg", content)}, timeout=30)
    assert uploaded.status_code == 204, uploaded.text
    # then it is in the store, and the second process serves it at the same capability URL, without credentials
    name = form["fields"]["key"]
    assert stored_keys(s3_endpoint) == [name]
    served = requests.get(f"{second}/media/{name}", timeout=30)
    assert (served.status_code, served.content, served.headers["Content-Type"]) == (200, content, "image/jpeg")
    assert requests.get(f"{second}/media/{name}.missing", timeout=30).status_code == 404
    # when a release of the dataset whose sample shows that asset is created through the second process
    sample = Sample.objects.create(dataset=dataset, name="car.jpg", attributes={"image": {"url": f"/media/{name}"}})
    box = {"id": 1, "category_id": 1, "type": "bbox", "points": [[2, 3], [12, 13]]}
    label = {"label_status": "LABELED", "attributes": {"format_version": "0.1", "annotations": [box]}}
    assert requests.put(f"{second}/labels/{sample.uuid}/ground-truth/", json=label, headers=key, timeout=30).ok
    wait_for(lambda: "ready." in worker.log_path.read_text(), timeout=60, what="the worker to be ready")
    created = requests.post(f"{second}/datasets/alice/cars/releases/", json={"name": "v1"}, headers=key, timeout=30)
    assert created.status_code == 201, created.text
    release = Release.objects.get(dataset=dataset, name="v1")
    wait_for(lambda: Release.objects.get(pk=release.pk).status != "PENDING", timeout=90, what="the release build")
    # then the worker wrote the release file into the store, and the first process serves it
    release.refresh_from_db()
    assert release.status == "SUCCEEDED", release.failure_reason
    assert stored_keys(s3_endpoint) == sorted([name, release.file.name])
    document = requests.get(f"{first}/media/{release.file.name}", timeout=30).json()
    assert [sample["name"] for sample in document["dataset"]["samples"]] == ["car.jpg"]
    # and the server-side COCO export reads the image size from the store
    export = requests.get(
        f"{first}/datasets/alice/cars/releases/v1/export/?format=coco-instance", headers=key, timeout=30
    )
    image = export.json()["images"][0]
    assert (image["width"], image["height"]) == (32, 24)
    assert not (tmp_path / "local-media").exists() or not any((tmp_path / "local-media").rglob("*"))
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")  # this test process: the default
