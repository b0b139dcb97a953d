"""Uploads of every sample kind through the dataset page's endpoints: an image folder becomes one sequence,
point clouds keep their type, text files become one sample per file or per line."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from datasets.models import Sample
from datasets.services.datasets import create_dataset

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def send(client, dataset, path: Path, relative_path: str) -> str:
    file = SimpleUploadedFile(path.name, path.read_bytes())
    url = reverse("upload-file", args=[dataset.owner_name, dataset.name])
    response = client.post(url, {"file": file, "relativePath": relative_path})
    assert response.status_code == 201, response.content
    return response.json()["asset"]


def finish(client, dataset, assets: list[str], **options) -> dict:
    url = reverse("upload-samples", args=[dataset.owner_name, dataset.name])
    return client.post(url, json.dumps({"assets": assets, **options}), "application/json").json()


def test_a_dropped_folder_of_frames_becomes_one_sequence_in_frame_order(client, alice):
    dataset = create_dataset(
        alice, owner_name="alice", owner_user=alice, name="video", task_type="image-vector-sequence"
    )
    client.force_login(alice)
    frames = sorted((EXAMPLES / "image_sequence").glob("*.jpg"))[:5]
    assets = [send(client, dataset, frame, f"drive-1/{frame.name}") for frame in reversed(frames)]

    summary = finish(client, dataset, assets)

    assert summary == {"created": ["drive-1"], "refused": []}
    sample = Sample.objects.get(dataset=dataset)
    assert [frame["name"] for frame in sample.attributes["frames"]] == [frame.name for frame in frames]
    assert all("/media/assets/" in frame["image"]["url"] for frame in sample.attributes["frames"])


def test_a_kitti_point_cloud_becomes_a_binary_xyzi_sample(client, alice):
    dataset = create_dataset(alice, owner_name="alice", owner_user=alice, name="lidar", task_type="pointcloud-cuboid")
    client.force_login(alice)
    asset = send(client, dataset, EXAMPLES / "pointcloud_single" / "000950.bin", "000950.bin")

    assert finish(client, dataset, [asset]) == {"created": ["000950.bin"], "refused": []}
    pcd = Sample.objects.get(dataset=dataset).attributes["pcd"]
    assert pcd["type"] == "binary-xyzi"
    assert pcd["url"].endswith("/000950.bin")


def test_a_text_file_becomes_one_sample_per_line(client, alice, tmp_path):
    dataset = create_dataset(alice, owner_name="alice", owner_user=alice, name="news", task_type="text-named-entities")
    client.force_login(alice)
    lines = (EXAMPLES / "text" / "wikigold_raw_text.txt").read_text().splitlines()[:3]
    text = tmp_path / "three.txt"
    text.write_text("\n".join(lines))

    summary = finish(client, dataset, [send(client, dataset, text, "three.txt")], text_per_line=True)

    assert len(summary["created"]) == len([line for line in lines if line.strip()])
    stored = Sample.objects.filter(dataset=dataset).order_by("created_at", "pk")
    assert [sample.attributes["text"] for sample in stored] == [line for line in lines if line.strip()]


def test_someone_elses_uploads_cannot_be_turned_into_samples(client, alice, vector_dataset, outsider):
    client.force_login(alice)
    asset = send(client, vector_dataset, EXAMPLES / "images" / "coffee.png", "coffee.png")
    mallory_dataset = create_dataset(outsider, owner_name="oscar", owner_user=outsider, name="mine", task_type="vector")
    client.force_login(outsider)
    assert finish(client, mallory_dataset, [asset]) == {"created": [], "refused": []}
    assert not Sample.objects.filter(dataset=mallory_dataset).exists()
