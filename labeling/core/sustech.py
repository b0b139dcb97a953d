"""Readers for the SUSTechPOINTS example data in `examples/pointcloud_sequence/` (naurril/SUSTechPOINTS, GPL-3.0).

- `calib/camera/<camera>.json`: `{"extrinsic": 16 floats, 4x4 row-major lidar -> camera (OpenCV camera axes),
  "intrinsic": 9 floats, 3x3 row-major K}`;
- `label/<frame>.json`: `[{"psr": {"position": {x,y,z}, "scale": {x,y,z}, "rotation": {x,y,z}}, "obj_type": str,
  "obj_id": str}]`, metres and radians; `rotation` is a three.js Euler angle in "XYZ" order (R = Rx Ry Rz);
- `lidar_pose/<frame>.json` (optional): `{"lidarPose": 16 floats, 4x4 row-major lidar -> world}`.

The `read_*` functions check one file's bytes and raise SceneError naming the file; labeling.core.sustech_scene
puts a whole dropped scene folder together.
"""

import json
import math
from typing import Any

import numpy as np

from labeling.core.calibration import calibrated_image_from_lidar_to_camera
from labeling.core.errors import FormatIssue
from labeling.core.projection import matrix_to_quaternion


def calibrated_image(calibration: dict, camera_convention: str = "OpenCV") -> dict:
    """Spec section 6 `intrinsics`, `extrinsics` and `camera_convention` of a calib/camera/*.json object."""
    return calibrated_image_from_lidar_to_camera(calibration["extrinsic"], calibration["intrinsic"], camera_convention)


def euler_xyz_matrix(x: float, y: float, z: float) -> np.ndarray:
    """(3, 3) rotation of a three.js Euler angle in "XYZ" order (radians): Rx(x) @ Ry(y) @ Rz(z)."""
    cx, sx, cy, sy, cz, sz = np.cos(x), np.sin(x), np.cos(y), np.sin(y), np.cos(z), np.sin(z)
    rotation_x = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rotation_y = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rotation_z = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return rotation_x @ rotation_y @ rotation_z


def cuboid_from_psr(psr: dict[str, Any]) -> dict:
    """A cuboid annotation's geometry (`position`, `dimensions`, `yaw`, `rotation`; spec section 7) from a
    SUSTechPOINTS `psr`. `yaw` is the heading of the cuboid's x axis in the xy plane (radians, counter-clockwise
    about +z); `rotation` keeps the full orientation (the labels have small roll and pitch)."""
    rotation = euler_xyz_matrix(psr["rotation"]["x"], psr["rotation"]["y"], psr["rotation"]["z"])
    qx, qy, qz, qw = matrix_to_quaternion(rotation)
    return {
        "position": {axis: float(psr["position"][axis]) for axis in "xyz"},
        "dimensions": {axis: float(psr["scale"][axis]) for axis in "xyz"},
        "yaw": float(np.arctan2(rotation[1, 0], rotation[0, 0])),
        "rotation": {"qx": qx, "qy": qy, "qz": qz, "qw": qw},
    }


class SceneError(ValueError):
    """A SUSTechPOINTS scene (or one of its files) that cannot be imported; `.issues` names each file (its
    path as dropped) with a rule and a message, all problems at once."""

    def __init__(self, issues: list[FormatIssue]) -> None:
        self.issues = issues
        super().__init__("; ".join(f"{issue.path}: {issue.message}" for issue in issues))

    @classmethod
    def single(cls, path: str, rule: str, message: str) -> "SceneError":
        """The error of one problem."""
        return cls([FormatIssue(path, rule, message)])

    def to_list(self) -> list[dict[str, str]]:
        """The issues as `{"path", "rule", "message"}` dicts."""
        return [issue.to_dict() for issue in self.issues]


_refuse = SceneError.single


def _json(content: bytes, path: str) -> Any:
    try:
        return json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _refuse(path, "json", f"not JSON ({error})") from None


def _numbers(value: Any, count: int) -> bool:
    return (
        isinstance(value, list)
        and len(value) == count
        and all(isinstance(item, int | float) and not isinstance(item, bool) and math.isfinite(item) for item in value)
    )


def read_calibration(content: bytes, path: str, camera_convention: str = "OpenGL") -> dict:
    """The spec section 6 calibration (`intrinsics`, `extrinsics`, `camera_convention`) of a calib/camera/*.json
    file's bytes. Raises SceneError naming `path`: not JSON (`json`), not `{extrinsic: 16 numbers, intrinsic:
    9 numbers}` (`calibration`), a 4x4 that is not a rigid transform (`not_rotation`), or a K that is not
    `[[fx, s, cx], [0, fy, cy], [0, 0, 1]]` with fx, fy > 0 (`intrinsics_not_invertible`)."""
    calibration = _json(content, path)
    if not isinstance(calibration, dict) or not (
        _numbers(calibration.get("extrinsic"), 16) and _numbers(calibration.get("intrinsic"), 9)
    ):
        raise _refuse(path, "calibration", 'expected {"extrinsic": 16 numbers, "intrinsic": 9 numbers}')
    k = calibration["intrinsic"]
    if k[3] != 0 or k[6:] != [0, 0, 1] or k[0] <= 0 or k[4] <= 0:
        raise _refuse(path, "intrinsics_not_invertible", "intrinsic is not [[fx, s, cx], [0, fy, cy], [0, 0, 1]]")
    try:
        return calibrated_image(calibration, camera_convention)
    except ValueError as error:
        raise _refuse(path, "not_rotation", f"extrinsic: {error}") from None


def read_label_file(content: bytes, path: str) -> list[dict]:
    """The objects of a SUSTechPOINTS label/<frame>.json: `[{psr: {position, scale, rotation: {x, y, z}},
    obj_type: str, obj_id: integer or digit string}]`, returned with `obj_id` as an int. Raises SceneError
    (rule `sustech_label`) naming `path` and the first bad object when the file is anything else."""
    boxes = _json(content, path)
    if not isinstance(boxes, list):
        raise _refuse(path, "sustech_label", "not a SUSTechPOINTS label file (expected a list of objects)")
    return [_label_object(box, f"{path}[{index}]") for index, box in enumerate(boxes)]


def _label_object(box: Any, path: str) -> dict:
    psr = box.get("psr") if isinstance(box, dict) else None
    if not isinstance(psr, dict) or not all(
        isinstance(psr.get(part), dict) and _numbers([psr[part].get(axis) for axis in "xyz"], 3)
        for part in ("position", "scale", "rotation")
    ):
        raise _refuse(path, "sustech_label", "expected psr.position, psr.scale and psr.rotation with numbers x, y, z")
    object_type, object_id = box.get("obj_type"), box.get("obj_id")
    if not isinstance(object_type, str) or not object_type:
        raise _refuse(path, "sustech_label", "obj_type must be a non-empty string")
    if isinstance(object_id, str) and object_id.strip().isdigit():
        object_id = int(object_id)
    if not isinstance(object_id, int) or isinstance(object_id, bool) or object_id < 0:
        raise _refuse(path, "sustech_label", "obj_id must be a whole number (the track id)")
    return {"psr": psr, "obj_type": object_type, "obj_id": object_id}


def ego_pose_from_matrix(values: list[float]) -> dict:
    """Spec section 6 `ego_pose` (`position` metres, `heading` unit quaternion) of a row-major 4x4 or 3x4
    lidar -> world transform (16 or 12 floats). Raises ValueError when its 3x3 part is not a rotation."""
    matrix = np.asarray(values, dtype=float).reshape(-1, 4)
    rotation = matrix[:3, :3]
    if not np.allclose(rotation @ rotation.T, np.eye(3), atol=1e-4) or np.linalg.det(rotation) <= 0:
        raise ValueError("the 3x3 part is not a rotation")
    qx, qy, qz, qw = matrix_to_quaternion(rotation)
    x, y, z = (float(value) for value in matrix[:3, 3])
    return {"position": {"x": x, "y": y, "z": z}, "heading": {"qx": qx, "qy": qy, "qz": qz, "qw": qw}}


def read_lidar_pose(content: bytes, path: str) -> dict:
    """The `ego_pose` of a SUSTechPOINTS lidar_pose/<frame>.json `{"lidarPose": 16 numbers}` (4x4 row-major
    lidar -> world). Raises SceneError naming `path` (`json`, `lidar_pose`, `not_rotation`)."""
    pose = _json(content, path)
    if not isinstance(pose, dict) or not _numbers(pose.get("lidarPose"), 16):
        raise _refuse(path, "lidar_pose", 'expected {"lidarPose": 16 numbers, a 4x4 row-major lidar -> world}')
    try:
        return ego_pose_from_matrix(pose["lidarPose"])
    except ValueError as error:
        raise _refuse(path, "not_rotation", f"lidarPose: {error}") from None
