"""Video import: each uploaded video becomes one image-sequence sample whose frames are the video's frames
decoded to JPEG images (labeling.core.video, PyAV), every `frame_step`-th one from `start_frame` to
`end_frame`.

The frames are stored with the job's `save_file` as they are decoded (so memory holds one frame at a time);
the samples are created in one transaction at the end. A video that cannot be decoded, a sample name that
exists already or more frames than settings.VIDEO_MAX_FRAMES_PER_IMPORT refuse the whole import, naming the
file and the reason; the framework then deletes the frames saved so far.

Sample attributes are the image-sequence format (spec section 6): `{"frames": [{"image": {"url"}, "name":
"frame_000012", "timestamp": 1.0}]}`, timestamps in seconds from the start of the video; sample metadata
records the source file and how it was sampled.
"""

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.text import get_valid_filename

from datasets.models import Asset, Dataset
from datasets.services.imports import (
    ImportContext,
    ImporterSpec,
    ImportFileRefused,
    ImportReport,
    OptionSpec,
    register_importer,
)
from datasets.services.samples import create_samples
from labeling.core.task_types import REGISTRY
from labeling.core.video import (
    VIDEO_EXTENSIONS,
    DecodedFrame,
    FrameSelection,
    VideoError,
    VideoInfo,
    check_container,
    decode_frames,
    probe,
)
from labeling.exceptions import InvalidInput

MAX_SAMPLE_NAME = 255


def check_video_file(path: str, head: bytes, size: int) -> None:
    """Refuse (ImportFileRefused) a file that is not a video of the container its extension says."""
    try:
        check_container(path, head)
    except VideoError as error:
        raise ImportFileRefused(str(error)) from None


def clean_video_options(dataset: Dataset, options: dict) -> dict:
    """{"frame_step": int >= 1 (default 1), "start_frame": int >= 0 (default 0), "end_frame": int >=
    start_frame or None, "sample_name": str or ""}. Raises InvalidInput naming each bad option."""
    errors: list[dict] = []
    step = _integer(options, "frame_step", 1, 1, errors)
    start = _integer(options, "start_frame", 0, 0, errors)
    end = _integer(options, "end_frame", None, start if isinstance(start, int) else 0, errors, "the start frame")
    name = options.get("sample_name")
    if name is not None and not isinstance(name, str):
        errors.append(_option_error("sample_name", "type", "must be text"))
    elif name and len(name.strip()) > MAX_SAMPLE_NAME - 20:
        errors.append(_option_error("sample_name", "max_length", f"at most {MAX_SAMPLE_NAME - 20} characters"))
    if errors:
        summary = "; ".join(f"{error['path']}: {error['message']}" for error in errors)
        raise InvalidInput(f"Invalid options: {summary}", errors=errors)
    return {"frame_step": step, "start_frame": start, "end_frame": end, "sample_name": (name or "").strip()}


def _integer(
    options: dict, name: str, default: int | None, minimum: int, errors: list[dict], minimum_is: str = ""
) -> Any:
    value = options.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(_option_error(name, "type", "must be a whole number"))
    elif value < minimum:
        bound = f"{minimum_is} ({minimum})" if minimum_is else str(minimum)
        errors.append(_option_error(name, "min_value", f"must be at least {bound}"))
    return value


def _option_error(name: str, rule: str, message: str) -> dict:
    return {"path": f"options.{name}", "rule": rule, "message": message}


@dataclass
class _Video:
    """One uploaded video on its way to a sample."""

    asset: Asset
    sample_name: str
    folder: str  # where its frames are saved, under the job's folder
    info: VideoInfo | None = None
    frames: list[dict] = field(default_factory=list)


def run_video_import(ctx: ImportContext) -> ImportReport:
    """Decode every uploaded video of the job into frames, then create one image-sequence sample per video.

    Raises InvalidInput (path: the video's file name, or `options.sample_name`) when a video cannot be
    decoded, a sample name is taken or the frames are over the limits; nothing is created then.
    """
    selection = FrameSelection(ctx.options["frame_step"], ctx.options["start_frame"], ctx.options["end_frame"])
    videos = _plan(ctx)
    _check_names_free(ctx.dataset, videos)
    total = _probe_all(ctx, videos, selection)
    report = ImportReport(created={"samples": 0, "frames": 0})
    budget = settings.VIDEO_MAX_FRAMES_PER_IMPORT
    for video in videos:
        _decode(ctx, video, selection, budget - report.created["frames"], total, report)
        report.created["frames"] += len(video.frames)
        report.notes += _shortfall_note(video, selection)
    with transaction.atomic():
        _check_names_free(ctx.dataset, videos)
        create_samples(ctx.actor, ctx.dataset, [_sample_item(video, selection) for video in videos])
    report.created["samples"] = len(videos)
    return report


def _plan(ctx: ImportContext) -> list[_Video]:
    assets = [asset for asset in ctx.assets if PurePosixPath(asset.filename).suffix.lower() in VIDEO_EXTENSIONS]
    if not assets:
        raise InvalidInput("No video was uploaded.", errors=[{"path": "assets", "rule": "required", "message": ""}])
    chosen = ctx.options["sample_name"]
    videos = []
    for number, asset in enumerate(assets, start=1):
        default = str(PurePosixPath(asset.filename).with_suffix(""))
        name = default if not chosen else chosen if len(assets) == 1 else f"{chosen}-{default}"
        stem = get_valid_filename(PurePosixPath(asset.filename).stem) or "video"
        videos.append(_Video(asset, name[:MAX_SAMPLE_NAME], f"{number:03d}-{stem}"))
    return videos


def _check_names_free(dataset: Dataset, videos: list[_Video]) -> None:
    names = [video.sample_name for video in videos]
    taken = set(dataset.samples.filter(name__in=names).values_list("name", flat=True))
    errors, seen = [], set()
    for video in videos:
        if video.sample_name in taken:
            message = f"a sample named {video.sample_name!r} exists already"
        elif video.sample_name in seen:
            message = f"another video of this import also becomes the sample {video.sample_name!r}"
        else:
            seen.add(video.sample_name)
            continue
        errors.append({"path": video.asset.filename, "rule": "unique", "message": message})
    if errors:
        raise InvalidInput(f"{errors[0]['path']}: {errors[0]['message']}", errors=errors)


def _probe_all(ctx: ImportContext, videos: list[_Video], selection: FrameSelection) -> int:
    """Read every video's headers before decoding any (a bad file refuses the import at once); returns how
    many frames the import expects to keep, for progress."""
    total = 0
    for video in videos:
        with ctx.local_path(video.asset) as path:
            try:
                video.info = probe(path)
            except VideoError as error:
                raise _video_refused(video, error) from None
        total += selection.count(video.info.frame_count or 0)
    return total


def _decode(
    ctx: ImportContext, video: _Video, selection: FrameSelection, budget: int, total: int, report: ImportReport
) -> None:
    done = report.created["frames"]
    with ctx.local_path(video.asset) as path:
        try:
            limits = {"max_frames": budget, "max_pixels": settings.VIDEO_MAX_FRAME_PIXELS}
            for frame in decode_frames(path, selection, **limits):
                video.frames.append(_save_frame(ctx, video, frame))
                done += 1
                ctx.progress(done, max(total, done), f"{video.asset.filename}: frame {frame.index}")
        except VideoError as error:
            raise _video_refused(video, error) from None


def _save_frame(ctx: ImportContext, video: _Video, frame: DecodedFrame) -> dict:
    name = f"frame_{frame.index:06d}"
    url = ctx.save_file(f"{video.folder}/{name}.jpg", frame.jpeg)
    return {"image": {"url": url}, "name": name, "timestamp": frame.timestamp}


def _video_refused(video: _Video, error: VideoError) -> InvalidInput:
    path = video.asset.filename
    return InvalidInput(f"{path}: {error}", errors=[{"path": path, "rule": "video", "message": str(error)}])


def _shortfall_note(video: _Video, selection: FrameSelection) -> list[str]:
    expected = selection.count(video.info.frame_count) if video.info and video.info.frame_count else None
    if expected is None or len(video.frames) >= expected:
        return []
    return [f"{video.asset.filename}: {len(video.frames)} frames decoded of {expected} expected (the file may be cut)"]


def _sample_item(video: _Video, selection: FrameSelection) -> dict:
    info = video.info
    metadata = {
        "source": video.asset.filename,
        "codec": info.codec if info else None,
        "fps": info.fps if info else None,
        "frame_step": selection.step,
        "start_frame": selection.start,
        "end_frame": selection.end,
    }
    return {"name": video.sample_name, "attributes": {"frames": video.frames}, "metadata": metadata}


SPEC = ImporterSpec(
    kind="video",
    label="Video",
    help="Each video becomes an image sequence: every n-th frame of a range, decoded to JPEG images.",
    accept=tuple(VIDEO_EXTENSIONS),
    task_types=frozenset(task_type.name for task_type in REGISTRY if task_type.sample_type == "image-sequence"),
    options=(
        OptionSpec("frame_step", "Frame step", "integer", 1, help="Keep every n-th frame (1 keeps them all)."),
        OptionSpec("start_frame", "Start frame", "integer", 0, help="The first frame kept (0 is the first)."),
        OptionSpec("end_frame", "End frame", "integer", None, help="The last frame kept; empty: to the end."),
        OptionSpec("sample_name", "Sample name", "text", "", help="Empty: the video's file name."),
    ),
    check_file=check_video_file,
    clean_options=clean_video_options,
    run=run_video_import,
)
register_importer(SPEC)
