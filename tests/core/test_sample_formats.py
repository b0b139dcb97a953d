"""Sample attributes for every sample type: structure only, dummy URLs allowed, every issue located."""

import copy
import json
import math

import pytest
from segments import typing as sdk

from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import TASK_TYPES, sample_type_for_task_type
from labeling.core.sample_formats import validate_sample_attributes
from tests.core.label_examples import DELETE, mutate, samples
from tests.core.shared_data import SHARED_DATA

SDK_MODELS = {
    "image": sdk.ImageSampleAttributes,
    "image-sequence": sdk.ImageSequenceSampleAttributes,
    "pointcloud": sdk.PointcloudSampleAttributes,
    "pointcloud-sequence": sdk.PointcloudSequenceSampleAttributes,
    "multisensor-sequence": sdk.MultiSensorSampleAttributes,
}


def _calibrated_camera(name: str) -> dict:
    """A camera of the real SUSTechPOINTS calibration as a Segments.ai calibrated image."""
    calibration = json.loads((SHARED_DATA / "pointcloud_sequence" / "calib" / "camera" / f"{name}.json").read_text())
    intrinsic = calibration["intrinsic"]
    extrinsic = calibration["extrinsic"]
    return {
        "url": f"https://example.com/camera/{name}/000965.jpg",
        "name": name,
        "row": 0,
        "col": ["left", "front", "right"].index(name),
        "intrinsics": {"intrinsic_matrix": [intrinsic[0:3], intrinsic[3:6], intrinsic[6:9]]},
        "extrinsics": {
            "translation": {"x": extrinsic[3], "y": extrinsic[7], "z": extrinsic[11]},
            "rotation": {"qx": 0.5, "qy": -0.5, "qz": 0.5, "qw": -0.5},
        },
        "distortion": {
            "model": "brown-conrady",
            "coefficients": {"k1": 0, "k2": 0, "p1": 0, "p2": 0, "k3": 0},
        },
        "camera_convention": "OpenCV",
    }


FULL_POINTCLOUD = {
    "pcd": {"url": "https://example.com/lidar/000965.pcd", "type": "pcd", "signed_url": None},
    "images": [_calibrated_camera(name) for name in ("left", "front", "right")],
    "ego_pose": {"position": {"x": 1, "y": 2, "z": 0}, "heading": {"qx": 0, "qy": 0, "qz": 0, "qw": 1}},
    "default_z": -1.5,
    "name": "000965",
    "timestamp": 1818.81,
    "bounds": {"min_x": -50, "max_x": 50, "min_z": -3, "max_z": None},
    "ortho_images": [
        {
            "url": "https://example.com/ortho.png",
            "corners": {
                corner: {"x": x, "y": y}
                for corner, x, y in (
                    ("top_left", -50, 50),
                    ("top_right", 50, 50),
                    ("bottom_right", 50, -50),
                    ("bottom_left", -50, -50),
                )
            },
            "height_map": {
                "url": "https://example.com/height.png",
                "encoding": "rgb16",
                "offset": -2,
                "scale": 0.01,
            },
        }
    ],
}
# The SDK's tests/fixtures/payloads.py sample fixtures: dummy URLs and an all-zero ego heading.
SDK_FIXTURE_POINTCLOUD = {
    "pcd": {"url": "url", "type": "kitti"},
    "ego_pose": {"position": {"x": 0, "y": 0, "z": 0}, "heading": {"qx": 0, "qy": 0, "qz": 0, "qw": 0}},
    "default_z": -1,
    "name": "test_name",
    "timestamp": 1000,
}
SDK_FIXTURES = {
    "segmentation-bitmap": {"image": {"url": "url"}},
    "image-vector-sequence": {"frames": [{"image": {"url": "url"}}, {"image": {"url": ""}}]},
    "pointcloud-cuboid": SDK_FIXTURE_POINTCLOUD,
    "pointcloud-cuboid-sequence": {"frames": [SDK_FIXTURE_POINTCLOUD, SDK_FIXTURE_POINTCLOUD]},
    "multisensor-sequence": {
        "sensors": [
            {
                "name": "Lidar",
                "task_type": "pointcloud-cuboid-sequence",
                "attributes": {"frames": [SDK_FIXTURE_POINTCLOUD]},
            },
            {
                "name": "Camera 1",
                "task_type": "image-vector-sequence",
                "attributes": {"frames": [{"image": {"url": "url"}}]},
            },
        ]
    },
}


@pytest.mark.parametrize("task_type", TASK_TYPES)
def test_sample_of_every_task_type_validates_and_is_left_untouched(task_type):
    sample = samples()[task_type]
    stored = copy.deepcopy(sample)

    assert validate_sample_attributes(task_type, sample) is None
    assert sample == stored


@pytest.mark.parametrize(("task_type", "sample"), SDK_FIXTURES.items())
def test_sdk_fixture_samples_with_dummy_urls_validate(task_type, sample):
    validate_sample_attributes(task_type, sample)

    assert SDK_MODELS[sample_type_for_task_type(task_type)].model_validate(sample)


def test_fully_calibrated_point_cloud_with_real_intrinsics_validates_and_matches_the_sdk_model():
    validate_sample_attributes("pointcloud-cuboid", FULL_POINTCLOUD)
    model = sdk.PointcloudSampleAttributes.model_validate(FULL_POINTCLOUD)

    assert model.images[1].intrinsics.intrinsic_matrix[0][0] == pytest.approx(1210.062981)
    validate_sample_attributes("pointcloud-vector-sequence", {"frames": [FULL_POINTCLOUD, FULL_POINTCLOUD]})


@pytest.mark.parametrize("pcd_type", ["pcd", "binary-xyzi", "kitti", "binary-xyzir", "nuscenes", "ply", "las", "splat"])
def test_every_documented_point_cloud_type_is_accepted(pcd_type):
    validate_sample_attributes("pointcloud-segmentation", {"pcd": {"url": "u", "type": pcd_type}})


def test_fisheye_distortion_is_accepted():
    camera = {"distortion": {"model": "fisheye", "coefficients": {"k1": 0.1, "k2": 0, "k3": 0, "k4": 0}}}

    validate_sample_attributes("pointcloud-cuboid", {**FULL_POINTCLOUD, "images": [camera]})


MALFORMED = [
    ("segmentation-bitmap", "image", DELETE, "image", "required"),
    ("segmentation-bitmap", "image", "https://example.com/a.png", "image", "type"),
    ("bboxes", "image.url", 5, "image.url", "type"),
    ("image-vector-sequence", "frames", [], "frames", "min_items"),
    ("image-vector-sequence", "frames", {}, "frames", "type"),
    ("image-vector-sequence", "frames[1].image", DELETE, "frames[1].image", "required"),
    ("image-segmentation-sequence", "frames[0].timestamp", True, "frames[0].timestamp", "type"),
    ("image-segmentation-sequence", "frames[0].name", 3, "frames[0].name", "type"),
    ("pointcloud-cuboid", "pcd", DELETE, "pcd", "required"),
    ("pointcloud-cuboid", "pcd.type", "xyz", "pcd.type", "one_of"),
    ("pointcloud-cuboid", "pcd.type", DELETE, "pcd.type", "required"),
    ("pointcloud-cuboid", "pcd.url", None, "pcd.url", "type"),
    ("pointcloud-vector", "images", None, "images", "type"),
    (
        "pointcloud-vector",
        "images[0].intrinsics.intrinsic_matrix",
        [[1, 0, 0], [0, 1, 0]],
        None,
        "matrix_shape",
    ),
    ("pointcloud-vector", "images[0].intrinsics.intrinsic_matrix[2][2]", "1", None, "type"),
    ("pointcloud-vector", "images[0].distortion.model", "pinhole", None, "one_of"),
    ("pointcloud-vector", "images[0].distortion.coefficients.k3", DELETE, None, "required"),
    ("pointcloud-vector", "images[1].camera_convention", "Vulkan", None, "one_of"),
    ("pointcloud-vector", "images[1].row", -1, None, "non_negative"),
    ("pointcloud-vector", "images[2].extrinsics.rotation.qw", DELETE, None, "required"),
    ("pointcloud-vector", "images[2].extrinsics.translation.x", math.nan, None, "finite"),
    (
        "pointcloud-vector",
        "images[2].extrinsics.rotation.qw",
        0.9,
        "images[2].extrinsics.rotation",
        "quaternion_not_unit",
    ),
    (
        "pointcloud-vector",
        "images[0].intrinsics.intrinsic_matrix",
        [[1210.0, 0, 1022.4], [0, 0, 792.5], [0, 0, 1]],
        None,
        "intrinsics_not_invertible",
    ),
    (
        "pointcloud-vector",
        "images[1].intrinsics.intrinsic_matrix",
        [[1210.0, 0, 1022.4], [0, 1205.8, 792.5], [0, 1, 1]],
        None,
        "intrinsics_not_invertible",
    ),
    (
        "multisensor-sequence",
        "sensors[0].attributes.frames[0].images",
        [
            {
                "name": "front",
                "extrinsics": {
                    "translation": {"x": 0, "y": 0, "z": 0},
                    "rotation": {"qx": 0, "qy": 0, "qz": 0, "qw": 0},
                },
            }
        ],
        "sensors[0].attributes.frames[0].images[0].extrinsics.rotation",
        "quaternion_not_unit",
    ),
    ("pointcloud-segmentation", "ego_pose.heading.qw", DELETE, None, "required"),
    ("pointcloud-segmentation", "ego_pose.position", [0, 0, 0], None, "type"),
    ("pointcloud-segmentation", "default_z", math.inf, None, "finite"),
    ("pointcloud-segmentation", "timestamp", [], None, "type"),
    ("pointcloud-segmentation", "bounds.min_x", 60, "bounds.max_x", "bounds_order"),
    ("pointcloud-segmentation", "bounds.max_z", "high", None, "type"),
    ("pointcloud-segmentation", "ortho_images[0].height_map.scale", 0, None, "positive"),
    ("pointcloud-segmentation", "ortho_images[0].height_map.encoding", "rgb24", None, "one_of"),
    ("pointcloud-segmentation", "ortho_images[0].corners.top_left", DELETE, None, "required"),
    ("pointcloud-segmentation", "ortho_images[0].url", DELETE, None, "required"),
    ("pointcloud-cuboid-sequence", "frames[1].pcd.type", "pcl", None, "one_of"),
    ("pointcloud-vector-sequence", "frames", [], None, "min_items"),
    ("pointcloud-segmentation-sequence", "ortho_images", {}, None, "type"),
    ("multisensor-sequence", "sensors", [], None, "min_items"),
    ("multisensor-sequence", "sensors[0].task_type", "pointcloud-cuboid", None, "one_of"),
    ("multisensor-sequence", "sensors[1].name", "Lidar", None, "duplicate_name"),
    ("multisensor-sequence", "sensors[1].attributes.frames[0].image", DELETE, None, "required"),
    ("multisensor-sequence", "sensors[0].attributes.frames[0].pcd", DELETE, None, "required"),
    ("multisensor-sequence", "sensors[2].attributes", DELETE, None, "required"),
    ("text-named-entities", "text", DELETE, None, "required"),
    ("text-span-categorization", "text", 42, None, "type"),
]


def _sample(task_type: str) -> dict:
    sample = samples()[task_type]
    if task_type in ("pointcloud-vector", "pointcloud-segmentation"):
        sample = copy.deepcopy(FULL_POINTCLOUD)
    if task_type == "pointcloud-segmentation-sequence":
        sample["ortho_images"] = []
    return sample


@pytest.mark.parametrize(
    ("task_type", "path", "value", "expect", "rule"),
    MALFORMED,
    ids=[f"{task_type}:{path}->{rule}" for task_type, path, _, _, rule in MALFORMED],
)
def test_malformed_sample_is_rejected_with_its_path_and_rule(task_type, path, value, expect, rule):
    sample = mutate(_sample(task_type), path, value)

    with pytest.raises(LabelFormatError) as raised:
        validate_sample_attributes(task_type, sample)

    assert [(issue.path, issue.rule) for issue in raised.value.issues] == [(expect or path, rule)]


def test_sample_issues_are_all_collected():
    sample = mutate(FULL_POINTCLOUD, "pcd.type", "xyz")
    sample = mutate(sample, "images[0].row", "top")
    sample = mutate(sample, "default_z", None)

    with pytest.raises(LabelFormatError) as raised:
        validate_sample_attributes("pointcloud-cuboid", sample)

    assert [(issue.path, issue.rule) for issue in raised.value.issues] == [
        ("pcd.type", "one_of"),
        ("images[0].row", "type"),
    ]


@pytest.mark.parametrize(
    ("task_type", "sample"), [("vector", []), ("pointcloud-cuboid", "pcd"), ("text-named-entities", None)]
)
def test_sample_that_is_not_an_object_is_rejected_at_the_root(task_type, sample):
    with pytest.raises(LabelFormatError) as raised:
        validate_sample_attributes(task_type, sample)

    assert [(issue.path, issue.rule) for issue in raised.value.issues] == [("", "type")]


def test_sample_of_an_unknown_task_type_is_rejected():
    with pytest.raises(LabelFormatError) as raised:
        validate_sample_attributes("video", {"image": {"url": "u"}})

    assert raised.value.issues[0].rule == "unknown_task_type"
