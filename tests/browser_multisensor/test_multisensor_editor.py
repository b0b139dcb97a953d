"""The multi-sensor editor in a real browser on the demo `multisensor-sequence` (3 real lidar frames of
examples/pointcloud_sequence/ with the front, left and right cameras, the ground-truth cuboids as the label).

A labeler selects a car's cuboid, sees its projection in the front camera exactly where
labeling/core/projection.py puts it, draws a 2D box there and links it to the cuboid's track, moves to the next
frame and saves: the stored label has every sensor in the sample's order, the cuboid track, the 2D track and the
link. Also: "box from cuboid" makes the projected box, undo spans sensors, clicking a projection selects its
cuboid, keys follow the pointer, and a camera without a usable calibration says so instead of drawing.
"""

import copy
import io
import re

import numpy as np
import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from datasets.models import Label, Sample
from datasets.services.labels import save_label
from datasets.services.pointclouds import read_sample_point_clouds
from labeling.core.projection import (
    camera_from_attributes,
    cuboid_corners,
    project_points,
    projected_bounding_box,
)
from tests.browser.conftest import drag, log_in_as_demo_labeler

pytestmark = pytest.mark.browser

SAVED = re.compile(r"^Saved")
HIGHLIGHT = np.array([255, 214, 10])  # the selected cuboid's projection (#ffd60a, multisensor-editor.css)
IMAGE_SIZE = (2048, 1536)


def editor_path(sample: Sample) -> str:
    dataset = sample.dataset
    return reverse("label-editor", args=[dataset.owner_name, dataset.name, sample.uuid])


def open_multisensor_editor(page: Page, live_server, sample: Sample) -> None:
    """Open the editor on `sample`; wait until frame 0's points and every camera's image are shown."""
    page.goto(f"{live_server.url}{editor_path(sample)}")
    expect(page.get_by_test_id("multisensor-editor")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-frame-loaded", "0")
    for stage in page.get_by_test_id("camera-stage").all():
        expect(stage).to_have_attribute("data-frame-loaded", "0")


def labeled_demo(demo) -> Sample:
    """The demo sample, its clouds read, with the pre-labelled ground-truth cuboids as its label."""
    sample = demo.multisensor_dataset.samples.get()
    prelabels = Label.objects.get(sample=sample, labelset__name="prelabels")
    save_label(
        sample.dataset.created_by, sample, "ground-truth", attributes=prelabels.attributes, label_status="PRELABELED"
    )
    read_sample_point_clouds(sample.pk)
    return sample


def front_calibration(sample: Sample, frame: int = 0) -> dict:
    images = sample.attributes["sensors"][0]["attributes"]["frames"][frame]["images"]
    return next(image for image in images if image["name"] == "front")


def car_in_front_camera(sample: Sample) -> tuple[dict, np.ndarray]:
    """The ground-truth car of frame 0 whose projection into the front camera is the largest and wholly in the
    image, with its 8 corners projected (pixels)."""
    label = Label.objects.get(sample=sample, labelset__name="ground-truth").attributes
    camera = camera_from_attributes(front_calibration(sample))
    best = None
    for cuboid in label["sensors"][0]["attributes"]["frames"][0]["annotations"]:
        if cuboid["category_id"] != 1:
            continue
        pixels, _ = project_points(cuboid_corners(cuboid), camera)
        inside = np.isfinite(pixels).all() and (pixels >= 20).all() and (pixels < np.array(IMAGE_SIZE) - 20).all()
        area = np.ptp(pixels[:, 0]) * np.ptp(pixels[:, 1]) if inside else 0
        if inside and (best is None or area > best[0]):
            best = (area, cuboid, pixels)
    assert best is not None
    return best[1], best[2]


def to_page(page: Page, camera_index: int, pixels: np.ndarray) -> np.ndarray:
    """Image pixels of a camera -> page coordinates, through its view's zoom and pan."""
    view = page.evaluate(
        """(index) => {
            const camera = window.multisensorEditor.cameras[index];
            const rect = camera.el.stage.getBoundingClientRect();
            return { ...camera.editor.view, left: rect.left, top: rect.top };
        }""",
        camera_index,
    )
    return pixels * view["scale"] + np.array([view["left"] + view["x"], view["top"] + view["y"]])


def highlighted_near(screenshot: bytes, points: np.ndarray, radius: int = 2) -> list[bool]:
    """Whether each page point has a pixel of the highlight colour within `radius`."""
    image = np.asarray(Image.open(io.BytesIO(screenshot)).convert("RGB")).astype(int)
    found = []
    for x, y in np.round(points).astype(int):
        patch = image[y - radius : y + radius + 1, x - radius : x + radius + 1]
        found.append(bool((np.abs(patch - HIGHLIGHT).max(axis=2) <= 40).any()))
    return found


def stored_label(sample: Sample) -> dict:
    return Label.objects.get(sample=sample, labelset__name="ground-truth").attributes


def test_labeler_links_a_box_drawn_in_the_front_camera_to_a_cars_cuboid_and_saves_every_sensor(page, live_server, demo):
    # given: the demo with its ground-truth cuboids; the car most visible in the front camera
    sample = labeled_demo(demo)
    car, corners = car_in_front_camera(sample)
    car_id = car["track_id"]
    log_in_as_demo_labeler(page, live_server, demo)
    open_multisensor_editor(page, live_server, sample)
    page.get_by_test_id("sensor-panel").nth(1).get_by_test_id("enlarge").click()  # the front camera, big
    expect(page.get_by_test_id("multisensor-editor")).to_have_attribute("data-main-sensor", "front")
    page.wait_for_timeout(300)  # the camera refits to its new size
    on_page = to_page(page, 0, corners)
    assert not any(highlighted_near(page.screenshot(), on_page))

    # when: the car's cuboid is selected (the editor's API, as a click in the 3D view does)
    page.evaluate("(id) => window.multisensorEditor.lidar.select(id)", car_id)

    # then: its projection in the front camera is highlighted, every corner where Python projects it
    front = page.get_by_test_id("projections").first
    expect(front.locator(f'[data-track-id="{car_id}"]')).to_have_class(re.compile("is-selected"))
    page.wait_for_timeout(100)
    page.screenshot(path="/tmp/multisensor-editor-selected.png")
    assert all(highlighted_near(page.screenshot(), on_page)), on_page

    # when: a 2D box is drawn around the car in the front camera (pointer over it: B), then linked (J)
    box = projected_bounding_box(car, camera_from_attributes(front_calibration(sample)), IMAGE_SIZE)
    start, end = to_page(page, 0, np.array(box))
    page.mouse.move(*start)
    page.keyboard.press("b")
    drag(page, tuple(start), tuple(end))
    expect(page.get_by_test_id("link-state").first).to_have_text("")
    page.keyboard.press("j")
    expect(page.get_by_test_id("link-state").first).to_contain_text(f"cuboid #{car_id}")
    box_id = page.evaluate("() => window.multisensorEditor.cameras[0].editor.selectedId")
    # selecting the linked 2D box (after deselecting both) selects its cuboid too
    page.evaluate("() => window.multisensorEditor.lidar.select(null)")
    page.evaluate("() => window.multisensorEditor.cameras[0].editor.select(null)")
    expect(page.get_by_test_id("link-state").first).to_have_text("")
    page.evaluate("(id) => window.multisensorEditor.cameras[0].editor.select(id)", box_id)
    page.wait_for_function("(id) => window.multisensorEditor.lidar.selectedId === id", arg=car_id)
    assert box_id > max(
        cuboid["track_id"]
        for frame in stored_label(sample)["sensors"][0]["attributes"]["frames"]
        for cuboid in frame["annotations"]
    )

    # when: the next frame, then save
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("frame-label")).to_have_text("2 / 3")
    front_stage = page.get_by_test_id("camera-stage").first
    expect(front_stage).to_have_attribute("data-frame-loaded", "1")
    expect(front_stage.locator("img.ve-image:not([hidden])")).to_have_attribute("data-frame", "1")
    page.screenshot(path="/tmp/multisensor-editor-frame2.png")
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then: every sensor in the sample's order, the cuboid track, the 2D track and the link
    label = stored_label(sample)
    sample_sensors = [(sensor["name"], sensor["task_type"]) for sensor in sample.attributes["sensors"]]
    assert [(sensor["name"], sensor["task_type"]) for sensor in label["sensors"]] == sample_sensors
    lidar_frames = label["sensors"][0]["attributes"]["frames"]
    assert all(any(cuboid["track_id"] == car_id for cuboid in frame["annotations"]) for frame in lidar_frames)
    front_frames = label["sensors"][1]["attributes"]["frames"]
    drawn = next(annotation for annotation in front_frames[0]["annotations"] if annotation["track_id"] == box_id)
    assert drawn["type"] == "bbox"
    assert np.abs(np.array(drawn["points"]) - np.array(box)).max() < 2 / page.evaluate(
        "() => window.multisensorEditor.cameras[0].editor.view.scale"
    )
    assert label["sensors"][2]["attributes"] == []
    assert label["sensors"][3]["attributes"] == []
    assert [(link["from_id"], link["to_id"]) for link in label["links"]] == [(car_id, box_id)]


def test_box_from_cuboid_is_the_projected_box_linked_to_the_track_and_undo_spans_sensors(page, live_server, demo):
    # given: a car selected by clicking its projection in the front camera
    sample = labeled_demo(demo)
    car, corners = car_in_front_camera(sample)
    car_id = car["track_id"]
    log_in_as_demo_labeler(page, live_server, demo)
    open_multisensor_editor(page, live_server, sample)
    page.get_by_test_id("sensor-panel").nth(1).get_by_test_id("enlarge").click()
    page.wait_for_timeout(300)
    page.get_by_test_id("main-slot").get_by_test_id("tool-select").click()  # the front camera's Select tool
    leftmost = corners[np.argmin(corners[:, 0])]
    page.mouse.click(*to_page(page, 0, leftmost[None, :])[0])
    expect(page.get_by_test_id("projections").first.locator(f'[data-track-id="{car_id}"]')).to_have_class(
        re.compile("is-selected")
    )
    assert page.evaluate("() => window.multisensorEditor.lidar.selectedId") == car_id

    # when: R with the pointer over the front camera
    page.get_by_test_id("camera-stage").first.hover()
    expect(page.get_by_test_id("keyboard-focus")).to_have_text("Keys: front")
    page.keyboard.press("r")

    # then: a bbox equal to the server's projected box, linked to the car's track
    expected = projected_bounding_box(car, camera_from_attributes(front_calibration(sample)), IMAGE_SIZE)
    made = page.evaluate("() => window.multisensorEditor.cameras[0].editor.selectedAnnotation()")
    assert made["type"] == "bbox"
    assert np.abs(np.array(made["points"]) - np.array(expected)).max() <= 0.005  # stored to 0.01 px
    label = page.evaluate("() => window.multisensorEditor.toLabel()")
    assert label["links"] == [{"from_id": car_id, "to_id": made["id"], "attributes": {}}]

    # when: the lidar points are turned on in the cameras (O)
    page.keyboard.press("o")

    # then: every camera draws the frame's points over its image
    for canvas in page.get_by_test_id("lidar-canvas").all():
        expect(canvas).to_be_visible()
        assert int(canvas.get_attribute("data-points")) > 1000
    page.screenshot(path="/tmp/multisensor-editor-lidar.png")

    # when: a cuboid is nudged in the 3D view, then undo twice with the pointer over the left camera
    page.get_by_test_id("main-view").hover()
    page.keyboard.press("w")
    page.get_by_test_id("camera-stage").nth(1).hover()
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")

    # then: the nudge and then the box with its link (one step) are undone
    label = page.evaluate("() => window.multisensorEditor.toLabel()")
    assert "links" not in label
    assert label["sensors"][1]["attributes"] == []
    assert not page.evaluate("() => window.multisensorEditor.isDirty()")
    page.keyboard.press("Control+Shift+z")
    assert page.evaluate("() => window.multisensorEditor.toLabel().links.length") == 1


def test_a_camera_whose_calibration_is_missing_says_so_and_draws_no_projection(page, live_server, demo):
    # given: the demo sample without the left camera's calibration in frame 0
    sample = labeled_demo(demo)
    attributes = copy.deepcopy(sample.attributes)
    frame = attributes["sensors"][0]["attributes"]["frames"][0]
    frame["images"] = [image for image in frame["images"] if image["name"] != "left"]
    Sample.objects.filter(pk=sample.pk).update(attributes=attributes)
    log_in_as_demo_labeler(page, live_server, demo)

    # when
    open_multisensor_editor(page, live_server, sample)

    # then: the left camera says why and draws nothing; the front one projects; the next frame is calibrated
    left = page.get_by_test_id("sensor-panel").nth(2)
    expect(left.get_by_test_id("calibration-banner")).to_contain_text(
        'Calibration unusable: no calibrated image named "left"'
    )
    expect(left.get_by_test_id("projections")).to_have_attribute("data-count", "0")
    assert int(page.get_by_test_id("projections").first.get_attribute("data-count")) > 0
    page.get_by_test_id("frame-next").click()
    expect(left.get_by_test_id("calibration-banner")).to_be_hidden()
    page.screenshot(path="/tmp/multisensor-editor-calibration.png")


def test_a_conflicting_save_keeps_my_3d_nudge_and_their_2d_box_with_keep_both(page, live_server, demo):
    # given: the labeler nudges a car's cuboid in the 3D view (frame 1)
    sample = labeled_demo(demo)
    car, _ = car_in_front_camera(sample)
    car_id = car["track_id"]
    log_in_as_demo_labeler(page, live_server, demo)
    open_multisensor_editor(page, live_server, sample)
    page.evaluate("(id) => window.multisensorEditor.lidar.select(id)", car_id)
    page.get_by_test_id("main-view").hover()
    page.keyboard.press("w")
    mine = page.evaluate("() => window.multisensorEditor.toLabel()")
    nudged = next(c for c in mine["sensors"][0]["attributes"]["frames"][0]["annotations"] if c["track_id"] == car_id)
    assert nudged["position"] != car["position"]

    # and meanwhile someone else stores a 2D box of the car in the front camera, linked to its cuboid
    theirs = copy.deepcopy(stored_label(sample))
    box_id = 1 + max(
        c["track_id"] for frame in theirs["sensors"][0]["attributes"]["frames"] for c in frame["annotations"]
    )
    box = projected_bounding_box(car, camera_from_attributes(front_calibration(sample)), IMAGE_SIZE)
    their_box = {"id": box_id, "track_id": box_id, "category_id": 1, "type": "bbox", "points": box, "is_keyframe": True}
    frames = [{"annotations": [their_box] if index == 0 else []} for index in range(3)]
    theirs["sensors"][1]["attributes"] = {"frames": frames}
    theirs["links"] = [{"from_id": car_id, "to_id": box_id, "attributes": {}}]
    save_label(sample.dataset.created_by, sample, "ground-truth", attributes=theirs, label_status="LABELED")

    # when: saving is refused as a conflict, and the labeler keeps both, then saves
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("conflict-message")).to_be_visible()
    keep_both = page.get_by_test_id("conflict-keep-both")
    expect(keep_both).to_be_visible()
    keep_both.click()
    expect(page.get_by_test_id("camera-stage").first.locator(f'[data-annotation-id="{box_id}"]')).to_have_count(1)
    page.screenshot(path="/tmp/multisensor-editor-keep-both.png")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then: the stored label has my nudged cuboid, their 2D box and their link
    stored = stored_label(sample)
    cuboid = next(c for c in stored["sensors"][0]["attributes"]["frames"][0]["annotations"] if c["track_id"] == car_id)
    assert cuboid["position"] == nudged["position"]
    [kept_box] = [a for a in stored["sensors"][1]["attributes"]["frames"][0]["annotations"] if a["track_id"] == box_id]
    assert np.abs(np.array(kept_box["points"]) - np.array(box)).max() <= 0.01
    assert [(link["from_id"], link["to_id"]) for link in stored["links"]] == [(car_id, box_id)]


def test_the_timeline_shows_every_sensors_tracks_under_its_name_and_a_row_selects_its_track(page, live_server, demo):
    # given: the demo's cuboids and a stored 2D track of a car in the front camera (frames 1 and 2)
    sample = labeled_demo(demo)
    car, _ = car_in_front_camera(sample)
    label = copy.deepcopy(stored_label(sample))
    box_id = 1 + max(
        c["track_id"] for frame in label["sensors"][0]["attributes"]["frames"] for c in frame["annotations"]
    )
    box = projected_bounding_box(car, camera_from_attributes(front_calibration(sample)), IMAGE_SIZE)
    their_box = {"id": box_id, "track_id": box_id, "category_id": 1, "type": "bbox", "points": box, "is_keyframe": True}
    label["sensors"][1]["attributes"] = {
        "frames": [{"annotations": [their_box]}, {"annotations": [their_box]}, {"annotations": []}]
    }
    save_label(sample.dataset.created_by, sample, "ground-truth", attributes=label, label_status="LABELED")
    log_in_as_demo_labeler(page, live_server, demo)

    # when
    open_multisensor_editor(page, live_server, sample)

    # then: one group per edited sensor in the sample's order, titled with its name and its track count
    cuboid_tracks = {
        c["track_id"] for frame in label["sensors"][0]["attributes"]["frames"] for c in frame["annotations"]
    }
    timelines = page.get_by_test_id("timelines")
    expect(timelines.get_by_test_id("timeline-title")).to_have_text(
        [f"lidar · {len(cuboid_tracks)} tracks", "front · 1 track", "left · 0 tracks", "right · 0 tracks"]
    )
    front = timelines.locator('[data-testid="camera-timeline"][data-sensor="front"]')
    row = front.get_by_test_id("track-row")
    expect(row).to_have_attribute("data-track-id", str(box_id))
    expect(row.get_by_test_id("keyframe-marker")).to_have_count(2)

    # when: the front camera is clicked (its group scrolls into view), then its row, then a cuboid's row
    page.get_by_test_id("camera-stage").first.click()
    expect(front.get_by_test_id("timeline-title")).to_be_in_viewport()
    page.screenshot(path="/tmp/multisensor-editor-timeline.png")
    row.locator(".sq-track-name").click()

    # then: each selects its track in its own sensor
    page.wait_for_function("(id) => window.multisensorEditor.cameras[0].editor.selectedId === id", arg=box_id)
    expect(row).to_have_class(re.compile("is-selected"))
    page.get_by_test_id("timeline").locator(f'[data-track-id="{car["track_id"]}"] .sq-track-name').click()
    page.wait_for_function("(id) => window.multisensorEditor.lidar.selectedId === id", arg=car["track_id"])
