"""Building the output of keyframe interpolation: annotation dicts and frames, in a fixed order.

Split from `interpolation.py`: this is the Python-object side (one dict per computed annotation), which
dominates the running time of `interpolate_sequence_label` on long sequences; see bench/.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

# Fields a computed annotation takes from the keyframe before it (besides `attributes`).
TEMPLATE_KEYS = ("id", "track_id", "category_id", "type")


@dataclass
class Computed:
    """Computed annotations of one geometry group, in sample order, with their frame and track rank (n,)."""

    annotations: list[dict]
    frame: np.ndarray
    rank: np.ndarray


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many dicts; restores its previous state.

    Why: every few hundred new dicts trigger a collection, and the growing heap makes the full ones slow,
    while the output holds no reference cycles; pausing saves about 40% of dict building in bench/.
    Process-wide but short (one call); nested or concurrent uses only lose the speed-up.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def copy_json(value):
    """Deep copy of JSON-like data (dicts, lists, scalars); several times faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


def build_cuboid_annotations(
    keyframe_annotations: list, left: np.ndarray, frame: np.ndarray, values: np.ndarray, rotation: np.ndarray
) -> list[dict]:
    """Cuboid annotation dicts for computed samples.

    keyframe_annotations: annotation per keyframe index; left: (n,) index of each sample's preceding keyframe;
    frame: (n,) frame index; values: (11, n) component-major cuboid states (interpolation_geometry.CUBOID_*);
    rotation: (n,) bool, whether to emit `rotation`. Returns n dicts.
    """
    templates = _templates(keyframe_annotations, left)
    px, py, pz, dx, dy, dz, yaw, qx, qy, qz, qw = values.tolist()
    built = [
        {**template, "position": {"x": a, "y": b, "z": c}, "dimensions": {"x": d, "y": e, "z": f}, "yaw": g}
        for template, a, b, c, d, e, f, g in zip(templates, px, py, pz, dx, dy, dz, yaw, strict=True)
    ]
    for sample in np.flatnonzero(rotation).tolist():
        built[sample]["rotation"] = {"qx": qx[sample], "qy": qy[sample], "qz": qz[sample], "qw": qw[sample]}
    _set_frame_index(built, keyframe_annotations, left, frame)
    return built


def build_vector_annotations(
    keyframe_annotations: list, left: np.ndarray, frame: np.ndarray, points: np.ndarray
) -> list[dict]:
    """Vector annotation dicts (bbox, polygon, polyline, point) for computed samples.

    left, frame: (n,) as in `build_cuboid_annotations`; points: (n, vertices, dimensions). Returns n dicts.
    """
    templates = _templates(keyframe_annotations, left)
    built = [{**template, "points": vertices} for template, vertices in zip(templates, points.tolist(), strict=True)]
    _set_frame_index(built, keyframe_annotations, left, frame)
    return built


def assemble_label(
    attributes: dict,
    frames: list[dict],
    frame_count: int,
    copies: list,
    computed: list[Computed],
    tracks: int,
) -> dict:
    """New label attributes with `frame_count` frames holding the keyframe copies and computed annotations.

    copies: (frame, rank, annotation) for every keyframe annotation, in input order. Each frame lists its
    annotations by track rank; keyframe annotations of one track in one frame keep their input order.
    Frame-level keys (timestamp, image_attributes, ...) and top-level keys are copied; padded frames are
    `{"annotations": []}`.
    """
    payload = [copy_json(annotation) for _frame, _rank, annotation in copies]
    frame_parts = [np.array([item[0] for item in copies], dtype=np.intp)]
    rank_parts = [np.array([item[1] for item in copies], dtype=np.intp)]
    for group in computed:
        payload.extend(group.annotations)
        frame_parts.append(group.frame)
        rank_parts.append(group.rank)
    frame_of, rank_of = np.concatenate(frame_parts), np.concatenate(rank_parts)
    order = np.argsort(frame_of * max(tracks, 1) + rank_of, kind="stable")
    ordered = _reordered(payload, order)
    bounds = np.concatenate([[0], np.cumsum(np.bincount(frame_of, minlength=frame_count))]).tolist()
    output_frames = [
        _output_frame(frames[index] if index < len(frames) else None, ordered[bounds[index] : bounds[index + 1]])
        for index in range(frame_count)
    ]
    return _replace_key(attributes, "frames", output_frames)


def _templates(keyframe_annotations: list, left: np.ndarray) -> list[dict]:
    """Per sample, the fields copied from its preceding keyframe: one template dict per keyframe, shared."""
    lookup = np.empty(len(keyframe_annotations), dtype=object)
    for index in np.unique(left).tolist():
        source = keyframe_annotations[index]
        template = {key: source[key] for key in TEMPLATE_KEYS if key in source}
        template["is_keyframe"] = False
        if "attributes" in source:
            template["attributes"] = copy_json(source["attributes"])
        lookup[index] = template
    return lookup[left].tolist()


def _set_frame_index(built: list[dict], keyframe_annotations: list, left: np.ndarray, frame: np.ndarray) -> None:
    """Sequence annotations may carry `index` (their frame index); computed ones follow their keyframe."""
    with_index = np.array([bool(annotation and "index" in annotation) for annotation in keyframe_annotations])
    if not with_index.any():
        return
    frames = frame.tolist()
    for sample in np.flatnonzero(with_index[left]).tolist():
        built[sample]["index"] = frames[sample]


def _reordered(items: list, order: np.ndarray) -> list:
    holder = np.empty(len(items), dtype=object)
    holder[:] = items
    return holder[order].tolist()


def _output_frame(source: dict | None, annotations: list[dict]) -> dict:
    if source is None:
        return {"annotations": annotations}
    return _replace_key(source, "annotations", annotations)


def _replace_key(source: dict, key: str, value) -> dict:
    """Copy of `source` with `key` set to `value` (kept in place when present, appended otherwise)."""
    result = {name: value if name == key else copy_json(item) for name, item in source.items()}
    result.setdefault(key, value)
    return result
