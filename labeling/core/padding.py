"""Short sequence labels: a label with fewer frames than its sample is padded with empty frames, as
docs/interpolation.md describes for the interpolation output (the SDK and the vendor accept such labels; the
SDK's own tests send a 1-frame label for a 5-frame sample). A label never has more frames than its sample:
label_formats refuses that (rule `frame_count`).

Pure functions on plain dicts; nothing here knows Django.
"""

from typing import Any

from labeling.core.sample_formats import sample_frame_count, sample_sensors
from labeling.core.task_types import SEQUENCE_TASK_TYPES

MULTISENSOR = "multisensor-sequence"


def empty_frame(task_type: str) -> dict:
    """The frame a short label of `task_type` is padded with: `{"annotations": []}`, plus an empty
    `point_annotations` list for point-cloud segmentation (that key is required there)."""
    if task_type == "pointcloud-segmentation-sequence":
        return {"annotations": [], "point_annotations": []}
    return {"annotations": []}


def pad_short_label(task_type: str, attributes: Any, sample_attributes: Any) -> Any:
    """Return `attributes` (a label already valid for `task_type`) with every sequence padded to its
    sample's frame count: the label's `frames`, or each labeled sensor's `frames` for multi-sensor labels.
    The links' per-frame `frames` lists are padded with `{"attributes": {}}` to stay index-aligned.

    Returns the same object when nothing is short; otherwise a shallow copy (the caller's dicts are never
    changed). Sequences whose sample frame count is unknown are left alone.
    """
    if not isinstance(attributes, dict):
        return attributes
    if task_type == MULTISENSOR:
        return _pad_multisensor(attributes, sample_attributes)
    if task_type not in SEQUENCE_TASK_TYPES:
        return attributes
    expected = sample_frame_count(sample_attributes)
    frames = attributes.get("frames")
    if expected is None or not isinstance(frames, list) or len(frames) >= expected:
        return attributes
    padded = {**attributes, "frames": frames + [empty_frame(task_type) for _ in range(expected - len(frames))]}
    if isinstance(attributes.get("links"), list):
        padded["links"] = [_pad_link(link, len(frames), expected) for link in attributes["links"]]
    return padded


def _pad_link(link: Any, label_frames: int, expected: int) -> Any:
    frames = link.get("frames") if isinstance(link, dict) else None
    if not isinstance(frames, list) or len(frames) != label_frames:
        return link
    return {**link, "frames": frames + [{"attributes": {}} for _ in range(expected - label_frames)]}


def _pad_multisensor(attributes: dict, sample_attributes: Any) -> dict:
    sensors, sample_list = attributes.get("sensors"), sample_sensors(sample_attributes)
    if not isinstance(sensors, list) or sample_list is None:
        return attributes
    padded_sensors = []
    for index, sensor in enumerate(sensors):
        sample_sensor = sample_list[index] if index < len(sample_list) else None
        if isinstance(sensor, dict) and isinstance(sample_sensor, dict) and isinstance(sensor.get("attributes"), dict):
            labels = pad_short_label(
                str(sensor.get("task_type")), sensor["attributes"], sample_sensor.get("attributes")
            )
            if labels is not sensor["attributes"]:
                sensor = {**sensor, "attributes": labels}
        padded_sensors.append(sensor)
    if all(new is old for new, old in zip(padded_sensors, sensors, strict=True)):
        return attributes
    return {**attributes, "sensors": padded_sensors}
