"""Importer `sustech-scene` through the import endpoints: the example SUSTechPOINTS scene (examples/
pointcloud_sequence) dropped whole becomes one point-cloud sequence or one multi-sensor sample, its boxes
pre-labels with their track ids; bad scenes are refused with the file and the reason, nothing created."""

import copy
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from datasets.demo_multisensor import MULTISENSOR_TASK_ATTRIBUTES, multisensor_sample_attributes
from datasets.demo_pointclouds import LIDAR_TASK_ATTRIBUTES
from datasets.models import Label, PointCloudFrame, Sample
from datasets.services.datasets import create_dataset
from datasets.services.labelsets import add_labelset

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pointcloud_sequence"
SCENE = "scene-000965"


def scene_files(root: str = SCENE) -> dict[str, bytes]:
    """{relative path as dropped: content} of the example scene, the licence left out."""
    return {
        f"{root}/{path.relative_to(EXAMPLE).as_posix()}": path.read_bytes()
        for path in sorted(EXAMPLE.rglob("*"))
        if path.is_file() and path.suffix != ".txt"
    }


def upload(client, dataset, files: dict[str, bytes]) -> list[str]:
    url = f"/app/{dataset.owner_name}/{dataset.name}/import/sustech-scene/files/"
    assets = []
    for path, content in files.items():
        file = SimpleUploadedFile(Path(path).name, content)
        response = client.post(url, {"file": file, "relativePath": path})
        assert response.status_code == 201, (path, response.content)
        assets.append(response.json()["asset"])
    return assets


def run_import(client, dataset, files: dict[str, bytes], capture, **options) -> dict:
    """Upload `files`, start the import, let it (and the point-cloud reads) run; the job's status JSON."""
    assets = upload(client, dataset, files)
    url = f"/app/{dataset.owner_name}/{dataset.name}/import/sustech-scene/"
    with capture(execute=True):
        response = client.post(url, json.dumps({"assets": assets, "options": options}), "application/json")
    assert response.status_code == 202, response.content
    status = client.get(response.json()["status_url"])
    assert status.status_code == 200
    return status.json()


@pytest.fixture
def cuboid_dataset(alice):
    return create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="lidar",
        task_type="pointcloud-cuboid-sequence",
        task_attributes=copy.deepcopy(LIDAR_TASK_ATTRIBUTES),
    )


@pytest.fixture
def multisensor_dataset(alice):
    return create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="drive",
        task_type="multisensor-sequence",
        task_attributes=copy.deepcopy(MULTISENSOR_TASK_ATTRIBUTES),
    )


def expected_track_ids(frames) -> list[list[int]]:
    return [
        sorted(int(box["obj_id"]) for box in json.loads((EXAMPLE / "label" / f"{frame}.json").read_text()))
        for frame in frames
    ]


def keyframe_track_ids(label_frames) -> list[list[int]]:
    """Per frame, the sorted track ids of the keyframe cuboids (the stored label also holds interpolated ones)."""
    return [
        sorted(cuboid["track_id"] for cuboid in frame["annotations"] if cuboid.get("is_keyframe"))
        for frame in label_frames
    ]


def test_scene_becomes_a_point_cloud_sequence_with_calibrated_images_and_prelabels(
    client, alice, cuboid_dataset, django_capture_on_commit_callbacks
):
    client.force_login(alice)

    job = run_import(client, cuboid_dataset, scene_files(), django_capture_on_commit_callbacks)

    assert job["status"] == "SUCCEEDED", job
    assert job["report"]["created"]["samples"] == 1
    sample = Sample.objects.get(dataset=cuboid_dataset)
    assert sample.name == SCENE
    frames = sample.attributes["frames"]
    assert [frame["name"] for frame in frames] == ["000950", "000965", "000970", "000975"]
    assert "images" not in frames[0]  # 000950 has no camera image
    assert [image["name"] for image in frames[1]["images"]] == ["front", "left", "right"]
    assert all("/media/" in frame["pcd"]["url"] and frame["pcd"]["type"] == "pcd" for frame in frames)
    label = Label.objects.get(sample=sample, labelset__is_groundtruth=True)
    assert label.label_status == "PRELABELED"
    track_ids = keyframe_track_ids(label.attributes["frames"])
    assert track_ids == expected_track_ids(["000950", "000965", "000970", "000975"])
    assert job["report"]["created"]["objects"] == sum(map(len, track_ids))
    # the point clouds were read by the worker, as uploaded ones are
    read = PointCloudFrame.objects.filter(sample=sample).order_by("frame")
    assert [(frame.frame, frame.status, frame.point_count > 0) for frame in read] == [
        (index, PointCloudFrame.READ, True) for index in range(4)
    ]


def test_scene_becomes_a_multisensor_sample_calibrated_as_the_demo(
    client, alice, multisensor_dataset, django_capture_on_commit_callbacks, api_key_for
):
    client.force_login(alice)

    job = run_import(client, multisensor_dataset, scene_files(), django_capture_on_commit_callbacks)

    assert job["status"] == "SUCCEEDED", job
    assert [item["name"] for item in job["report"]["refused"]] == [f"{SCENE}/lidar/000950.pcd"]
    sensors = Sample.objects.get(dataset=multisensor_dataset).attributes["sensors"]
    assert [sensor["name"] for sensor in sensors] == ["lidar", "front", "left", "right"]
    demo = multisensor_sample_attributes("http://testserver/static/examples/")["sensors"]
    lidar_frames, demo_frames = sensors[0]["attributes"]["frames"], demo[0]["attributes"]["frames"]
    assert [frame["name"] for frame in lidar_frames] == ["000965", "000970", "000975"]
    for frame, demo_frame in zip(lidar_frames, demo_frames, strict=True):
        calibration = [
            {key: image[key] for key in ("name", "intrinsics", "extrinsics", "camera_convention")}
            for image in frame["images"]
        ]
        assert calibration == [
            {key: image[key] for key in ("name", "intrinsics", "extrinsics", "camera_convention")}
            for image in demo_frame["images"]
        ]
    assert [len(sensor["attributes"]["frames"]) for sensor in sensors] == [3, 3, 3, 3]
    label = Label.objects.get(sample__dataset=multisensor_dataset, labelset__is_groundtruth=True)
    assert [sensor["name"] for sensor in label.attributes["sensors"]] == ["lidar", "front", "left", "right"]
    lidar_label = label.attributes["sensors"][0]["attributes"]["frames"]
    assert keyframe_track_ids(lidar_label) == expected_track_ids(["000965", "000970", "000975"])
    # the calibration check reads the imported files (cloud and image) from storage
    sample = Sample.objects.get(dataset=multisensor_dataset)
    preview = client.get(
        f"/samples/{sample.uuid}/calibration/front/candidates/r0.png?frame=1", HTTP_AUTHORIZATION=api_key_for(alice)
    )
    assert (preview.status_code, preview["Content-Type"]) == (200, "image/png")


def test_options_choose_label_set_cameras_and_frame_step(
    client, alice, multisensor_dataset, django_capture_on_commit_callbacks
):
    add_labelset(alice, multisensor_dataset, name="model-v1")
    client.force_login(alice)

    job = run_import(
        client,
        multisensor_dataset,
        scene_files(),
        django_capture_on_commit_callbacks,
        labelset="model-v1",
        cameras="front",
        frame_step=2,
    )

    assert job["status"] == "SUCCEEDED", job
    sensors = Sample.objects.get(dataset=multisensor_dataset).attributes["sensors"]
    assert [sensor["name"] for sensor in sensors] == ["lidar", "front"]
    assert [frame["name"] for frame in sensors[0]["attributes"]["frames"]] == ["000970"]
    label = Label.objects.get(sample__dataset=multisensor_dataset)
    assert (label.labelset.name, label.label_status) == ("model-v1", "LABELED")


def refused(client, alice, dataset, files, capture, **options) -> list[dict]:
    client.force_login(alice)
    job = run_import(client, dataset, files, capture, **options)
    assert job["status"] == "FAILED", job
    assert not Sample.objects.filter(dataset=dataset).exists()
    assert not Label.objects.filter(sample__dataset=dataset).exists()
    return job["errors"]


def test_frame_without_point_cloud_is_refused(client, alice, cuboid_dataset, django_capture_on_commit_callbacks):
    files = scene_files()
    del files[f"{SCENE}/lidar/000970.pcd"]

    errors = refused(client, alice, cuboid_dataset, files, django_capture_on_commit_callbacks)

    assert {(error["path"], error["rule"]) for error in errors} >= {(f"{SCENE}/label/000970.json", "no_lidar")}


def test_calibration_missing_or_not_a_rotation_is_refused(
    client, alice, multisensor_dataset, django_capture_on_commit_callbacks
):
    files = scene_files()
    del files[f"{SCENE}/calib/camera/left.json"]
    errors = refused(client, alice, multisensor_dataset, files, django_capture_on_commit_callbacks)
    assert [(error["path"], error["rule"]) for error in errors] == [
        (f"{SCENE}/calib/camera/left.json", "calibration_missing")
    ]

    files = scene_files("scene-b")
    calibration = json.loads(files["scene-b/calib/camera/front.json"])
    calibration["extrinsic"][0] *= 2
    files["scene-b/calib/camera/front.json"] = json.dumps(calibration).encode()
    errors = refused(client, alice, multisensor_dataset, files, django_capture_on_commit_callbacks)
    assert [(error["path"], error["rule"]) for error in errors] == [("scene-b/calib/camera/front.json", "not_rotation")]


def test_label_file_that_is_not_sustechpoints_is_refused(
    client, alice, cuboid_dataset, django_capture_on_commit_callbacks
):
    files = scene_files()
    files[f"{SCENE}/label/000965.json"] = json.dumps({"annotations": []}).encode()

    errors = refused(client, alice, cuboid_dataset, files, django_capture_on_commit_callbacks)

    assert [(error["path"], error["rule"]) for error in errors] == [(f"{SCENE}/label/000965.json", "sustech_label")]


def test_missing_camera_image_is_refused(client, alice, multisensor_dataset, django_capture_on_commit_callbacks):
    files = scene_files()
    del files[f"{SCENE}/camera/right/000975.jpg"]

    errors = refused(client, alice, multisensor_dataset, files, django_capture_on_commit_callbacks)

    assert [(error["path"], error["rule"]) for error in errors] == [
        (f"{SCENE}/camera/right/000975.jpg", "missing_image")
    ]


def test_file_outside_the_scene_layout_is_refused_at_upload(client, alice, cuboid_dataset):
    client.force_login(alice)
    url = f"/app/{cuboid_dataset.owner_name}/{cuboid_dataset.name}/import/sustech-scene/files/"

    stray = client.post(url, {"file": SimpleUploadedFile("notes.json", b"{}"), "relativePath": f"{SCENE}/notes.json"})
    fake = client.post(
        url, {"file": SimpleUploadedFile("000965.pcd", b"hello"), "relativePath": f"{SCENE}/lidar/000965.pcd"}
    )

    assert stray.status_code == 400
    assert "not part of a SUSTechPOINTS scene" in stray.json()["reason"]
    assert fake.status_code == 400
    assert "PCD" in fake.json()["reason"]


def test_lidar_poses_become_each_frames_ego_pose(client, alice, cuboid_dataset, django_capture_on_commit_callbacks):
    files = scene_files()
    for index, frame in enumerate(["000950", "000965", "000970", "000975"]):
        pose = [1, 0, 0, 10.0 * index, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        files[f"{SCENE}/lidar_pose/{frame}.json"] = json.dumps({"lidarPose": pose}).encode()
    client.force_login(alice)

    job = run_import(client, cuboid_dataset, files, django_capture_on_commit_callbacks)

    assert job["status"] == "SUCCEEDED", job
    frames = Sample.objects.get(dataset=cuboid_dataset).attributes["frames"]
    assert [frame["ego_pose"]["position"]["x"] for frame in frames] == [0.0, 10.0, 20.0, 30.0]
    assert frames[0]["ego_pose"]["heading"] == {"qx": 0.0, "qy": 0.0, "qz": 0.0, "qw": 1.0}


def test_same_scene_twice_is_refused_and_the_first_label_kept(
    client, alice, cuboid_dataset, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    first = run_import(client, cuboid_dataset, scene_files(), django_capture_on_commit_callbacks)
    label = Label.objects.get(sample__dataset=cuboid_dataset)

    second = run_import(client, cuboid_dataset, scene_files(), django_capture_on_commit_callbacks)

    assert (first["status"], second["status"]) == ("SUCCEEDED", "FAILED")
    assert [(error["path"], error["rule"]) for error in second["errors"]] == [(SCENE, "exists")]
    assert Sample.objects.filter(dataset=cuboid_dataset).count() == 1
    assert Label.objects.get(sample__dataset=cuboid_dataset).version == label.version
