"""Releases: create (PENDING, then built by the task), list, get, delete; the release file (§9.1) read by the
SDK's SegmentsDataset; the permission matrix."""

import io

import pytest
import requests
from segments import SegmentsDataset
from segments.exceptions import AlreadyExistsError, NetworkError, NotFoundError

from datasets.models import Release
from datasets.tasks import build_release
from tests.api.conftest import PERSONAS, expected_status, make_label, make_sample, snapshot, vector_label
from tests.api.test_assets import png_bytes

FLOWERS = "olivia/flowers"


def test_sdk_creates_a_pending_release_that_the_task_builds(admin_sdk, dataset):
    rose = make_sample(dataset, "rose.png", metadata={"k": 1})
    make_sample(dataset, "tulip.png")
    make_label(rose, status="REVIEWED", attributes=vector_label(2))

    created = admin_sdk.add_release(FLOWERS, "v1.0", "First")
    built = admin_sdk.get_release(FLOWERS, "v1.0")

    assert (created.status, created.release_type, created.attributes.url) == ("PENDING", "JSON", None)
    assert (built.status, built.samples_count) == ("SUCCEEDED", 2)
    document = requests.get(built.attributes.url, timeout=10).json()  # public: no credentials
    assert document["name"] == "v1.0"
    assert document["dataset"]["owner"] == "olivia"
    assert [ls["name"] for ls in document["dataset"]["labelsets"]] == ["ground-truth"]
    samples = {s["name"]: s for s in document["dataset"]["samples"]}
    assert samples["rose.png"]["labels"]["ground-truth"]["label_status"] == "REVIEWED"
    assert samples["rose.png"]["metadata"] == {"k": 1}
    assert samples["tulip.png"]["labels"] == {"ground-truth": None}
    assert [r.name for r in admin_sdk.get_releases(FLOWERS)] == ["v1.0"]


def test_segments_dataset_loads_a_release_of_uploaded_images(owner_sdk, dataset, tmp_path):
    asset = owner_sdk.upload_asset(io.BytesIO(png_bytes()), "rose.png")
    sample = owner_sdk.add_sample(FLOWERS, "rose.png", {"image": {"url": asset.url}})
    owner_sdk.add_label(sample.uuid, "ground-truth", vector_label(1), label_status="LABELED")
    owner_sdk.add_release(FLOWERS, "v1")

    loaded = SegmentsDataset(owner_sdk.get_release(FLOWERS, "v1"), segments_dir=str(tmp_path), filter_by="LABELED")

    assert len(loaded) == 1
    assert loaded[0]["name"] == "rose.png"
    assert loaded[0]["image"].size == (8, 6)
    assert loaded[0]["annotations"][0]["type"] == "bbox"


def test_a_failed_build_is_marked_failed_and_a_second_run_changes_nothing(dataset, monkeypatch):
    from datasets.services import release_build

    release = Release.objects.create(dataset=dataset, name="broken")
    monkeypatch.setattr(release_build, "release_document", lambda release: 1 / 0)
    build_release(release.pk)
    release.refresh_from_db()
    assert (release.status, release.failure_reason) == ("FAILED", "ZeroDivisionError: division by zero")
    monkeypatch.undo()
    build_release(release.pk)  # idempotent: only a PENDING release is built
    release.refresh_from_db()
    assert release.status == "FAILED"


def test_duplicate_release_is_already_exists(admin_sdk, dataset):
    admin_sdk.add_release(FLOWERS, "v1")
    with pytest.raises(AlreadyExistsError):
        admin_sdk.add_release(FLOWERS, "v1")


def test_sdk_deletes_a_release_and_its_file(admin_sdk, dataset):
    admin_sdk.add_release(FLOWERS, "v1")
    url = admin_sdk.get_release(FLOWERS, "v1").attributes.url
    admin_sdk.get_dataset(FLOWERS).get_release("v1").delete()
    assert not Release.objects.exists()
    assert requests.get(url, timeout=10).status_code == 404


def test_unknown_release_or_dataset_is_not_found(admin_sdk, dataset):
    for call in (admin_sdk.get_release, admin_sdk.delete_release):
        with pytest.raises(NotFoundError):
            call("abcde", "abcde")
        with pytest.raises(NotFoundError):
            call(FLOWERS, "abcde")
    with pytest.raises(NotFoundError):
        admin_sdk.get_releases("abcde")
    with pytest.raises(NetworkError):
        admin_sdk.add_release("abcde", "abcde")


@pytest.mark.parametrize("who", PERSONAS)
def test_read_releases_needs_read_access(api, personas, dataset, who):
    Release.objects.create(dataset=dataset, name="v1")
    assert api.get(personas[who], "/datasets/olivia/flowers/releases/").status_code == expected_status(who, "labeler")
    assert api.get(personas[who], "/datasets/olivia/flowers/releases/v1/").status_code == expected_status(
        who, "labeler"
    )


@pytest.mark.parametrize("who", PERSONAS)
def test_create_release_needs_admin(api, personas, who, django_capture_on_commit_callbacks):
    before = snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(personas[who], "/datasets/olivia/flowers/releases/", {"name": "v1"})
    assert response.status_code == expected_status(who, "admin", 201)
    if response.status_code == 201:
        assert Release.objects.get().status == "SUCCEEDED"
    else:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_delete_release_needs_admin(api, personas, dataset, who):
    Release.objects.create(dataset=dataset, name="v1")
    before = snapshot()
    response = api.delete(personas[who], "/datasets/olivia/flowers/releases/v1/")
    assert response.status_code == expected_status(who, "admin", 204)
    if response.status_code != 204:
        assert snapshot() == before


def test_release_list_takes_a_fixed_number_of_queries(api, personas, dataset, django_assert_num_queries):
    api.get(personas["labeler"], "/user")
    Release.objects.create(dataset=dataset, name="v1")
    with django_assert_num_queries(4):  # key, dataset, role, releases
        api.get(personas["labeler"], "/datasets/olivia/flowers/releases/")
    for index in range(5):
        Release.objects.create(dataset=dataset, name=f"v2.{index}")
    with django_assert_num_queries(4):
        assert len(api.get(personas["labeler"], "/datasets/olivia/flowers/releases/").json()) == 6
