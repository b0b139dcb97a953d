"""Keyframe interpolation of sequence labels (Segments.ai sequence label attributes, format_version 0.2).

The one reference implementation: the server materialises labels with it, and the browser editor's copy must
pass the same JSON test vectors (`tests/core/vectors/interpolation/`). Rules, storage of remove-keyframes and
tie-breaking are in docs/interpolation.md. Pure Python + NumPy; knows nothing of Django.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from labeling.core.interpolation_geometry import (
    CUBOID_WIDTH,
    interpolate_cuboid_values,
    interpolate_points,
    match_vertices,
)
from labeling.core.interpolation_output import (
    Computed,
    assemble_label,
    build_cuboid_annotations,
    build_vector_annotations,
    copy_json,
    gc_paused,
)
from labeling.core.task_types import KEYFRAMES, task_types_where

# Frame-level `image_attributes` key listing the track_ids (as strings) removed in that frame. It lives in
# `image_attributes` because the SDK drops unknown keys on download and on upload; see docs/interpolation.md.
REMOVED_TRACKS_KEY = "_removed_track_ids"
CUBOID_TYPES = frozenset({"cuboid", "cuboid-sync"})
# Vector annotation type -> whether its outline is closed.
VECTOR_TYPES = {"bbox": False, "polygon": True, "polyline": False, "point": False}
# The task types whose tracks are filled from their keyframes (the task-type registry's KEYFRAMES).
INTERPOLATED_TASK_TYPES = frozenset(task_types_where(interpolation=KEYFRAMES))


class InterpolationError(ValueError):
    """The label cannot be interpolated: malformed frames or geometry, unknown type, too many frames."""


def is_keyframe(annotation: dict) -> bool:
    """Whether an annotation is a keyframe. A missing `is_keyframe` counts as a keyframe (never drop data)."""
    return bool(annotation.get("is_keyframe", True)) or bool(annotation.get("removed"))


def removed_track_ids(frame: dict) -> set[str]:
    """Track_ids (as strings) that have a remove-keyframe in this frame, read from `image_attributes`."""
    image_attributes = frame.get("image_attributes") or {}
    return {str(track_id) for track_id in image_attributes.get(REMOVED_TRACKS_KEY) or ()}


def visible_annotations(frame: dict) -> list[dict]:
    """Annotations to render or export for one frame.

    Skips annotations carrying `"removed": true` (a marker form some writers use; it does not survive the
    SDK, see docs/interpolation.md). Canonical remove-keyframes are not annotations, so nothing else to skip.
    """
    return [annotation for annotation in frame.get("annotations") or () if not annotation.get("removed")]


def remove_track_from_frame(frame: dict, track_id: int) -> dict:
    """Return a copy of `frame` with a remove-keyframe for `track_id`: its annotations dropped, id listed.

    The object is then absent from this frame until its next keyframe. Input is not mutated.
    """
    annotations = [a for a in frame.get("annotations") or () if a.get("track_id", a.get("id")) != track_id]
    image_attributes = dict(frame.get("image_attributes") or {})
    removed = [str(item) for item in image_attributes.get(REMOVED_TRACKS_KEY) or ()]
    if str(track_id) not in removed:
        removed.append(str(track_id))
    image_attributes[REMOVED_TRACKS_KEY] = removed
    return {**frame, "annotations": annotations, "image_attributes": image_attributes}


def interpolation_positions(frame_count: int, timestamps: list | None = None) -> np.ndarray:
    """Position of every frame on the interpolation axis: (frame_count,) float.

    With `timestamps` (one per frame; numbers or numeric strings, e.g. nanoseconds "1690000000100000000",
    parsed as IEEE doubles) the positions are the timestamps. Falls back to the frame index when
    `timestamps` is None, shorter than `frame_count`, has a missing or non-numeric entry, or is not
    strictly increasing. Extra entries beyond `frame_count` are ignored.
    """
    index = np.arange(frame_count, dtype=float)
    if timestamps is None or len(timestamps) < frame_count:
        return index
    try:
        values = np.array([float(timestamp) for timestamp in timestamps[:frame_count]], dtype=float)
    except (TypeError, ValueError):
        return index
    if not np.all(np.isfinite(values)) or np.any(np.diff(values) <= 0.0):
        return index
    return values


def interpolate_sequence_label(
    attributes: dict,
    *,
    frame_count: int | None = None,
    timestamps: list | None = None,
    extrapolate: bool = False,
) -> dict:
    """Materialise every frame of a sequence label from its keyframes; returns new attributes.

    attributes: `{"frames": [{"annotations": [...], ...}, ...], ...}` of an image-vector-sequence,
    pointcloud-cuboid-sequence or pointcloud-vector-sequence label. Annotations with `is_keyframe: false` are
    discarded and recomputed, so the function is idempotent. Keyframe annotations are copied exactly;
    computed ones carry `is_keyframe: false`, the `id`, `track_id`, `category_id`, `type` and `attributes`
    of the preceding keyframe, `index` (the frame index) when that keyframe has one, and the geometry:
    `points` [[x, y(, z)], ...] or `position`/`dimensions` (metres), `yaw` (radians in [-pi, pi),
    counter-clockwise about +z) and `rotation` {qx, qy, qz, qw}. Computed annotations of one keyframe
    span share one `attributes` dict: copy it before mutating.
    frame_count: defaults to the number of frames; shorter labels are padded with empty frames.
    timestamps: one per frame; interpolate by timestamp instead of frame index (see `interpolation_positions`
    for the fallback to frame index).
    extrapolate: copy the last keyframe forward to the end of the sequence (unless it is a remove-keyframe).
    Raises InterpolationError for more frames than `frame_count`, an unknown annotation type or malformed
    geometry.
    """
    frames = _frames_of(attributes)
    count = len(frames) if frame_count is None else frame_count
    if count < len(frames):
        raise InterpolationError(f"label has {len(frames)} frames, more than frame_count={count}")
    keyframes = _read_keyframes(frames)
    positions = interpolation_positions(count, timestamps)
    spans = _plan_spans(keyframes, count, extrapolate)
    samples = _expand_spans(spans, keyframes, positions)
    with gc_paused():
        computed = _compute_samples(keyframes, spans, samples)
        return assemble_label(attributes, frames, count, keyframes.copies, computed, len(keyframes.track_ranks))


def interpolate_multisensor_label(
    attributes: dict,
    *,
    frame_counts: list[int | None],
    timestamps: list[list | None] | None = None,
    extrapolate: bool = False,
) -> dict:
    """Interpolate each sensor of a multisensor-sequence label; returns new attributes.

    attributes: `{"sensors": [{"name", "task_type", "attributes"}, ...], "links"?}`. frame_counts and
    timestamps: one entry per sensor, in sensor order (None = the label's own frame count / no timestamps).
    Sensors whose task type is not interpolated (e.g. segmentation) or whose attributes are `[]`
    (unlabeled) are copied unchanged. Raises InterpolationError if the list lengths do not match.
    """
    sensors = attributes.get("sensors") or []
    per_sensor_timestamps = [None] * len(sensors) if timestamps is None else timestamps
    if len(frame_counts) != len(sensors) or len(per_sensor_timestamps) != len(sensors):
        raise InterpolationError(f"expected one frame count and timestamp list per sensor ({len(sensors)})")
    result = copy_json({key: value for key, value in attributes.items() if key != "sensors"})
    result["sensors"] = [
        _interpolate_sensor(sensor, count, sensor_timestamps, extrapolate)
        for sensor, count, sensor_timestamps in zip(sensors, frame_counts, per_sensor_timestamps, strict=True)
    ]
    return result


def interpolate_cuboid_tracks(
    keyframe_frames: np.ndarray,
    keyframe_values: np.ndarray,
    frame_positions: np.ndarray,
    *,
    extrapolate: bool = False,
    with_rotation: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Interpolate cuboid tracks that all have the same number of keyframes, as dense arrays.

    keyframe_frames: (tracks, keyframes) int, strictly increasing per track, in [0, frames).
    keyframe_values: (tracks, keyframes, 11) rows: position x y z, dimensions x y z (metres), yaw (radians),
    unit quaternion qx qy qz qw (`yaw_quaternion(yaw)` when the dataset has no 3D rotation).
    frame_positions: (frames,) strictly increasing (see `interpolation_positions`). with_rotation: slerp the
    quaternions; False (no 3D rotation) derives them from the interpolated yaw.
    Returns values (tracks, frames, 11), NaN where absent, and present (tracks, frames) bool. Same kernel and
    rules as `interpolate_sequence_label`, without remove-keyframes or dicts; used by the benchmark.
    """
    tracks, keyframes = keyframe_frames.shape
    frames = np.arange(len(frame_positions))
    reached = np.zeros((tracks, len(frames)), dtype=np.intp)
    for column in range(keyframes):  # few keyframes per track: avoids a (tracks, keyframes, frames) temporary
        reached += keyframe_frames[:, column, None] <= frames
    left = np.clip(reached - 1, 0, keyframes - 1)
    right = np.minimum(reached, keyframes - 1)
    first_of_track = (np.arange(tracks) * keyframes)[:, None]
    left_position = frame_positions[keyframe_frames.ravel()[first_of_track + left]]
    span = frame_positions[keyframe_frames.ravel()[first_of_track + right]] - left_position
    t = np.where(span > 0.0, (frame_positions[frames] - left_position) / np.where(span > 0.0, span, 1.0), 0.0)
    states = np.ascontiguousarray(keyframe_values.reshape(tracks * keyframes, CUBOID_WIDTH).T)
    result = interpolate_cuboid_values(
        np.take(states, (first_of_track + left).ravel(), axis=1),
        np.take(states, (first_of_track + right).ravel(), axis=1),
        t.ravel(),
        None if with_rotation else np.zeros(t.size, dtype=bool),
    )
    values = result.reshape(CUBOID_WIDTH, tracks, len(frames)).transpose(1, 2, 0)
    present = (reached >= 1) & ((reached < keyframes) | extrapolate | (frames == keyframe_frames[:, -1:]))
    values[~present] = np.nan
    return values, present


def _interpolate_sensor(sensor: dict, frame_count: int | None, timestamps: list | None, extrapolate: bool):
    sensor_attributes = sensor.get("attributes")
    if sensor.get("task_type") not in INTERPOLATED_TASK_TYPES or not isinstance(sensor_attributes, dict):
        return copy_json(sensor)
    interpolated = interpolate_sequence_label(
        sensor_attributes, frame_count=frame_count, timestamps=timestamps, extrapolate=extrapolate
    )
    return {
        **copy_json({key: value for key, value in sensor.items() if key != "attributes"}),
        "attributes": interpolated,
    }


def _frames_of(attributes: dict) -> list[dict]:
    frames = attributes.get("frames") if isinstance(attributes, dict) else None
    if not isinstance(frames, list) or not all(isinstance(frame, dict) for frame in frames):
        raise InterpolationError("sequence label attributes need a `frames` list of objects")
    return frames


# --- Reading keyframes -------------------------------------------------------------------------------------


@dataclass
class _Keyframes:
    """State-defining keyframes, ordered by (track rank, frame), and every keyframe annotation to copy.

    Tracks are ranked by their first keyframe annotation (frames in order, annotations in order); output
    frames list annotations in that rank order. `states[i]` is None for a remove-keyframe, otherwise
    (kind, geometry, has_rotation): kind "cuboid" or a vector type; geometry an 11-float cuboid row (unit
    quaternion) or a (vertices, dimensions) points array.
    """

    copies: list[tuple[int, int, dict]] = field(default_factory=list)  # (frame, rank, annotation)
    track_ranks: dict = field(default_factory=dict)  # track_id -> rank
    frame: list[int] = field(default_factory=list)
    rank: list[int] = field(default_factory=list)
    annotation: list[dict | None] = field(default_factory=list)
    states: list[tuple | None] = field(default_factory=list)
    tracks: list[list[int]] = field(default_factory=list)  # per rank: indexes into the lists above


def _read_keyframes(frames: list[dict]) -> _Keyframes:
    keyframes = _Keyframes()
    firsts: list[dict[int, dict]] = []  # per rank: frame -> first keyframe annotation of that track
    for frame_index, frame in enumerate(frames):
        for annotation in frame.get("annotations") or ():
            if not is_keyframe(annotation):
                continue
            track_id = _track_id_of(annotation, frame_index)
            rank = keyframes.track_ranks.setdefault(track_id, len(keyframes.track_ranks))
            if rank == len(firsts):
                firsts.append({})
            firsts[rank].setdefault(frame_index, annotation)
            keyframes.copies.append((frame_index, rank, annotation))
    removals = _removals_by_rank(frames, keyframes.track_ranks)
    for rank, by_frame in enumerate(firsts):
        by_frame = {**dict.fromkeys(removals.get(rank, ())), **by_frame}  # type: ignore[dict-item]  # None: removed; an annotation beats a removal
        keyframes.tracks.append([_add_keyframe(keyframes, rank, f, by_frame[f]) for f in sorted(by_frame)])
    return keyframes


def _removals_by_rank(frames: list[dict], track_ranks: dict) -> dict[int, list[int]]:
    rank_of_name = {str(track_id): rank for track_id, rank in track_ranks.items()}
    removals: dict[int, list[int]] = {}
    for frame_index, frame in enumerate(frames):
        for name in removed_track_ids(frame):
            if name in rank_of_name:
                removals.setdefault(rank_of_name[name], []).append(frame_index)
    return removals


def _add_keyframe(keyframes: _Keyframes, rank: int, frame: int, annotation: dict | None) -> int:
    removed = annotation is None or bool(annotation.get("removed"))
    keyframes.frame.append(frame)
    keyframes.rank.append(rank)
    keyframes.annotation.append(annotation)
    keyframes.states.append(None if removed or annotation is None else _parse_state(annotation, frame))
    return len(keyframes.frame) - 1


def _track_id_of(annotation: dict, frame: int):
    track_id = annotation.get("track_id", annotation.get("id"))
    if track_id is None:
        raise InterpolationError(f"frame {frame}: annotation without track_id or id")
    return track_id


def _parse_state(annotation: dict, frame: int) -> tuple:
    kind = annotation.get("type")
    try:
        if kind in CUBOID_TYPES:
            return _parse_cuboid(annotation)
        if kind in VECTOR_TYPES:
            return _parse_points(annotation)
    except (KeyError, TypeError, ValueError) as error:
        raise InterpolationError(
            f"frame {frame}, track_id {annotation.get('track_id')}: malformed {kind} geometry ({error})"
        ) from error
    raise InterpolationError(f"frame {frame}: annotation type {kind!r} cannot be interpolated")


def _parse_cuboid(annotation: dict) -> tuple:
    position, dimensions, rotation = (
        annotation["position"],
        annotation["dimensions"],
        annotation.get("rotation"),
    )
    yaw = float(annotation["yaw"])
    row = [float(position[axis]) for axis in "xyz"] + [float(dimensions[axis]) for axis in "xyz"] + [yaw]
    if rotation is None:
        quaternion = [0.0, 0.0, math.sin(yaw / 2.0), math.cos(yaw / 2.0)]  # as yaw_quaternion, for one yaw
    else:
        quaternion = [float(rotation[key]) for key in ("qx", "qy", "qz", "qw")]
        norm = math.sqrt(sum(value * value for value in quaternion))
        if not norm > 0.0:
            raise ValueError("zero rotation quaternion")
        quaternion = [value / norm for value in quaternion]
    return ("cuboid", row + quaternion, rotation is not None)


def _parse_points(annotation: dict) -> tuple:
    points = np.array(annotation["points"], dtype=float)
    if points.ndim != 2 or len(points) == 0 or points.shape[1] not in (2, 3):
        raise ValueError(f"points must be [[x, y], ...] or [[x, y, z], ...], got shape {points.shape}")
    return (annotation["type"], points, False)


# --- Planning spans and samples ----------------------------------------------------------------------------


@dataclass
class _Spans:
    """Runs of computed frames, one per keyframe followed by computed frames; arrays of shape (spans,)."""

    left: np.ndarray  # keyframe index the span starts after (its annotation is the template)
    right: np.ndarray  # keyframe index to interpolate towards; == left when the span holds left's state
    end: np.ndarray  # first frame after the span (next keyframe's frame, or frame_count)
    interpolate: np.ndarray  # bool: interpolate towards `right`, else hold `left`


def _plan_spans(keyframes: _Keyframes, frame_count: int, extrapolate: bool) -> _Spans:
    rows = []
    for indexes in keyframes.tracks:
        for position, index in enumerate(indexes):
            state = keyframes.states[index]
            if state is None:
                continue  # remove-keyframe: absent until the next keyframe
            if position + 1 < len(indexes):
                following = indexes[position + 1]
                smooth = _compatible(state, keyframes.states[following])
                rows.append((index, following if smooth else index, keyframes.frame[following], smooth))
            elif extrapolate:
                rows.append((index, index, frame_count, False))
    rows = [row for row in rows if row[2] - keyframes.frame[row[0]] > 1]  # spans with computed frames
    if not rows:
        empty = np.zeros(0, dtype=np.intp)
        return _Spans(empty, empty, empty, empty.astype(bool))
    left, right, end, interpolate = (np.array(column) for column in zip(*rows, strict=True))
    return _Spans(left, right, end, interpolate.astype(bool))


def _compatible(state: tuple, following: tuple | None) -> bool:
    """Two keyframe states interpolate into each other: same kind (and point dimensions for vectors)."""
    if following is None or state[0] != following[0]:
        return False
    return state[0] == "cuboid" or state[1].shape[1] == following[1].shape[1]


@dataclass
class _Samples:
    """One row per computed (track, frame): arrays of shape (n,)."""

    span: np.ndarray
    frame: np.ndarray
    t: np.ndarray


def _expand_spans(spans: _Spans, keyframes: _Keyframes, positions: np.ndarray) -> _Samples:
    start = np.array(keyframes.frame, dtype=np.intp)[spans.left]
    lengths = spans.end - start - 1
    span = np.repeat(np.arange(len(lengths)), lengths)
    first_sample = np.cumsum(lengths) - lengths
    frame = start[span] + 1 + (np.arange(len(span)) - first_sample[span])
    start_position = positions[start[span]]
    interpolate = spans.interpolate[span]
    denominator = np.where(interpolate, positions[np.where(interpolate, spans.end[span], 0)] - start_position, 1.0)
    t = np.where(interpolate, (positions[frame] - start_position) / denominator, 0.0)
    return _Samples(span, frame, t)


# --- Computing geometry ------------------------------------------------------------------------------------


def _compute_samples(keyframes: _Keyframes, spans: _Spans, samples: _Samples) -> list[Computed]:
    kinds = [keyframes.states[index][0] for index in spans.left.tolist()]
    cuboid_spans = np.array([kind == "cuboid" for kind in kinds], dtype=bool)
    groups = []
    if cuboid_spans.any():
        groups.append(_compute_cuboids(keyframes, spans, samples, cuboid_spans))
    if not cuboid_spans.all():
        groups.extend(_compute_vectors(keyframes, spans, samples, ~cuboid_spans))
    return groups


def _compute_cuboids(keyframes: _Keyframes, spans: _Spans, samples: _Samples, selected: np.ndarray) -> Computed:
    used = np.union1d(spans.left[selected], spans.right[selected])
    table = np.zeros((CUBOID_WIDTH, len(keyframes.states)))  # component-major, one column per keyframe
    table[:, used] = np.array([keyframes.states[index][1] for index in used.tolist()]).T
    has_rotation = np.zeros(len(keyframes.states), dtype=bool)
    has_rotation[used] = [keyframes.states[index][2] for index in used.tolist()]
    mask = selected[samples.span]
    left, right = spans.left[samples.span[mask]], spans.right[samples.span[mask]]
    rotation = has_rotation[left] | has_rotation[right]
    start, end = np.take(table, left, axis=1), np.take(table, right, axis=1)
    values = interpolate_cuboid_values(start, end, samples.t[mask], rotation)
    annotations = build_cuboid_annotations(keyframes.annotation, left, samples.frame[mask], values, rotation)
    return Computed(annotations, samples.frame[mask], np.array(keyframes.rank, dtype=np.intp)[left])


def _compute_vectors(keyframes: _Keyframes, spans: _Spans, samples: _Samples, selected: np.ndarray) -> list[Computed]:
    """One group per (vertices, dimensions) shape after matching; each group is one array operation."""
    groups: dict[tuple, list[tuple[int, np.ndarray, np.ndarray]]] = {}
    for span in np.flatnonzero(selected).tolist():
        kind, start, _ = keyframes.states[spans.left[span]]
        end = keyframes.states[spans.right[span]][1]
        start, end = match_vertices(start, end, closed=VECTOR_TYPES[kind])
        groups.setdefault(start.shape, []).append((span, start, end))
    return [_compute_vector_group(keyframes, spans, samples, group) for group in groups.values()]


def _compute_vector_group(
    keyframes: _Keyframes, spans: _Spans, samples: _Samples, group: list[tuple[int, np.ndarray, np.ndarray]]
) -> Computed:
    """group: (span, start points, end points) with one common points shape."""
    position_in_group = np.full(len(spans.left), -1)
    position_in_group[[span for span, _, _ in group]] = np.arange(len(group))
    mask = position_in_group[samples.span] >= 0
    which = position_in_group[samples.span[mask]]
    starts, ends = np.stack([start for _, start, _ in group]), np.stack([end for _, _, end in group])
    points = interpolate_points(starts[which], ends[which], samples.t[mask])
    left = spans.left[samples.span[mask]]
    annotations = build_vector_annotations(keyframes.annotation, left, samples.frame[mask], points)
    return Computed(annotations, samples.frame[mask], np.array(keyframes.rank, dtype=np.intp)[left])
