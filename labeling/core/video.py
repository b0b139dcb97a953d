"""Video files: what container a file is (by its first bytes), what its video stream holds, and its frames
decoded to JPEG images, a chosen range and step of them. Decoding is PyAV's (FFmpeg, bundled in the wheel);
nothing here knows Django or storage: callers pass a local file path.

Frame indices count the frames the decoder returns, in presentation order, from 0; timestamps are seconds
from the start of the video stream. Every error a user can cause (not a video, cannot be decoded, too big, a
range past the end) is a VideoError whose message says why.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import PurePosixPath

import av
import av.error
from PIL import Image

ISO_MEDIA = "MP4/QuickTime"
MATROSKA = "Matroska/WebM"
AVI = "AVI"
# Extension -> the container its content must be.
VIDEO_EXTENSIONS: dict[str, str] = {
    ".mp4": ISO_MEDIA,
    ".mov": ISO_MEDIA,
    ".m4v": ISO_MEDIA,
    ".webm": MATROSKA,
    ".mkv": MATROSKA,
    ".avi": AVI,
}
# The box types an ISO media / QuickTime file may start with (ftyp in every current one; old QuickTime
# files can start with one of the others).
_ISO_FIRST_BOXES = (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")
JPEG_QUALITY = 90


class VideoError(ValueError):
    """A file that cannot become frames; the message says why, for the import report."""


def container_of(head: bytes) -> str | None:
    """The container (ISO_MEDIA, MATROSKA or AVI) whose signature `head` (the file's first bytes, at least
    12) starts with, or None."""
    if len(head) >= 8 and head[4:8] in _ISO_FIRST_BOXES:
        return ISO_MEDIA
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return MATROSKA
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return AVI
    return None


def check_container(filename: str, head: bytes) -> str:
    """The container of the file `filename` whose first bytes are `head`, confirmed by its content.

    Raises VideoError when the extension is not a video one, when the content has no video container
    signature ("not a video file (extension says MP4)"), or when it is another container than the extension
    says.
    """
    extension = PurePosixPath(filename).suffix.lower()
    expected = VIDEO_EXTENSIONS.get(extension)
    if expected is None:
        known = ", ".join(sorted(VIDEO_EXTENSIONS))
        raise VideoError(f"unsupported file type {extension or '(none)'}: expected one of {known}")
    found = container_of(head)
    if found is None:
        raise VideoError(f"not a video file (extension says {extension[1:].upper()})")
    if found != expected:
        raise VideoError(f"the content is a {found} video but the extension says {extension[1:].upper()}")
    return found


@dataclass(frozen=True)
class VideoInfo:
    """What a video stream holds, from the container's headers (before decoding).

    fps: average frames per second (None when the container does not say); frame_count: frames in the
    stream as the header says, else estimated from duration x fps (None when neither is known; variable frame
    rate videos may decode a few more or fewer); duration: seconds (None when unknown); width, height: pixels.
    """

    codec: str
    width: int
    height: int
    fps: float | None
    frame_count: int | None
    duration: float | None


def probe(path: str) -> VideoInfo:
    """Read the headers of the video at local `path`. Raises VideoError when it cannot be opened or has no
    video stream."""
    with _open(path) as container:
        return _info(container, _video_stream(container))


def _open(path: str) -> av.container.InputContainer:
    try:
        return av.open(path, mode="r")
    except (av.error.FFmpegError, UnicodeDecodeError) as error:
        raise VideoError(f"cannot be decoded as a video: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    # FFmpegError's str() repeats the errno and file name; its strerror is the readable part.
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _video_stream(container: av.container.InputContainer) -> av.video.stream.VideoStream:
    if not container.streams.video:
        raise VideoError("the file holds no video stream")
    return container.streams.video[0]


def _info(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> VideoInfo:
    rate = stream.average_rate or stream.guessed_rate
    fps = float(rate) if rate else None
    duration = None
    if stream.duration is not None and stream.time_base is not None:
        duration = float(stream.duration * stream.time_base)
    elif container.duration is not None:
        duration = container.duration / av.time_base
    frame_count = stream.frames or None
    if frame_count is None and duration is not None and fps:
        frame_count = round(duration * fps)
    codec = stream.codec_context.name if stream.codec_context else "unknown"
    return VideoInfo(codec, stream.codec_context.width, stream.codec_context.height, fps, frame_count, duration)


@dataclass(frozen=True)
class FrameSelection:
    """Which frames to keep: every `step`-th frame (step >= 1) from frame `start` to frame `end` (both
    0-based and inclusive; end None: to the last frame)."""

    step: int = 1
    start: int = 0
    end: int | None = None

    def __post_init__(self) -> None:
        if self.step < 1 or self.start < 0 or (self.end is not None and self.end < self.start):
            raise ValueError(f"invalid frame selection {self}")

    def selects(self, index: int) -> bool:
        """Whether frame `index` is kept."""
        in_range = self.start <= index and (self.end is None or index <= self.end)
        return in_range and (index - self.start) % self.step == 0

    def count(self, frame_count: int) -> int:
        """How many frames are kept out of a video of `frame_count` frames."""
        last = frame_count - 1 if self.end is None else min(self.end, frame_count - 1)
        return 0 if last < self.start else (last - self.start) // self.step + 1


def frame_at_seconds(seconds: float, fps: float) -> int:
    """The index of the frame shown at `seconds` (>= 0) of a video of `fps` frames per second."""
    return int(Fraction(seconds).limit_denominator(1_000_000) * Fraction(fps).limit_denominator(1_000_000))


@dataclass(frozen=True)
class DecodedFrame:
    """One kept frame: its index in the video, its timestamp (seconds from the start of the stream), the
    frame as a JPEG image (RGB, upright when the video says it is rotated) and its size in pixels."""

    index: int
    timestamp: float
    jpeg: bytes
    width: int
    height: int


def decode_frames(
    path: str,
    selection: FrameSelection,
    *,
    max_frames: int,
    max_pixels: int,
    quality: int = JPEG_QUALITY,
) -> Iterator[DecodedFrame]:
    """Decode the video at local `path` and yield its frames that `selection` keeps, in order.

    Frames before `selection.start` are decoded too (inter-frame codecs need them) but not converted.
    Raises VideoError when the file cannot be opened or decoded, has no video stream, its frames are over
    `max_pixels` pixels, more than `max_frames` frames would be kept, or no frame is kept (the range starts
    past the end). A file cut short yields the frames before the cut: compare with `probe(path).frame_count`.
    """
    with _open(path) as container:
        stream = _video_stream(container)
        info = _info(container, stream)
        _check_bounds(info, selection, max_frames, max_pixels)
        stream.thread_type = "AUTO"
        start_time = float(stream.start_time * stream.time_base) if stream.start_time and stream.time_base else 0.0
        kept = 0
        for index, frame in enumerate(_frames(container, stream)):
            if selection.end is not None and index > selection.end:
                break
            if not selection.selects(index):
                continue
            kept += 1
            if kept > max_frames:
                raise VideoError(_too_many(max_frames))
            timestamp = frame.time - start_time if frame.time is not None else index / (info.fps or 1.0)
            yield _decoded(frame, index, round(timestamp, 6), quality)
    if kept == 0:
        raise VideoError(_nothing_kept(selection, info))


def _check_bounds(info: VideoInfo, selection: FrameSelection, max_frames: int, max_pixels: int) -> None:
    if info.width * info.height > max_pixels:
        raise VideoError(f"its frames are {info.width}x{info.height} pixels, over the limit of {max_pixels} pixels")
    if info.frame_count is not None and selection.count(info.frame_count) > max_frames:
        raise VideoError(_too_many(max_frames))


def _too_many(max_frames: int) -> str:
    return f"more than {max_frames} frames are selected: choose a larger frame step or a shorter range"


def _nothing_kept(selection: FrameSelection, info: VideoInfo) -> str:
    if info.frame_count:
        return f"no frame is selected: start frame {selection.start} is past the last frame ({info.frame_count - 1})"
    return "no frame could be decoded"


def _frames(container: av.container.InputContainer, stream: av.video.stream.VideoStream) -> Iterator[av.VideoFrame]:
    try:
        yield from container.decode(stream)
    except av.error.FFmpegError as error:
        raise VideoError(f"decoding failed: {_reason(error)}") from None


_TRANSPOSE = {90: Image.Transpose.ROTATE_90, -90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180}


def _decoded(frame: av.VideoFrame, index: int, timestamp: float, quality: int) -> DecodedFrame:
    image = frame.to_image()
    # The display matrix rotates the frame counter-clockwise by `rotation` degrees (phones store portrait
    # video sideways); PIL's ROTATE_90 is counter-clockwise too.
    rotation = 180 if abs(frame.rotation) == 180 else frame.rotation
    transpose = _TRANSPOSE.get(rotation)
    if transpose is not None:
        image = image.transpose(transpose)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return DecodedFrame(index, timestamp, buffer.getvalue(), image.width, image.height)
