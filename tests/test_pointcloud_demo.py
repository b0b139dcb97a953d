"""The point-cloud demo datasets of `make run` (issue 15 item 4, issue 17 item 5): real frames, ground-truth
cuboids imported into `prelabels` exactly as the SUSTechPOINTS files give them, clouds read, idempotent."""

import json
import math

import pytest

from datasets.demo import create_demo_data
from datasets.models import Label, PointCloudFrame
from tests.core.shared_data import SHARED_DATA

pytestmark = pytest.mark.django_db(transaction=True)

LABELS = SHARED_DATA / "pointcloud_sequence" / "label"
FRAMES = ("000950", "000965", "000970", "000975")
COUNTS = (68242, 66781, 66899, 67153)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_cuboid_sequence_holds_the_ground_truth_boxes_of_the_files():
    demo = create_demo_data(site_url="http://testserver")
    sequence = demo.lidar_datasets[0]

    label = Label.objects.get(sample__dataset=sequence, labelset__name="prelabels")
    assert (sequence.task_type, label.label_status) == ("pointcloud-cuboid-sequence", "PRELABELED")
    frames = label.attributes["frames"]
    assert len(frames) == 4
    categories = {category["id"]: category["name"] for category in sequence.task_attributes["categories"]}
    for frame, name in zip(frames, FRAMES, strict=True):
        expected = json.loads((LABELS / f"{name}.json").read_text())
        # the interpolation worker fills tracks between their keyframes; the keyframes are the files' boxes
        by_track = {a["track_id"]: a for a in frame["annotations"] if a["is_keyframe"]}
        assert sorted(by_track) == sorted(int(box["obj_id"]) for box in expected)
        for box in expected:
            cuboid = by_track[int(box["obj_id"])]
            assert categories[cuboid["category_id"]] == box["obj_type"]
            assert cuboid["type"] == "cuboid"
            assert cuboid["position"] == pytest.approx(box["psr"]["position"], abs=1e-9)
            assert cuboid["dimensions"] == pytest.approx(box["psr"]["scale"], abs=1e-9)
            yaw = box["psr"]["rotation"]["z"]
            assert math.cos(cuboid["yaw"] - yaw) == pytest.approx(1.0)
            assert -math.pi <= cuboid["yaw"] <= math.pi


def test_the_demo_clouds_are_read_and_every_lidar_dataset_exists():
    demo = create_demo_data(site_url="http://testserver")

    task_types = [dataset.task_type for dataset in demo.lidar_datasets]
    assert task_types == [
        "pointcloud-cuboid-sequence",
        "pointcloud-cuboid",
        "pointcloud-segmentation",
        "pointcloud-segmentation-sequence",
    ]
    for dataset in demo.lidar_datasets:
        frames = PointCloudFrame.objects.filter(sample__dataset=dataset).order_by("frame")
        expected = COUNTS if dataset.task_type.endswith("sequence") else COUNTS[:1]
        assert [(frame.status, frame.point_count) for frame in frames] == [("READ", count) for count in expected]


def test_loading_the_demo_again_changes_no_label_and_reads_no_cloud_again():
    demo = create_demo_data(site_url="http://testserver")
    before = {label.pk: label.version for label in Label.objects.all()}
    read_at = {frame.pk: frame.read_at for frame in PointCloudFrame.objects.all()}

    again = create_demo_data(site_url="http://testserver")

    assert [dataset.pk for dataset in again.lidar_datasets] == [dataset.pk for dataset in demo.lidar_datasets]
    assert {label.pk: label.version for label in Label.objects.all()} == before
    assert {frame.pk: frame.read_at for frame in PointCloudFrame.objects.all()} == read_at


def test_the_pointcloud_import_map_points_at_served_three_modules(client):
    from django.template.loader import render_to_string

    imports = json.loads(render_to_string("datasets/_pointcloud_importmap.html").split(">", 1)[1].rsplit("<", 1)[0])

    module = client.get(imports["imports"]["three"])
    controls = client.get(imports["imports"]["three/examples/jsm/"] + "controls/OrbitControls.js")
    viewport = client.get("/static/editors/pointcloud/viewport3d.js")
    assert (module.status_code, controls.status_code, viewport.status_code) == (200, 200, 200)
    assert b"from 'three'" in b"".join(controls.streaming_content)
