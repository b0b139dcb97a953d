"""The image-sequence editor in a real browser, on the demo's 50 real frames of a parking lot (768 x 432).

The silver car enters at the top: on frame 0 only its bonnet shows, by frame 20 it is fully in view. Boxes are
read back from the SVG the editor draws, and compared with the linear interpolation of the two keyframes
(docs/interpolation.md) and with the label the worker stores after the save.
"""

import re
import time

from playwright.sync_api import Page, expect

from datasets.models import Label
from datasets.services.dataset_settings import update_dataset
from tests.browser.conftest import drag
from tests.browser_sequence.conftest import (
    go_to_frame,
    image_on_screen,
    log_in_as_demo_labeler,
    open_sequence_editor,
    shown_boxes,
    stored_label,
    wait_for_frame,
)

SAVED = re.compile(r"^Saved")
CAR_ON_FRAME_0 = [(160.0, 2.0), (263.0, 40.0)]
CAR_ON_FRAME_20 = [(98.0, 37.0), (258.0, 325.0)]


def lerp_box(start: list, end: list, t: float) -> list:
    return [[a + t * (b - a) for a, b in zip(p, q, strict=True)] for p, q in zip(start, end, strict=True)]


def assert_boxes_close(actual: list, expected: list, tolerance: float) -> None:
    for (ax, ay), (ex, ey) in zip(actual, expected, strict=True):
        message = f"{actual} != {expected} (±{tolerance})"
        assert abs(ax - ex) <= tolerance, message
        assert abs(ay - ey) <= tolerance, message


def wait_for_materialised_label(sample, version: int, timeout: float = 10.0) -> Label:
    """The worker runs in-process after the save commits; wait until its version is stored."""
    deadline = time.monotonic() + timeout
    while True:
        label = stored_label(sample)
        if label.interpolated_from == version or time.monotonic() > deadline:
            return label
        time.sleep(0.1)


def draw_car_track(page: Page) -> tuple[list, list]:
    """Box the silver car on frame 0, then reshape the held box on frame 20; returns both shown boxes."""
    image = image_on_screen(page)
    drag(page, image.to_screen(*CAR_ON_FRAME_0[0]), image.to_screen(*CAR_ON_FRAME_0[1]))
    expect(page.get_by_test_id("annotation")).to_have_count(1)
    first = shown_boxes(page, expected=1)[0]
    go_to_frame(page, 20)
    expect(page.get_by_test_id("annotation")).to_have_count(1)  # held: the dataset extrapolates
    page.keyboard.press("v")
    drag(page, image.to_screen(*first[0]), image.to_screen(*CAR_ON_FRAME_20[0]))  # upper-left handle
    drag(page, image.to_screen(*first[1][:1], CAR_ON_FRAME_0[1][1]), image.to_screen(*CAR_ON_FRAME_20[1]))
    expect(page.get_by_test_id("keyframe-state")).to_have_text("keyframe")
    return first, shown_boxes(page, expected=1)[0]


def test_labeler_tracks_car_with_two_keyframes_ends_it_and_the_worker_stores_the_same_boxes(
    page, live_server, demo, sequence
):
    # given: a dataset that extrapolates, so the track continues after its last keyframe until it is ended
    update_dataset(demo.sequence_dataset.created_by, demo.sequence_dataset, {"enable_extrapolation": True})
    log_in_as_demo_labeler(page, live_server, demo)
    open_sequence_editor(page, live_server, sequence)

    # when: two keyframes of the silver car
    first, last = draw_car_track(page)

    # then: the middle frame shows the linear interpolation of the two keyframes
    assert_boxes_close(first, [list(point) for point in CAR_ON_FRAME_0], 1.5)
    assert_boxes_close(last, [list(point) for point in CAR_ON_FRAME_20], 1.5)
    markers = page.get_by_test_id("keyframe-marker")
    expect(markers).to_have_count(2)
    assert [markers.nth(i).get_attribute("data-frame") for i in range(2)] == ["0", "20"]
    shown = {}
    for frame, state in ((5, "interpolated"), (10, "interpolated"), (15, "interpolated"), (25, "held")):
        go_to_frame(page, frame)
        [shown[frame]] = shown_boxes(page, expected=1)
        expect(page.get_by_test_id("keyframe-state")).to_have_text(state)
        expect(page.get_by_test_id("annotation")).to_have_class(re.compile(r"\bsq-interpolated\b"))
    assert_boxes_close(shown[10], lerp_box(first, last, 0.5), 1e-6)
    assert_boxes_close(shown[5], lerp_box(first, last, 0.25), 1e-6)
    assert_boxes_close(shown[25], last, 1e-6)  # held after the last keyframe
    go_to_frame(page, 10)
    page.screenshot(path="/tmp/sequence-editor-interpolated.png")

    # when: the track ends on frame 30 (E, with the track still selected)
    go_to_frame(page, 30)
    expect(page.get_by_test_id("annotation")).to_have_count(1)
    page.keyboard.press("e")

    # then: the box is gone there and after, still shown before, and the timeline shows the cross
    expect(page.get_by_test_id("annotation")).to_have_count(0)
    expect(page.get_by_test_id("remove-marker")).to_have_attribute("data-frame", "30")
    for frame, count in ((31, 0), (49, 0), (29, 1)):
        go_to_frame(page, frame)
        expect(page.get_by_test_id("annotation")).to_have_count(count)
    go_to_frame(page, 30)
    page.screenshot(path="/tmp/sequence-editor-ended.png")

    # when: saved
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then: the stored label has the keyframes and the remove-keyframe; the worker filled frames 1-29
    label = wait_for_materialised_label(sequence, version=1)
    assert (label.version, label.interpolated_from) == (2, 1)
    frames = label.attributes["frames"]
    assert label.attributes["format_version"] == "0.2"
    assert len(frames) == 50
    for frame, box in ((0, first), (20, last)):
        [annotation] = frames[frame]["annotations"]
        assert {k: v for k, v in annotation.items() if k != "points"} == {
            "id": 1,
            "track_id": 1,
            "category_id": 1,
            "type": "bbox",
            "is_keyframe": True,
            "attributes": {},
        }
        assert_boxes_close(annotation["points"], box, 0.005)  # stored with two decimals
    assert frames[30]["image_attributes"] == {"_removed_track_ids": ["1"]}
    for frame in range(1, 30):
        if frame == 20:
            continue
        [annotation] = frames[frame]["annotations"]
        assert (annotation["track_id"], annotation["is_keyframe"]) == (1, False)
    for frame, box in shown.items():
        assert_boxes_close(frames[frame]["annotations"][0]["points"], box, 0.5)
    assert all(frames[frame]["annotations"] == [] for frame in range(30, 50))

    # when: the track-level colour is set once (the editor saves again from its own version)
    go_to_frame(page, 10)
    page.mouse.click(*image_on_screen(page).to_screen(*[(a + b) / 2 for a, b in zip(*shown[10], strict=True)]))
    page.get_by_test_id("attribute-color").select_option("silver")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then: both keyframes carry it, no new keyframe was made on frame 10, and nothing was refused as stale
    label = wait_for_materialised_label(sequence, version=3)
    frames = label.attributes["frames"]
    assert [frames[f]["annotations"][0]["attributes"] for f in (0, 10, 20)] == [{"color": "silver"}] * 3
    assert [frames[f]["annotations"][0]["is_keyframe"] for f in (0, 10, 20)] == [True, False, True]


def test_deleting_a_keyframe_keeps_the_track_and_shift_delete_removes_the_whole_track(
    page, live_server, demo, sequence
):
    # given: a car box on frame 0, moved on frame 10 (moving an interpolated object makes a keyframe)
    log_in_as_demo_labeler(page, live_server, demo)
    image = open_sequence_editor(page, live_server, sequence)
    drag(page, image.to_screen(*CAR_ON_FRAME_0[0]), image.to_screen(*CAR_ON_FRAME_0[1]))
    [first] = shown_boxes(page, expected=1)
    page.keyboard.press("v")
    page.keyboard.press("ArrowRight")
    wait_for_frame(page, 1)
    expect(page.get_by_test_id("annotation")).to_have_count(0)  # no extrapolation after the only keyframe
    go_to_frame(page, 10)
    page.keyboard.press("Shift+ArrowLeft")  # previous keyframe of the selected track
    wait_for_frame(page, 0)
    go_to_frame(page, 10)
    page.keyboard.press("k")  # keyframe here, holding the last state
    expect(page.get_by_test_id("keyframe-marker")).to_have_count(2)
    drag(page, image.to_screen(200, 20), image.to_screen(200, 60))
    [moved] = shown_boxes(page, expected=1)
    assert_boxes_close(moved, [[first[0][0], first[0][1] + 40], [first[1][0], first[1][1] + 40]], 1.0)
    go_to_frame(page, 5)
    assert_boxes_close(shown_boxes(page, expected=1)[0], lerp_box(first, moved, 0.5), 1e-6)
    page.keyboard.press("Shift+ArrowRight")
    wait_for_frame(page, 10)

    # when: Delete on the keyframe of frame 10
    page.keyboard.press("Delete")

    # then: only that keyframe is gone; the track and its frame-0 box remain
    expect(page.get_by_test_id("keyframe-marker")).to_have_count(1)
    expect(page.get_by_test_id("track-row")).to_have_count(1)
    expect(page.get_by_test_id("annotation")).to_have_count(0)
    page.keyboard.press("Home")
    wait_for_frame(page, 0)
    assert_boxes_close(shown_boxes(page, expected=1)[0], first, 1e-6)

    # when: Delete on frame 5, which is no keyframe, then Shift+Delete (confirmed)
    go_to_frame(page, 5)
    page.keyboard.press("Delete")
    expect(page.get_by_test_id("editor-toast")).to_contain_text("not a keyframe")
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Shift+Delete")

    # then: the track is gone from every frame; undo brings it back
    expect(page.get_by_test_id("track-row")).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("track-row")).to_have_count(1)
    expect(page.get_by_test_id("keyframe-marker")).to_have_count(1)


def test_timeline_scrubbing_playback_and_help(page, live_server, demo, sequence):
    # given
    log_in_as_demo_labeler(page, live_server, demo)
    open_sequence_editor(page, live_server, sequence)
    frame_label = page.get_by_test_id("frame-label")
    expect(frame_label).to_have_text("Frame 1 / 50")

    # when: the playhead is dragged along the ruler
    ruler = page.get_by_test_id("timeline-ruler").bounding_box()
    y = ruler["y"] + ruler["height"] / 2
    page.mouse.move(ruler["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(ruler["x"] + ruler["width"] * 0.31, y, steps=6)
    expect(frame_label).to_have_attribute("data-frame", "15")
    page.mouse.move(ruler["x"] + ruler["width"] * 0.61, y, steps=6)
    page.mouse.up()

    # then: the editor follows, image and playhead included
    wait_for_frame(page, 30)
    expect(page.get_by_test_id("playhead")).to_have_attribute("data-frame", "30")
    assert page.locator("#ve-image").get_attribute("src").endswith("frame_000214.jpg")

    # when: played with the button, then paused with Space
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("Number(document.getElementById('sq-frame-label').dataset.frame) >= 33")
    page.keyboard.press(" ")
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    paused_at = int(frame_label.get_attribute("data-frame"))
    page.wait_for_timeout(300)  # 12.5 fps: ~4 frames would pass if it still played
    assert int(frame_label.get_attribute("data-frame")) == paused_at

    # when: played to the end with Space
    page.keyboard.press("End")
    wait_for_frame(page, 49)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    wait_for_frame(page, 47)
    page.keyboard.press(" ")
    wait_for_frame(page, 49)
    expect(page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")

    # then: the help lists the sequence shortcuts
    page.keyboard.press("?")
    help_panel = page.get_by_test_id("help-panel")
    expect(help_panel).to_be_visible()
    for text in (
        "End the selected track here",
        "Delete the whole track",
        "Previous / next frame",
        "Play / pause",
    ):
        expect(help_panel).to_contain_text(text)
    page.screenshot(path="/tmp/sequence-editor-help.png")
