"""A dropped SUSTechPOINTS scene folder (labeling/core/sustech_scene.py) and its files (labeling/core/sustech.py),
on the real example scene in examples/pointcloud_sequence/."""

import json
from pathlib import Path

import numpy as np
import pytest

from labeling.core import sustech_scene
from labeling.core.sustech import SceneError, read_calibration, read_label_file, read_lidar_pose

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pointcloud_sequence"
ROOT = "scene-000965"


def example_paths(root: str = ROOT) -> list[str]:
    paths = sorted(path.relative_to(EXAMPLE).as_posix() for path in EXAMPLE.rglob("*") if path.is_file())
    return [f"{root}/{path}" if root else path for path in paths]


def issues_of(error: pytest.ExceptionInfo) -> list[tuple[str, str]]:
    return [(issue.path, issue.rule) for issue in error.value.issues]


def test_example_scene_has_four_frames_three_cameras_and_leaves_out_the_licence():
    scene = sustech_scene.read_scene(example_paths())

    assert scene.root == ROOT
    assert scene.name == ROOT
    assert scene.cameras == ("front", "left", "right")
    assert [frame.name for frame in scene.frames] == ["000950", "000965", "000970", "000975"]
    assert scene.frames[0].images == {}
    assert scene.frames[1].images == {camera: f"{ROOT}/camera/{camera}/000965.jpg" for camera in scene.cameras}
    assert scene.frames[1].label == f"{ROOT}/label/000965.json"
    assert scene.frames[1].pcd_type == "pcd"
    assert scene.calibrations["left"] == f"{ROOT}/calib/camera/left.json"
    assert [path for path, _ in scene.left_out] == [f"{ROOT}/LICENSE.GPL-3.0.txt"]


def test_multisensor_reading_leaves_out_frames_without_camera_images():
    scene = sustech_scene.read_scene(example_paths(), every_camera_each_frame=True)

    assert [frame.name for frame in scene.frames] == ["000965", "000970", "000975"]
    assert (f"{ROOT}/lidar/000950.pcd", "frame 000950 has no camera image") in scene.left_out


def test_scene_dropped_without_a_top_folder_is_named_after_its_frames():
    scene = sustech_scene.read_scene(example_paths(root=""))

    assert scene.root == ""
    assert scene.name == "scene-000950-000975"


def test_cameras_and_frame_step_choose_what_is_imported():
    scene = sustech_scene.read_scene(example_paths(), cameras=["front"], frame_step=2)

    assert scene.cameras == ("front",)
    assert [frame.name for frame in scene.frames] == ["000950", "000970"]
    assert scene.frames[1].images == {"front": f"{ROOT}/camera/front/000970.jpg"}


def test_missing_camera_image_is_refused_with_its_path():
    paths = [path for path in example_paths() if path != f"{ROOT}/camera/left/000970.jpg"]

    with pytest.raises(SceneError) as error:
        sustech_scene.read_scene(paths)

    assert issues_of(error) == [(f"{ROOT}/camera/left/000970.jpg", "missing_image")]


def test_missing_calibration_and_unknown_camera_are_refused():
    paths = [path for path in example_paths() if not path.endswith("calib/camera/right.json")]

    with pytest.raises(SceneError) as error:
        sustech_scene.read_scene(paths, cameras=["right", "rear"])

    assert issues_of(error) == [
        ("options.cameras", "unknown_camera"),
        (f"{ROOT}/calib/camera/right.json", "calibration_missing"),
    ]


def test_label_or_image_of_a_frame_without_point_cloud_is_refused():
    paths = [*example_paths(), f"{ROOT}/label/000999.json"]
    paths.remove(f"{ROOT}/lidar/000970.pcd")

    with pytest.raises(SceneError) as error:
        sustech_scene.read_scene(paths)

    assert set(issues_of(error)) == {
        (f"{ROOT}/label/000999.json", "no_lidar"),
        (f"{ROOT}/label/000970.json", "no_lidar"),
        *((f"{ROOT}/camera/{camera}/000970.jpg", "no_lidar") for camera in ("front", "left", "right")),
    }


def test_two_scenes_or_no_point_cloud_are_refused():
    with pytest.raises(SceneError) as error:
        sustech_scene.read_scene([*example_paths("a"), *example_paths("b")])
    assert {rule for _, rule in issues_of(error)} == {"one_scene"}

    with pytest.raises(SceneError) as error:
        sustech_scene.read_scene([path for path in example_paths() if "/lidar/" not in path])
    assert issues_of(error) == [(f"{ROOT}/lidar/", "required")]


def test_two_point_clouds_for_one_frame_are_refused():
    with pytest.raises(SceneError) as error:
        sustech_scene.read_scene([*example_paths(), f"{ROOT}/lidar/000965.bin"])

    assert issues_of(error) == [(f"{ROOT}/lidar/000965.pcd", "duplicate_frame")]


def test_calibration_is_converted_and_checked():
    path = "calib/camera/front.json"
    source = json.loads((EXAMPLE / path).read_bytes())

    calibration = read_calibration((EXAMPLE / path).read_bytes(), path)
    assert calibration["camera_convention"] == "OpenGL"
    assert np.allclose(calibration["intrinsics"]["intrinsic_matrix"], np.reshape(source["intrinsic"], (3, 3)))

    sheared = dict(source, extrinsic=[2.0, *source["extrinsic"][1:]])
    with pytest.raises(SceneError) as error:
        read_calibration(json.dumps(sheared).encode(), path)
    assert issues_of(error) == [(path, "not_rotation")]

    for bad, rule in ((b"{", "json"), (b'{"extrinsic": [1]}', "calibration")):
        with pytest.raises(SceneError) as error:
            read_calibration(bad, path)
        assert issues_of(error) == [(path, rule)]


def test_label_file_must_be_sustechpoints_boxes():
    path = "label/000965.json"
    boxes = read_label_file((EXAMPLE / path).read_bytes(), path)
    assert all(isinstance(box["obj_id"], int) for box in boxes)

    for bad in (b'{"objects": []}', b'[{"psr": {}}]', b'[{"psr": {"position": {"x": 1}}}]'):
        with pytest.raises(SceneError) as error:
            read_label_file(bad, path)
        assert error.value.issues[0].rule == "sustech_label"
        assert error.value.issues[0].path.startswith(path)


def test_cuboids_keep_track_ids_and_unknown_object_types_are_refused():
    path = "label/000965.json"
    boxes = read_label_file((EXAMPLE / path).read_bytes(), path)
    categories = {"car": 1, "pedestrian": 2, "rider": 3, "truck": 4, "bus": 5, "motor": 6}

    cuboids = sustech_scene.cuboid_annotations(boxes, categories, path)
    assert [cuboid["track_id"] for cuboid in cuboids] == [box["obj_id"] for box in boxes]
    assert all(cuboid["is_keyframe"] and cuboid["type"] == "cuboid" for cuboid in cuboids)

    with pytest.raises(SceneError) as error:
        sustech_scene.cuboid_annotations(boxes, {"car": 1}, path)
    assert issues_of(error) == [(path, "unknown_category")]


def test_lidar_pose_becomes_ego_pose():
    quarter_turn = [0, -1, 0, 10, 1, 0, 0, 20, 0, 0, 1, 0.5, 0, 0, 0, 1]

    pose = read_lidar_pose(json.dumps({"lidarPose": quarter_turn}).encode(), "lidar_pose/1.json")

    assert pose["position"] == {"x": 10.0, "y": 20.0, "z": 0.5}
    heading = pose["heading"]
    assert np.allclose([heading["qx"], heading["qy"], heading["qz"], heading["qw"]], [0, 0, np.sqrt(0.5), np.sqrt(0.5)])
    with pytest.raises(SceneError):
        read_lidar_pose(b'{"lidarPose": [1, 2]}', "lidar_pose/1.json")


def test_sample_attributes_of_both_sample_types():
    scene = sustech_scene.read_scene(example_paths(), every_camera_each_frame=True)
    calibrations = {camera: {"camera_convention": "OpenGL"} for camera in scene.cameras}

    def url_of(path: str) -> str:
        return f"http://server/{path}"

    sequence = sustech_scene.pointcloud_sequence_attributes(scene, url_of, calibrations, {})
    assert [frame["name"] for frame in sequence["frames"]] == ["000965", "000970", "000975"]
    assert [image["name"] for image in sequence["frames"][0]["images"]] == ["front", "left", "right"]

    multisensor = sustech_scene.multisensor_sequence_attributes(scene, url_of, calibrations, {})
    assert [sensor["name"] for sensor in multisensor["sensors"]] == ["lidar", "front", "left", "right"]
    assert multisensor["sensors"][2]["attributes"]["frames"][1]["image"]["url"] == (
        f"http://server/{ROOT}/camera/left/000970.jpg"
    )
