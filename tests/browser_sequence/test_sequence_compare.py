""" "Compare with" in the image-sequence editor: a predictions track drawn under the ground truth on every frame
(interpolated between its keyframes like the edited label), and copied with all its keyframes as a new track."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from datasets.demo import DEMO_ADMIN
from datasets.models import Label
from datasets.services.labels import save_label
from datasets.services.labelsets import add_labelset
from tests.browser_sequence.conftest import go_to_frame, image_on_screen, log_in_as_demo_labeler, open_sequence_editor


def keyframe(track_id: int, points: list) -> dict:
    return {
        "id": track_id,
        "track_id": track_id,
        "category_id": 1,
        "type": "bbox",
        "points": points,
        "is_keyframe": True,
    }


def sequence_label(keyframes: dict[int, dict]) -> dict:
    return {
        "format_version": "0.2",
        "frames": [{"annotations": [keyframes[i]] if i in keyframes else []} for i in range(50)],
    }


PREDICTED = {0: keyframe(1, [[100.0, 100.0], [200.0, 180.0]]), 10: keyframe(1, [[200.0, 100.0], [300.0, 180.0]])}


def keyframes_of(label: Label) -> dict[int, list]:
    return {
        index: [annotation for annotation in frame["annotations"] if annotation.get("is_keyframe")]
        for index, frame in enumerate(label.attributes["frames"])
        if any(annotation.get("is_keyframe") for annotation in frame["annotations"])
    }


def test_labeler_copies_a_predicted_track_with_its_keyframes(page, live_server, demo, sequence):
    # given: predictions with track 1 keyframed on frames 0 and 10; a ground truth whose track 1 is elsewhere
    admin = get_user_model().objects.get(username=DEMO_ADMIN)
    add_labelset(admin, demo.sequence_dataset, name="predictions")
    save_label(admin, sequence, "predictions", attributes=sequence_label(PREDICTED), label_status="PRELABELED")
    own = keyframe(1, [[500.0, 300.0], [600.0, 400.0]])
    save_label(
        admin, sequence, "ground-truth", attributes=sequence_label({0: own}), label_status="LABELING_IN_PROGRESS"
    )
    log_in_as_demo_labeler(page, live_server, demo)
    open_sequence_editor(page, live_server, sequence)

    # when: comparing with the predictions on frame 5 (between the predicted keyframes)
    page.get_by_test_id("reference-picker").select_option("predictions")
    go_to_frame(page, 5)

    # then: the predicted car is drawn where the interpolation puts it
    reference = page.locator('[data-testid="reference-object"] rect')
    expect(reference).to_have_count(1)
    assert [reference.get_attribute(name) for name in ("x", "y", "width", "height")] == ["150", "100", "100", "80"]

    # when: it is clicked in Select mode and copied
    page.keyboard.press("v")
    page.mouse.click(*image_on_screen(page).to_screen(200, 140))
    page.keyboard.press("Alt+c")

    # then: a new track 2 shows here, selected, and it is saved with the predicted keyframes
    expect(page.locator('[data-testid="annotation"][data-annotation-id="2"]')).to_have_count(1)
    expect(page.get_by_test_id("track-controls")).to_have_attribute("data-track-id", "2")
    page.screenshot(path="/tmp/sequence-compare.png")
    save_box = page.get_by_test_id("save-button").bounding_box()
    assert save_box["x"] + save_box["width"] <= page.viewport_size["width"], "the toolbar hides Save"
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(re.compile("^Saved"))
    ground_truth = Label.objects.get(sample=sequence, labelset__name="ground-truth")
    copied = {
        index: [annotation["points"] for annotation in annotations if annotation["track_id"] == 2]
        for index, annotations in keyframes_of(ground_truth).items()
    }
    assert copied == {0: [PREDICTED[0]["points"]], 10: [PREDICTED[10]["points"]]}
    predictions = Label.objects.get(sample=sequence, labelset__name="predictions")
    assert keyframes_of(predictions) == {0: [PREDICTED[0]], 10: [PREDICTED[10]]}
    assert predictions.updated_by == admin
