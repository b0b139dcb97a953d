""" "Compare with" in the text editor: a predictions label set's spans drawn dashed beside the edited ones, and one
predicted entity copied into the ground truth."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from datasets.demo import NER_TASK_ATTRIBUTES
from datasets.models import GROUND_TRUTH, Label, LabelSet
from tests.browser_text.conftest import PASSWORD, log_in
from tests.browser_text.test_text_editor import SENTENCES, open_editor, save, text_dataset

NER_IDS = {category["name"]: category["id"] for category in NER_TASK_ATTRIBUTES["categories"]}


def test_labeler_copies_a_predicted_entity_into_the_ground_truth(page, live_server, transactional_db):
    # given: a Wikigold sentence whose `predictions` label marks "Japanese" (MISC) and "010" (ORG, wrongly)
    user = get_user_model().objects.create_user(username="lena", password=PASSWORD)
    text = SENTENCES[0]["text"]
    [sample] = text_dataset(user, "text-named-entities", NER_TASK_ATTRIBUTES, [text])
    start = text.index("Japanese")
    predicted = [
        {"start": start, "end": start + len("Japanese"), "category_id": NER_IDS["MISC"]},
        {"start": 0, "end": 3, "category_id": NER_IDS["ORG"]},
    ]
    # (rows, not services: a service's live event would need an event loop, and Playwright's runs in this thread)
    predictions = LabelSet.objects.create(dataset=sample.dataset, name="predictions")
    attributes = {"format_version": "0.1", "annotations": predicted}
    Label.objects.create(sample=sample, labelset=predictions, attributes=attributes, label_status="PRELABELED")
    log_in(page, live_server, "lena")
    open_editor(page, live_server, sample)

    # when: comparing with the predictions, clicking the predicted "Japanese" and copying it
    page.get_by_test_id("reference-picker").select_option("predictions")
    expect(page.get_by_test_id("text-view")).to_have_attribute("data-reference-spans", "2")
    page.locator('.text-segment[data-spans~="reference-1"]').first.click()
    page.screenshot(path="/tmp/text-compare.png")
    page.keyboard.press("Alt+c")

    # then: the ground truth has that span, selected; it is saved and the predictions are unchanged
    expect(page.get_by_test_id("span-count")).to_have_text("1")
    expect(page.get_by_test_id("span-text")).to_have_text("Japanese")
    save(page)
    stored = Label.objects.get(sample=sample, labelset__name=GROUND_TRUTH).attributes["annotations"]
    assert stored == [predicted[0]]
    assert Label.objects.get(sample=sample, labelset=predictions).attributes == attributes
