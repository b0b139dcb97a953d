"""Point clouds uploaded through the dataset page's endpoints with a pose file and calibrated camera images
(labeling/core/pointcloud_uploads.py): each frame gets its ego pose and its images; a bad pose or calibration
file is refused in the summary with the reason, and its folder's samples are not created."""

import json
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datasets.models import Sample
from datasets.services.datasets import create_dataset

pytestmark = pytest.mark.django_db
SCENE = Path(__file__).resolve().parents[2] / "examples" / "pointcloud_sequence"
FRAMES = ["000950", "000965", "000970", "000975"]


def send(client, dataset, relative_path: str, content: bytes) -> str:
    file = SimpleUploadedFile(Path(relative_path).name, content)
    url = reverse("upload-file", args=[dataset.owner_name, dataset.name])
    response = client.post(url, {"file": file, "relativePath": relative_path})
    assert response.status_code == 201, response.content
    return response.json()["asset"]


def upload(client, dataset, files: dict[str, bytes]) -> dict:
    assets = [send(client, dataset, path, content) for path, content in files.items()]
    url = reverse("upload-samples", args=[dataset.owner_name, dataset.name])
    return client.post(url, json.dumps({"assets": assets}), "application/json").json()


def scene_files(root: str = "drive") -> dict[str, bytes]:
    """The example's clouds in <root>/lidar/, its cameras and calibration (no labels)."""
    return {
        f"{root}/{path.relative_to(SCENE).as_posix()}": path.read_bytes()
        for path in sorted(SCENE.rglob("*"))
        if path.is_file() and path.parts[-2] != "label" and path.suffix != ".txt"
    }


def kitti_poses() -> str:
    """One 3x4 row-major line per frame: a quarter turn about z, the car 2 m further each frame."""
    return "\n".join(f"0 -1 0 {2.0 * index} 1 0 0 0 0 0 1 0" for index in range(len(FRAMES))) + "\n"


@pytest.fixture
def sequence_dataset(alice, client):
    client.force_login(alice)
    return create_dataset(
        alice, owner_name="alice", owner_user=alice, name="lidar", task_type="pointcloud-cuboid-sequence"
    )


def test_kitti_poses_and_calibrated_cameras_reach_every_frame(client, sequence_dataset):
    files = {**scene_files(), "drive/poses.txt": kitti_poses().encode()}

    summary = upload(client, sequence_dataset, files)

    assert summary == {"created": ["drive"], "refused": []}
    frames = Sample.objects.get(dataset=sequence_dataset).attributes["frames"]
    assert [frame["name"] for frame in frames] == [f"{name}.pcd" for name in FRAMES]
    assert [frame["ego_pose"]["position"] for frame in frames] == [
        {"x": 2.0 * index, "y": 0.0, "z": 0.0} for index in range(len(FRAMES))
    ]
    heading = frames[1]["ego_pose"]["heading"]
    assert np.allclose([heading[key] for key in ("qx", "qy", "qz", "qw")], [0, 0, np.sqrt(0.5), np.sqrt(0.5)])
    assert "images" not in frames[0]  # 000950 has no camera image
    images = frames[2]["images"]
    assert [image["name"] for image in images] == ["front", "left", "right"]
    assert images[0]["url"].endswith("/000970.jpg")
    assert images[0]["camera_convention"] == "OpenGL"
    assert set(images[0]["extrinsics"]) == {"translation", "rotation"}


def test_poses_json_names_each_cloud(client, alice):
    client.force_login(alice)
    dataset = create_dataset(alice, owner_name="alice", owner_user=alice, name="single", task_type="pointcloud-cuboid")
    pose = {"position": {"x": 1, "y": 2, "z": 3}, "heading": {"qx": 0, "qy": 0, "qz": 0, "qw": 1}}
    files = {
        "run/000950.pcd": (SCENE / "lidar" / "000950.pcd").read_bytes(),
        "run/000965.pcd": (SCENE / "lidar" / "000965.pcd").read_bytes(),
        "run/poses.json": json.dumps({"000950.pcd": pose, "000965": [1, 0, 0, 5, 0, 1, 0, 6, 0, 0, 1, 7]}).encode(),
    }

    summary = upload(client, dataset, files)

    assert summary == {"created": ["run/000950.pcd", "run/000965.pcd"], "refused": []}
    by_name = {sample.name: sample.attributes for sample in Sample.objects.filter(dataset=dataset)}
    assert by_name["run/000950.pcd"]["ego_pose"] == {
        "position": {"x": 1.0, "y": 2.0, "z": 3.0},
        "heading": {"qx": 0.0, "qy": 0.0, "qz": 0.0, "qw": 1.0},
    }
    assert by_name["run/000965.pcd"]["ego_pose"]["position"] == {"x": 5.0, "y": 6.0, "z": 7.0}


@pytest.mark.parametrize(
    ("bad_file", "content", "reason"),
    [
        ("drive/poses.txt", b"1 0 0 0 0 1 0 0 0 0 1 0\n", "1 pose lines for 4 point clouds"),
        ("drive/poses.json", b'{"000950.pcd": [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]}', "no pose for 000965.pcd"),
        (
            "drive/poses.json",
            json.dumps(
                {
                    name: {"position": {"x": 0, "y": 0, "z": 0}, "heading": {"qx": 1, "qy": 1, "qz": 0, "qw": 0}}
                    for name in FRAMES
                }
            ).encode(),
            "heading is not a unit quaternion",
        ),
        (
            "drive/calib/camera/left.json",
            b'{"extrinsic": [2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], '
            b'"intrinsic": [1000, 0, 500, 0, 1000, 400, 0, 0, 1]}',
            "not a rotation",
        ),
    ],
)
def test_bad_pose_or_calibration_file_is_refused_and_its_folder_not_created(
    client, sequence_dataset, bad_file, content, reason
):
    files = {**scene_files(), bad_file: content}

    summary = upload(client, sequence_dataset, files)

    assert summary["created"] == []
    refused = {item["name"]: item["reason"] for item in summary["refused"]}
    assert reason in refused[bad_file]
    assert refused["drive"] == f"not created: {bad_file} is refused"
    assert not Sample.objects.filter(dataset=sequence_dataset).exists()


def test_image_of_a_camera_without_calibration_is_refused_alone(client, sequence_dataset):
    files = {path: content for path, content in scene_files().items() if not path.endswith("calib/camera/right.json")}

    summary = upload(client, sequence_dataset, files)

    assert summary["created"] == ["drive"]
    reasons = {item["name"]: item["reason"] for item in summary["refused"]}
    assert set(reasons) == {f"drive/camera/right/{frame}.jpg" for frame in FRAMES[1:]}
    assert "camera right has no calib/camera/right.json" in reasons["drive/camera/right/000965.jpg"]
    frames = Sample.objects.get(dataset=sequence_dataset).attributes["frames"]
    assert [image["name"] for image in frames[1]["images"]] == ["front", "left"]
