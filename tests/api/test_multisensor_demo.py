"""The `multisensor-sequence` demo (datasets/demo_multisensor.py) through the unmodified SDK: sample, pre-labels
and a release, sensors in the sample's order, calibration converted from the source's lidar -> camera files."""

import json
import re

import numpy as np
import pytest
from segments import SegmentsClient, SegmentsDataset
from segments.typing import MultiSensorLabelAttributes, MultiSensorSampleAttributes
from segments.utils import load_release

from datasets.demo import create_demo_data
from datasets.demo_multisensor import DEMO_CAMERAS, DEMO_FRAMES, EXAMPLE_POINTCLOUD_SEQUENCE, PRELABELS
from datasets.models import Label, Sample
from labeling.core.projection import camera_from_attributes, cuboid_corners, project_points
from labeling.services import create_api_key

SENSORS = ["lidar", *DEMO_CAMERAS]
DATASET = "demo-org/multisensor-sequence"


@pytest.fixture
def demo_sdk(live_server):
    demo = create_demo_data(live_server.url)
    client = SegmentsClient(api_key=create_api_key(demo.multisensor_dataset.created_by), api_url=live_server.url)
    yield client
    client.close()


def test_demo_sample_and_prelabels_come_through_the_sdk_with_sensors_in_order(demo_sdk):
    # when
    [sample] = demo_sdk.get_samples(DATASET)
    label = demo_sdk.get_label(sample.uuid, PRELABELS)
    # then
    assert isinstance(sample.attributes, MultiSensorSampleAttributes)
    assert [sensor.name for sensor in sample.attributes.sensors] == SENSORS
    lidar = sample.attributes.sensors[0].attributes
    assert [frame.name for frame in lidar.frames] == list(DEMO_FRAMES)
    assert [image.name for image in lidar.frames[0].images] == list(DEMO_CAMERAS)
    assert lidar.frames[0].images[0].camera_convention == "OpenGL"
    assert isinstance(label.attributes, MultiSensorLabelAttributes)
    assert [sensor.name for sensor in label.attributes.sensors] == SENSORS
    cuboids = label.attributes.sensors[0].attributes.frames[0].annotations
    source = json.loads((EXAMPLE_POINTCLOUD_SEQUENCE / "label" / "000965.json").read_text())
    assert len(cuboids) == len(source)
    assert {cuboid.track_id for cuboid in cuboids} == {int(box["obj_id"]) for box in source}
    assert label.label_status == "PRELABELED"


def test_demo_release_loads_with_the_sdk_sensors_in_order(demo_sdk):
    # when
    demo_sdk.add_release(DATASET, "v1")
    release = demo_sdk.get_release(DATASET, "v1")
    document = load_release(release)
    # then: every sample and label of the release file parses with the SDK's own models
    assert (release.status, release.samples_count) == ("SUCCEEDED", 1)
    assert document["dataset"]["task_type"] == "multisensor-sequence"
    [sample] = document["dataset"]["samples"]
    attributes = MultiSensorSampleAttributes.model_validate(sample["attributes"])
    assert [sensor.name for sensor in attributes.sensors] == SENSORS
    label = MultiSensorLabelAttributes.model_validate(sample["labels"][PRELABELS]["attributes"])
    assert [sensor.name for sensor in label.sensors] == SENSORS
    assert [sensor.task_type for sensor in label.sensors] == [
        "pointcloud-cuboid-sequence",
        *["image-vector-sequence"] * 3,
    ]


def test_sdk_segments_dataset_refuses_the_multisensor_task_type_whatever_the_release_file_says(demo_sdk, tmp_path):
    """segments-ai 1.33.0, segments/dataset.py: `SUPPORTED_DATASET_TYPES` (lines 91-100) lacks
    `multisensor-sequence` (and `pointcloud-cuboid-sequence`), `__init__` refuses any other `dataset.task_type`
    (lines 155-160) before reading a sample, and `__getitem__` has no branch for them either (line 351)."""
    # given the demo's release file, saved locally as the SDK also accepts a path
    demo_sdk.add_release(DATASET, "v1")
    release = demo_sdk.get_release(DATASET, "v1")
    release_file = tmp_path / "release.json"
    release_file.write_text(json.dumps(load_release(release)))
    # when / then: refused from the Release object and from the file, on the task type alone
    refusal = f"You can only create a dataset for tasks of types {', '.join(SegmentsDataset.SUPPORTED_DATASET_TYPES)}"
    for source in (release, str(release_file)):
        with pytest.raises(ValueError, match=re.escape(f"{refusal} for now. Got multisensor-sequence.")):
            SegmentsDataset(source, labelset=PRELABELS, segments_dir=str(tmp_path / "cache"))
    # and with the type let through, an item still cannot be built: the SDK has no code for this task type
    widened = type(
        "WidenedSegmentsDataset",
        (SegmentsDataset,),
        {"SUPPORTED_DATASET_TYPES": [*SegmentsDataset.SUPPORTED_DATASET_TYPES, "multisensor-sequence"]},
    )
    dataset = widened(str(release_file), labelset=PRELABELS, segments_dir=None)
    assert len(dataset) == 1
    with pytest.raises(ValueError, match=r"^This task type is not yet supported\.$"):
        dataset[0]


def test_demo_is_idempotent_and_its_calibration_puts_cuboids_on_the_front_image(live_server):
    create_demo_data(live_server.url)
    create_demo_data(live_server.url)
    sample = Sample.objects.get(dataset__name="multisensor-sequence")
    label = Label.objects.get(sample=sample, labelset__name=PRELABELS)
    # the cars ahead (obj_id 4, 8, 20 at 30-50 m along -y) land in the front image, below the horizon
    camera = camera_from_attributes(sample.attributes["sensors"][0]["attributes"]["frames"][0]["images"][0])
    cuboids = {a["track_id"]: a for a in label.attributes["sensors"][0]["attributes"]["frames"][0]["annotations"]}
    for track_id in (4, 8, 20):
        pixels, depths = project_points(cuboid_corners(cuboids[track_id]), camera)
        assert np.isfinite(pixels).all()
        assert (depths > 25).all()
        assert (pixels[:, 0] > 0).all()
        assert (pixels[:, 0] < 2048).all()
        assert (pixels[:, 1] > 700).all()
        assert (pixels[:, 1] < 1000).all()
