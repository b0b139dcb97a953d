"""Releases of the lidar cuboid demo datasets load with the official SDK (segments-ai 1.33.0) and carry the saved
cuboids: position, dimensions, yaw and track ids, as stored.

The single frame (`demo-org/lidar-cuboids`, task type `pointcloud-cuboid`) goes through `SegmentsDataset`. The SDK's
`SegmentsDataset` refuses `pointcloud-cuboid-sequence` (it is not in its SUPPORTED_DATASET_TYPES), so the
sequence's release is read with the SDK's `load_release`, the same release file `SegmentsDataset` reads.
"""

import copy

import pytest
from segments import SegmentsClient, SegmentsDataset
from segments.utils import load_release

from datasets import demo_pointclouds as lidar
from datasets.demo import DEMO_LIDAR_FRAME_DATASET, DEMO_LIDAR_SEQUENCE_DATASET, DEMO_ORGANIZATION, create_demo_data
from datasets.models import Dataset, Release
from datasets.services.labels import save_label
from datasets.services.releases import create_release
from labeling.services import create_api_key

pytestmark = pytest.mark.django_db(transaction=True)

FIELDS = ("id", "category_id", "type", "position", "dimensions", "yaw")


@pytest.fixture
def demo(live_server):
    return create_demo_data(site_url=live_server.url)


@pytest.fixture
def sdk(live_server, demo):
    client = SegmentsClient(api_key=create_api_key(demo.dataset.created_by), api_url=live_server.url)
    yield client
    client.close()


def frame_cuboids() -> list[dict]:
    """The ground-truth boxes of the example frame 000950, moved a little so they differ from any prelabel."""
    cuboids = [lidar.psr_to_cuboid(box, track=False) for box in lidar.ground_truth_boxes("000950")]
    for index, cuboid in enumerate(cuboids):
        cuboid["position"]["x"] += 0.25
        cuboid["yaw"] = round(cuboid["yaw"] / 2, 6)
        cuboid["dimensions"]["z"] += 0.01 * index
    return cuboids


def released(dataset: Dataset, name: str) -> Release:
    create_release(dataset.created_by, dataset, name=name)  # built by the (in-process) task after commit
    release = Release.objects.get(dataset=dataset, name=name)
    assert release.status == "SUCCEEDED", release.status
    return release


def demo_dataset(name: str) -> Dataset:
    return Dataset.objects.get(owner_name=DEMO_ORGANIZATION, name=name)


def test_segments_dataset_loads_the_saved_cuboids_of_the_single_frame_demo(demo, sdk, tmp_path):
    # given the single-frame lidar demo with cuboids saved in ground-truth, and a release of it
    dataset = demo_dataset(DEMO_LIDAR_FRAME_DATASET)
    (sample,) = dataset.samples.all()
    cuboids = frame_cuboids()
    assert len(cuboids) >= 5
    save_label(
        dataset.created_by,
        sample,
        "ground-truth",
        attributes={"format_version": "0.1", "annotations": copy.deepcopy(cuboids)},
        label_status="LABELED",
    )
    released(dataset, "v1")
    # when the official SDK loads the release
    loaded = SegmentsDataset(
        sdk.get_release(f"{DEMO_ORGANIZATION}/{DEMO_LIDAR_FRAME_DATASET}", "v1"),
        labelset="ground-truth",
        filter_by="LABELED",
        segments_dir=str(tmp_path / "segments"),
    )
    # then its one sample has exactly the saved cuboids, and the categories are the dataset's
    assert len(loaded) == 1
    item = loaded[0]
    assert item["name"] == sample.name
    assert item["attributes"]["pcd"]["type"] == "kitti"
    annotations = item["labels"]["ground-truth"]["attributes"]["annotations"]
    assert [{field: a[field] for field in FIELDS} for a in annotations] == cuboids
    assert [category.name for category in loaded.categories] == list(lidar.LIDAR_CATEGORY_NAMES)


def test_the_sequence_release_read_by_the_sdk_has_the_saved_tracks(demo, sdk):
    # given the 4-frame lidar sequence demo with its ground truth saved in ground-truth, one box moved in frame 2
    dataset = demo_dataset(DEMO_LIDAR_SEQUENCE_DATASET)
    (sample,) = dataset.samples.all()
    label = lidar.cuboid_sequence_label()
    moved = label["frames"][1]["annotations"][0]
    moved["position"]["y"] += 0.5
    moved["yaw"] = 0.125
    save_label(dataset.created_by, sample, "ground-truth", attributes=copy.deepcopy(label), label_status="LABELED")
    # when the SDK gets the release and reads its file
    released(dataset, "v1")
    release = sdk.get_release(f"{DEMO_ORGANIZATION}/{DEMO_LIDAR_SEQUENCE_DATASET}", "v1")
    content = load_release(release)
    # then every frame has the saved cuboids (keyframes) with their track ids, the moved box as saved; the
    # server may add interpolated (non-keyframe) boxes of tracks that span the frame
    assert content["dataset"]["task_type"] == "pointcloud-cuboid-sequence"
    (released_sample,) = content["dataset"]["samples"]
    frames = released_sample["labels"]["ground-truth"]["attributes"]["frames"]
    assert len(frames) == len(label["frames"]) == 4
    fields = (*FIELDS, "track_id", "is_keyframe")
    for saved, found in zip(label["frames"], frames, strict=True):
        keyframes = {
            a["track_id"]: {field: a[field] for field in fields} for a in found["annotations"] if a["is_keyframe"]
        }
        assert keyframes == {a["track_id"]: a for a in saved["annotations"]}
    (found_moved,) = [a for a in frames[1]["annotations"] if a["track_id"] == moved["track_id"]]
    assert (found_moved["yaw"], found_moved["position"]) == (0.125, moved["position"])
    assert {a["track_id"] for a in frames[0]["annotations"]} == {
        int(box["obj_id"]) for box in lidar.ground_truth_boxes("000950")
    }
    # and the prelabels label set is in the release too, as imported by the demo
    assert released_sample["labels"][lidar.PRELABELS]["label_status"] == "PRELABELED"
    # the SDK's SegmentsDataset itself does not take this task type (segments-ai 1.33.0)
    with pytest.raises(ValueError, match="pointcloud-cuboid-sequence"):
        SegmentsDataset(release, labelset="ground-truth", segments_dir=None)
