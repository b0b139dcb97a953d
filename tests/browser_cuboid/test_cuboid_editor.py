"""The cuboid editor in a real browser on the demo's real lidar frames (SUSTechPOINTS, examples/).

Single frame: a labeler draws a box around the car nearest the ego vehicle in the top view, fits it to the
points, turns it to the car's heading and saves; the stored cuboid matches the ground truth of
examples/pointcloud_sequence/label/000950.json. Sequence: keyframes on frames 1 and 4; the interpolated frames
equal what the server's worker stores; a remove-keyframe hides the object; propagate copies a box forward.
"""

import json
import math
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser_cuboid.conftest import (
    drag,
    log_in_as_demo_labeler,
    look_at,
    open_cuboid_editor,
    shown_cuboids,
    stored_label,
    top_view_point,
)

SAVED = re.compile(r"^Saved")
GROUND_TRUTH = Path(__file__).resolve().parents[2] / "examples" / "pointcloud_sequence" / "label" / "000950.json"


def nearest_car() -> dict:
    """The ground-truth car nearest the ego vehicle (the lidar's origin) in frame 000950."""
    cars = [box for box in json.loads(GROUND_TRUTH.read_text()) if box["obj_type"] == "Car"]
    return min(cars, key=lambda box: math.hypot(box["psr"]["position"]["x"], box["psr"]["position"]["y"]))["psr"]


def angle_between(a: float, b: float) -> float:
    return abs(math.remainder(a - b, 2 * math.pi))


def test_labeler_draws_fits_and_saves_the_car_nearest_the_ego_vehicle(page, live_server, demo):
    # given: the single-frame demo (68,242 points) and the ground truth of its nearest car
    sample = demo.lidar_datasets[1].samples.get()
    car = nearest_car()
    x, y = car["position"]["x"], car["position"]["y"]
    log_in_as_demo_labeler(page, live_server, demo)
    open_cuboid_editor(page, live_server, sample)

    # when: the view is panned to the car and a loose box is drawn corner to corner in the top view
    look_at(page, x, y)
    page.keyboard.press("b")
    drag(page, top_view_point(page, x - 1.3, y + 2.5), top_view_point(page, x + 1.3, y - 2.5))
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-cuboids", "1")
    expect(page.get_by_test_id("top-view-box")).to_have_count(1)
    drawn = shown_cuboids(page)[0]

    # then: it stands on the ground under the car (z and height from the points in the footprint)
    assert drawn["yaw"] == 0
    assert abs(drawn["dimensions"]["x"] - 2.6) < 0.05
    assert abs(drawn["dimensions"]["y"] - 5.0) < 0.05
    bottom = drawn["position"]["z"] - drawn["dimensions"]["z"] / 2
    ground = car["position"]["z"] - car["scale"]["z"] / 2
    assert abs(bottom - ground) < 0.3

    # when: fitted to the points (F), turned a quarter clockwise to the car's heading (Shift+C) and saved
    page.keyboard.press("f")
    page.keyboard.press("Shift+C")
    page.screenshot(path="/tmp/cuboid-editor-single.png")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then: the stored cuboid is the ground truth's within 0.3 m and 0.1 rad (yaw exactly, not modulo pi)
    label = stored_label(sample)
    assert label.attributes["format_version"] == "0.2"
    [cuboid] = label.attributes["annotations"]
    assert set(cuboid) == {"id", "track_id", "category_id", "type", "position", "dimensions", "yaw"}
    assert (cuboid["type"], cuboid["category_id"], cuboid["id"], cuboid["track_id"]) == ("cuboid", 1, 1, 1)
    for axis in "xyz":
        assert abs(cuboid["position"][axis] - car["position"][axis]) < 0.3, (axis, cuboid, car)
    assert angle_between(cuboid["yaw"], car["rotation"]["z"]) < 0.1, (cuboid["yaw"], car["rotation"]["z"])
    assert abs(cuboid["dimensions"]["x"] - car["scale"]["x"]) < 0.5
    assert abs(cuboid["dimensions"]["y"] - car["scale"]["y"]) < 0.5
    assert label.label_status == "LABELING_IN_PROGRESS"
