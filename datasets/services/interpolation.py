"""Materialise sequence labels: after a save, a Celery worker fills every non-keyframe frame from the
keyframes (labeling.core.interpolation) and stores the result as a new label version."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from datasets.models import Dataset, Label
from datasets.realtime import broadcast_interpolation_finished
from datasets.services import label_versions
from labeling.core.interpolation import (
    InterpolationError,
    interpolate_multisensor_label,
    interpolate_sequence_label,
)
from labeling.core.task_types import SENSORS, task_type_of

logger = logging.getLogger(__name__)


def needs_interpolation(dataset: Dataset, attributes: dict | None) -> bool:
    """Whether a saved label of `dataset` is materialised by the worker: its task type interpolates (the
    task-type registry), interpolation is on, and the label has attributes."""
    interpolated = task_type_of(dataset.task_type).interpolation is not None
    return bool(attributes) and dataset.enable_interpolation and interpolated


def materialise_label(label_id: int, version: int) -> Label | None:
    """Fill every frame of label `label_id` if it is still at `version`; returns the new label or None.

    Idempotent: a label that is already complete, or that was saved again meanwhile (its own task follows),
    is left alone. The write is conditional on `version`, so a save racing the worker is never overwritten.
    A label that cannot be interpolated (InterpolationError) is logged and left as saved.
    """
    label = Label.objects.select_related("sample__dataset").filter(pk=label_id, version=version).first()
    if label is None or not needs_interpolation(label.sample.dataset, label.attributes):
        return None
    try:
        filled = _interpolated(label.sample.dataset, label.sample.attributes or {}, label.attributes or {})
    except InterpolationError as error:
        logger.warning("label %s v%s not interpolated: %s", label_id, version, error)
        return None
    if filled == label.attributes:
        return None
    with transaction.atomic():
        updated = Label.objects.filter(pk=label_id, version=version).update(
            attributes=filled, version=F("version") + 1, interpolated_from=version, updated_at=timezone.now()
        )
        if not updated:
            return None
        label = Label.objects.select_related("sample__dataset", "labelset").get(pk=label_id)
        label_versions.record_versions([label], None)  # the worker's version: written by no one
        label_versions.schedule_pruning(label)
        broadcast_interpolation_finished(label.sample, label, _track_ids(filled))
    return label


def _track_ids(attributes: dict) -> list[int]:
    """Every track_id of a sequence label (or of all sensors of a multi-sensor label)."""
    label_attributes = [attributes] + [
        sensor["attributes"] for sensor in attributes.get("sensors") or [] if isinstance(sensor.get("attributes"), dict)
    ]
    return sorted(
        {
            annotation["track_id"]
            for each in label_attributes
            for frame in each.get("frames") or []
            for annotation in frame.get("annotations") or []
            if "track_id" in annotation
        }
    )


def _interpolated(dataset: Dataset, sample_attributes: dict, attributes: dict) -> dict:
    options = {"extrapolate": dataset.enable_extrapolation}
    if task_type_of(dataset.task_type).interpolation == SENSORS:
        sensors = sample_attributes.get("sensors") or []
        frames = [(sensor.get("attributes") or {}).get("frames") or [] for sensor in sensors]
        return interpolate_multisensor_label(
            attributes,
            frame_counts=[len(sensor_frames) or None for sensor_frames in frames],
            timestamps=[_timestamps(dataset, sensor_frames) for sensor_frames in frames],
            **options,
        )
    frames = sample_attributes.get("frames") or []
    return interpolate_sequence_label(
        attributes,
        frame_count=max(len(frames), len(attributes.get("frames") or [])),
        timestamps=_timestamps(dataset, frames),
        **options,
    )


def _timestamps(dataset: Dataset, frames: list) -> list | None:
    if not dataset.use_timestamps_for_interpolation or not frames:
        return None
    return [frame.get("timestamp") if isinstance(frame, dict) else None for frame in frames]
