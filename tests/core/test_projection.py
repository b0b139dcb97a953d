"""Projection into calibrated cameras (labeling/core/projection.py) against an independent NumPy reference
(tests/core/projection_reference.py) and OpenCV, on the demo's real calibration and ground-truth cuboids."""

import json

import cv2
import numpy as np
import pytest

from labeling.core.errors import LabelFormatError
from labeling.core.projection import (
    camera_from_attributes,
    clip_segment,
    cuboid_corners,
    project_cuboid_edges,
    project_points,
    projected_bounding_box,
)
from labeling.core.sustech import calibrated_image, cuboid_from_psr
from tests.core import projection_reference as reference

VECTOR_FILES = sorted(reference.VECTORS.glob("*.json"))


def assert_pixels_match(actual: np.ndarray, expected: list, tolerance: float) -> None:
    for index, pixel in enumerate(expected):
        if pixel is None:
            assert np.isnan(actual[index]).all(), f"point {index} is behind the camera but was projected"
        else:
            assert np.abs(actual[index] - pixel).max() <= tolerance, f"point {index}: {actual[index]} != {pixel}"


def test_there_are_vectors_for_both_conventions_and_every_distortion_model():
    descriptions = " ".join(json.loads(path.read_text())["description"] for path in VECTOR_FILES)
    assert len(VECTOR_FILES) == len(reference.CASES)
    for needle in ("OpenCV", "OpenGL", "distortion none", "brown-conrady", "fisheye"):
        assert needle in descriptions


@pytest.mark.parametrize("case", reference.CASES, ids=reference.vector_name)
def test_vectors_are_what_the_reference_computes(case):
    # the vectors go stale when the reference or the demo data change; NumPy and OpenCV releases move the last
    # digits only, which the comparison allows (1e-9 relative)
    stored = json.loads((reference.VECTORS / reference.vector_name(case)).read_text())
    assert_same_vector(stored, json.loads(json.dumps(reference.make_vector(*case))))


def assert_same_vector(stored, computed, path="$") -> None:
    if isinstance(stored, float) or isinstance(computed, float):
        assert computed == pytest.approx(stored, rel=1e-9, abs=1e-9), path
    elif isinstance(stored, dict):
        assert isinstance(computed, dict), path
        assert sorted(stored) == sorted(computed), path
        for key in stored:
            assert_same_vector(stored[key], computed[key], f"{path}.{key}")
    elif isinstance(stored, list):
        assert isinstance(computed, list), path
        assert len(stored) == len(computed), path
        for index, (left, right) in enumerate(zip(stored, computed, strict=True)):
            assert_same_vector(left, right, f"{path}[{index}]")
    else:
        assert stored == computed, path


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda path: path.stem)
def test_ground_truth_cuboid_corners_project_as_the_reference_does(path):
    vector = json.loads(path.read_text())
    camera = camera_from_attributes(vector["camera"])
    assert len(vector["cuboids"]) > 20
    for item in vector["cuboids"]:
        pixels, _ = project_points(cuboid_corners(item["cuboid"]), camera, vector["near"])
        assert_pixels_match(pixels, item["corners"], vector["tolerance_pixels"])


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda path: path.stem)
def test_cuboid_edges_are_clipped_at_the_near_plane_as_the_reference_does(path):
    vector = json.loads(path.read_text())
    camera = camera_from_attributes(vector["camera"])
    clipped_somewhere = False
    for item in vector["cuboids"]:
        polylines = project_cuboid_edges(item["cuboid"], camera, vector["near"])
        assert len(polylines) == len(item["edges"])
        for polyline, (_, start, end) in zip(polylines, item["edges"], strict=True):
            assert_pixels_match(polyline[[0, -1]], [start, end], vector["tolerance_pixels"])
        clipped_somewhere |= 0 < len(item["edges"]) < 12
    assert clipped_somewhere, "the straddling cuboid must have edges behind the camera"


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda path: path.stem)
def test_the_image_box_around_a_projected_cuboid_is_the_references(path):
    vector = json.loads(path.read_text())
    camera = camera_from_attributes(vector["camera"])
    boxes = [projected_bounding_box(item["cuboid"], camera, vector["image_size"]) for item in vector["cuboids"]]
    assert any(box is None for box in boxes)
    assert sum(box is not None for box in boxes) >= 3
    for box, item in zip(boxes, vector["cuboids"], strict=True):
        if item["bbox"] is None:
            assert box is None
        else:
            assert np.abs(np.array(box) - item["bbox"]).max() <= vector["tolerance_pixels"]


@pytest.mark.parametrize("camera_name", reference.CAMERAS)
@pytest.mark.parametrize("convention", ["OpenCV", "OpenGL"])
@pytest.mark.parametrize("distortion", ["none", "brown-conrady", "brown-conrady-rational", "fisheye"])
def test_projection_equals_opencv_for_every_ground_truth_cuboid(camera_name, convention, distortion):
    # given: OpenCV's own projection of every corner in front of the camera, from the file's lidar -> camera matrix
    matrix = np.array(reference.calibration(camera_name)["extrinsic"], dtype=float).reshape(4, 4)
    k = np.array(reference.calibration(camera_name)["intrinsic"], dtype=float).reshape(3, 3)
    rotation_vector, _ = cv2.Rodrigues(matrix[:3, :3])
    corners = np.vstack(
        [reference.reference_corners(label["psr"]) for f in reference.FRAMES for label in reference.labels(f)]
    )
    in_front = reference.reference_camera_points(corners, camera_name)[:, 2] >= reference.NEAR
    visible = corners[in_front]
    model = reference.DISTORTIONS[distortion]
    if model is None:
        expected, _ = cv2.projectPoints(visible, rotation_vector, matrix[:3, 3], k, None)
    elif model["model"] == "fisheye":
        coefficients = np.array([model["coefficients"][key] for key in ("k1", "k2", "k3", "k4")])
        expected, _ = cv2.fisheye.projectPoints(visible[:, None, :], rotation_vector, matrix[:3, 3], k, coefficients)
    else:
        keys = ("k1", "k2", "p1", "p2", "k3", "k4", "k5", "k6")
        coefficients = np.array([model["coefficients"].get(key, 0.0) for key in keys])
        expected, _ = cv2.projectPoints(visible, rotation_vector, matrix[:3, 3], k, coefficients)
    # when
    camera = camera_from_attributes(reference.camera_attributes(camera_name, convention, distortion))
    pixels, depths = project_points(corners, camera)
    # then: equal wherever drawn; not drawn behind the camera or beyond the lens model's monotonic range
    expected = expected.reshape(-1, 2)
    drawn = np.isfinite(pixels[in_front, 0])
    assert drawn.sum() > 100
    assert np.isnan(pixels[~in_front]).all()
    assert np.abs(pixels[in_front][drawn] - expected[drawn]).max() <= 0.5
    normalized = reference.reference_camera_points(visible, camera_name)
    radius = np.hypot(normalized[:, 0], normalized[:, 1]) / normalized[:, 2]
    assert (radius[~drawn] > reference.monotonic_limit(model)).all()
    assert np.allclose(depths, reference.reference_camera_points(corners, camera_name)[:, 2])


def test_both_conventions_of_the_same_camera_project_alike():
    points = np.random.default_rng(3).uniform(-40, 40, size=(2000, 3))
    opencv = camera_from_attributes(calibrated_image(reference.calibration("left"), "OpenCV"))
    opengl = camera_from_attributes(calibrated_image(reference.calibration("left"), "OpenGL"))
    assert not np.allclose(opencv.rotation, opengl.rotation)
    first, second = project_points(points, opencv)[0], project_points(points, opengl)[0]
    assert np.array_equal(np.isnan(first), np.isnan(second))
    assert np.nanmax(np.abs(first - second)) < 1e-6


def test_extrinsics_are_the_camera_pose_in_the_point_clouds_frame():
    # the front camera of the demo sits 0.2 m from the lidar and looks along the lidar's -y axis
    camera = camera_from_attributes(calibrated_image(reference.calibration("front"), "OpenGL"))
    assert np.linalg.norm(camera.translation) < 0.3
    optical_axis = camera.opencv_rotation()[:, 2]
    assert optical_axis @ np.array([0, -1, 0]) > 0.99
    ahead, _ = project_points(np.array([[0.2, -20.0, 0.0], [0.2, 20.0, 0.0]]), camera)
    assert 0 < ahead[0, 0] < 2048
    assert 0 < ahead[0, 1] < 1536
    assert np.isnan(ahead[1]).all()  # behind the camera: never drawn


def test_cuboid_corners_follow_the_labels_rotation():
    psr = reference.labels("000965")[0]["psr"]
    assert np.allclose(cuboid_corners(cuboid_from_psr(psr)), reference.reference_corners(psr))
    flat = {"position": {"x": 1, "y": 2, "z": 3}, "dimensions": {"x": 4, "y": 2, "z": 1}, "yaw": np.pi / 2}
    corners = cuboid_corners(flat)
    assert np.allclose(corners[0], [1 + 1, 2 - 2, 3 - 0.5])  # x half-length 2 along +y after a quarter turn


def test_a_segment_crossing_the_near_plane_is_cut_there():
    start, end = np.array([0.0, 0.0, -1.0]), np.array([0.0, 2.0, 1.0])
    clipped = clip_segment(start, end, 0.1)
    assert clipped is not None
    assert np.allclose(clipped[0], [0.0, 1.1, 0.1])
    assert np.array_equal(clipped[1], end)
    assert clip_segment(start, np.array([1.0, 1.0, 0.05]), 0.1) is None


@pytest.mark.parametrize(
    ("change", "path", "rule"),
    [
        (lambda image: image["extrinsics"]["rotation"].update(qw=2.0), "extrinsics.rotation", "quaternion_not_unit"),
        (
            lambda image: image["intrinsics"].update(intrinsic_matrix=[[1, 0, 0], [0, 0, 0], [0, 0, 1]]),
            "intrinsics.intrinsic_matrix",
            "intrinsics_not_invertible",
        ),
        (lambda image: image.pop("extrinsics"), "extrinsics", "calibration_missing"),
        (lambda image: image.update(camera_convention="Vulkan"), "camera_convention", "one_of"),
    ],
)
def test_an_unusable_calibration_is_refused_with_the_field_path(change, path, rule):
    image = calibrated_image(reference.calibration("front"))
    change(image)
    with pytest.raises(LabelFormatError) as error:
        camera_from_attributes(image)
    assert {"path": path, "rule": rule} in [{"path": i["path"], "rule": i["rule"]} for i in error.value.to_list()]
