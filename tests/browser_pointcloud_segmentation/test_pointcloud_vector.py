"""The 3D vector editor on the real frame 000950: clicks snap to the nearest point on screen; a polyline drawn
over three points of a car is saved as `[x, y, z]` vertices that are exactly those cloud points."""

import numpy as np
from playwright.sync_api import expect

from tests.browser_pointcloud_segmentation.conftest import (
    car_box,
    kitti_points,
    look_at,
    open_editor,
    save_labeled,
    screen_positions,
    stored_label,
)

SNAP_PIXELS = 10


def test_draw_a_3d_polyline_on_points_and_save_xyz_vertices(page, live_server, labeler, vector_sample):
    open_editor(page, live_server, labeler, vector_sample)
    matrix, width, height = look_at(page, car_box("000950", "15"))
    xyz = kitti_points()
    screen = screen_positions(xyz, matrix, width, height)
    # three clicks near the projections of car points, spread over the car
    centre = np.array([width / 2, height / 2])
    near_centre = np.where(np.linalg.norm(screen - centre, axis=1) < 80)[0]
    assert len(near_centre) > 10
    order = near_centre[np.argsort(screen[near_centre, 0])]
    chosen = [order[0], order[len(order) // 2], order[-1]]
    clicks = [tuple(np.round(screen[index]).tolist()) for index in chosen]

    box = page.get_by_test_id("viewport").bounding_box()
    page.keyboard.press("l")  # polyline
    for x, y in clicks:
        page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page.get_by_test_id("drawing-count")).to_have_text("3 vertices")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("object-1")).to_contain_text("polyline")
    save_labeled(page)

    annotations = stored_label(vector_sample).attributes["annotations"]
    assert len(annotations) == 1
    polyline = annotations[0]
    assert (polyline["id"], polyline["category_id"], polyline["type"]) == (1, 1, "polyline")
    assert len(polyline["points"]) == 3
    for vertex, (x, y) in zip(polyline["points"], clicks, strict=True):
        assert len(vertex) == 3
        distances = np.hypot(screen[:, 0] - x, screen[:, 1] - y)
        nearest = np.nanmin(distances)
        assert nearest <= SNAP_PIXELS
        on_point = np.all(xyz == np.float32(vertex), axis=1)
        assert on_point.any(), f"{vertex} is not a point of the cloud"
        assert np.isclose(distances[on_point].min(), nearest), "snapped to a point that is not the nearest on screen"
