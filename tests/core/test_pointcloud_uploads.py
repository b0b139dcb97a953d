"""labeling.core.pointcloud_uploads: the pose, calibration and camera files dropped beside point clouds."""

import pytest

from labeling.core.pointcloud_uploads import ExtraFile, cloud_root, extra_file, folder_extras
from labeling.core.uploads import FileKind, UploadRefused, detect_kind


def test_extra_files_are_known_by_their_place_in_the_folder():
    assert extra_file("drive/poses.txt") == ExtraFile("drive/poses.txt", "drive", "poses")
    assert extra_file("poses.json") == ExtraFile("poses.json", "", "poses")
    assert extra_file("drive/calib/camera/front.json") == ExtraFile(
        "drive/calib/camera/front.json", "drive", "calibration", camera="front"
    )
    assert extra_file("drive/camera/left/0001.jpg") == ExtraFile(
        "drive/camera/left/0001.jpg", "drive", "image", camera="left", stem="0001"
    )
    assert extra_file("drive/photo.jpg") is None
    assert extra_file("drive/calib/lidar/x.json") is None


def test_clouds_in_a_lidar_folder_belong_to_its_parent():
    assert cloud_root("drive/lidar/0001.pcd") == "drive"
    assert cloud_root("drive/0001.pcd") == "drive"
    assert cloud_root("lidar/0001.pcd") == ""
    assert cloud_root("0001.pcd") == ""


def test_json_files_are_recognised_by_their_first_character():
    assert detect_kind("poses.json", b'\xef\xbb\xbf  {"a": 1}', 12) == FileKind("json")
    with pytest.raises(UploadRefused, match="not JSON"):
        detect_kind("poses.json", b"hello", 5)


def test_two_pose_files_in_one_folder_are_both_refused():
    clouds = ["d/1.pcd"]
    extras = [(extra_file("d/poses.json"), "u1", "{}"), (extra_file("d/poses.txt"), "u2", "1 0 0 0 0 1 0 0 0 0 1 0")]

    found = folder_extras(clouds, extras)

    assert [path for path, _ in found.errors] == ["d/poses.json", "d/poses.txt"]


def test_kitti_line_that_is_not_a_rotation_is_refused_with_its_line_number():
    found = folder_extras(
        ["d/1.pcd", "d/2.pcd"], [(extra_file("d/poses.txt"), "u", "1 0 0 0 0 1 0 0 0 0 1 0\n2 0 0 0 0 1 0 0 0 0 1 0")]
    )

    assert found.errors == [("d/poses.txt", "line 2: the 3x3 part is not a rotation")]
