"""Short videos made in the tests from the real frames of `examples/image_sequence/` (768x432, 50 frames), with
PyAV's encoders (the wheel bundles FFmpeg): no video file is stored in the repository."""

from pathlib import Path

import av
from PIL import Image

SOURCE_FRAMES = sorted((Path(__file__).resolve().parents[1] / "examples" / "image_sequence").glob("frame_*.jpg"))
# Container extension -> (encoder, pixel format) the wheel has for it.
ENCODERS = {
    ".mp4": ("mpeg4", "yuv420p"),
    ".mov": ("mpeg4", "yuv420p"),
    ".mkv": ("mpeg4", "yuv420p"),
    ".avi": ("mpeg4", "yuv420p"),
    ".webm": ("libvpx", "yuv420p"),
}


def make_video(path: Path, frames: list[Path] | None = None, *, fps: int = 12, bit_rate: int = 4_000_000) -> Path:
    """Encode `frames` (default: all 50 source frames, in order) as a video at `path`, its container chosen
    by the extension (ENCODERS). Returns `path`."""
    frames = SOURCE_FRAMES if frames is None else frames
    assert frames, "missing examples/image_sequence frames"
    codec, pixel_format = ENCODERS[path.suffix]
    first = Image.open(frames[0])
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = first.size
        stream.pix_fmt = pixel_format
        stream.bit_rate = bit_rate
        for frame_path in frames:
            frame = av.VideoFrame.from_image(Image.open(frame_path).convert("RGB"))
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return path
