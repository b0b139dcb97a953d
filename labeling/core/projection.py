"""Projection of 3D points and cuboids from a point cloud's frame into a calibrated camera image.

The calibration is a `CalibratedImage` of the wire contract (`tests/data/specs/segments-api.md` section 6):

- `intrinsics.intrinsic_matrix`: 3x3 K, pixels, applied to normalized image coordinates (x/z, y/z, 1);
- `extrinsics`: the camera's pose in the point cloud's frame (camera -> lidar): `translation` {x, y, z} in
  metres is the camera centre in the point cloud's frame and `rotation` {qx, qy, qz, qw} turns camera axes into
  point-cloud axes, so `p_lidar = R @ p_camera + t`;
- `camera_convention`: `OpenGL` (the default: x right, y up, looking along -z) or `OpenCV` (x right, y down,
  looking along +z);
- `distortion`: `brown-conrady` (OpenCV's rational model, k1 k2 p1 p2 k3 [k4 k5 k6]) or `fisheye` (OpenCV's
  equidistant model, k1..k4), applied to normalized coordinates before K.

Points behind the camera (depth along the optical axis below `near`) are never projected; cuboid edges are
clipped at the near plane. The browser's `frontend_static/editors/multisensor/projection.js` computes the same;
both run the shared vectors in `tests/core/vectors/projection/`.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np

from labeling.core.checks import Issues, join

NEAR = 0.1
"""Metres: points closer to the camera plane than this are behind it (or too close to draw)."""
MAX_DISTORTED_RADIUS = 10.0
"""Largest normalized radius (tan of the angle off the optical axis, about 84 degrees) a distorted camera draws."""
EDGE_STEPS = 16
"""Pieces each clipped cuboid edge is cut into, so distortion bends it like the lens does."""
QUATERNION_TOLERANCE = 1e-3
"""How far |q| may be from 1 before a calibration rotation is refused (JSON round trips lose digits)."""
CONVENTIONS = ("OpenGL", "OpenCV")
# OpenGL camera axes (x right, y up, -z forward) expressed in OpenCV ones (x right, y down, +z forward).
_OPENGL_TO_OPENCV = np.diag([1.0, -1.0, -1.0])

CUBOID_EDGES: tuple[tuple[int, int], ...] = (
    (0, 1), (1, 3), (3, 2), (2, 0),  # bottom face (z = -dz/2)
    (4, 5), (5, 7), (7, 6), (6, 4),  # top face (z = +dz/2)
    (0, 4), (1, 5), (2, 6), (3, 7),  # verticals
)  # fmt: skip
"""Corner index pairs of the 12 edges; corner i has signs (x: bit 2, y: bit 1, z: bit 0) as in `cuboid_corners`."""


@dataclass(frozen=True)
class Camera:
    """A calibrated camera, ready to project.

    intrinsic_matrix: (3, 3) K in pixels. rotation: (3, 3) camera -> point-cloud rotation of the camera's own
    axes in `convention`. translation: (3,) camera centre in the point cloud's frame, metres.
    distortion_model: None, "brown-conrady" or "fisheye"; distortion_coefficients: (8,) k1 k2 p1 p2 k3 k4 k5 k6
    (Brown-Conrady, missing ones 0) or (4,) k1..k4 (fisheye). max_radius: normalized radius beyond which the
    lens model stops being monotonic (`distortion_limit`); points farther off-axis are not projected, because a
    polynomial model folds them back into the image where they do not belong.
    """

    intrinsic_matrix: np.ndarray
    rotation: np.ndarray
    translation: np.ndarray
    convention: str = "OpenGL"
    distortion_model: str | None = None
    distortion_coefficients: np.ndarray | None = None
    max_radius: float = float("inf")

    def opencv_rotation(self) -> np.ndarray:
        """(3, 3) camera -> point-cloud rotation of OpenCV camera axes (x right, y down, +z forward)."""
        return self.rotation @ _OPENGL_TO_OPENCV if self.convention == "OpenGL" else self.rotation


def quaternion_to_matrix(qx: float, qy: float, qz: float, qw: float) -> np.ndarray:
    """(3, 3) rotation matrix of the unit quaternion (qx, qy, qz, qw) (Hamilton, scalar last)."""
    q = np.array([qx, qy, qz, qw], dtype=float)
    x, y, z, w = q / np.linalg.norm(q)
    return np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )


def matrix_to_quaternion(matrix: np.ndarray) -> tuple[float, float, float, float]:
    """(qx, qy, qz, qw) of a (3, 3) rotation matrix, with qw >= 0 (Shepperd's method, stable for every angle)."""
    m = np.asarray(matrix, dtype=float)
    trace = m[0, 0] + m[1, 1] + m[2, 2]
    if trace > 0:
        s = 2.0 * np.sqrt(trace + 1.0)
        q = [(m[2, 1] - m[1, 2]) / s, (m[0, 2] - m[2, 0]) / s, (m[1, 0] - m[0, 1]) / s, s / 4]
    elif m[0, 0] > m[1, 1] and m[0, 0] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[0, 0] - m[1, 1] - m[2, 2])
        q = [s / 4, (m[0, 1] + m[1, 0]) / s, (m[0, 2] + m[2, 0]) / s, (m[2, 1] - m[1, 2]) / s]
    elif m[1, 1] > m[2, 2]:
        s = 2.0 * np.sqrt(1.0 + m[1, 1] - m[0, 0] - m[2, 2])
        q = [(m[0, 1] + m[1, 0]) / s, s / 4, (m[1, 2] + m[2, 1]) / s, (m[0, 2] - m[2, 0]) / s]
    else:
        s = 2.0 * np.sqrt(1.0 + m[2, 2] - m[0, 0] - m[1, 1])
        q = [(m[0, 2] + m[2, 0]) / s, (m[1, 2] + m[2, 1]) / s, s / 4, (m[1, 0] - m[0, 1]) / s]
    quaternion = np.array(q) / np.linalg.norm(q)
    if quaternion[3] < 0:
        quaternion = -quaternion
    return tuple(float(value) for value in quaternion)  # type: ignore[return-value]


def camera_from_attributes(image: Any, path: str = "") -> Camera:
    """The `Camera` of a `CalibratedImage` dict (spec section 6).

    Raises LabelFormatError naming the field (under `path`) when intrinsics or extrinsics are missing, the
    rotation quaternion is not unit length (within QUATERNION_TOLERANCE), the intrinsic matrix is singular or
    not of the form [[fx, s, cx], [0, fy, cy], [0, 0, 1]] with fx, fy > 0, or the convention is unknown.
    """
    issues = Issues()
    check_calibration(issues, image, path, required=True)
    issues.raise_if_any()
    extrinsics = image["extrinsics"]
    rotation = extrinsics["rotation"]
    translation = extrinsics["translation"]
    distortion = image.get("distortion")
    model, coefficients = None, None
    if distortion:
        model = distortion["model"]
        keys = ("k1", "k2", "k3", "k4") if model == "fisheye" else ("k1", "k2", "p1", "p2", "k3", "k4", "k5", "k6")
        coefficients = np.array([distortion["coefficients"].get(key) or 0.0 for key in keys], dtype=float)
    return Camera(
        intrinsic_matrix=np.array(image["intrinsics"]["intrinsic_matrix"], dtype=float),
        rotation=quaternion_to_matrix(rotation["qx"], rotation["qy"], rotation["qz"], rotation["qw"]),
        translation=np.array([translation["x"], translation["y"], translation["z"]], dtype=float),
        convention=image.get("camera_convention") or "OpenGL",
        distortion_model=model,
        distortion_coefficients=coefficients,
        max_radius=distortion_limit(model, coefficients),
    )


def radial_mapping(model: str | None, coefficients: np.ndarray | None, radius: np.ndarray) -> np.ndarray:
    """Distorted radius of each undistorted normalized radius (tangential terms left out), by the lens model."""
    if model is None:
        return radius
    if coefficients is None:
        raise ValueError(f"distortion model {model!r} needs its coefficients")
    r2 = radius * radius
    c = coefficients
    if model == "fisheye":
        theta = np.arctan(radius)
        t2 = theta * theta
        return theta * (1 + c[0] * t2 + c[1] * t2**2 + c[2] * t2**3 + c[3] * t2**4)
    return radius * (1 + c[0] * r2 + c[1] * r2**2 + c[4] * r2**3) / (1 + c[5] * r2 + c[6] * r2**2 + c[7] * r2**3)


def distortion_limit(model: str | None, coefficients: np.ndarray | None) -> float:
    """The normalized radius up to which the lens model's radial mapping keeps increasing (sampled every 0.001
    up to MAX_DISTORTED_RADIUS); infinity without distortion."""
    if model is None:
        return float("inf")
    radius = np.linspace(0.0, MAX_DISTORTED_RADIUS, 10001)
    mapped = radial_mapping(model, coefficients, radius)
    decreasing = np.flatnonzero((np.diff(mapped) <= 0) | ~np.isfinite(mapped[1:]))
    return float(radius[decreasing[0]]) if len(decreasing) else MAX_DISTORTED_RADIUS


def check_calibration(issues: Issues, image: Any, path: str, *, required: bool) -> None:
    """Add to `issues` (labeling.core.checks.Issues) what makes a CalibratedImage's calibration unusable.

    Only the calibration's meaning is checked here (structure is the sample format's job): a rotation
    quaternion of length 1 (within QUATERNION_TOLERANCE; rule `quaternion_not_unit`) and an invertible,
    upper-triangular intrinsic matrix with positive focal lengths and last row (0, 0, 1) (rule
    `intrinsics_not_invertible`), and a known `camera_convention` (`one_of`). With `required`, missing
    intrinsics/extrinsics are issues (`calibration_missing`).
    """
    if not isinstance(image, dict):
        issues.add(path, "calibration_missing", "a calibrated image must be an object")
        return
    intrinsics, extrinsics = image.get("intrinsics"), image.get("extrinsics")
    if required:
        for key, value in (("intrinsics", intrinsics), ("extrinsics", extrinsics)):
            if not isinstance(value, dict):
                issues.add(join(path, key), "calibration_missing", f"{key} are needed to project into this camera")
    if isinstance(extrinsics, dict) and isinstance(extrinsics.get("rotation"), dict):
        rotation = extrinsics["rotation"]
        values = [rotation.get(key) for key in ("qx", "qy", "qz", "qw")]
        if all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
            norm = float(np.linalg.norm(values))
            if abs(norm - 1.0) > QUATERNION_TOLERANCE:
                message = f"rotation quaternion has length {norm:.6g}, a rotation needs length 1"
                issues.add(join(join(path, "extrinsics"), "rotation"), "quaternion_not_unit", message)
    convention = image.get("camera_convention")
    if convention is not None and convention not in CONVENTIONS:
        issues.add(join(path, "camera_convention"), "one_of", f"camera_convention must be one of {CONVENTIONS}")
    if isinstance(intrinsics, dict):
        matrix_path = join(join(path, "intrinsics"), "intrinsic_matrix")
        _check_intrinsic_matrix(issues, intrinsics.get("intrinsic_matrix"), matrix_path)


def _check_intrinsic_matrix(issues: Issues, matrix: Any, path: str) -> None:
    try:
        k = np.array(matrix, dtype=float)
    except (TypeError, ValueError):
        return  # the sample format reports the shape
    if k.shape != (3, 3) or not np.all(np.isfinite(k)):
        return
    usable = k[0, 0] > 0 and k[1, 1] > 0 and np.allclose(k[2], [0, 0, 1]) and k[1, 0] == 0
    if not usable or abs(np.linalg.det(k)) < 1e-9:
        message = "intrinsic_matrix must be [[fx, s, cx], [0, fy, cy], [0, 0, 1]] with fx > 0 and fy > 0"
        issues.add(path, "intrinsics_not_invertible", message)


def to_camera_frame(points: np.ndarray, camera: Camera) -> np.ndarray:
    """(N, 3) points of the point cloud's frame, metres -> (N, 3) in OpenCV camera axes (z = depth)."""
    points = np.asarray(points, dtype=float).reshape(-1, 3)
    return (points - camera.translation) @ camera.opencv_rotation()


def distort(normalized: np.ndarray, camera: Camera) -> np.ndarray:
    """(N, 2) normalized image coordinates (x/z, y/z) -> (N, 2) distorted ones, by the camera's model."""
    if camera.distortion_model is None:
        return normalized
    x, y = normalized[:, 0], normalized[:, 1]
    r2 = x * x + y * y
    c = camera.distortion_coefficients
    if c is None:
        raise ValueError(f"distortion model {camera.distortion_model!r} needs its coefficients")
    if camera.distortion_model == "fisheye":
        r = np.sqrt(r2)
        theta = np.arctan(r)
        t2 = theta * theta
        theta_d = theta * (1 + c[0] * t2 + c[1] * t2**2 + c[2] * t2**3 + c[3] * t2**4)
        scale = np.where(r > 1e-12, theta_d / np.where(r > 1e-12, r, 1.0), 1.0)
        return normalized * scale[:, None]
    k1, k2, p1, p2, k3, k4, k5, k6 = c
    radial = (1 + k1 * r2 + k2 * r2**2 + k3 * r2**3) / (1 + k4 * r2 + k5 * r2**2 + k6 * r2**3)
    xd = x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x)
    yd = y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y
    return np.stack([xd, yd], axis=1)


def project_camera_points(camera_points: np.ndarray, camera: Camera, near: float = NEAR) -> tuple:
    """(N, 3) OpenCV camera-frame points -> ((N, 2) pixels, (N,) bool drawn). Pixels of points behind the
    near plane, or farther off-axis than the camera's `max_radius`, are NaN (not drawn)."""
    depth = camera_points[:, 2]
    in_front = depth >= near
    safe_depth = np.where(in_front, depth, 1.0)
    undistorted = camera_points[:, :2] / safe_depth[:, None]
    in_front &= (undistorted**2).sum(axis=1) <= camera.max_radius**2
    normalized = distort(undistorted, camera)
    k = camera.intrinsic_matrix
    u = k[0, 0] * normalized[:, 0] + k[0, 1] * normalized[:, 1] + k[0, 2]
    v = k[1, 1] * normalized[:, 1] + k[1, 2]
    pixels = np.stack([u, v], axis=1)
    pixels[~in_front] = np.nan
    return pixels, in_front


def project_points(points: np.ndarray, camera: Camera, near: float = NEAR) -> tuple[np.ndarray, np.ndarray]:
    """Project (N, 3) point-cloud points (metres) into the camera.

    Returns ((N, 2) pixel coordinates (u right, v down; NaN for points behind the camera or beyond the lens
    model's `max_radius`), (N,) depth in metres
    along the optical axis). Points are not required to fall inside the image.
    """
    camera_points = to_camera_frame(points, camera)
    pixels, _ = project_camera_points(camera_points, camera, near)
    return pixels, camera_points[:, 2]


def cuboid_rotation(cuboid: dict) -> np.ndarray:
    """(3, 3) rotation of a cuboid annotation: its `rotation` quaternion when given, else `yaw` (radians,
    counter-clockwise about +z)."""
    rotation = cuboid.get("rotation")
    if isinstance(rotation, dict):
        return quaternion_to_matrix(rotation["qx"], rotation["qy"], rotation["qz"], rotation["qw"])
    yaw = float(cuboid.get("yaw") or 0.0)
    cos, sin = np.cos(yaw), np.sin(yaw)
    return np.array([[cos, -sin, 0.0], [sin, cos, 0.0], [0.0, 0.0, 1.0]])


def cuboid_corners(cuboid: dict) -> np.ndarray:
    """(8, 3) corners of a cuboid annotation ({position, dimensions, yaw, rotation?}), metres, point-cloud frame.

    Corner i has x sign from bit 2, y sign from bit 1, z sign from bit 0 (0 = minus); edges are CUBOID_EDGES.
    """
    position, dimensions = cuboid["position"], cuboid["dimensions"]
    signs = np.array([[(i >> 2) & 1, (i >> 1) & 1, i & 1] for i in range(8)], dtype=float) - 0.5
    half = signs * np.array([dimensions["x"], dimensions["y"], dimensions["z"]], dtype=float)
    return half @ cuboid_rotation(cuboid).T + np.array([position["x"], position["y"], position["z"]], dtype=float)


def project_cuboid_edges(cuboid: dict, camera: Camera, near: float = NEAR, steps: int = EDGE_STEPS) -> list[np.ndarray]:
    """Polylines, in pixels, of the cuboid's edges in the camera: one (steps + 1, 2) array per edge that is at
    least partly in front of the near plane, clipped there; edges wholly behind the camera are left out. Points
    of a polyline beyond the lens model's `max_radius` are NaN: draw the finite runs."""
    corners = to_camera_frame(cuboid_corners(cuboid), camera)
    polylines = []
    for start_index, end_index in CUBOID_EDGES:
        clipped = clip_segment(corners[start_index], corners[end_index], near)
        if clipped is None:
            continue
        fractions = np.linspace(0.0, 1.0, steps + 1)[:, None]
        pieces = clipped[0] + fractions * (clipped[1] - clipped[0])
        polylines.append(project_camera_points(pieces, camera, near)[0])
    return polylines


def clip_segment(start: np.ndarray, end: np.ndarray, near: float = NEAR) -> tuple[np.ndarray, np.ndarray] | None:
    """The part of the camera-frame segment start-end with depth (z) >= near, or None when none is."""
    if start[2] < near and end[2] < near:
        return None
    if start[2] >= near and end[2] >= near:
        return start, end
    fraction = (near - start[2]) / (end[2] - start[2])
    crossing = start + fraction * (end - start)
    crossing[2] = near  # exactly on the plane, whatever the rounding
    return (crossing, end) if start[2] < near else (start, crossing)


def projected_bounding_box(
    cuboid: dict, camera: Camera, size: tuple[int, int], near: float = NEAR, steps: int = EDGE_STEPS
) -> list[list[float]] | None:
    """The image box `[[x0, y0], [x1, y1]]` (pixels, a `bbox` annotation's points) around the cuboid's projected
    edges (`project_cuboid_edges`), cut to an image of `size` (width, height); None when nothing of the cuboid
    shows in the image."""
    polylines = project_cuboid_edges(cuboid, camera, near, steps)
    points = np.vstack(polylines) if polylines else np.empty((0, 2))
    points = points[np.isfinite(points).all(axis=1)]
    if len(points) == 0:
        return None
    width, height = size
    low = np.maximum(points.min(axis=0), 0.0)
    high = np.minimum(points.max(axis=0), [width, height])
    if (high <= low).any():
        return None
    return [[float(low[0]), float(low[1])], [float(high[0]), float(high[1])]]
