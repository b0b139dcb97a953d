""" "Compare with" in the vector editor: another label set of the sample (a model's predictions) drawn read-only
under the ground truth, and one of its objects copied into the ground truth with a new id."""

import io
import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from datasets.demo import DEMO_ADMIN
from datasets.models import Label
from datasets.services.labels import save_label
from datasets.services.labelsets import add_labelset
from tests.browser.conftest import ImageOnScreen, log_in_as_demo_labeler, open_editor

PREDICTED_BOX = [[60.0, 40.0], [200.0, 200.0]]  # chelsea.png is 451 x 300
PREDICTIONS = {
    "format_version": "0.1",
    "annotations": [
        {"id": 1, "category_id": 1, "type": "bbox", "points": PREDICTED_BOX},
        {"id": 2, "category_id": 2, "type": "polygon", "points": [[250, 200], [300, 260], [220, 280]]},
    ],
    "image_attributes": {},
}
GROUND_TRUTH = {
    "format_version": "0.1",
    "annotations": [{"id": 1, "category_id": 1, "type": "bbox", "points": [[300.0, 40.0], [420.0, 150.0]]}],
    "image_attributes": {},
}


def pixel(page: Page, image: ImageOnScreen, x: float, y: float) -> tuple[int, int, int]:
    """The colour the page shows at image point (x, y)."""
    screen_x, screen_y = image.to_screen(x, y)
    shot = page.screenshot(clip={"x": screen_x, "y": screen_y, "width": 1, "height": 1})
    return Image.open(io.BytesIO(shot)).convert("RGB").getpixel((0, 0))


def test_labeler_shows_predictions_under_the_ground_truth_and_copies_one_box(page, live_server, demo):
    # given: a predictions label set with a label of the photo, and a ground truth with one box (id 1)
    sample = demo.dataset.samples.get(name="chelsea.png")
    admin = get_user_model().objects.get(username=DEMO_ADMIN)
    add_labelset(admin, demo.dataset, name="predictions", description="model v1")
    save_label(admin, sample, "predictions", attributes=PREDICTIONS, label_status="PRELABELED")
    save_label(admin, sample, "ground-truth", attributes=GROUND_TRUTH, label_status="LABELING_IN_PROGRESS")
    predictions_before = Label.objects.get(sample=sample, labelset__name="predictions")
    log_in_as_demo_labeler(page, live_server, demo)
    image = open_editor(page, live_server, sample)
    expect(page.get_by_test_id("annotation")).to_have_count(1)
    inside_prediction = pixel(page, image, 130, 180)

    # when: the labeler compares with the predictions
    page.get_by_test_id("reference-picker").select_option("predictions")

    # then: both predicted objects are drawn (dimmed, under the ground truth) and the photo is tinted there
    expect(page.get_by_test_id("reference-object")).to_have_count(2)
    expect(page.get_by_test_id("reference-layer")).to_have_attribute("data-labelset", "predictions")
    assert page.evaluate("window.vectorEditor.referenceObjects().map((object) => object.id)") == [1, 2]
    tinted = pixel(page, image, 130, 180)
    assert tinted != inside_prediction, "the predicted box is not drawn over the photo"
    page.keyboard.press("Alt+r")  # hide, and show again
    expect(page.get_by_test_id("reference-object")).to_have_count(0)
    assert pixel(page, image, 130, 180) == inside_prediction
    page.keyboard.press("Alt+r")
    expect(page.get_by_test_id("reference-object")).to_have_count(2)

    # when: the labeler clicks the predicted box in Select mode and copies it (Alt+C)
    page.keyboard.press("v")
    page.mouse.click(*image.to_screen(130, 180))
    expect(page.locator('[data-reference-id="1"]')).to_have_class(re.compile("is-picked"))
    page.screenshot(path="/tmp/vector-compare.png")
    page.keyboard.press("Alt+c")

    # then: the ground truth has it under a new id, selected; one undo step takes it back
    expect(page.get_by_test_id("annotation")).to_have_count(2)
    expect(page.locator('[data-testid="annotation"][data-annotation-id="2"]')).to_have_attribute("data-type", "bbox")
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("annotation")).to_have_count(1)
    page.keyboard.press("Control+Shift+z")
    expect(page.get_by_test_id("annotation")).to_have_count(2)
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(re.compile("^Saved"))

    # and the stored ground truth has both boxes; the predictions are unchanged
    stored = Label.objects.get(sample=sample, labelset__name="ground-truth").attributes["annotations"]
    assert [(annotation["id"], annotation["points"]) for annotation in stored] == [
        (1, GROUND_TRUTH["annotations"][0]["points"]),
        (2, PREDICTED_BOX),
    ]
    predictions = Label.objects.get(sample=sample, labelset__name="predictions")
    assert (predictions.version, predictions.attributes) == (predictions_before.version, PREDICTIONS)

    # and the dataset page lists both label sets with their counts, and shows the predictions' statuses on demand
    page.goto(f"{live_server.url}{reverse('dataset', args=[demo.dataset.owner_name, demo.dataset.name])}")
    row = page.locator('[data-testid="labelsets"] tr[data-labelset="predictions"]')
    expect(row.locator('[data-field="labels"]')).to_have_text("1")
    expect(row.locator('[data-field="statuses"]')).to_have_text(re.compile("1 prelabeled"))
    page.get_by_test_id("show-labelset-predictions").click()
    expect(page.get_by_test_id("status-column")).to_have_text("Label status (predictions)")
    status = page.locator(f'tr[data-sample-uuid="{sample.uuid}"] [data-testid="label-status"]')
    expect(status).to_have_text("prelabeled")
    page.screenshot(path="/tmp/dataset-labelsets.png", full_page=True)


def test_dataset_with_one_label_set_shows_no_compare_picker(page, live_server, demo):
    sample = demo.dataset.samples.get(name="chelsea.png")
    log_in_as_demo_labeler(page, live_server, demo)
    open_editor(page, live_server, sample)
    expect(page.get_by_test_id("save-button")).to_be_visible()
    expect(page.get_by_test_id("reference-picker")).to_have_count(0)
