"""The server checks point-cloud labels (issue 17 item 4, issue 15 item 5) through the real API: segmentation
labels must have one id per point of the cloud the worker read; bad cuboids are refused with the field path.
Nothing is stored on refusal."""

import json

import numpy as np
import pytest

from datasets.models import Label, PointCloudFrame, Sample
from datasets.tasks import read_sample_point_clouds
from tests.test_pointcloud_reads import KITTI_URL, add_sample, make_dataset

pytestmark = pytest.mark.django_db(transaction=True)

N = 68242  # points of examples/pointcloud_single/000950.bin
SEGMENTATION_CATEGORIES = {"format_version": "0.1", "categories": [{"id": 1, "name": "car"}]}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def put_label(client, header, sample_uuid: str, attributes: dict):
    return client.put(
        f"/labels/{sample_uuid}/ground-truth/",
        json.dumps({"label_status": "LABELED", "attributes": attributes}),
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )


def segmentation_label(ids: list[int]) -> dict:
    return {"format_version": "0.1", "annotations": [{"id": 1, "category_id": 1}], "point_annotations": ids}


@pytest.fixture
def kitti_segmentation_sample(client, alice, api_key_for) -> dict:
    dataset = make_dataset(alice, "pointcloud-segmentation")
    sample = add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": KITTI_URL, "type": "kitti"}})
    assert PointCloudFrame.objects.get(sample__uuid=sample["uuid"]).point_count == N
    return sample


@pytest.mark.parametrize("length", [N - 1, N + 1, 0])
def test_a_segmentation_label_with_the_wrong_number_of_ids_is_refused(
    client, alice, api_key_for, kitti_segmentation_sample, length
):
    response = put_label(
        client, api_key_for(alice), kitti_segmentation_sample["uuid"], segmentation_label([0] * length)
    )

    assert response.status_code == 400
    body = response.json()
    assert f"the point cloud has {N} points" in body["detail"]
    assert {"path": "attributes.point_annotations", "rule": "point_count"} in [
        {"path": error["path"], "rule": error["rule"]} for error in body["errors"]
    ]
    assert not Label.objects.exists()


def test_an_id_that_is_not_an_annotation_is_refused(client, alice, api_key_for, kitti_segmentation_sample):
    ids = [0] * N
    ids[500] = 7

    response = put_label(client, api_key_for(alice), kitti_segmentation_sample["uuid"], segmentation_label(ids))

    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "attributes.point_annotations[500]"
    assert response.json()["errors"][0]["rule"] == "unknown_annotation_id"
    assert not Label.objects.exists()


def test_one_id_per_point_is_stored(client, alice, api_key_for, kitti_segmentation_sample):
    ids = [0] * N
    ids[10:20] = [1] * 10

    response = put_label(client, api_key_for(alice), kitti_segmentation_sample["uuid"], segmentation_label(ids))

    assert response.status_code == 201
    assert Label.objects.get().attributes["point_annotations"] == ids


def test_sequence_frames_are_checked_against_their_own_counts(client, alice, api_key_for):
    dataset = make_dataset(alice, "pointcloud-segmentation-sequence")
    small = "/static/examples/pointcloud_sequence/lidar/000965.pcd"
    frames = [{"pcd": {"url": KITTI_URL, "type": "kitti"}}, {"pcd": {"url": small, "type": "pcd"}}]
    sample = add_sample(client, api_key_for(alice), dataset, {"frames": frames})
    annotations = [{"id": 1, "category_id": 1, "track_id": 1}]

    def label(second: int) -> dict:
        return {
            "format_version": "0.2",
            "frames": [
                {"annotations": annotations, "point_annotations": [1] * N},
                {"annotations": annotations, "point_annotations": [1] * second},
            ],
        }

    refused = put_label(client, api_key_for(alice), sample["uuid"], label(N))
    accepted = put_label(client, api_key_for(alice), sample["uuid"], label(66781))

    assert refused.status_code == 400
    assert refused.json()["errors"][0]["path"] == "attributes.frames[1].point_annotations"
    assert "the point cloud has 66781 points" in refused.json()["errors"][0]["message"]
    assert accepted.status_code == 201


def test_a_label_saved_before_the_count_is_known_is_accepted_then_flagged(client, alice, api_key_for):
    # given: a sample whose cloud is not read yet (created without the API, so no task ran)
    dataset = make_dataset(alice, "pointcloud-segmentation")
    sample = Sample.objects.create(
        dataset=dataset, name="late", attributes={"pcd": {"url": KITTI_URL, "type": "kitti"}}
    )
    header = api_key_for(alice)

    # when: a 5-id label is saved, then the worker reads the cloud
    assert put_label(client, header, str(sample.uuid), segmentation_label([0, 1, 1, 0, 0])).status_code == 201
    read_sample_point_clouds(sample.pk)

    # then: the sample is flagged (on the dataset page too) instead of the label being rewritten
    frame = PointCloudFrame.objects.get(sample=sample)
    assert frame.label_issue == f"label set 'ground-truth': point_annotations has 5 ids, the cloud has {N} points"
    assert len(Label.objects.get().attributes["point_annotations"]) == 5
    client.force_login(alice)
    assert "Point count mismatch on frame 0" in client.get(f"/app/{dataset.full_name}/").content.decode()

    # and a label with the right length clears the flag
    assert put_label(client, header, str(sample.uuid), segmentation_label([0] * N)).status_code == 201
    assert PointCloudFrame.objects.get(sample=sample).label_issue == ""


def test_a_label_for_an_unreadable_cloud_is_accepted(client, alice, api_key_for):
    dataset = make_dataset(alice, "pointcloud-segmentation")
    sample = add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": "url", "type": "pcd"}})

    response = put_label(client, api_key_for(alice), sample["uuid"], segmentation_label([0, 1]))

    assert response.status_code == 201
    assert PointCloudFrame.objects.get().label_issue == ""


# Bad cuboids (issue 15 item 5) ----------------------------------------------------------------------------------


def cuboid(**changes) -> dict:
    box = {
        "id": 1,
        "category_id": 1,
        "type": "cuboid",
        "position": {"x": 4.1, "y": -49.7, "z": 1.8},
        "dimensions": {"x": 4.5, "y": 1.7, "z": 1.6},
        "yaw": 1.45,
    }
    box.update(changes)
    return box


BAD_CUBOIDS = {
    "zero length": (cuboid(dimensions={"x": 0, "y": 1.7, "z": 1.6}), "annotations[0].dimensions.x", "positive"),
    "negative height": (cuboid(dimensions={"x": 4, "y": 1.7, "z": -1}), "annotations[0].dimensions.z", "positive"),
    "infinite width": (
        cuboid(dimensions={"x": 4, "y": float("inf"), "z": 1.6}),
        "annotations[0].dimensions.y",
        "not_finite",  # refused by the strict JSON parser, before the format core
    ),
    "NaN position": (cuboid(position={"x": float("nan"), "y": 0, "z": 0}), "annotations[0].position.x", "not_finite"),
    "yaw beyond pi": (cuboid(yaw=3.3), "annotations[0].yaw", "yaw_range"),
    "yaw below -pi": (cuboid(yaw=-4.0), "annotations[0].yaw", "yaw_range"),
    "quaternion of length 2": (
        cuboid(rotation={"qx": 0, "qy": 0, "qz": 0, "qw": 2}),
        "annotations[0].rotation",
        "unit_quaternion",
    ),
}


@pytest.fixture
def cuboid_sample(client, alice, api_key_for) -> dict:
    dataset = make_dataset(alice, "pointcloud-cuboid")
    return add_sample(client, api_key_for(alice), dataset, {"pcd": {"url": KITTI_URL, "type": "kitti"}})


@pytest.mark.parametrize("case", BAD_CUBOIDS)
def test_a_bad_cuboid_is_refused_with_its_field_path(client, alice, api_key_for, cuboid_sample, case):
    box, path, rule = BAD_CUBOIDS[case]

    response = put_label(client, api_key_for(alice), cuboid_sample["uuid"], {"annotations": [box]})

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert any(e["path"] == f"attributes.{path}" and e["rule"] == rule for e in errors), errors
    assert not Label.objects.exists()


def test_a_good_cuboid_with_a_unit_quaternion_is_stored(client, alice, api_key_for, cuboid_sample):
    half = float(np.sqrt(0.5))
    box = cuboid(rotation={"qx": 0, "qy": 0, "qz": half, "qw": half}, yaw=float(np.pi / 2))

    response = put_label(client, api_key_for(alice), cuboid_sample["uuid"], {"annotations": [box]})

    assert response.status_code == 201
    assert Label.objects.get().attributes["annotations"] == [box]


def test_a_track_id_used_twice_in_one_frame_is_refused(client, alice, api_key_for):
    dataset = make_dataset(alice, "pointcloud-cuboid-sequence")
    frames = [{"pcd": {"url": KITTI_URL, "type": "kitti"}}] * 2
    sample = add_sample(client, api_key_for(alice), dataset, {"frames": frames})
    first, second = cuboid(id=1, track_id=7), cuboid(id=2, track_id=7)
    label = {"format_version": "0.2", "frames": [{"annotations": [first, second]}, {"annotations": []}]}

    response = put_label(client, api_key_for(alice), sample["uuid"], label)

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(
        e["rule"] == "duplicate_track_id" and e["path"].startswith("attributes.frames[0].annotations") for e in errors
    ), errors
    assert not Label.objects.exists()
