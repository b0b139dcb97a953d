"""Calibration check use cases: rank the 48 candidate corrections of a camera's pose on a sample's real data,
draw each as a preview (the camera image with the lidar points coloured by depth), and apply the chosen one to
every sample of the dataset in one action.

The files are read from this server only (static files such as the demo's examples/, or uploaded assets under
MEDIA_URL): sample URLs elsewhere are never fetched (spec section 6: the server does not fetch sample URLs).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from datasets.models import CalibrationRanking, Dataset, Sample
from labeling.core.calibration import (
    PREVIEW_WIDTH,
    Correction,
    FrameView,
    correct_extrinsics,
    rank_corrections,
    render_depth_overlay,
    visible_points,
)
from labeling.core.errors import LabelFormatError, PointCloudFormatError
from labeling.core.pointclouds import read_point_cloud
from labeling.core.projection import camera_from_attributes
from labeling.core.sample_formats import validate_sample_attributes
from labeling.core.task_types import POINTCLOUD_SENSOR_TASK_TYPES
from labeling.exceptions import InvalidInput, NotFound

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Largest point-cloud or image file a calibration check reads."""
MAX_CHECK_FRAMES = 3
"""Frames of a sequence a check scores (the first ones with the camera): more add little and cost time."""
MAX_IMAGE_PIXELS = 50_000_000


@dataclass(frozen=True)
class Candidate:
    """One candidate correction of a camera pose, with its rank (0 = best) and score (higher is better)."""

    key: str
    rank: int
    score: float
    inverted: bool
    rotation_index: int
    extrinsics: dict


def pointcloud_frames(task_type: str, attributes: dict | None) -> list[dict]:
    """The point-cloud frames (spec section 6 PointcloudSampleAttributes) of a sample: the sample itself for
    single point clouds, its frames for sequences, the first point-cloud sensor's frames for multi-sensor; none
    for a sample without attributes."""
    if attributes is None:
        return []
    if task_type == "multisensor-sequence":
        for sensor in attributes.get("sensors") or []:
            if sensor.get("task_type") in POINTCLOUD_SENSOR_TASK_TYPES:
                return sensor.get("attributes", {}).get("frames") or []
        return []
    if task_type.startswith("pointcloud-"):
        return attributes.get("frames") or [] if task_type.endswith("-sequence") else [attributes]
    return []


def camera_image(frame: dict, camera: str) -> dict | None:
    """The CalibratedImage named `camera` of a point-cloud frame, or None."""
    return next((image for image in frame.get("images") or [] if image.get("name") == camera), None)


def _camera_of(frame: dict, camera: str) -> dict:
    """The CalibratedImage `camera` of a frame that has it (one of `frames_with_camera`)."""
    image = camera_image(frame, camera)
    if image is None:
        raise NotFound(f"No point-cloud frame of this sample has a camera {camera!r}.")
    return image


def checked_sample(dataset: Dataset, sample_uuid: str | None) -> Sample:
    """The sample `sample_uuid` of `dataset`, or its first sample when None; raises NotFound."""
    samples = Sample.objects.filter(dataset=dataset).select_related("dataset").order_by("created_at", "pk")
    try:
        sample = samples.filter(uuid=sample_uuid).first() if sample_uuid else samples.first()
    except ValidationError:
        sample = None
    if sample is None:
        raise NotFound("No such sample in this dataset.")
    return sample


def camera_names(sample: Sample) -> list[str]:
    """Names of the calibrated cameras of the sample's point-cloud frames, in order of first appearance."""
    names: dict[str, None] = {}
    for frame in pointcloud_frames(sample.dataset.task_type, sample.attributes):
        for image in frame.get("images") or []:
            if isinstance(image.get("name"), str) and isinstance(image.get("extrinsics"), dict):
                names.setdefault(image["name"])
    return list(names)


def rank_calibration_candidates(
    sample: Sample, camera: str, progress: Callable[[int], None] | None = None
) -> list[Candidate]:
    """All 48 corrections of `camera`'s pose on `sample` (its first MAX_CHECK_FRAMES frames that have the
    camera), best first; `progress` is called with the number scored so far (see rank_corrections). Raises
    NotFound when no frame has that camera, InvalidInput when its files are not served here or unreadable, or
    its calibration unusable (with the field path)."""
    frames = frames_with_camera(sample, camera)
    calibrated = _camera_of(frames[0], camera)
    _checked_camera(calibrated)
    views = [_frame_view(frame, camera) for frame in frames[:MAX_CHECK_FRAMES]]
    ranked = rank_corrections(views, calibrated, progress)
    return [
        Candidate(
            key=correction.key,
            rank=rank,
            score=round(score, 4),
            inverted=correction.inverted,
            rotation_index=correction.rotation_index,
            extrinsics=correct_extrinsics(calibrated["extrinsics"], correction),
        )
        for rank, (correction, score) in enumerate(ranked)
    ]


def calibration_preview_png(sample: Sample, camera: str, key: str, frame_index: int = 0) -> bytes:
    """PNG (PREVIEW_WIDTH wide) of frame `frame_index`'s camera image with the lidar points projected through
    the pose corrected by `key` ("r0" = as stored), coloured by depth. Raises InvalidInput for an unknown key or
    frame, NotFound / InvalidInput as `rank_calibration_candidates`."""
    correction = _correction(key)
    frames = frames_with_camera(sample, camera)
    if not 0 <= frame_index < len(frames):
        raise InvalidInput(f"frame: {frame_index} is not one of the {len(frames)} frames with camera {camera!r}")
    calibrated = _camera_of(frames[frame_index], camera)
    corrected = dict(calibrated, extrinsics=correct_extrinsics(_checked_camera(calibrated)["extrinsics"], correction))
    view = _frame_view(frames[frame_index], camera)
    pixels, depths = visible_points(view.points, camera_from_attributes(corrected), view.image.size)
    output = io.BytesIO()
    render_depth_overlay(view.image, pixels, depths, PREVIEW_WIDTH).save(output, format="PNG")
    return output.getvalue()


@transaction.atomic
def apply_calibration_correction(actor, dataset: Dataset, camera: str, key: str) -> int:
    """Correct the extrinsics of every image named `camera` in every point-cloud frame of every sample of
    `dataset` by `key`, in one transaction (rows locked). Returns the number of samples changed. Raises
    InvalidInput for an unknown key or when a corrected sample would not be valid (nothing is stored then),
    NotFound when no sample has that camera. The stored rankings of that camera are deleted (stale now)."""
    correction = _correction(key)
    changed = []
    for sample in Sample.objects.select_for_update().filter(dataset=dataset).order_by("pk"):
        images = [
            image
            for frame in pointcloud_frames(dataset.task_type, sample.attributes)
            if (image := camera_image(frame, camera)) is not None and isinstance(image.get("extrinsics"), dict)
        ]
        for image in images:
            image["extrinsics"] = correct_extrinsics(image["extrinsics"], correction)
        if images:
            try:
                validate_sample_attributes(dataset.task_type, sample.attributes)
            except LabelFormatError as error:
                raise InvalidInput(f"sample {sample.name!r} would not be valid: {error}") from error
            changed.append(sample)
    if not changed:
        raise NotFound(f"No sample of this dataset has a calibrated camera {camera!r}.")
    Sample.objects.bulk_update(changed, ["attributes"], batch_size=500)
    CalibrationRanking.objects.filter(sample__dataset=dataset, camera=camera).delete()
    return len(changed)


def _correction(key: str) -> Correction:
    try:
        return Correction.from_key(key)
    except ValueError as error:
        raise InvalidInput(f"correction: {error}") from error


def frames_with_camera(sample: Sample, camera: str) -> list[dict]:
    """The point-cloud frames of `sample` that have a camera named `camera`, in order; raises NotFound if none."""
    frames = [
        frame
        for frame in pointcloud_frames(sample.dataset.task_type, sample.attributes)
        if camera_image(frame, camera) is not None
    ]
    if not frames:
        raise NotFound(f"No point-cloud frame of this sample has a camera {camera!r}.")
    return frames


def _checked_camera(calibrated: dict) -> dict:
    try:
        camera_from_attributes(calibrated)
    except LabelFormatError as error:
        raise InvalidInput(f"The calibration of this camera is unusable: {error}") from error
    return calibrated


def _frame_view(frame: dict, camera: str) -> FrameView:
    image = _camera_of(frame, camera)
    return _load_view(frame["pcd"]["url"], frame["pcd"]["type"], image.get("url") or "")


@lru_cache(maxsize=4)
def _load_view(pcd_url: str, pcd_type: str, image_url: str) -> FrameView:
    """Decoded once per process for the few frames being checked (the previews of 48 candidates reuse them)."""
    try:
        cloud = read_point_cloud(_served_file(pcd_url), pcd_type)
        with Image.open(io.BytesIO(_served_file(image_url))) as opened:
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise InvalidInput(f"image {image_url} has more than {MAX_IMAGE_PIXELS} pixels")
            image = opened.convert("RGB")
    except (PointCloudFormatError, OSError) as error:
        raise InvalidInput(f"Cannot read the frame's files: {error}") from error
    return FrameView.of(cloud.xyz.astype(float), cloud.intensity, image)


def _served_file(url: str) -> bytes:
    """The bytes of a file this server serves at `url` (a static file or a stored asset)."""
    path = unquote(urlparse(url).path)
    for prefix, read in ((settings.STATIC_URL, _static_file), (settings.MEDIA_URL, _media_file)):
        if prefix and path.startswith(prefix):
            data = read(path[len(prefix) :])
            if data is not None:
                return data
    raise InvalidInput(f"{url} is not a file served by this server; the calibration check reads only those")


def _static_file(name: str) -> bytes | None:
    found = finders.find(name)
    if not found or ".." in name.split("/"):
        return None
    with open(found, "rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"{name} is larger than {MAX_FILE_BYTES} bytes")
    return data


def _media_file(name: str) -> bytes | None:
    if ".." in name.split("/") or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"{name} is larger than {MAX_FILE_BYTES} bytes")
    return data
