"""The dataset page's releases panel: list with status, count and download link; "Create release" for admins;
label-status statistics per label set and per category for the chart."""

import pytest

from datasets.models import Collaborator, Release
from datasets.services.labels import save_label
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/app/alice/photos/"


def bbox(annotation_id: int, category_id: int, **extra) -> dict:
    return {"id": annotation_id, "category_id": category_id, "type": "bbox", "points": [[1, 1], [5, 5]], **extra}


def test_admin_creates_a_release_from_the_page_and_sees_it_built_with_a_download_link(client, alice, vector_dataset):
    client.force_login(alice)

    response = client.post(f"{PAGE}releases/", {"name": "v1", "description": "first"}, follow=True)

    release = Release.objects.get()
    assert (release.name, release.status, release.samples_count) == ("v1", "SUCCEEDED", 1)
    page = response.content.decode()
    assert 'data-testid="create-release"' in page
    assert f'href="/media/{release.file.name}"' in page
    assert "/releases/v1/export/?format=coco-instance" in page
    assert client.get(f"/media/{release.file.name}").status_code == 200


def test_duplicate_release_name_on_the_page_is_an_error_message_and_creates_nothing(client, alice, vector_dataset):
    client.force_login(alice)
    client.post(f"{PAGE}releases/", {"name": "v1"})

    response = client.post(f"{PAGE}releases/", {"name": "v1"}, follow=True)

    assert "already exists" in response.content.decode()
    assert Release.objects.count() == 1


def test_labeler_sees_releases_but_cannot_create_one(client, labeler, vector_dataset):
    Release.objects.create(dataset=vector_dataset, name="v1")
    client.force_login(labeler)

    page = client.get(PAGE).content.decode()
    response = client.post(f"{PAGE}releases/", {"name": "v2"})

    assert 'data-testid="release-list"' in page
    assert "pending" in page
    assert 'data-testid="create-release"' not in page
    assert response.status_code == 403
    assert list(Release.objects.values_list("name", flat=True)) == ["v1"]


def test_outsider_cannot_create_a_release(client, outsider, vector_dataset):
    client.force_login(outsider)
    assert client.post(f"{PAGE}releases/", {"name": "v1"}).status_code == 404
    assert not Release.objects.exists()


def test_page_statistics_count_statuses_per_label_set_and_annotations_per_category(client, alice, vector_dataset):
    # given one labeled sample with two persons (one removed) and an animal, and one unlabeled sample
    sample = vector_dataset.samples.get()
    vector_dataset.samples.create(name="empty.png", attributes={"image": {"url": "http://x/empty.png"}})
    attributes = {
        "format_version": "0.1",
        "annotations": [bbox(1, 1), bbox(2, 1), bbox(3, 2), bbox(4, 1, removed=True)],
    }
    save_label(alice, sample, "ground-truth", attributes=attributes, label_status="REVIEWED")
    Collaborator.objects.create(dataset=vector_dataset, user=make_user("victor"), role="viewer")
    client.force_login(alice)
    # when
    response = client.get(PAGE)
    # then
    statistics = response.context["label_statistics"]
    assert statistics["labelsets"] == [{"name": "ground-truth", "counts": {"REVIEWED": 1, "UNLABELED": 1}}]
    assert statistics["categories"] == [
        {"name": "person", "counts": {"REVIEWED": 2}},
        {"name": "animal", "counts": {"REVIEWED": 1}},
    ]
    assert 'id="label-statistics"' in response.content.decode()
    assert "node_modules/chart.js/dist/chart.umd.min.js" in response.content.decode()


def cuboid(annotation_id: int, category_id: int, **extra) -> dict:
    return {"id": annotation_id, "category_id": category_id, "type": "cuboid", **extra}


def test_page_statistics_count_the_annotations_of_every_frame_of_every_sensor(client, alice):
    # given a multi-sensor scene: lidar cuboids in two frames (one removed), a camera box, labeled
    from datasets.models import Label
    from datasets.services.datasets import create_dataset

    categories = [{"id": 1, "name": "car"}, {"id": 2, "name": "pedestrian"}, {"id": 3, "name": "cyclist"}]
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="drive",
        task_type="multisensor-sequence",
        task_attributes={"format_version": "0.1", "categories": categories},
    )
    sample = dataset.samples.create(name="scene", attributes={"sensors": []}, created_by=alice)
    lidar_frames = [
        {"annotations": [cuboid(1, 1), cuboid(2, 2)]},
        {"annotations": [cuboid(1, 1), cuboid(2, 2, removed=True)]},
    ]
    camera = {"frames": [{"annotations": [bbox(1, 1)]}, {"annotations": []}]}
    attributes = {
        "sensors": [
            {"name": "lidar", "task_type": "pointcloud-cuboid-sequence", "attributes": {"frames": lidar_frames}},
            {"name": "front", "task_type": "image-vector-sequence", "attributes": camera},
        ]
    }
    labelset = dataset.labelsets.get(name="ground-truth")
    Label.objects.create(sample=sample, labelset=labelset, attributes=attributes, label_status="LABELED")
    client.force_login(alice)
    # when
    statistics = client.get("/app/alice/drive/").context["label_statistics"]
    # then every frame's annotations of both sensors count, the removed one not
    assert statistics["categories"] == [
        {"name": "car", "counts": {"LABELED": 3}},
        {"name": "pedestrian", "counts": {"LABELED": 1}},
        {"name": "cyclist", "counts": {}},
    ]
