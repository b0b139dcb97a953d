"""The point-cloud segmentation and 3D vector editor pages: each of the four task types opens its editor (not the
"no editor" page), with the three.js import map and the frames' ego poses in the editor config."""

import pytest
from django.urls import reverse

from datasets.models import Sample
from datasets.services.datasets import create_dataset

pytestmark = pytest.mark.django_db

POSE = {"position": {"x": 1.0, "y": 2.0, "z": 0.5}, "heading": {"qx": 0.0, "qy": 0.0, "qz": 0.0, "qw": 1.0}}
CLOUD = {"pcd": {"url": "http://x/cloud.pcd", "type": "pcd"}}


@pytest.mark.parametrize(
    ("task_type", "script", "attributes", "poses"),
    [
        ("pointcloud-segmentation", "editors/pointcloud-segmentation/editor.js", {**CLOUD, "ego_pose": POSE}, [POSE]),
        (
            "pointcloud-segmentation-sequence",
            "editors/pointcloud-segmentation/editor.js",
            {"frames": [{**CLOUD, "ego_pose": POSE}, CLOUD]},
            [POSE, None],
        ),
        ("pointcloud-vector", "editors/pointcloud-vector/editor.js", CLOUD, [None]),
        ("pointcloud-vector-sequence", "editors/pointcloud-vector/editor.js", {"frames": [CLOUD]}, [None]),
    ],
)
def test_each_point_cloud_task_type_opens_its_editor(client, alice, task_type, script, attributes, poses):
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="lidar",
        task_type=task_type,
        task_attributes={"format_version": "0.1", "categories": [{"id": 1, "name": "car"}]},
    )
    sample = Sample.objects.create(dataset=dataset, name="cloud", attributes=attributes, created_by=alice)
    client.force_login(alice)

    response = client.get(reverse("label-editor", args=["alice", "lidar", sample.uuid]))

    assert response.status_code == 200
    html = response.content.decode()
    assert script in html
    assert "node_modules/three/build/three.module.js" in html
    assert 'id="pointcloud-editor"' in html
    assert response.context["editor_config"]["sample"]["ego_poses"] == poses
