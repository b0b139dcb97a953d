"""Readers for the SUSTechPOINTS example data in `examples/pointcloud_sequence/` (naurril/SUSTechPOINTS, GPL-3.0).

- `calib/camera/<camera>.json`: `{"extrinsic": 16 floats, 4x4 row-major lidar -> camera (OpenCV camera axes),
  "intrinsic": 9 floats, 3x3 row-major K}`;
- `label/<frame>.json`: `[{"psr": {"position": {x,y,z}, "scale": {x,y,z}, "rotation": {x,y,z}}, "obj_type": str,
  "obj_id": str}]`, metres and radians; `rotation` is a three.js Euler angle in "XYZ" order (R = Rx Ry Rz).
"""

from typing import Any

import numpy as np

from labeling.core.calibration import calibrated_image_from_lidar_to_camera
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
