"""COCO import (datasets.services.import_coco) through the import page's endpoints, run by the in-process
Celery task: examples/coco into a vector dataset (box, polygon and 17 keypoints at COCO's coordinates), into a
prediction label set, masks into a segmentation dataset (equal to pycocotools' annToMask), and each bad input
refused with its reason and nothing stored."""

import json
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO

from datasets.models import Dataset, ImportJob, Label, LabelSet, Sample
from datasets.services.datasets import create_dataset
from datasets.services.exports import export_release
from datasets.services.releases import create_release
from datasets.services.samples import create_samples
from labeling.core.bitmaps import decode_bitmap

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COCO_JSON = EXAMPLES / "coco" / "coco_val2017_000000000785_person_keypoints.json"
PHOTO = EXAMPLES / "coco" / "000000000785.jpg"
SOURCE = json.loads(COCO_JSON.read_text())


@pytest.fixture
def vector(alice):
    return create_dataset(alice, owner_name="alice", owner_user=alice, name="skiers", task_type="vector")


def upload(client, dataset, name: str, content: bytes):
    url = reverse("import-files", args=[dataset.owner_name, dataset.name, "coco"])
    return client.post(url, {"file": SimpleUploadedFile(name, content), "relativePath": name})


@pytest.fixture
def run_import(client, alice, django_capture_on_commit_callbacks):
    """Upload (name, bytes) files and start a COCO import of them; returns the finished job."""

    def run(dataset, files: list[tuple[str, bytes]], options: dict | None = None) -> ImportJob:
        client.force_login(alice)
        assets = []
        for name, content in files:
            response = upload(client, dataset, name, content)
            assert response.status_code == 201, response.content
            assets.append(response.json()["asset"])
        url = reverse("import-start", args=[dataset.owner_name, dataset.name, "coco"])
        body = json.dumps({"assets": assets, "options": options or {}})
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, body, "application/json")
        assert response.status_code == 202, response.content
        return ImportJob.objects.get(uuid=response.json()["import"])

    return run


def example_files(document: dict | None = None) -> list[tuple[str, bytes]]:
    content = json.dumps(document).encode() if document is not None else COCO_JSON.read_bytes()
    return [("person_keypoints.json", content), (PHOTO.name, PHOTO.read_bytes())]


def by_type(annotations: list[dict], kind: str) -> list[dict]:
    return [annotation for annotation in annotations if annotation["type"] == kind]


def test_the_example_becomes_a_sample_with_box_polygon_and_17_keypoints_where_coco_puts_them(
    run_import, vector, client
):
    job = run_import(vector, example_files())

    assert job.status == ImportJob.SUCCEEDED, job.errors
    assert job.report["created"] == {
        "samples": 1,
        "labels": 1,
        "objects": 19,
        "boxes": 1,
        "polygons": 1,
        "keypoints": 17,
    }
    sample = Sample.objects.get(dataset=vector)
    assert sample.name == PHOTO.name
    url = sample.attributes["image"]["url"]
    assert url.startswith("http://testserver/media/")
    assert client.get(url.removeprefix("http://testserver")).status_code == 200  # served, as the SDK fetches it
    sample.refresh_from_db()
    assert sample.thumbnail is not None  # made as for the dataset page's uploads
    label = Label.objects.get(sample=sample, labelset__name="ground-truth")
    assert label.label_status == "PRELABELED"
    source = SOURCE["annotations"][0]
    annotations = label.attributes["annotations"]
    [polygon], [box] = by_type(annotations, "polygon"), by_type(annotations, "bbox")
    ring = source["segmentation"][0]
    assert polygon["points"] == [[x, y] for x, y in zip(ring[::2], ring[1::2], strict=True)]
    x, y, width, height = source["bbox"]
    assert box["points"] == [[x, y], [x + width, y + height]]
    points = by_type(annotations, "point")
    names = SOURCE["categories"][0]["keypoints"]
    assert [point["attributes"]["keypoint"] for point in points] == names
    values = source["keypoints"]
    assert [point["points"][0] for point in points] == [[values[3 * i], values[3 * i + 1]] for i in range(17)]
    [person] = [c for c in Dataset.objects.get(pk=vector.pk).categories if c["name"] == "person"]
    assert (person["name"], person["keypoints"], person["skeleton"]) == (
        "person",
        names,
        SOURCE["categories"][0]["skeleton"],
    )


def test_an_import_into_a_new_prediction_label_set_leaves_the_ground_truth_alone(run_import, vector, alice):
    job = run_import(vector, example_files(), {"labelset": "pose-model"})

    assert job.status == ImportJob.SUCCEEDED, job.errors
    label = Label.objects.get(sample__dataset=vector)
    assert (label.labelset.name, label.label_status, label.labeled_by) == ("pose-model", "LABELED", alice)
    assert not Label.objects.filter(labelset__name="ground-truth", sample__dataset=vector).exists()
    assert "labels in label set 'pose-model'" in job.report["notes"]


def test_masks_become_a_bitmap_equal_to_pycocotools_masks(run_import, alice, tmp_path, client):
    # given a segmentation dataset and the example plus a crowd RLE on it
    dataset = create_dataset(alice, owner_name="alice", owner_user=alice, name="masks", task_type="segmentation-bitmap")
    document = json.loads(COCO_JSON.read_text())
    crowd = np.zeros((425, 640), dtype=np.uint8, order="F")
    crowd[300:400, 20:200] = 1
    rle = mask_utils.encode(crowd)
    document["annotations"].append(
        {
            "id": 9,
            "image_id": 785,
            "category_id": 1,
            "iscrowd": 1,
            "bbox": [20, 300, 180, 100],
            "segmentation": {"size": [425, 640], "counts": rle["counts"].decode()},
        }
    )
    # when it is imported
    job = run_import(dataset, example_files(document))
    # then the label's bitmap holds each annotation's pycocotools mask under its id
    assert job.status == ImportJob.SUCCEEDED, job.errors
    assert job.report["created"]["masks"] == 2
    label = Label.objects.get(sample__dataset=dataset)
    [person_id] = [c["id"] for c in Dataset.objects.get(pk=dataset.pk).categories if c["name"] == "person"]
    assert label.attributes["annotations"] == [{"id": 1, "category_id": person_id}, {"id": 2, "category_id": person_id}]
    url = label.attributes["segmentation_bitmap"]["url"]
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    ids = decode_bitmap(b"".join(response.streaming_content))
    path = tmp_path / "coco.json"
    path.write_text(json.dumps(document))
    coco = COCO(str(path))
    person, crowd_annotation = coco.loadAnns([SOURCE["annotations"][0]["id"], 9])
    np.testing.assert_array_equal(ids == 1, coco.annToMask(person).astype(bool))
    np.testing.assert_array_equal(ids == 2, coco.annToMask(crowd_annotation).astype(bool))


def test_uploaded_images_not_in_the_file_and_taken_names_are_left_out_with_the_reason(run_import, vector, alice):
    create_samples(alice, vector, [{"name": "coins.png", "attributes": {"image": {"url": "http://x/c.png"}}}])
    coins = (EXAMPLES / "images" / "coins.png").read_bytes()
    document = json.loads(COCO_JSON.read_text())
    document["images"].append({"id": 2, "file_name": "coins.png", "width": 384, "height": 303})
    files = [
        *example_files(document),
        ("coins.png", coins),
        ("chelsea.png", (EXAMPLES / "images" / "chelsea.png").read_bytes()),
    ]

    job = run_import(vector, files)

    assert job.status == ImportJob.SUCCEEDED, job.errors
    assert job.report["refused"] == [
        {"name": "chelsea.png", "reason": "not listed in the COCO file's images"},
        {"name": "image id 2 (coins.png)", "reason": "a sample with this name already exists"},
    ]
    assert job.report["created"]["samples"] == 1


def with_change(change) -> dict:
    document = json.loads(COCO_JSON.read_text())
    change(document)
    return document


BAD_INPUTS = {
    "annotation of a missing image": (
        with_change(lambda d: d["annotations"][0].update(image_id=999)),
        "person_keypoints.json:annotations[0].image_id",
        "unknown_image",
        "image_id 999 is not in images",
    ),
    "image not uploaded": (
        with_change(lambda d: d["images"][0].update(file_name="elsewhere.jpg")),
        "person_keypoints.json:images[0].file_name",
        "image_not_uploaded",
        "'elsewhere.jpg' was not uploaded",
    ),
    "category id that does not exist": (
        with_change(lambda d: d["annotations"][0].update(category_id=5)),
        "person_keypoints.json:annotations[0].category_id",
        "unknown_category",
        "category_id 5 is not in categories",
    ),
    "malformed bbox": (
        with_change(lambda d: d["annotations"][0].update(bbox=[1, 2, "wide", 4])),
        "person_keypoints.json:annotations[0].bbox",
        "bbox",
        "bbox is [x, y, width, height]",
    ),
    "keypoints of the wrong length": (
        with_change(lambda d: d["annotations"][0].update(keypoints=[1, 2, 2])),
        "person_keypoints.json:annotations[0].keypoints",
        "keypoints",
        "each of the category's 17 keypoint names",
    ),
    "JSON that is not COCO": ({"images": []}, "person_keypoints.json:annotations", "not_coco", "not found"),
    "image size that differs": (
        with_change(lambda d: d["images"][0].update(width=641)),
        "person_keypoints.json:images[0].width",
        "image_size",
        "the COCO file says 641x425",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_refuses_the_whole_import_naming_the_place_and_nothing_is_stored(run_import, vector, case):
    document, path, rule, message = BAD_INPUTS[case]
    categories = vector.categories

    job = run_import(vector, example_files(document), {"labelset": "new-set"})

    assert job.status == ImportJob.FAILED
    [error] = [error for error in job.errors if error["rule"] == rule]
    assert error["path"] == path
    assert message in error["message"]
    assert "annotation id" in error["message"] or "image id" in error["message"] or rule == "not_coco"
    assert not Sample.objects.filter(dataset=vector).exists()
    assert not Label.objects.filter(sample__dataset=vector).exists()
    assert not LabelSet.objects.filter(dataset=vector, name="new-set").exists()
    assert Dataset.objects.get(pk=vector.pk).categories == categories


def test_a_json_file_that_is_not_json_is_refused_at_upload(client, alice, vector):
    client.force_login(alice)

    response = upload(client, vector, "notes.json", b"name,value\n")

    assert response.status_code == 400
    assert "does not start with '{'" in response.json()["detail"]


def test_two_coco_files_are_refused(run_import, vector):
    job = run_import(vector, [*example_files(), ("second.json", COCO_JSON.read_bytes())])

    assert job.status == ImportJob.FAILED
    assert job.errors == [
        {"path": "files", "rule": "one_coco_file", "message": "a COCO import takes exactly one .json file, got 2"}
    ]
    assert not Sample.objects.filter(dataset=vector).exists()


def test_a_release_of_the_import_exports_the_coco_source_again(
    run_import, vector, alice, tmp_path, django_capture_on_commit_callbacks
):
    # given the example imported and released
    assert run_import(vector, example_files()).status == ImportJob.SUCCEEDED
    with django_capture_on_commit_callbacks(execute=True):
        release = create_release(alice, vector, name="v1")
    release.refresh_from_db()
    # when the release is exported as COCO
    path = tmp_path / "export.json"
    path.write_bytes(b"".join(export_release(release, "coco-instance").chunks()))
    # then pycocotools reads the source's image, person, keypoints, box and polygon back
    coco = COCO(str(path))
    [image] = coco.loadImgs(coco.getImgIds())
    assert (image["file_name"], image["width"], image["height"]) == (PHOTO.name, 640, 425)
    [person] = coco.loadCats(coco.getCatIds(catNms=["person"]))
    assert (person["keypoints"], person["skeleton"]) == (
        SOURCE["categories"][0]["keypoints"],
        SOURCE["categories"][0]["skeleton"],
    )
    [exported] = coco.loadAnns(coco.getAnnIds(imgIds=image["id"]))
    source = SOURCE["annotations"][0]
    for key in ("keypoints", "num_keypoints", "bbox", "segmentation"):
        assert exported[key] == source[key], key
