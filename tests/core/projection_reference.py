"""An independent reference for camera projection, and the shared test vectors made from it.

Plain matrix algebra straight from the demo's own files: the 4x4 lidar -> camera matrix of
`examples/pointcloud_sequence/calib/camera/*.json` (OpenCV axes), K, OpenCV's distortion formulas, and cuboid
corners from the labels' `psr` (three.js Euler XYZ). It never reads our sample attributes back, so a wrong
reading of `extrinsics` / `camera_convention` in `labeling/core/projection.py` cannot agree with it by accident.

Regenerate the vectors (after changing the cases below): `.venv/bin/python -m tests.core.projection_reference`.
"""

import functools
import json
from pathlib import Path

import numpy as np

from labeling.core.sustech import calibrated_image, cuboid_from_psr

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "pointcloud_sequence"
VECTORS = Path(__file__).resolve().parent / "vectors" / "projection"
NEAR = 0.1
CAMERAS = ("front", "left", "right")
FRAMES = ("000965", "000970", "000975")
DISTORTIONS = {
    "none": None,
    "brown-conrady": {
        "model": "brown-conrady",
        "coefficients": {"k1": -0.12, "k2": 0.03, "p1": 0.0012, "p2": -0.0008, "k3": -0.002},
    },
    "brown-conrady-rational": {
        "model": "brown-conrady",
        "coefficients": {"k1": 0.4, "k2": 0.05, "p1": 0.0, "p2": 0.001, "k3": 0.0, "k4": 0.5, "k5": 0.04, "k6": 0.0},
    },
    "fisheye": {"model": "fisheye", "coefficients": {"k1": -0.02, "k2": 0.004, "k3": -0.001, "k4": 0.0002}},
}


def calibration(camera: str) -> dict:
    return json.loads((DEMO / "calib" / "camera" / f"{camera}.json").read_text())


def labels(frame: str) -> list[dict]:
    return json.loads((DEMO / "label" / f"{frame}.json").read_text())


def reference_corners(psr: dict) -> np.ndarray:
    """(8, 3) corners: corner i has x sign from bit 2, y from bit 1, z from bit 0; R = Rx Ry Rz (three.js XYZ)."""
    ax, ay, az = (psr["rotation"][axis] for axis in "xyz")
    rx = np.array([[1, 0, 0], [0, np.cos(ax), -np.sin(ax)], [0, np.sin(ax), np.cos(ax)]])
    ry = np.array([[np.cos(ay), 0, np.sin(ay)], [0, 1, 0], [-np.sin(ay), 0, np.cos(ay)]])
    rz = np.array([[np.cos(az), -np.sin(az), 0], [np.sin(az), np.cos(az), 0], [0, 0, 1]])
    scale = np.array([psr["scale"][axis] for axis in "xyz"])
    centre = np.array([psr["position"][axis] for axis in "xyz"])
    corners = []
    for index in range(8):
        signs = np.array([(index >> 2) & 1, (index >> 1) & 1, index & 1]) - 0.5
        corners.append(centre + rx @ ry @ rz @ (signs * scale))
    return np.array(corners)


def reference_camera_points(points: np.ndarray, camera: str) -> np.ndarray:
    """(N, 3) lidar points -> OpenCV camera frame through the file's own 4x4 lidar -> camera matrix."""
    matrix = np.array(calibration(camera)["extrinsic"], dtype=float).reshape(4, 4)
    homogeneous = np.hstack([points, np.ones((len(points), 1))])
    return (homogeneous @ matrix.T)[:, :3]


def radial(distortion: dict, r: float) -> float:
    """Distorted radius of an undistorted normalized radius r (OpenCV's models, tangential terms aside)."""
    c = distortion["coefficients"]
    if distortion["model"] == "fisheye":
        theta = np.arctan(r)
        return theta * (1 + c["k1"] * theta**2 + c["k2"] * theta**4 + c["k3"] * theta**6 + c["k4"] * theta**8)
    k4, k5, k6 = (c.get(key, 0.0) for key in ("k4", "k5", "k6"))
    r2 = r * r
    return r * (1 + c["k1"] * r2 + c["k2"] * r2**2 + c["k3"] * r2**3) / (1 + k4 * r2 + k5 * r2**2 + k6 * r2**3)


@functools.cache
def _monotonic_limit(distortion_json: str) -> float:
    distortion = json.loads(distortion_json)
    previous = 0.0
    for step in range(1, 10001):
        current = radial(distortion, step / 1000)
        if not current > previous:
            return (step - 1) / 1000
        previous = current
    return 10.0


def monotonic_limit(distortion: dict | None) -> float:
    """Points are drawn only up to the radius where the lens mapping stops increasing (scan 0..10 by 0.001)."""
    return np.inf if distortion is None else _monotonic_limit(json.dumps(distortion, sort_keys=True))


def reference_pixels(camera_points: np.ndarray, camera: str, distortion: dict | None) -> list:
    """[u, v] per camera-frame point (OpenCV formulas written out); None behind the near plane or beyond the
    lens model's monotonic range."""
    k = np.array(calibration(camera)["intrinsic"], dtype=float).reshape(3, 3)
    limit = monotonic_limit(distortion)
    pixels = []
    for x, y, z in camera_points:
        if z < NEAR or (x / z) ** 2 + (y / z) ** 2 > limit**2:
            pixels.append(None)
            continue
        a, b = x / z, y / z
        if distortion is not None:
            c = distortion["coefficients"]
            r2 = a * a + b * b
            if distortion["model"] == "fisheye":
                r = np.sqrt(r2)
                a, b = (a * radial(distortion, r) / r, b * radial(distortion, r) / r) if r > 0 else (a, b)
            else:
                radial_factor = radial(distortion, np.sqrt(r2)) / np.sqrt(r2) if r2 > 0 else 1.0
                a, b = (
                    a * radial_factor + 2 * c["p1"] * a * b + c["p2"] * (r2 + 2 * a * a),
                    b * radial_factor + c["p1"] * (r2 + 2 * b * b) + 2 * c["p2"] * a * b,
                )
        pixels.append([float(k[0, 0] * a + k[0, 1] * b + k[0, 2]), float(k[1, 1] * b + k[1, 2])])
    return pixels


EDGES = ((0, 1), (1, 3), (3, 2), (2, 0), (4, 5), (5, 7), (7, 6), (6, 4), (0, 4), (1, 5), (2, 6), (3, 7))


def reference_edges(corners: np.ndarray, camera: str, distortion: dict | None) -> list:
    """[edge index, start pixel, end pixel] of each cuboid edge clipped at z = NEAR in the camera frame."""
    in_camera = reference_camera_points(corners, camera)
    edges = []
    for index, (first, second) in enumerate(EDGES):
        start, end = in_camera[first].copy(), in_camera[second].copy()
        if start[2] < NEAR and end[2] < NEAR:
            continue
        if start[2] < NEAR:
            start = start + (NEAR - start[2]) / (end[2] - start[2]) * (end - start)
        elif end[2] < NEAR:
            end = start + (NEAR - start[2]) / (end[2] - start[2]) * (end - start)
        start[2], end[2] = max(start[2], NEAR), max(end[2], NEAR)
        edges.append([index, *reference_pixels(np.array([start, end]), camera, distortion)])
    return edges


IMAGE_SIZE = (2048, 1536)
STEPS = 16


def reference_bounding_box(corners: np.ndarray, camera: str, distortion: dict | None) -> list | None:
    """Box around STEPS + 1 samples of every clipped edge (the drawn polylines), cut to the image; None if empty."""
    in_camera = reference_camera_points(corners, camera)
    samples = []
    for first, second in EDGES:
        start, end = in_camera[first], in_camera[second]
        if start[2] < NEAR and end[2] < NEAR:
            continue
        if start[2] < NEAR or end[2] < NEAR:
            crossing = start + (NEAR - start[2]) / (end[2] - start[2]) * (end - start)
            crossing[2] = NEAR
            start, end = (crossing, end) if start[2] < NEAR else (start, crossing)
        samples += [start + step / STEPS * (end - start) for step in range(STEPS + 1)]
    pixels = [pixel for pixel in reference_pixels(np.array(samples).reshape(-1, 3), camera, distortion) if pixel]
    if not pixels:
        return None
    us, vs = [pixel[0] for pixel in pixels], [pixel[1] for pixel in pixels]
    x0, y0 = max(min(us), 0.0), max(min(vs), 0.0)
    x1, y1 = min(max(us), IMAGE_SIZE[0]), min(max(vs), IMAGE_SIZE[1])
    return [[x0, y0], [x1, y1]] if x1 > x0 and y1 > y0 else None


def camera_attributes(camera: str, convention: str, distortion: str) -> dict:
    attributes = {"name": camera, **calibrated_image(calibration(camera), convention)}
    if DISTORTIONS[distortion] is not None:
        attributes["distortion"] = DISTORTIONS[distortion]
    return attributes


def straddling_cuboid(camera: str) -> dict:
    """A 4 m cube centred on the camera, so some edges cross the near plane and some lie behind it."""
    matrix = np.array(calibration(camera)["extrinsic"], dtype=float).reshape(4, 4)
    centre = -matrix[:3, :3].T @ matrix[:3, 3] + matrix[2, :3] * 1.0  # 1 m ahead of the camera
    return {"position": dict(zip("xyz", centre.tolist(), strict=True)), "scale": {"x": 4, "y": 4, "z": 4},
            "rotation": {"x": 0.0, "y": 0.0, "z": 0.3}}  # fmt: skip


def make_vector(camera: str, convention: str, distortion: str, frame: str) -> dict:
    """One test vector: the frame's ground-truth cuboids (and one straddling the camera) projected by the
    reference into `camera` with `convention` and `distortion`."""
    psrs = [label["psr"] for label in labels(frame)] + [straddling_cuboid(camera)]
    cuboids = []
    for psr in psrs:
        corners = reference_corners(psr)
        cuboids.append(
            {
                "cuboid": cuboid_from_psr(psr),
                "corners": reference_pixels(reference_camera_points(corners, camera), camera, DISTORTIONS[distortion]),
                "edges": reference_edges(corners, camera, DISTORTIONS[distortion]),
                "bbox": reference_bounding_box(corners, camera, DISTORTIONS[distortion]),
            }
        )
    return {
        "description": f"demo frame {frame}, {camera} camera, {convention}, distortion {distortion}",
        "camera": camera_attributes(camera, convention, distortion),
        "near": NEAR,
        "image_size": list(IMAGE_SIZE),
        "tolerance_pixels": 0.5,
        "cuboids": cuboids,
    }


CASES = [
    ("front", "OpenCV", "none", "000965"),
    ("front", "OpenGL", "none", "000965"),
    ("left", "OpenGL", "brown-conrady", "000970"),
    ("right", "OpenCV", "brown-conrady-rational", "000975"),
    ("front", "OpenGL", "fisheye", "000975"),
    ("left", "OpenCV", "fisheye", "000965"),
]


def vector_name(case: tuple) -> str:
    return "_".join(case).lower() + ".json"


if __name__ == "__main__":
    VECTORS.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (VECTORS / vector_name(case)).write_text(json.dumps(make_vector(*case), indent=1) + "\n")
