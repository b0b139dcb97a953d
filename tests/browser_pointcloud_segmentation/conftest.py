"""Browser tests of the point-cloud segmentation and vector editors: Playwright (sync API) driving the machine's
Chromium (WebGL2 through SwiftShader) against pytest-django's live server, through the real pages and label API,
on the real lidar frames in examples/ read by the server's own worker code.

Chromium must be installed at /usr/bin/chromium; without it these tests fail, they never skip.
"""

import itertools
import json

import numpy as np
import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from datasets.models import Collaborator, Label, PointCloudFrame, Sample
from datasets.services.datasets import create_dataset
from datasets.tasks import read_sample_point_clouds
from labeling.core.pointclouds import read_point_cloud
from tests.conftest import checked_page, launched_chromium, make_user
from tests.core.shared_data import KITTI_BIN, LIDAR, SHARED_DATA

VIEWPORT = {"width": 1280, "height": 800}
CATEGORIES = {
    "format_version": "0.1",
    "categories": [
        {"id": 1, "name": "Car", "color": [230, 57, 70], "has_instances": True},
        {"id": 2, "name": "Pedestrian", "color": [42, 157, 143], "has_instances": True},
        {"id": 7, "name": "Ground", "color": [120, 120, 120], "has_instances": False},
        {
            "id": 4,
            "name": "Cyclist",
            "color": [244, 162, 97],
            "has_instances": True,
            "attributes": [{"name": "riding", "input_type": "select", "values": ["yes", "no"], "is_mandatory": True}],
        },
    ],
}

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _served_files(settings, tmp_path):
    """Derived buffers go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def alice(transactional_db):
    return make_user("alice")


@pytest.fixture
def labeler(transactional_db):
    return make_user("lara")


def point_cloud_dataset(
    owner, labeler, task_type: str, name: str, sample_attributes: dict, categories: dict = CATEGORIES
) -> Sample:
    """A dataset of `task_type` with one sample whose clouds the worker code has read (lara labels)."""
    dataset = create_dataset(
        owner, owner_name=owner.username, owner_user=owner, name=name, task_type=task_type, task_attributes=categories
    )
    Collaborator.objects.create(dataset=dataset, user=labeler, role="labeler")
    sample = Sample.objects.create(dataset=dataset, name="cloud", attributes=sample_attributes, created_by=owner)
    read_sample_point_clouds(sample.id)
    assert set(PointCloudFrame.objects.filter(sample=sample).values_list("status", flat=True)) == {"READ"}
    return sample


@pytest.fixture
def single_frame_sample(live_server, alice, labeler) -> Sample:
    """`pointcloud-segmentation` over the real KITTI-style frame 000950.bin (68,242 points)."""
    url = "http://testserver/static/examples/pointcloud_single/000950.bin"
    return point_cloud_dataset(
        alice, labeler, "pointcloud-segmentation", "lidar-seg", {"pcd": {"url": url, "type": "kitti"}}
    )


# Made-up ego poses for the 4 frames (the example has none): frame k turned by 10k degrees about z and moved
# (4k, -2k, 0.1k) metres, so lidar and world coordinates differ.
EGO_POSES = [
    {
        "position": {"x": 4.0 * k, "y": -2.0 * k, "z": 0.1 * k},
        "heading": {
            "qx": 0.0,
            "qy": 0.0,
            "qz": float(np.sin(np.radians(5 * k))),
            "qw": float(np.cos(np.radians(5 * k))),
        },
    }
    for k in range(4)
]


@pytest.fixture(params=["lidar", "ego_poses"])
def sequence_sample(request, live_server, alice, labeler) -> Sample:
    """`pointcloud-segmentation-sequence` over the 4 real frames of examples/pointcloud_sequence/lidar/, without
    ego poses or with EGO_POSES."""
    frames = [
        {"pcd": {"url": f"http://testserver/static/examples/pointcloud_sequence/lidar/{path.name}", "type": "pcd"}}
        for path in sorted(LIDAR.glob("*.pcd"))
    ]
    if request.param == "ego_poses":
        frames = [{**frame, "ego_pose": pose} for frame, pose in zip(frames, EGO_POSES, strict=True)]
    return point_cloud_dataset(alice, labeler, "pointcloud-segmentation-sequence", "lidar-seg-seq", {"frames": frames})


def world_points(xyz: np.ndarray, pose: dict | None) -> np.ndarray:
    """Lidar points in world coordinates (float64): R(heading) p + position; unchanged without a pose."""
    points = xyz.astype(np.float64)
    if pose is None:
        return points
    qx, qy, qz, qw = (pose["heading"][key] for key in ("qx", "qy", "qz", "qw"))
    rotation = np.array(
        [
            [1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw)],
            [2 * (qx * qy + qz * qw), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw)],
            [2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy)],
        ]
    )
    position = np.array([pose["position"][axis] for axis in "xyz"])
    return points @ rotation.T + position


def kitti_points() -> np.ndarray:
    """The frame's points (N x 3 float32, file order), read by the server's reader."""
    return read_point_cloud(KITTI_BIN.read_bytes(), "kitti").xyz


def sequence_points() -> list[np.ndarray]:
    return [read_point_cloud(path.read_bytes(), "pcd").xyz for path in sorted(LIDAR.glob("*.pcd"))]


@pytest.fixture(scope="package")
def browser():
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Browser):
    with checked_page(browser, viewport=VIEWPORT, timeout_ms=30_000) as page:
        yield page


def log_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = {"name": django_settings.SESSION_COOKIE_NAME, "value": client.cookies["sessionid"].value}
    page.context.add_cookies([{**cookie, "url": live_server.url}])


def open_editor(page: Page, live_server, user, sample: Sample) -> None:
    log_in(page, live_server, user)
    dataset = sample.dataset
    page.goto(f"{live_server.url}{reverse('label-editor', args=[dataset.owner_name, dataset.name, sample.uuid])}")
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true")


def save_labeled(page: Page) -> None:
    page.get_by_test_id("status-labeled").click()
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved")


def stored_label(sample: Sample) -> Label:
    return Label.objects.get(sample=sample, labelset__name="ground-truth")


def screen_positions(xyz: np.ndarray, matrix: list[float], width: float, height: float) -> np.ndarray:
    """Every point's canvas position (N x 2, NaN when not in front of the camera), computed like
    points.js projectToScreen: column-major view-projection matrix, float64, the same order of operations."""
    m = [float(value) for value in matrix]
    x, y, z = (xyz[:, k].astype(np.float64) for k in range(3))
    w = m[3] * x + m[7] * y + m[11] * z + m[15]
    cz = m[2] * x + m[6] * y + m[10] * z + m[14]
    sx = ((m[0] * x + m[4] * y + m[8] * z + m[12]) / w + 1) * (width / 2)
    sy = (1 - (m[1] * x + m[5] * y + m[9] * z + m[13]) / w) * (height / 2)
    visible = (w > 0) & (cz >= -w) & (cz <= w)
    return np.where(visible[:, None], np.stack([sx, sy], axis=1), np.nan)


def inside_polygon(screen: np.ndarray, polygon: list[tuple[float, float]]) -> np.ndarray:
    """Even-odd rule, as points.js selectInPolygon (a point on the far side of an edge is outside)."""
    px, py = screen[:, 0], screen[:, 1]
    inside = np.zeros(len(screen), dtype=bool)
    n = len(polygon)
    for a in range(n):
        xa, ya = polygon[a]
        xb, yb = polygon[a - 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            crosses = ((ya > py) != (yb > py)) & (px < (xb - xa) * (py - ya) / (yb - ya) + xa)
        inside ^= crosses
    return inside & ~np.isnan(px)


def near_polyline(screen: np.ndarray, stroke: list[tuple[float, float]], radius: float) -> np.ndarray:
    """Points within `radius` pixels of the brush stroke's segments (the press is a zero-length segment)."""
    hit = np.zeros(len(screen), dtype=bool)
    segments = [(stroke[0], stroke[0]), *itertools.pairwise(stroke)]
    for (ax, ay), (bx, by) in segments:
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        with np.errstate(invalid="ignore"):
            t = ((screen[:, 0] - ax) * dx + (screen[:, 1] - ay) * dy) / length2 if length2 > 0 else 0 * screen[:, 0]
            t = np.clip(t, 0, 1)
            ex = screen[:, 0] - (ax + t * dx)
            ey = screen[:, 1] - (ay + t * dy)
            hit |= ex * ex + ey * ey <= radius * radius
    return hit


def car_box(frame: str, object_id: str) -> dict:
    """The ground-truth box (psr) of an object of examples/pointcloud_sequence/label/<frame>.json (frame 000950
    is also examples/pointcloud_single/000950.bin)."""
    boxes = json.loads((SHARED_DATA / "pointcloud_sequence" / "label" / f"{frame}.json").read_text())
    return next(box["psr"] for box in boxes if box["obj_id"] == object_id)


def look_at(page: Page, psr: dict) -> tuple[list[float], float, float]:
    """Put the editor's camera above and behind the box; return its view-projection matrix and canvas size."""
    centre = [psr["position"][axis] for axis in "xyz"]
    page.evaluate(
        "([position, target]) => window.pointcloudEditor.setCamera({position, target, fov: 60})",
        [[centre[0] - 6, centre[1] - 9, centre[2] + 8], centre],
    )
    camera = page.evaluate("window.pointcloudEditor.cameraState()")
    return camera["matrix"], camera["width"], camera["height"]


def lasso(page: Page, polygon: list[tuple[float, float]]) -> None:
    """With the lasso tool: press at the first vertex (canvas pixels), move through the others, release."""
    page.keyboard.press("l")
    box = page.get_by_test_id("viewport").bounding_box()
    page.mouse.move(box["x"] + polygon[0][0], box["y"] + polygon[0][1])
    page.mouse.down()
    for x, y in polygon[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.up()
    assert page.evaluate("window.pointcloudEditor.lastLasso") == [list(vertex) for vertex in polygon]


def footprint_polygon(psr: dict, matrix, width, height) -> list[tuple[float, float]]:
    """The lasso: the screen hull of the car box's 8 corners, as whole canvas pixels."""
    position, scale, yaw = psr["position"], psr["scale"], psr["rotation"]["z"]
    corners = []
    for sx in (-0.5, 0.5):
        for sy in (-0.5, 0.5):
            for sz in (-0.5, 0.5):
                dx, dy = sx * scale["x"], sy * scale["y"]
                corners.append(
                    [
                        position["x"] + dx * np.cos(yaw) - dy * np.sin(yaw),
                        position["y"] + dx * np.sin(yaw) + dy * np.cos(yaw),
                        position["z"] + sz * scale["z"],
                    ]
                )
    screen = screen_positions(np.array(corners, dtype=np.float32), matrix, width, height)
    hull = convex_hull([tuple(point) for point in np.round(screen).tolist()])
    return hull


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    points = sorted(set(points))

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for point in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    for point in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    return lower[:-1] + upper[:-1]


VECTOR_CATEGORIES = {
    "format_version": "0.1",
    "categories": [
        {
            "id": 1,
            "name": "Lane",
            "color": [230, 230, 70],
            "attributes": [
                {"name": "kind", "input_type": "select", "values": ["solid", "dashed"], "is_mandatory": True}
            ],
        },
        {"id": 2, "name": "Pole", "color": [42, 157, 143]},
    ],
}


@pytest.fixture
def vector_sample(live_server, alice, labeler) -> Sample:
    """`pointcloud-vector` over the real KITTI-style frame 000950.bin."""
    url = "http://testserver/static/examples/pointcloud_single/000950.bin"
    attributes = {"pcd": {"url": url, "type": "kitti"}}
    return point_cloud_dataset(alice, labeler, "pointcloud-vector", "lidar-vec", attributes, VECTOR_CATEGORIES)


@pytest.fixture
def vector_sequence_sample(live_server, alice, labeler) -> Sample:
    """`pointcloud-vector-sequence` over the 4 real frames of examples/pointcloud_sequence/lidar/."""
    frames = [
        {"pcd": {"url": f"http://testserver/static/examples/pointcloud_sequence/lidar/{path.name}", "type": "pcd"}}
        for path in sorted(LIDAR.glob("*.pcd"))
    ]
    return point_cloud_dataset(alice, labeler, "pointcloud-vector-sequence", "lidar-vec-seq", {"frames": frames})
