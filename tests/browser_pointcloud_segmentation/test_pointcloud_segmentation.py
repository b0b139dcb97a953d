"""The point-cloud segmentation editor on the real frame 000950 (68,242 points): lasso a car with a fixed camera,
assign it to a new "Car" instance, brush away part of it, save; the stored `point_annotations` equal, point for
point, the selection computed here with NumPy from the same lasso polygon, brush stroke and camera matrix."""

import json

import numpy as np
from playwright.sync_api import expect

from tests.browser_pointcloud_segmentation.conftest import (
    inside_polygon,
    kitti_points,
    near_polyline,
    open_editor,
    save_labeled,
    screen_positions,
    stored_label,
)
from tests.core.shared_data import SHARED_DATA

CAR = "15"  # a ground-truth Car of examples/pointcloud_sequence/label/000950.json (the same frame)


def car_box() -> dict:
    boxes = json.loads((SHARED_DATA / "pointcloud_sequence" / "label" / "000950.json").read_text())
    return next(box["psr"] for box in boxes if box["obj_id"] == CAR)


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


def test_lasso_a_car_assign_it_brush_part_away_and_save(page, live_server, labeler, single_frame_sample):
    open_editor(page, live_server, labeler, single_frame_sample)
    psr = car_box()
    centre = [psr["position"][axis] for axis in "xyz"]
    page.evaluate(
        "([position, target]) => window.pointcloudEditor.setCamera({position, target, fov: 60})",
        [[centre[0] - 6, centre[1] - 9, centre[2] + 8], centre],
    )
    camera = page.evaluate("window.pointcloudEditor.cameraState()")
    matrix, width, height = camera["matrix"], camera["width"], camera["height"]
    polygon = footprint_polygon(psr, matrix, width, height)
    box = page.get_by_test_id("viewport").bounding_box()

    # lasso (the default tool): press at the first vertex, move through the others, release
    page.keyboard.press("l")
    page.mouse.move(box["x"] + polygon[0][0], box["y"] + polygon[0][1])
    page.mouse.down()
    for x, y in polygon[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y)
    page.mouse.up()
    assert page.evaluate("window.pointcloudEditor.lastLasso") == [list(vertex) for vertex in polygon]

    xyz = kitti_points()
    screen = screen_positions(xyz, matrix, width, height)
    lassoed = inside_polygon(screen, polygon)
    assert 50 < lassoed.sum() < 5000
    expect(page.get_by_test_id("selection-count")).to_have_attribute("data-count", str(int(lassoed.sum())))

    # assign to a new instance of Car (category 1, the current one): Enter
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("instance-1")).to_contain_text("Car")
    expect(page.get_by_test_id("instance-count-1")).to_have_text(f"{int(lassoed.sum())} pts")

    # brush part of it away: clear the selection, brush across the car's middle, unlabel the brushed points
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    brush_size = page.evaluate("window.pointcloudEditor.tool.brushSize")
    xs = [x for x, _ in polygon]
    ys = [y for _, y in polygon]
    middle_y = round((min(ys) + max(ys)) / 2)
    stroke = [(min(xs) - 5, middle_y), (round((min(xs) + max(xs)) / 2), middle_y + 3)]
    page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
    page.mouse.down()
    page.mouse.move(box["x"] + stroke[1][0], box["y"] + stroke[1][1])
    page.mouse.up()
    brushed = near_polyline(screen, stroke, brush_size / 2)
    expect(page.get_by_test_id("selection-count")).to_have_attribute("data-count", str(int(brushed.sum())))
    page.keyboard.press("Delete")
    kept = lassoed & ~brushed
    assert 0 < kept.sum() < lassoed.sum()
    expect(page.get_by_test_id("instance-count-1")).to_have_text(f"{int(kept.sum())} pts")

    save_labeled(page)

    label = stored_label(single_frame_sample)
    assert label.label_status == "LABELED"
    assert label.attributes["annotations"] == [{"id": 1, "category_id": 1}]
    stored = np.asarray(label.attributes["point_annotations"])
    assert stored.shape == (len(xyz),)
    np.testing.assert_array_equal(stored, np.where(kept, 1, 0))


def test_undo_restores_the_ids_and_the_page_has_the_help(page, live_server, labeler, single_frame_sample):
    open_editor(page, live_server, labeler, single_frame_sample)
    page.keyboard.press("g")  # select the ground
    selected = int(page.get_by_test_id("selection-count").get_attribute("data-count"))
    assert selected > 10_000
    page.keyboard.press("7")  # Ground (has_instances: false): one shared instance
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("instance-1")).to_contain_text("Ground")
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("instance-1")).to_have_count(0)
    page.keyboard.press("Control+Shift+z")
    expect(page.get_by_test_id("instance-count-1")).to_have_text(f"{selected} pts")
    page.keyboard.press("?")
    expect(page.get_by_text("Select the ground: fit a plane to the lowest points")).to_be_visible()
