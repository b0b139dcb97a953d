"""The 3D vector editor on the real frame 000950: clicks snap to the nearest point on screen; a polyline drawn
over three points of a car is saved as `[x, y, z]` vertices that are exactly those cloud points."""

import numpy as np
from playwright.sync_api import expect

from datasets.models import Label
from tests.browser_pointcloud_segmentation.conftest import (
    car_box,
    kitti_points,
    look_at,
    open_editor,
    save_labeled,
    screen_positions,
    sequence_points,
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
    page.keyboard.press("2")  # Pole: no attributes
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
    assert (polyline["id"], polyline["category_id"], polyline["type"]) == (1, 2, "polyline")
    assert len(polyline["points"]) == 3
    for vertex, (x, y) in zip(polyline["points"], clicks, strict=True):
        assert len(vertex) == 3
        distances = np.hypot(screen[:, 0] - x, screen[:, 1] - y)
        nearest = np.nanmin(distances)
        assert nearest <= SNAP_PIXELS
        on_point = np.all(xyz == np.float32(vertex), axis=1)
        assert on_point.any(), f"{vertex} is not a point of the cloud"
        assert np.isclose(distances[on_point].min(), nearest), "snapped to a point that is not the nearest on screen"


def nearest_point_near(screen: np.ndarray, target: tuple[float, float]) -> tuple[float, float]:
    """The whole-pixel screen position of the cloud point nearest to `target` (a click there snaps to it)."""
    index = int(np.nanargmin(np.hypot(screen[:, 0] - target[0], screen[:, 1] - target[1])))
    return tuple(np.round(screen[index]).tolist())


def snapped(xyz: np.ndarray, screen: np.ndarray, click: tuple[float, float]) -> np.ndarray:
    distances = np.hypot(screen[:, 0] - click[0], screen[:, 1] - click[1])
    return xyz[np.nanargmin(distances)]


def test_a_keypoint_track_with_two_keyframes_is_interpolated_between_them(
    page, live_server, labeler, vector_sequence_sample
):
    """Frame 1: a keypoint on a point; frame 4: the track continued (K) and its vertex dragged onto another point
    (a keyframe there); frames 2 and 3 show the interpolated keypoint; the label stores the two keyframes as
    [x, y, z] with the track id (and the server's worker the frames between)."""
    open_editor(page, live_server, labeler, vector_sequence_sample)
    matrix, width, height = look_at(page, car_box("000950", "15"))
    frames = sequence_points()
    box = page.get_by_test_id("viewport").bounding_box()
    first_screen = screen_positions(frames[0], matrix, width, height)
    first_click = nearest_point_near(first_screen, (width / 2, height / 2))
    page.keyboard.press("n")  # keypoint
    page.mouse.click(box["x"] + first_click[0], box["y"] + first_click[1])
    expect(page.get_by_test_id("object-1")).to_contain_text("point")

    page.keyboard.press("End")
    expect(page.get_by_test_id("frame-label")).to_have_text("Frame 4 / 4")
    last_screen = screen_positions(frames[3], matrix, width, height)
    last_click = nearest_point_near(last_screen, (width / 2 + 60, height / 2 + 30))
    expect(page.get_by_test_id("object-1")).to_have_count(0)  # one keyframe: the track is not shown after it
    page.keyboard.press("k")  # continue the selected track here
    expect(page.get_by_test_id("object-1")).to_contain_text("point")
    page.keyboard.press("v")
    page.mouse.move(box["x"] + first_click[0], box["y"] + first_click[1])
    page.mouse.down()
    page.mouse.move(box["x"] + last_click[0], box["y"] + last_click[1])
    page.mouse.up()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("object-1")).to_contain_text("(interpolated)")
    save_labeled(page)

    # the editor stores the two keyframes; the server's interpolation worker (eager here) fills frames 2 and 3
    stored = stored_label(vector_sequence_sample).attributes["frames"]
    assert [[a["is_keyframe"] for a in frame["annotations"]] for frame in stored] == [[True], [False], [False], [True]]
    start, end = stored[0]["annotations"][0], stored[3]["annotations"][0]
    for keyframe in (start, end):
        assert {key: keyframe[key] for key in ("id", "track_id", "category_id", "type", "is_keyframe")} == {
            "id": 1,
            "track_id": 1,
            "category_id": 1,
            "type": "point",
            "is_keyframe": True,
        }
    np.testing.assert_array_equal(np.float32(start["points"]), [snapped(frames[0], first_screen, first_click)])
    np.testing.assert_array_equal(np.float32(end["points"]), [snapped(frames[3], last_screen, last_click)])
    for index, t in ((1, 1 / 3), (2, 2 / 3)):
        between = np.float64(stored[index]["annotations"][0]["points"])
        np.testing.assert_allclose(between, (1 - t) * np.float64(start["points"]) + t * np.float64(end["points"]))


def test_a_draft_comes_back_and_mandatory_attributes_are_asked(page, live_server, labeler, vector_sample):
    open_editor(page, live_server, labeler, vector_sample)
    box = page.get_by_test_id("viewport").bounding_box()
    page.keyboard.press("n")  # a keypoint of Lane (category 1), wherever the click lands (a point or the ground)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_test_id("object-1")).to_contain_text("Lane")
    page.wait_for_timeout(400)  # the shell keeps the draft 250 ms after the change
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true")
    page.get_by_test_id("draft-restore").click()
    expect(page.get_by_test_id("object-1")).to_contain_text("Lane")

    page.get_by_test_id("status-labeled").click()
    expect(page.get_by_test_id("message")).to_contain_text("#1 Lane: kind required")
    assert not Label.objects.filter(sample=vector_sample).exists()
    page.get_by_test_id("object-1").click()
    page.get_by_test_id("object-attribute-kind").select_option("dashed")
    save_labeled(page)
    (annotation,) = stored_label(vector_sample).attributes["annotations"]
    assert annotation["attributes"] == {"kind": "dashed"}
    assert len(annotation["points"]) == 1
    assert len(annotation["points"][0]) == 3
