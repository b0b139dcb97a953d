"""Benchmark video decoding for the video import (labeling.core.video, PyAV): frames per second decoded and
written as JPEG (quality 90), with every frame kept and with every 10th, and the process's peak memory.

Videos are made first from the real frames of `examples/image_sequence/` (768x432), 150 frames each: MPEG-4
Part 2 at 768x432, and H.264 (libx264) at 1920x1080 (the frames scaled up). Run from the repository root:
`.venv/bin/python bench/bench_video.py`. Prints the machine, then the median of RUNS runs. No target: the
figures size imports (a 10,000-frame import at the printed rate) and go in the notes.
"""

import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import av
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import describe_machine
from labeling.core.video import FrameSelection, decode_frames, probe

RUNS = 3
FRAMES = 150
SOURCE = sorted((Path(__file__).resolve().parents[1] / "examples" / "image_sequence").glob("frame_*.jpg"))


def make_video(path: Path, codec: str, size: tuple[int, int]) -> Path:
    """FRAMES frames (the 50 source frames, three times over) at `size`, 25 fps."""
    images = [Image.open(frame).convert("RGB").resize(size) for frame in SOURCE]
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(codec, rate=25)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for index in range(FRAMES):
            container.mux(stream.encode(av.VideoFrame.from_image(images[index % len(images)])))
        container.mux(stream.encode(None))
    return path


def frames_per_second(path: Path, step: int) -> tuple[float, float, int]:
    """Median decoded frames per second of wall time and of CPU time (all threads of this process; the
    shared machine is often busy, so the CPU figure shows the cost of the work itself), every frame decoded
    and every `step`-th converted to JPEG; and the JPEG bytes per kept frame."""
    rates, cpu_rates, jpeg_bytes, kept = [], [], 0, 0
    for _ in range(RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        jpeg_bytes, kept = 0, 0
        # One frame at a time, as the import stores each before decoding the next.
        for frame in decode_frames(str(path), FrameSelection(step=step), max_frames=10_000, max_pixels=10**8):
            jpeg_bytes, kept = jpeg_bytes + len(frame.jpeg), kept + 1
        rates.append(FRAMES / (time.perf_counter() - started))
        cpu_rates.append(FRAMES / (time.process_time() - cpu_started))
    return statistics.median(rates), statistics.median(cpu_rates), jpeg_bytes // max(kept, 1)


def main() -> None:
    print(describe_machine())
    with tempfile.TemporaryDirectory() as folder:
        videos = [Path(folder) / "small.mp4", Path(folder) / "hd.mp4"]
        # Encoded in a child process, so this process's peak memory is the decoding's alone.
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            pool.starmap(make_video, [(videos[0], "mpeg4", (768, 432)), (videos[1], "libx264", (1920, 1080))])
        for video in videos:
            info = probe(str(video))
            for step in (1, 10):
                rate, cpu_rate, per_frame = frames_per_second(video, step)
                print(
                    f"{info.codec} {info.width}x{info.height}, {FRAMES} frames, step {step}: {rate:.0f} frames/s "
                    f"decoded (wall), {cpu_rate:.0f} per CPU second, {per_frame / 1024:.0f} KiB per kept JPEG"
                )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the decoding process: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
