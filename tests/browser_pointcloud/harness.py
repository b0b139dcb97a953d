"""Serve the viewport harness (tests/browser_pointcloud/harness.html) with the repository's ES modules,
node_modules and derived point buffers, for the browser tests and bench/bench_pointcloud_viewer.py.

The buffers are made by the server's own code from the real example frames (`read_point_cloud` +
`derived_buffer`, what the worker stores), so the browser reads exactly what the editor will fetch.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np

from labeling.core.pointclouds import PointCloud, derived_buffer, read_point_cloud

REPOSITORY = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).resolve().parent / "harness.html"
LIDAR = REPOSITORY / "examples" / "pointcloud_sequence" / "lidar"
KITTI_BIN = REPOSITORY / "examples" / "pointcloud_single" / "000950.bin"
TILE_SPACING = 150.0  # metres between tiled frames: more than a frame's extent, so the tiles do not overlap


def real_frame() -> PointCloud:
    """The real 68,242-point frame 000950 (examples/pointcloud_single/000950.bin)."""
    return read_point_cloud(KITTI_BIN.read_bytes(), "kitti")


def tiled_cloud(minimum_points: int = 1_000_000) -> PointCloud:
    """A cloud of at least `minimum_points` real points: the 4 real lidar frames of examples/pointcloud_sequence,
    repeated side by side on a square grid TILE_SPACING apart (x and y shifted, z unchanged)."""
    frames = [read_point_cloud(path.read_bytes(), "pcd") for path in sorted(LIDAR.glob("*.pcd"))]
    xyz, intensity, total, tile = [], [], 0, 0
    side = 4
    while total < minimum_points:
        frame = frames[tile % len(frames)]
        shifted = frame.xyz.copy()
        shifted[:, 0] += (tile % side) * TILE_SPACING
        shifted[:, 1] += (tile // side) * TILE_SPACING
        xyz.append(shifted)
        intensity.append(frame.intensity)
        total += frame.count
        tile += 1
    return PointCloud(xyz=np.concatenate(xyz), intensity=np.concatenate(intensity))


class _Handler(SimpleHTTPRequestHandler):
    buffers: dict[str, bytes] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(REPOSITORY), **kwargs)

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/harness.html":
            return self._send(HARNESS.read_bytes(), "text/html")
        if path.startswith("/buffers/") and path.removeprefix("/buffers/") in self.buffers:
            return self._send(self.buffers[path.removeprefix("/buffers/")], "application/octet-stream")
        if not path.startswith(("/frontend_static/", "/node_modules/")):
            return self.send_error(404)
        return super().do_GET()

    def _send(self, body: bytes, content_type: str):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def guess_type(self, path):
        return "text/javascript" if str(path).endswith(".js") else super().guess_type(path)

    def log_message(self, format, *args):
        pass


@contextmanager
def harness_server(clouds: dict[str, PointCloud]) -> Iterator[str]:
    """Serve the harness on 127.0.0.1 with each cloud's derived buffer at /buffers/<name>; yields the base URL.
    Open f"{base}/harness.html?buffer=/buffers/<name>&count=<points>"."""
    handler = type("Handler", (_Handler,), {"buffers": {name: derived_buffer(c) for name, c in clouds.items()}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def harness_url(base: str, name: str, count: int, **query) -> str:
    """The harness URL rendering buffer `name` of `count` points, with extra query parameters."""
    extra = "".join(f"&{key}={value}" for key, value in query.items())
    return f"{base}/harness.html?buffer=/buffers/{name}&count={count}{extra}"
