"""The cuboid editor page: both cuboid task types open it (not the 501 page), with the config keys it reads."""

import json
import re

import pytest
from django.urls import reverse

from datasets.models import Collaborator, Sample
from datasets.services.datasets import create_dataset

pytestmark = pytest.mark.django_db

EGO_POSE = {"position": {"x": 10.0, "y": -2.0, "z": 0.5}, "heading": {"qx": 0.0, "qy": 0.0, "qz": 0.0, "qw": 1.0}}


def cuboid_sample(owner, labeler, task_type: str, attributes: dict) -> Sample:
    dataset = create_dataset(
        owner,
        owner_name=owner.username,
        owner_user=owner,
        name=task_type,
        task_type=task_type,
        task_attributes={"format_version": "0.1", "categories": [{"id": 1, "name": "car"}]},
    )
    Collaborator.objects.create(dataset=dataset, user=labeler, role="labeler")
    return Sample.objects.create(dataset=dataset, name="frame", attributes=attributes, created_by=owner)


def editor_config(client, sample: Sample) -> dict:
    dataset = sample.dataset
    response = client.get(reverse("label-editor", args=[dataset.owner_name, dataset.name, sample.uuid]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="cuboid-editor"' in page
    assert "editors/cuboid/cuboid-main.js" in page
    assert '"importmap"' in page
    found = re.search(r'<script id="editor-config" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_labeler_opens_a_cuboid_frame_with_its_ego_pose_and_rotation_setting(client, alice, labeler):
    pcd = {"url": "https://example.com/frame.bin", "type": "kitti"}
    sample = cuboid_sample(alice, labeler, "pointcloud-cuboid", {"pcd": pcd, "ego_pose": EGO_POSE})
    client.force_login(labeler)

    config = editor_config(client, sample)

    assert config["sample"]["ego_poses"] == [EGO_POSE]
    assert config["dataset"]["enable_3d_cuboid_rotation"] is False


def test_labeler_opens_a_cuboid_sequence_with_one_ego_pose_per_frame(client, alice, labeler):
    frames = [
        {"pcd": {"url": "https://example.com/0.bin", "type": "kitti"}, "ego_pose": EGO_POSE, "timestamp": 0},
        {"pcd": {"url": "https://example.com/1.bin", "type": "kitti"}, "timestamp": 1},
    ]
    sample = cuboid_sample(alice, labeler, "pointcloud-cuboid-sequence", {"frames": frames})
    client.force_login(labeler)

    config = editor_config(client, sample)

    assert config["sample"]["ego_poses"] == [EGO_POSE, None]
    assert [frame["timestamp"] for frame in config["sample"]["frames"]] == [0, 1]
    assert config["dataset"]["task_type"] == "pointcloud-cuboid-sequence"
