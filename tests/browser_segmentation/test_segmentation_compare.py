""" "Compare with" in the segmentation editor: a predictions mask outlined under the edited mask, and one predicted
instance copied into the ground truth as a new instance with exactly its pixels."""

import numpy as np
from django.urls import reverse
from playwright.sync_api import expect
from segments import SegmentsClient
from segments.utils import bitmap2file

from datasets.models import Label
from datasets.services.labelsets import add_labelset
from labeling.services import create_api_key
from tests.browser_segmentation.conftest import click_pixel, fetch_bitmap, log_in, open_editor, save, stored_label
from tests.browser_segmentation.test_segmentation_sequence_editor import mask_sequence  # noqa: F401 (a fixture)

CHELSEA_SIZE = (300, 451)  # (height, width)
REFERENCE_PIXEL = (
    "([x, y]) => Array.from(document.querySelector('.seg-reference').getContext('2d').getImageData(x, y, 1, 1).data)"
)


def test_labeler_copies_a_predicted_instance_into_the_ground_truth(
    page, live_server, segmentation_dataset, alice, labeler
):
    # given: predictions with two instances, uploaded through the SDK
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    add_labelset(alice, segmentation_dataset, name="predictions")
    predicted = np.zeros(CHELSEA_SIZE, dtype=np.uint32)
    predicted[20:120, 30:200] = 5
    predicted[150:280, 220:420] = 9
    client = SegmentsClient(api_key=create_api_key(alice), api_url=f"{live_server.url}/")
    asset = client.upload_asset(bitmap2file(predicted), "predictions.png")
    attributes = {
        "format_version": "0.1",
        "annotations": [{"id": 5, "category_id": 1}, {"id": 9, "category_id": 2}],
        "segmentation_bitmap": {"url": asset.url},
    }
    client.add_label(str(sample.uuid), "predictions", attributes, label_status="PRELABELED")

    # when: the labeler compares with the predictions
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    page.get_by_test_id("reference-picker").select_option("predictions")

    # then: both instances are outlined in their category colours (the inside only tinted)
    expect(page.get_by_test_id("reference-layer")).to_have_attribute("data-instances", "2")
    assert page.evaluate(REFERENCE_PIXEL, [30, 60]) == [230, 57, 70, 255]  # the left edge of instance 5
    assert page.evaluate(REFERENCE_PIXEL, [100, 60])[3] < 80  # its inside
    page.screenshot(path="/tmp/segmentation-compare.png")

    # when: the Pick tool picks instance 5 and Alt+C copies it
    page.keyboard.press("i")
    click_pixel(page, 100, 60)
    page.keyboard.press("Alt+c")
    expect(page.get_by_test_id("instance-1")).to_be_visible()
    save(page)

    # then: the ground truth has instance 1 (category 1) on exactly those pixels; the predictions are unchanged
    label = stored_label(sample)
    ids = fetch_bitmap(label.attributes["segmentation_bitmap"]["url"])
    assert np.array_equal(ids, np.where(predicted == 5, 1, 0))
    assert [(a["id"], a["category_id"]) for a in label.attributes["annotations"]] == [(1, 1)]
    predictions = Label.objects.get(sample=sample, labelset__name="predictions")
    assert (predictions.version, predictions.attributes) == (1, attributes)


def test_a_view_without_compare_shows_the_picker_disabled_and_says_why(
    page,
    live_server,
    mask_sequence,  # noqa: F811 (the fixture imported above)
    alice,
    labeler,
):
    # given: an image-segmentation-sequence (its frames component does not compare yet) with a predictions set
    dataset = mask_sequence.dataset
    add_labelset(alice, dataset, name="predictions")
    log_in(page, live_server, labeler)
    page.goto(
        f"{live_server.url}{reverse('label-editor', args=[dataset.owner_name, dataset.name, mask_sequence.uuid])}"
    )
    expect(page.get_by_test_id("segmentation-editor")).to_have_attribute("data-ready", "true")

    # then: the picker is there, disabled, and says why
    expect(page.get_by_test_id("reference-picker")).to_be_disabled()
    expect(page.get_by_test_id("reference-controls")).to_have_attribute(
        "title", "This editor cannot show another label set yet"
    )
