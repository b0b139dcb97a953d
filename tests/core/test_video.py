"""labeling.core.video: container signatures, probing, and frames decoded with a step and a range from short
videos made in the test from the real `examples/image_sequence/` frames."""

import io
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from labeling.core import uploads
from labeling.core.video import (
    VIDEO_EXTENSIONS,
    FrameSelection,
    VideoError,
    check_container,
    decode_frames,
    frame_at_seconds,
    probe,
)
from tests.videos import SOURCE_FRAMES, make_video

LIMITS = {"max_frames": 10_000, "max_pixels": 8192 * 8192}


@pytest.fixture(scope="module")
def mp4(tmp_path_factory) -> Path:
    return make_video(tmp_path_factory.mktemp("video") / "parking.mp4")


def pixels(image_bytes_or_path) -> np.ndarray:
    source = io.BytesIO(image_bytes_or_path) if isinstance(image_bytes_or_path, bytes) else image_bytes_or_path
    return np.asarray(Image.open(source).convert("RGB"), dtype=np.float64)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    return float(10 * np.log10(255**2 / np.mean((a - b) ** 2)))


def test_probe_reads_codec_size_rate_and_frame_count(mp4):
    info = probe(str(mp4))
    assert (info.codec, info.width, info.height, info.fps, info.frame_count) == ("mpeg4", 768, 432, 12.0, 50)
    assert info.duration == pytest.approx(50 / 12, abs=0.01)


def test_step_and_range_keep_the_chosen_frames_in_order_with_their_timestamps(mp4):
    frames = list(decode_frames(str(mp4), FrameSelection(step=2, start=3, end=20), **LIMITS))
    assert [frame.index for frame in frames] == [3, 5, 7, 9, 11, 13, 15, 17, 19]
    assert [frame.timestamp for frame in frames] == pytest.approx([index / 12 for index in range(3, 20, 2)], abs=1e-3)
    assert {(frame.width, frame.height) for frame in frames} == {(768, 432)}
    assert FrameSelection(step=2, start=3, end=20).count(50) == len(frames)


def test_decoded_frames_match_their_source_frames_not_their_neighbours(mp4):
    for frame in decode_frames(str(mp4), FrameSelection(step=7), **LIMITS):
        decoded = pixels(frame.jpeg)
        assert frame.jpeg.startswith(b"\xff\xd8\xff")
        assert psnr(decoded, pixels(SOURCE_FRAMES[frame.index])) > 35
        neighbour = SOURCE_FRAMES[frame.index + 1] if frame.index + 1 < 50 else SOURCE_FRAMES[frame.index - 1]
        own_error = np.abs(decoded - pixels(SOURCE_FRAMES[frame.index])).mean()
        assert own_error < 3
        assert own_error < np.abs(decoded - pixels(neighbour)).mean()


@pytest.mark.parametrize("extension", [".mov", ".mkv", ".avi", ".webm"])
def test_every_accepted_container_decodes(tmp_path, extension):
    path = make_video(tmp_path / f"clip{extension}", SOURCE_FRAMES[:6])
    check_container(path.name, path.read_bytes()[:4096])
    frames = list(decode_frames(str(path), FrameSelection(), **LIMITS))
    assert [frame.index for frame in frames] == list(range(6))
    assert psnr(pixels(frames[5].jpeg), pixels(SOURCE_FRAMES[5])) > 30


def test_an_open_ended_range_runs_to_the_last_frame(mp4):
    assert [frame.index for frame in decode_frames(str(mp4), FrameSelection(step=10, start=15), **LIMITS)] == [
        15,
        25,
        35,
        45,
    ]


@pytest.mark.parametrize(
    ("name", "head", "reason"),
    [
        ("clip.mp4", b"hello world, not a video", "not a video file (extension says MP4)"),
        ("clip.webm", b"\x00\x00\x00\x1cftypisom", "is a MP4/QuickTime video but the extension says WEBM"),
        ("clip.avi", b"RIFF\x00\x00\x00\x00WAVE", "not a video file (extension says AVI)"),
        ("clip.gif", b"GIF89a", "unsupported file type .gif"),
    ],
)
def test_a_file_that_is_not_the_video_its_extension_says_is_refused(name, head, reason):
    with pytest.raises(VideoError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        check_container(name, head)


def test_video_signatures_are_recognised():
    assert check_container("a.MOV", b"\x00\x00\x00\x14ftypqt  ") == "MP4/QuickTime"
    assert check_container("a.mkv", b"\x1a\x45\xdf\xa3\x9f") == "Matroska/WebM"
    assert check_container("a.avi", b"RIFF\x10\x00\x00\x00AVI LIST") == "AVI"


def test_truncated_and_garbage_videos_cannot_be_decoded(mp4, tmp_path):
    truncated = tmp_path / "truncated.mp4"
    truncated.write_bytes(mp4.read_bytes()[: mp4.stat().st_size // 2])
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(b"\x00\x00\x00\x1cftypisom" + bytes(range(256)) * 40)
    for path in (truncated, garbage):
        with pytest.raises(VideoError, match="cannot be decoded as a video"):
            probe(str(path))
        with pytest.raises(VideoError, match="cannot be decoded as a video"):
            list(decode_frames(str(path), FrameSelection(), **LIMITS))


def test_limits_on_frame_count_and_frame_size_refuse_before_decoding(mp4):
    with pytest.raises(VideoError, match="more than 10 frames are selected"):
        list(decode_frames(str(mp4), FrameSelection(step=2), max_frames=10, max_pixels=10**8))
    assert len(list(decode_frames(str(mp4), FrameSelection(step=5), max_frames=10, max_pixels=10**8))) == 10
    with pytest.raises(VideoError, match="768x432 pixels, over the limit of 100000 pixels"):
        list(decode_frames(str(mp4), FrameSelection(), max_frames=100, max_pixels=100_000))


def test_a_range_past_the_end_says_where_the_video_ends(mp4):
    with pytest.raises(VideoError, match="start frame 60 is past the last frame \\(49\\)"):
        list(decode_frames(str(mp4), FrameSelection(start=60), **LIMITS))


def test_frame_selection_rules():
    assert FrameSelection(step=3, start=2, end=11).count(50) == 4  # 2, 5, 8, 11
    assert FrameSelection(step=3, start=2, end=11).selects(8)
    assert not FrameSelection(step=3, start=2, end=11).selects(9)
    assert FrameSelection(start=40).count(30) == 0
    for bad in ({"step": 0}, {"start": -1}, {"start": 5, "end": 4}):
        with pytest.raises(ValueError, match="invalid frame selection"):
            FrameSelection(**bad)


def test_seconds_become_the_frame_shown_then():
    assert frame_at_seconds(1.0, 12.5) == 12
    assert frame_at_seconds(0, 30) == 0
    assert frame_at_seconds(2.5, 29.97) == 74


@pytest.mark.parametrize(("degrees", "quarter_turns"), [(90, 1), (-90, 3), (180, 2)])
def test_a_video_marked_as_rotated_gives_upright_frames(tmp_path, degrees, quarter_turns):
    # given: frames stored landscape with a display matrix turning them `degrees` counter-clockwise, as phones
    # store portrait video
    path = tmp_path / "phone.mp4"
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("mpeg4", rate=12)
        stream.width, stream.height, stream.pix_fmt, stream.bit_rate = 768, 432, "yuv420p", 4_000_000
        stream.set_display_rotation(degrees)
        for frame_path in SOURCE_FRAMES[:2]:
            container.mux(stream.encode(av.VideoFrame.from_image(Image.open(frame_path).convert("RGB"))))
        container.mux(stream.encode(None))

    frame = next(decode_frames(str(path), FrameSelection(), **LIMITS))

    upright = np.rot90(pixels(SOURCE_FRAMES[0]), quarter_turns)  # counter-clockwise quarter turns
    assert (frame.height, frame.width) == upright.shape[:2]
    assert np.abs(pixels(frame.jpeg) - upright).mean() < 3


def test_the_sample_uploader_sends_the_video_extensions_to_the_import():
    assert set(uploads.VIDEO_EXTENSIONS) == set(VIDEO_EXTENSIONS)
