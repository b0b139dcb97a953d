"""Geometry kernels for keyframe interpolation: pure NumPy, vectorised over samples.

A *sample* is one (track, frame) pair to compute; one call interpolates all tracks and frames of a label.
Cuboid and quaternion kernels are component-major: (components, samples), so each component is one contiguous
row; on (samples, components) the same operations run 2-3x slower (strided). The formulas are written out
exactly (operation order included) because the browser editor implements the same ones and both must pass
the JSON test vectors in `tests/core/vectors/interpolation/`. See docs/interpolation.md.
"""

import numpy as np

TWO_PI = 2.0 * np.pi

# Components of a cuboid state: position x y z, dimensions x y z, yaw, quaternion qx qy qz qw.
CUBOID_POSITION = slice(0, 3)
CUBOID_DIMENSIONS = slice(3, 6)
CUBOID_YAW = 6
CUBOID_ROTATION = slice(7, 11)
CUBOID_WIDTH = 11

# Above this |q0 . q1| the slerp weights lose precision (sin(theta) -> 0); normalised lerp is then used.
SLERP_LERP_THRESHOLD = 0.9995

# Arc-length fractions closer than this are one vertex when two outlines are resampled together.
FRACTION_TOLERANCE = 1e-9


def wrap_yaw(angle: np.ndarray) -> np.ndarray:
    """Wrap angles to [-pi, pi): `angle - 2*pi*floor((angle + pi) / (2*pi))`.

    angle: any shape, radians. Returns the same shape. Exactly pi maps to -pi.
    """
    return angle - TWO_PI * np.floor((angle + np.pi) / TWO_PI)


def interpolate_yaw(start: np.ndarray, end: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Yaw along the shorter arc from `start` to `end`, wrapped to [-pi, pi).

    start, end: (n,) radians, counter-clockwise about +z; t: (n,) in [0, 1]. Returns (n,).
    Formula: `wrap(start + t * wrap(end - start))`. Exactly opposite yaws (difference pi) turn
    clockwise, because wrap(pi) is -pi.
    """
    return wrap_yaw(start + t * wrap_yaw(end - start))


def yaw_quaternion(yaw: np.ndarray) -> np.ndarray:
    """Quaternion of a pure rotation by `yaw` about +z.

    yaw: (n,) radians. Returns (4, n) component-major: qx, qy, qz, qw = 0, 0, sin(yaw/2), cos(yaw/2).
    Stands in for `rotation` on cuboids without one (datasets without 3D rotation).
    """
    half = np.asarray(yaw, dtype=float) / 2.0
    zeros = np.zeros_like(half)
    return np.stack([zeros, zeros, np.sin(half), np.cos(half)])


def slerp(start: np.ndarray, end: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Spherical linear interpolation of unit quaternions along the shorter path.

    start, end: (4, n) unit quaternions, rows qx, qy, qz, qw (normalise them first, e.g. when parsing);
    t: (n,) in [0, 1]. Returns (4, n), normalised. `end` is negated where the dot product is negative
    (q and -q are the same rotation; this picks the shorter path). Above `SLERP_LERP_THRESHOLD` normalised
    lerp is used, because sin(theta) is then too small to divide by.
    """
    dot = np.sum(start * end, axis=0)
    sign = np.where(dot < 0.0, -1.0, 1.0)
    dot = np.minimum(dot * sign, 1.0)
    theta = np.arccos(dot)
    near = dot > SLERP_LERP_THRESHOLD
    sin_theta = np.where(near, 1.0, np.sin(theta))
    start_weight = np.where(near, 1.0 - t, np.sin((1.0 - t) * theta) / sin_theta)
    end_weight = np.where(near, t, np.sin(t * theta) / sin_theta) * sign
    result = start_weight * start + end_weight * end
    return result / np.sqrt(np.sum(result * result, axis=0))


def interpolate_cuboid_values(
    start: np.ndarray, end: np.ndarray, t: np.ndarray, rotation: np.ndarray | None = None
) -> np.ndarray:
    """Interpolate cuboid states.

    start, end: (11, n) component-major states, rows as `CUBOID_*` (position, dimensions, yaw, quaternion);
    t: (n,) in [0, 1]; rotation: (n,) bool, samples whose quaternion is slerped (None: all samples).
    Returns (11, n): position and dimensions `start + t * (end - start)`, yaw by `interpolate_yaw`,
    quaternion by `slerp`, or `yaw_quaternion` of the result yaw outside `rotation` (datasets without 3D
    rotation skip the slerp). Samples with t == 0 are returned exactly as `start` (a held keyframe is
    copied, not recomputed).
    """
    result = np.empty_like(start)
    result[:6] = start[:6] + t * (end[:6] - start[:6])
    result[CUBOID_YAW] = interpolate_yaw(start[CUBOID_YAW], end[CUBOID_YAW], t)
    if rotation is None:
        result[CUBOID_ROTATION] = slerp(start[CUBOID_ROTATION], end[CUBOID_ROTATION], t)
    else:
        result[CUBOID_ROTATION] = yaw_quaternion(result[CUBOID_YAW])
        if rotation.any():
            quaternions = start[CUBOID_ROTATION][:, rotation], end[CUBOID_ROTATION][:, rotation], t[rotation]
            result[CUBOID_ROTATION, rotation] = slerp(*quaternions)
    hold = t == 0.0
    result[:, hold] = start[:, hold]
    return result


def interpolate_points(start: np.ndarray, end: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Interpolate vertex arrays: `start + t * (end - start)`.

    start, end: (n, vertices, dimensions) in pixels (images) or metres (point clouds); t: (n,).
    Returns (n, vertices, dimensions).
    """
    return start + t[:, None, None] * (end - start)


def match_vertices(start: np.ndarray, end: np.ndarray, *, closed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Give two outlines of one track the same number of corresponding vertices.

    start, end: (n1, d) and (n2, d) vertices, d = 2 or 3. closed: True for polygons.
    Equal counts are returned unchanged (vertex i corresponds to vertex i). Otherwise `end` is aligned to
    `start` (polygons: rotated to start at its vertex closest to start[0], reversed if the orientation
    differs; open outlines: reversed if that brings the endpoints closer), then both are resampled at the
    union of their vertices' arc-length fractions, so each keeps its exact shape. Returns two (m, d) arrays,
    max(n1, n2) <= m <= n1 + n2.
    """
    if len(start) == len(end):
        return start, end
    end = _align_polygon(start, end) if closed else _align_polyline(start, end)
    start_fractions = _arc_fractions(start, closed)
    end_fractions = _arc_fractions(end, closed)
    fractions = _merge_fractions(start_fractions, end_fractions)
    return _sample_at_fractions(start, closed, fractions), _sample_at_fractions(end, closed, fractions)


def _align_polygon(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Rotate `end` to begin at its vertex nearest start[0]; reverse it (keeping that vertex) if needed."""
    nearest = int(np.argmin(np.sum((end - start[0]) ** 2, axis=1)))
    end = np.roll(end, -nearest, axis=0)
    if np.dot(_newell_normal(start), _newell_normal(end)) < 0.0:
        end = np.concatenate([end[:1], end[:0:-1]])
    return end


def _newell_normal(points: np.ndarray) -> np.ndarray:
    """Normal of a closed outline (Newell's method); for 2D outlines z is twice the signed area."""
    points3 = np.zeros((len(points), 3))
    points3[:, : points.shape[1]] = points
    following = np.roll(points3, -1, axis=0)
    return np.sum(np.cross(points3, following), axis=0)


def _align_polyline(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Reverse `end` when its endpoints are closer to `start`'s endpoints that way round (ties keep it)."""
    same = np.linalg.norm(start[0] - end[0]) + np.linalg.norm(start[-1] - end[-1])
    crossed = np.linalg.norm(start[0] - end[-1]) + np.linalg.norm(start[-1] - end[0])
    return end[::-1] if crossed < same else end


def _arc_lengths(points: np.ndarray, closed: bool) -> np.ndarray:
    """Cumulative arc length at each vertex, plus the total as last entry for closed outlines."""
    path = np.concatenate([points, points[:1]]) if closed else points
    segment_lengths = np.linalg.norm(np.diff(path, axis=0), axis=1)
    return np.concatenate([[0.0], np.cumsum(segment_lengths)])


def _arc_fractions(points: np.ndarray, closed: bool) -> np.ndarray:
    """Fraction of the outline's length at each vertex, in [0, 1); evenly spaced if the length is zero."""
    lengths = _arc_lengths(points, closed)
    total = lengths[-1]
    count = len(points)
    if total == 0.0:
        return np.arange(count) / (count if closed else max(count - 1, 1))
    return lengths[:count] / total


def _merge_fractions(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Sorted union of two fraction lists; a value within `FRACTION_TOLERANCE` of the last kept one merges."""
    merged = np.sort(np.concatenate([first, second]), kind="stable")
    kept = [merged[0]]
    for value in merged[1:]:
        if value - kept[-1] > FRACTION_TOLERANCE:
            kept.append(value)
    return np.array(kept)


def _sample_at_fractions(points: np.ndarray, closed: bool, fractions: np.ndarray) -> np.ndarray:
    """Points at the given arc-length fractions along the outline, by linear interpolation per coordinate."""
    lengths = _arc_lengths(points, closed)
    total = lengths[-1]
    if total == 0.0:
        return np.repeat(points[:1], len(fractions), axis=0)
    path = np.concatenate([points, points[:1]]) if closed else points
    targets = fractions * total
    return np.stack([np.interp(targets, lengths, path[:, axis]) for axis in range(points.shape[1])], axis=1)
