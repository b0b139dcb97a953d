"""The multi-sensor editor page: a multisensor-sequence sample opens it (not the "no editor" page) with each
sensor's frames in the sample's order, the point-cloud sensor's ego poses and the stored attributes (the
calibrations the cameras project with) in the editor config."""

import pytest
from django.urls import reverse

from datasets.models import Sample
from datasets.services.datasets import create_dataset

pytestmark = pytest.mark.django_db

POSE = {"position": {"x": 1.0, "y": 2.0, "z": 0.5}, "heading": {"qx": 0.0, "qy": 0.0, "qz": 0.0, "qw": 1.0}}
CALIBRATION = {
    "name": "front",
    "url": "http://x/front-0.jpg",
    "intrinsics": {"intrinsic_matrix": [[1000, 0, 960], [0, 1000, 540], [0, 0, 1]]},
    "extrinsics": {"translation": {"x": 0, "y": 0, "z": 1.5}, "rotation": {"qx": 0, "qy": 0, "qz": 0, "qw": 1}},
}
ATTRIBUTES = {
    "sensors": [
        {
            "name": "front",
            "task_type": "image-vector-sequence",
            "attributes": {"frames": [{"image": {"url": "http://x/front-0.jpg"}, "name": "f0", "timestamp": 0}]},
        },
        {
            "name": "lidar",
            "task_type": "pointcloud-cuboid-sequence",
            "attributes": {
                "frames": [
                    {
                        "pcd": {"url": "http://x/0.pcd", "type": "pcd"},
                        "name": "f0",
                        "ego_pose": POSE,
                        "images": [CALIBRATION],
                    },
                    {"pcd": {"url": "http://x/1.pcd", "type": "pcd"}, "name": "f1"},
                ]
            },
        },
    ]
}


def test_a_multisensor_sample_opens_the_multisensor_editor_with_every_sensor_in_order(client, alice):
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="drive",
        task_type="multisensor-sequence",
        task_attributes={"format_version": "0.1", "categories": [{"id": 1, "name": "car"}]},
    )
    sample = Sample.objects.create(dataset=dataset, name="drive-1", attributes=ATTRIBUTES, created_by=alice)
    client.force_login(alice)

    response = client.get(reverse("label-editor", args=["alice", "drive", sample.uuid]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "editors/multisensor/multisensor-main.js" in html
    assert "node_modules/three/build/three.module.js" in html
    assert 'id="multisensor-editor"' in html
    assert 'data-testid="lidar-overlay"' in html
    assert "{#" not in html  # no template comment shows on the page
    config = response.context["editor_config"]["sample"]
    assert [(sensor["name"], sensor["task_type"], sensor["kind"]) for sensor in config["sensors"]] == [
        ("front", "image-vector-sequence", "image"),
        ("lidar", "pointcloud-cuboid-sequence", "pointcloud"),
    ]
    assert config["sensors"][0]["frames"] == [{"image_url": "http://x/front-0.jpg", "name": "f0", "timestamp": 0}]
    assert config["sensors"][1]["ego_poses"] == [POSE, None]
    assert [frame["name"] for frame in config["frames"]] == ["f0", "f1"]  # the longest sensor: the timeline
    assert config["attributes"] == ATTRIBUTES
