"""The cuboid editor in a real browser on the demo's real lidar frames (SUSTechPOINTS, examples/).

Single frame: a labeler draws a box around the car nearest the ego vehicle in the top view, fits it to the
points, turns it to the car's heading and saves; the stored cuboid matches the ground truth of
examples/pointcloud_sequence/label/000950.json. Sequence: keyframes on frames 1 and 4; the interpolated frames
equal what the server's worker stores; a remove-keyframe hides the object; propagate copies a box forward.
"""

import json
import math
import re
import time
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from datasets.models import Label, Sample
from datasets.services.dataset_settings import update_dataset
from datasets.services.labels import save_label
from datasets.services.pointclouds import read_sample_point_clouds
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
    page.get_by_test_id("color-by").select_option("category")
    page.screenshot(path="/tmp/cuboid-editor-single.png")
    car_points = page.evaluate(
        """() => {
            const colors = window.cuboidEditor.pointsObject().geometry.attributes.color.array;
            let count = 0;
            for (let i = 0; i < colors.length; i += 3) {
                if (Math.abs(colors[i] - 230 / 255) + Math.abs(colors[i + 1] - 57 / 255) < 1e-6) count += 1;
            }
            return count;
        }"""
    )
    assert car_points > 100  # the points in the box take the Car colour
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


def go_to_frame(page, key: str, frame: int) -> None:
    page.keyboard.press(key)
    expect(page.get_by_test_id("frame-label")).to_have_attribute("data-frame", str(frame))
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-frame-loaded", str(frame))


def wait_for_materialised_label(sample, version: int, timeout: float = 10.0) -> Label:
    """The worker runs in-process after the save commits; wait until it stored its version."""
    deadline = time.monotonic() + timeout
    while True:
        label = stored_label(sample)
        if label.interpolated_from == version or time.monotonic() > deadline:
            return label
        time.sleep(0.1)


def geometry(cuboid: dict) -> list[float]:
    return [cuboid[key][axis] for key in ("position", "dimensions") for axis in "xyz"] + [cuboid["yaw"]]


def test_sequence_keyframes_interpolate_like_the_worker_a_remove_keyframe_hides_and_propagate_copies(
    page, live_server, demo
):
    # given: the 4-frame demo sequence, empty ground-truth label
    sample = demo.lidar_datasets[0].samples.get()
    car = nearest_car()
    x, y = car["position"]["x"], car["position"]["y"]
    log_in_as_demo_labeler(page, live_server, demo)
    open_cuboid_editor(page, live_server, sample)
    expect(page.get_by_test_id("frame-label")).to_have_attribute("data-frame", "0")

    # when: a car of the default size is placed with one click on frame 1, and on frame 4 the track is continued
    # (K), moved 0.5 m forward and turned 5 degrees
    look_at(page, x, y)
    page.keyboard.press("b")
    page.mouse.click(*top_view_point(page, x, y))
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-cuboids", "1")
    first = shown_cuboids(page)[0]
    go_to_frame(page, "End", 3)
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-cuboids", "0")  # no extrapolation
    page.keyboard.press("k")
    for key in "wwwww.....":
        page.keyboard.press(key)
    expect(page.get_by_test_id("keyframe-state")).to_have_text("keyframe")
    last = shown_cuboids(page)[0]
    assert abs(last["yaw"] - first["yaw"] - math.radians(5)) < 1e-9

    # then: frames 2 and 3 show the interpolation (linear position, yaw along the short arc), marked as such
    shown = {}
    go_to_frame(page, "Home", 0)
    for frame in (1, 2):
        go_to_frame(page, "ArrowRight", frame)
        [cuboid] = shown_cuboids(page)
        assert cuboid["is_keyframe"] is False
        start, end = first["position"]["x"], last["position"]["x"]
        assert abs(cuboid["position"]["x"] - (start + frame / 3 * (end - start))) < 1e-9
        shown[frame] = cuboid
    page.screenshot(path="/tmp/cuboid-editor-sequence.png")

    # when: saved
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then: the worker's filled frames 2-3 equal the browser's
    label = wait_for_materialised_label(sample, version=1)
    frames = label.attributes["frames"]
    assert [len(frame["annotations"]) for frame in frames] == [1, 1, 1, 1]
    assert [frame["annotations"][0]["is_keyframe"] for frame in frames] == [True, False, False, True]
    for frame, cuboid in shown.items():
        stored = frames[frame]["annotations"][0]
        assert geometry(stored) == pytest.approx(geometry(cuboid), abs=1e-9)
        assert (stored["track_id"], stored["category_id"], stored["type"]) == (1, 1, "cuboid")

    # when: played from the first frame (Space)
    go_to_frame(page, "Home", 0)
    page.keyboard.press(" ")

    # then: the frames advance to the last one and playback stops there
    expect(page.get_by_test_id("frame-label")).to_have_attribute("data-frame", "3")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    go_to_frame(page, "ArrowLeft", 2)

    # when: the track is ended on frame 3 (remove-keyframe, E) with the track selected from the timeline
    page.get_by_test_id("track-row").first.locator(".sq-track-name").click()
    expect(page.get_by_test_id("frame-label")).to_have_attribute("data-frame", "2")
    page.keyboard.press("e")

    # then: the object is gone on frame 3, still there on frames 2 and 4 (its next keyframe)
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-cuboids", "0")
    expect(page.get_by_test_id("remove-marker")).to_have_attribute("data-frame", "2")
    go_to_frame(page, "ArrowLeft", 1)
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-cuboids", "1")

    # when: a pedestrian (4) is clicked in on frame 2 and propagated to the next 2 frames (P)
    page.keyboard.press("Escape")  # deselect the car: the category key then picks the category of the next box
    page.keyboard.press("4")
    page.keyboard.press("b")
    page.mouse.click(*top_view_point(page, x + 4, y))
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-cuboids", "2")
    pedestrian = next(cuboid for cuboid in shown_cuboids(page) if cuboid["category_id"] == 4)
    page.get_by_test_id("propagate-count").fill("2")
    page.get_by_test_id("main-view").focus()
    page.keyboard.press("p")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then: frames 2-4 hold the same pedestrian box as keyframes; the car has its remove-keyframe on frame 3
    label = stored_label(sample)
    frames = label.attributes["frames"]
    copies = [
        [annotation for annotation in frame["annotations"] if annotation["track_id"] == pedestrian["track_id"]]
        for frame in frames
    ]
    assert [len(found) for found in copies] == [0, 1, 1, 1]
    for [copy] in copies[1:]:
        assert copy["is_keyframe"] is True
        assert geometry(copy) == pytest.approx(geometry(pedestrian), abs=1e-9)
        assert copy["category_id"] == 4
    assert frames[2]["image_attributes"] == {"_removed_track_ids": ["1"]}
    assert [annotation["track_id"] for annotation in frames[2]["annotations"]] == [pedestrian["track_id"]]


def centre_of(page, test_id: str) -> tuple[float, float]:
    box = page.get_by_test_id(test_id).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def main_view_point(page, point: dict) -> tuple[float, float]:
    """Where the world point is on the page in the 3D view (projected by the view's camera)."""
    return tuple(
        page.evaluate(
            """({x, y, z}) => {
                const camera = window.cuboidEditor.viewport.camera;
                const ndc = new camera.position.constructor(x, y, z).project(camera);
                const box = document.querySelector('[data-testid="main-view"]').getBoundingClientRect();
                return [box.left + (ndc.x + 1) / 2 * box.width, box.top + (1 - ndc.y) / 2 * box.height];
            }""",
            point,
        )
    )


def test_orthographic_views_move_resize_and_turn_the_box_and_3d_rotation_saves_a_quaternion(page, live_server, demo):
    # given: the single-frame demo with 3D cuboid rotation enabled, a car of the default size placed by a click
    dataset = demo.lidar_datasets[1]
    update_dataset(dataset.created_by, dataset, {"enable_3d_cuboid_rotation": True})
    sample = dataset.samples.get()
    car = nearest_car()
    x, y = car["position"]["x"], car["position"]["y"]
    log_in_as_demo_labeler(page, live_server, demo)
    open_cuboid_editor(page, live_server, sample)
    look_at(page, x, y)
    page.keyboard.press("b")
    page.mouse.click(*top_view_point(page, x, y))
    [placed] = shown_cuboids(page)
    assert placed["dimensions"]["x"] == 4.5  # the Car category's typical size

    # when: the yaw handle of the top view is dragged a quarter turn counter-clockwise about the box's centre
    cx, cy = centre_of(page, "top-view-box")
    hx, hy = centre_of(page, "yaw-handle")
    drag(page, (hx, hy), (cx, cy - (hx - cx)))

    # then: the heading turned 90 degrees (+y)
    [turned] = shown_cuboids(page)
    assert abs(turned["yaw"] - math.pi / 2) < 0.03

    # when: the front edge in the side view is dragged 40 px outwards (the views now follow the new heading)
    scale = page.evaluate("window.cuboidEditor.ortho.frameOf('side').scale")
    ex, ey = centre_of(page, "side-edge-front")
    drag(page, (ex, ey), (ex + 40, ey))

    # then: 40 px longer, the back face stays where it was
    [longer] = shown_cuboids(page)
    assert abs(longer["dimensions"]["x"] - (turned["dimensions"]["x"] + 40 / scale)) < 0.02

    def back(cuboid: dict) -> float:
        return cuboid["position"]["y"] - cuboid["dimensions"]["x"] / 2 * math.sin(cuboid["yaw"])

    assert abs(back(longer) - back(turned)) < 0.02

    # when: the box is dragged 30 px to the right in the top view (along the heading), then that is undone
    bx, by = centre_of(page, "top-view-box")
    drag(page, (bx, by), (bx + 30, by))
    [moved] = shown_cuboids(page)
    top_scale = page.evaluate("window.cuboidEditor.ortho.frameOf('top').scale")
    assert abs(moved["position"]["y"] - (longer["position"]["y"] + 30 / top_scale)) < 0.02
    page.keyboard.press("Control+z")
    assert shown_cuboids(page)[0]["position"] == longer["position"]

    # when: deselected (Esc), then the box is clicked in the 3D view
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("object-panel")).to_have_count(0)
    page.mouse.click(*main_view_point(page, longer["position"]))

    # then: it is selected again (the raycast hit its box)
    expect(page.get_by_test_id("object-panel")).to_have_attribute("data-annotation-id", "1")

    # when: the ground is hidden, then shown again
    drawn_points = "window.cuboidEditor.pointsObject().geometry.attributes.position.count"
    assert page.evaluate(drawn_points) == 68242
    page.get_by_test_id("hide-ground").check()
    without_ground = page.evaluate(drawn_points)
    page.get_by_test_id("hide-ground").uncheck()

    # then: fewer points are drawn without the ground, all of them again after
    assert 10_000 < without_ground < 50_000
    assert page.evaluate(drawn_points) == 68242

    # when: copied and pasted, then saved
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-cuboids", "2")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then: two cuboids (track ids 1 and 2) with a unit quaternion that is the yaw's rotation about +z
    annotations = stored_label(sample).attributes["annotations"]
    assert [annotation["track_id"] for annotation in annotations] == [1, 2]
    for annotation in annotations:
        rotation = annotation["rotation"]
        assert rotation["qx"] == rotation["qy"] == 0
        assert math.hypot(rotation["qz"], rotation["qw"]) == pytest.approx(1)
        assert 2 * math.atan2(rotation["qz"], rotation["qw"]) == pytest.approx(annotation["yaw"])
        assert annotation["dimensions"] == longer["dimensions"]


def test_a_conflicting_save_keeps_my_cuboid_and_theirs_with_keep_both(page, live_server, demo):
    # given: the labeler places a car while someone else stores a pedestrian in the same label
    sample = demo.lidar_datasets[1].samples.get()
    car = nearest_car()
    log_in_as_demo_labeler(page, live_server, demo)
    open_cuboid_editor(page, live_server, sample)
    look_at(page, car["position"]["x"], car["position"]["y"])
    page.keyboard.press("b")
    page.mouse.click(*top_view_point(page, car["position"]["x"], car["position"]["y"]))
    [mine] = shown_cuboids(page)
    theirs = {
        "id": 7, "track_id": 7, "category_id": 4, "type": "cuboid", "position": {"x": 1.0, "y": 2.0, "z": -0.5},
        "dimensions": {"x": 0.7, "y": 0.7, "z": 1.7}, "yaw": 0.5,
    }  # fmt: skip
    attributes = {"format_version": "0.2", "annotations": [theirs]}
    save_label(sample.dataset.created_by, sample, "ground-truth", attributes=attributes, label_status="LABELED")

    # when: saving is refused as a conflict, and the labeler keeps both
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("conflict-message")).to_be_visible()
    assert stored_label(sample).attributes["annotations"] == [theirs]
    page.get_by_test_id("conflict-keep-both").click()
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-cuboids", "2")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then: their pedestrian and my car are stored, version 2
    label = stored_label(sample)
    assert label.version == 2
    stored = {annotation["id"]: annotation for annotation in label.attributes["annotations"]}
    assert stored[7] == theirs
    assert stored[mine["id"]]["position"] == mine["position"]


def test_a_cloud_the_server_could_not_read_shows_why_in_the_editor(page, live_server, demo):
    # given: a frame whose URL the server may not fetch (its reader refused it and stored why)
    dataset = demo.lidar_datasets[1]
    attributes = {"pcd": {"url": "https://example.com/frame.bin", "type": "kitti"}}
    sample = Sample.objects.create(dataset=dataset, name="elsewhere.bin", attributes=attributes)
    [frame] = read_sample_point_clouds(sample.id)
    assert frame.status == "FAILED"

    # when: the labeler opens it
    log_in_as_demo_labeler(page, live_server, demo)
    path = reverse("label-editor", args=[dataset.owner_name, dataset.name, sample.uuid])
    page.goto(f"{live_server.url}{path}")

    # then: the 3D view says which frame failed and the server's reason; no points are shown
    error = page.get_by_test_id("pointcloud-error")
    expect(error).to_contain_text("Frame 1 could not be read")
    expect(error).to_contain_text(frame.error)
    expect(page.get_by_test_id("editor-canvas")).not_to_have_attribute("data-frame-loaded", "0")
