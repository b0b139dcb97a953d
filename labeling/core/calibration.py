"""Camera calibration you can trust: conversion from lidar->camera matrices, the 48 candidate corrections of a
wrong camera pose, how well each lines projected lidar points up with the image, and depth-coloured previews.

A wrong calibration is nearly always a convention mix-up: axes of the camera named differently (an axis-aligned
rotation of the camera's axes, 24 of them) and/or the pose given the other way round (lidar -> camera instead
of camera -> lidar). The segments-ai SDK's `utils.find_camera_rotation` enumerates the same family by cloning
a dataset once per candidate; here each candidate is scored and drawn instead.

Scoring fuses three cues, each standardised over the 48 candidates: the mutual information of lidar intensity
and image grey level at the projected points (Pandey et al., "Automatic Targetless Extrinsic Calibration of a 3D
Lidar and Camera by Maximizing Mutual Information", AAAI 2012); how much more image edge there is where the point
cloud, seen from the camera, has depth discontinuities (Levinson and Thrun, "Automatic Online Calibration of
Cameras and Lasers", RSS 2013); and the ground cue: a camera on a vehicle sees the ground below its horizon, so
the lower a projected point sits in the image the nearer it is (correlation of image row and inverse depth),
which an upside-down or sideways candidate lacks whatever its image statistics. A prior then prefers one
convention slip to two: a candidate that both inverts the pose and turns its axes loses SLIP_PRIOR. On the demo
(3 frames, each camera turned a quarter or a half about each of its axes) the undoing candidate ranks first for
all three cameras. The ranking orders the previews; the user's eye decides.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

from labeling.core.projection import (
    Camera,
    camera_from_attributes,
    matrix_to_quaternion,
    project_points,
    quaternion_to_matrix,
)

GRID_CELL_PIXELS = 8
"""Pixels per side of a scoring cell: coarse enough that a few-pixel calibration error still lines up."""
MAX_DEPTH = 80.0
"""Metres: farther points are left out of scores and previews (sparse, and mostly sky-line noise)."""
PREVIEW_WIDTH = 480
"""Pixels: width of a candidate preview PNG (the camera image scaled down, the lidar points drawn on it)."""


def axis_rotations() -> list[np.ndarray]:
    """The 24 rotations that map coordinate axes onto coordinate axes ((3, 3) signed permutation matrices of
    determinant +1), identity first."""
    rotations = []
    for permutation in itertools.permutations(range(3)):
        for signs in itertools.product((1.0, -1.0), repeat=3):
            matrix = np.zeros((3, 3))
            for row, column in enumerate(permutation):
                matrix[row, column] = signs[row]
            if np.linalg.det(matrix) > 0:
                rotations.append(matrix)
    return rotations


AXIS_ROTATIONS = axis_rotations()


@dataclass(frozen=True)
class Correction:
    """A candidate fix of a camera pose: `inverted` first (the pose was given lidar -> camera), then the camera's
    axes rotated by AXIS_ROTATIONS[rotation_index] (`R' = R @ A`, the translation kept)."""

    rotation_index: int
    inverted: bool

    @property
    def key(self) -> str:
        """Stable identifier, like "r0" (no change) or "i13"."""
        return f"{'i' if self.inverted else 'r'}{self.rotation_index}"

    @classmethod
    def from_key(cls, key: str) -> "Correction":
        """The correction of `key`; raises ValueError for anything not made by `key`."""
        if len(key) < 2 or key[0] not in "ri" or not key[1:].isdigit() or int(key[1:]) >= len(AXIS_ROTATIONS):
            raise ValueError(f"unknown correction {key!r}: expected r0..r23 or i0..i23")
        return cls(int(key[1:]), key[0] == "i")


CORRECTIONS = [Correction(index, inverted) for inverted in (False, True) for index in range(len(AXIS_ROTATIONS))]


def correct_pose(rotation: np.ndarray, translation: np.ndarray, correction: Correction) -> tuple:
    """Apply `correction` to a camera pose ((3, 3) camera -> lidar rotation, (3,) translation in metres).
    Returns the corrected (rotation, translation)."""
    if correction.inverted:
        rotation, translation = rotation.T, -rotation.T @ translation
    return rotation @ AXIS_ROTATIONS[correction.rotation_index], translation


def correct_extrinsics(extrinsics: dict, correction: Correction) -> dict:
    """`extrinsics` ({translation{x,y,z}, rotation{qx,qy,qz,qw}}, spec section 6) with `correction` applied."""
    quaternion, position = extrinsics["rotation"], extrinsics["translation"]
    rotation = quaternion_to_matrix(quaternion["qx"], quaternion["qy"], quaternion["qz"], quaternion["qw"])
    translation = np.array([position["x"], position["y"], position["z"]], dtype=float)
    rotation, translation = correct_pose(rotation, translation, correction)
    return extrinsics_from_pose(rotation, translation)


def extrinsics_from_pose(rotation: np.ndarray, translation: np.ndarray) -> dict:
    """Spec section 6 `extrinsics` of a camera pose ((3, 3) camera -> lidar rotation, (3,) metres)."""
    qx, qy, qz, qw = matrix_to_quaternion(rotation)
    x, y, z = (float(value) for value in translation)
    return {"translation": {"x": x, "y": y, "z": z}, "rotation": {"qx": qx, "qy": qy, "qz": qz, "qw": qw}}


def calibrated_image_from_lidar_to_camera(
    lidar_to_camera: list[float], intrinsic: list[float], camera_convention: str = "OpenCV"
) -> dict:
    """Spec section 6 `intrinsics`, `extrinsics` and `camera_convention` of a camera given as a 4x4 row-major
    lidar -> camera transform (16 floats, OpenCV camera axes: x right, y down, z forward, metres) and a
    row-major 3x3 K (9 floats, pixels), as in SUSTechPOINTS' calib/camera/*.json.

    The extrinsics are the inverse transform (the camera's pose in the lidar's frame); for `OpenGL` the camera's
    y and z axes are flipped. Raises ValueError when the 4x4 is not a rigid transform.
    """
    matrix = np.asarray(lidar_to_camera, dtype=float).reshape(4, 4)
    rotation = matrix[:3, :3]
    if not np.allclose(rotation @ rotation.T, np.eye(3), atol=1e-6) or np.linalg.det(rotation) <= 0:
        raise ValueError("the lidar -> camera matrix's 3x3 part is not a rotation")
    if not np.allclose(matrix[3], [0, 0, 0, 1]):
        raise ValueError("the lidar -> camera matrix's last row is not (0, 0, 0, 1)")
    camera_to_lidar = rotation.T
    translation = -camera_to_lidar @ matrix[:3, 3]
    if camera_convention == "OpenGL":
        camera_to_lidar = camera_to_lidar @ np.diag([1.0, -1.0, -1.0])
    return {
        "intrinsics": {"intrinsic_matrix": np.asarray(intrinsic, dtype=float).reshape(3, 3).tolist()},
        "extrinsics": extrinsics_from_pose(camera_to_lidar, translation),
        "camera_convention": camera_convention,
    }


def edge_strength(image: Image.Image) -> np.ndarray:
    """(H / GRID_CELL_PIXELS, W / GRID_CELL_PIXELS) image edge strength in [0, 1]: gradient magnitude of the
    grey image at grid resolution, spread to the neighbouring cells so a near miss still counts a little."""
    width, height = image.size
    grey = image.convert("L").resize((width // GRID_CELL_PIXELS, height // GRID_CELL_PIXELS), Image.Resampling.BOX)
    values = np.asarray(grey, dtype=float)
    gradient_y, gradient_x = np.gradient(values)
    magnitude = np.hypot(gradient_x, gradient_y)
    magnitude /= max(float(magnitude.max()), 1e-9)
    spread = np.asarray(Image.fromarray((magnitude * 255).astype(np.uint8)).filter(ImageFilter.MaxFilter(3)))
    return 0.7 * magnitude + 0.3 * spread / 255.0


def depth_discontinuities(pixels: np.ndarray, depths: np.ndarray, grid_shape: tuple[int, int]) -> np.ndarray:
    """Grid of depth discontinuities: for each cell, the square root of the largest jump of inverse depth
    (1/metre) between the nearest point there and in a 4-neighbour cell (0 where a cell or all its neighbours
    have no point; the root tempers the few huge jumps of very near points). pixels (N, 2), depths (N,) metres."""
    cell_x = (pixels[:, 0] // GRID_CELL_PIXELS).astype(int)
    cell_y = (pixels[:, 1] // GRID_CELL_PIXELS).astype(int)
    inverse = np.zeros(grid_shape)
    np.maximum.at(inverse, (cell_y, cell_x), 1.0 / depths)  # the nearest point of each cell
    jumps = np.zeros(grid_shape)
    # Rows: cell (r, c) against (r + 1, c); columns: (r, c) against (r, c + 1); only where both cells have points.
    vertical = np.where((inverse[:-1] > 0) & (inverse[1:] > 0), np.abs(inverse[:-1] - inverse[1:]), 0.0)
    horizontal = np.where((inverse[:, :-1] > 0) & (inverse[:, 1:] > 0), np.abs(inverse[:, :-1] - inverse[:, 1:]), 0.0)
    jumps[:-1] = np.maximum(jumps[:-1], vertical)
    jumps[1:] = np.maximum(jumps[1:], vertical)
    jumps[:, :-1] = np.maximum(jumps[:, :-1], horizontal)
    jumps[:, 1:] = np.maximum(jumps[:, 1:], horizontal)
    return np.sqrt(jumps)


def visible_points(points: np.ndarray, camera: Camera, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Pixels (M, 2) and depths (M,) of the points that land inside an image of `size` (width, height) in front
    of the camera, nearer than MAX_DEPTH."""
    pixels, depths = project_points(points, camera)
    width, height = size
    inside = (
        np.isfinite(pixels[:, 0])
        & (pixels[:, 0] >= 0)
        & (pixels[:, 0] < width)
        & (pixels[:, 1] >= 0)
        & (pixels[:, 1] < height)
        & (depths <= MAX_DEPTH)
    )
    return pixels[inside], depths[inside]


MUTUAL_INFORMATION_SAMPLES = 4000
"""Visible points drawn (with a fixed seed) for the mutual information, so candidates seeing more are not favoured."""
MINIMUM_VISIBLE_POINTS = 500
"""A candidate whose camera sees fewer points than this gets no evidence (every statistic 0)."""
SLIP_PRIOR = 1.0
"""Score units (one standard deviation of one cue) taken from a candidate that both inverts the pose and turns
its axes: two convention slips at once are less likely than one, and such a candidate can land a few degrees
from a singly slipped one when the camera is mounted almost axis-aligned, where the image cues cannot tell."""


@dataclass(frozen=True)
class FrameView:
    """What one frame offers to a calibration check: the point cloud (N, 3) metres, its intensity (N,) or None,
    the camera image, and the image's edges (`edge_strength`) computed once for all candidates."""

    points: np.ndarray
    intensity: np.ndarray | None
    image: Image.Image
    edges: np.ndarray
    grey: np.ndarray  # (H, W) uint8

    @classmethod
    def of(cls, points: np.ndarray, intensity: np.ndarray | None, image: Image.Image) -> "FrameView":
        return cls(points, intensity, image, edge_strength(image), np.asarray(image.convert("L")))


def mutual_information(first: np.ndarray, second: np.ndarray, bins: int = 16) -> float:
    """Mutual information (nats) of two equally long samples, from their joint histogram."""
    joint, _, _ = np.histogram2d(first, second, bins=bins)
    joint /= joint.sum()
    independent = joint.sum(axis=1, keepdims=True) @ joint.sum(axis=0, keepdims=True)
    present = joint > 0
    return float((joint[present] * np.log(joint[present] / independent[present])).sum())


def view_statistics(view: FrameView, camera: Camera) -> tuple[float, float, float]:
    """Evidence that `camera` sees `view` as its image shows it: (mutual information of lidar intensity and image
    grey level at the projected points (Pandey et al. 2012), edge lift: mean image edge strength at the 10 % of
    cells with the largest depth discontinuities over the mean at all cells with points (Levinson and Thrun
    2013), ground: correlation in [-1, 1] of the points' image row (down) and inverse depth, high when nearer
    points sit lower, as the ground does). All 0 when fewer than MINIMUM_VISIBLE_POINTS are visible."""
    pixels, depths = project_points(view.points, camera)
    width, height = view.image.size
    rows, columns = view.edges.shape
    visible = (
        np.isfinite(pixels[:, 0])
        & (pixels[:, 0] >= 0)
        & (pixels[:, 1] >= 0)
        & (pixels[:, 0] < min(width, columns * GRID_CELL_PIXELS))
        & (pixels[:, 1] < min(height, rows * GRID_CELL_PIXELS))
        & (depths <= MAX_DEPTH)
    )
    count = int(visible.sum())
    if count < MINIMUM_VISIBLE_POINTS:
        return 0.0, 0.0, 0.0
    information = 0.0
    if view.intensity is not None:
        indices = np.flatnonzero(visible)
        if count > MUTUAL_INFORMATION_SAMPLES:
            indices = np.random.default_rng(0).choice(indices, MUTUAL_INFORMATION_SAMPLES, replace=False)
        grey = view.grey[pixels[indices, 1].astype(int), pixels[indices, 0].astype(int)]
        information = mutual_information(view.intensity[indices], grey) * min(1.0, count / MUTUAL_INFORMATION_SAMPLES)
    pixels, depths = pixels[visible], depths[visible]
    return information, _edge_lift(view.edges, pixels, depths), _ground_correlation(pixels[:, 1], 1.0 / depths)


def _edge_lift(edges: np.ndarray, pixels: np.ndarray, depths: np.ndarray) -> float:
    occupied = np.zeros(edges.shape, dtype=bool)
    occupied[(pixels[:, 1] // GRID_CELL_PIXELS).astype(int), (pixels[:, 0] // GRID_CELL_PIXELS).astype(int)] = True
    jumps = depth_discontinuities(pixels, depths, edges.shape)[occupied]
    strongest = jumps >= np.quantile(jumps, 0.9)
    return float(edges[occupied][strongest].mean() / max(float(edges[occupied].mean()), 1e-9))


def _ground_correlation(rows: np.ndarray, inverse_depths: np.ndarray) -> float:
    """Pearson correlation of image rows (pixels, down) and inverse depths (1/metre); 0 when either is constant."""
    if rows.std() == 0 or inverse_depths.std() == 0:
        return 0.0
    return float(np.corrcoef(rows, inverse_depths)[0, 1])


def rank_corrections(
    views: list[FrameView], calibrated_image: dict, progress: Callable[[int], None] | None = None
) -> list[tuple[Correction, float]]:
    """Every correction of CORRECTIONS with its score on `views` (frames of one camera), best first.
    `progress`, when given, is called with the number of candidates scored so far after each one (1..48).

    The three statistics of `view_statistics`, summed over the frames, are standardised over the candidates and
    added, less SLIP_PRIOR for a candidate that inverts the pose and turns its axes; the score is therefore
    relative to this set of candidates (about -5 .. 5, higher is better).
    """
    statistics = np.zeros((len(CORRECTIONS), 3))
    for index, correction in enumerate(CORRECTIONS):
        candidate = dict(calibrated_image, extrinsics=correct_extrinsics(calibrated_image["extrinsics"], correction))
        camera = camera_from_attributes(candidate)
        statistics[index] = np.sum([view_statistics(view, camera) for view in views], axis=0)
        if progress is not None:
            progress(index + 1)
    spread = statistics.std(axis=0)
    standardised = (statistics - statistics.mean(axis=0)) / np.where(spread > 0, spread, 1.0)
    double_slips = np.array([c.inverted and c.rotation_index != 0 for c in CORRECTIONS], dtype=float)
    scores = standardised.sum(axis=1) - SLIP_PRIOR * double_slips
    order = np.argsort(-scores, kind="stable")
    return [(CORRECTIONS[index], float(scores[index])) for index in order]


def depth_colours(depths: np.ndarray) -> np.ndarray:
    """(N, 3) uint8 colours of depths in metres: red near, through yellow and green, to blue at MAX_DEPTH."""
    fraction = np.clip(depths / MAX_DEPTH, 0.0, 1.0) ** 0.5
    hue_points = np.array([0.0, 0.33, 0.66, 1.0])
    palette = np.array([[255, 40, 40], [255, 230, 40], [40, 220, 90], [40, 90, 255]], dtype=float)
    return np.stack([np.interp(fraction, hue_points, palette[:, channel]) for channel in range(3)], axis=1).astype(
        np.uint8
    )


def render_depth_overlay(image: Image.Image, pixels: np.ndarray, depths: np.ndarray, width: int | None = None):
    """The camera image (scaled to `width` pixels wide when given) with each projected point drawn as a dot
    coloured by depth (`depth_colours`); pixels (N, 2) in the full-size image. Returns a new RGB image."""
    scale = 1.0 if width is None else width / image.size[0]
    canvas = image.convert("RGB")
    if width is not None:
        canvas = canvas.resize((width, round(image.size[1] * scale)), Image.Resampling.BILINEAR)
    array = np.asarray(canvas).copy()
    order = np.argsort(-depths)  # far first, so near points stay on top
    columns = (pixels[order, 0] * scale).astype(int)
    rows = (pixels[order, 1] * scale).astype(int)
    colours = depth_colours(depths[order])
    radius = 1 if width is None or width >= 1024 else 0
    height, full_width = array.shape[:2]
    for delta_row in range(-radius, radius + 1):
        for delta_column in range(-radius, radius + 1):
            r, c = rows + delta_row, columns + delta_column
            inside = (r >= 0) & (r < height) & (c >= 0) & (c < full_width)
            array[r[inside], c[inside]] = colours[inside]
    return Image.fromarray(array)
