"""A manager restores an earlier version of a label in a real browser: from the editor's History button to the
history page, View shows the version's JSON, Restore asks for confirmation and the editor then shows it."""

import pytest
from playwright.sync_api import expect

from datasets.models import Label
from datasets.services.labels import save_label
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def boxes(objects: int) -> dict:
    annotations = [
        {"id": i + 1, "category_id": 1, "type": "bbox", "points": [[40 + 60 * i, 40], [90 + 60 * i, 120]]}
        for i in range(objects)
    ]
    return {"format_version": "0.1", "annotations": annotations}


def test_manager_restores_an_earlier_version_from_the_editor(live_server, page, vector_dataset, alice, labeler):
    # given lara's label with one box, then three boxes
    sample = vector_dataset.samples.get()
    save_label(labeler, sample, "ground-truth", attributes=boxes(1), label_status="LABELED")
    save_label(labeler, sample, "ground-truth", attributes=boxes(3), label_status="LABELED")

    # when alice opens the editor, then its History, views version 1 and restores it
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login-submit]")
    page.goto(f"{live_server.url}/app/alice/photos/samples/{sample.uuid}/")
    page.get_by_test_id("history-link").click()
    expect(page.locator("[data-testid=version-list] tbody tr")).to_have_count(2)
    page.locator("tr[data-version='1'] [data-testid=view-version]").click()
    expect(page.get_by_test_id("version-json")).to_contain_text('"category_id": 1')
    page.screenshot(path="/tmp/label-history-page.png", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("tr[data-version='1'] [data-testid=restore-version]").click()

    # then version 1 is the current label as version 3, in the history, and the editor loads it
    expect(page.locator(".messages")).to_contain_text("Version 1 restored as version 3.")
    expect(page.locator("[data-testid=version-list] tbody tr")).to_have_count(3)
    label = Label.objects.get()
    assert (label.version, label.attributes) == (3, boxes(1))
    page.goto(f"{live_server.url}/app/alice/photos/samples/{sample.uuid}/")
    expect(page.get_by_test_id("history-link")).to_be_visible()
    page.screenshot(path="/tmp/label-history-editor.png")
