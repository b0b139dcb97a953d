"""Review in the editor, end to end on a vector sample: the reviewer rejects with a reason anchored to an
object, the labeler sees the issue at its object, fixes it, resolves it and submits, the reviewer accepts;
reviewed_by/reviewed_at are written and the review queue moves on."""

import re

import pytest
from playwright.sync_api import expect

from datasets.models import Issue, Sample
from datasets.services.labels import save_label
from tests.browser_shell.conftest import (
    EDITORS,
    draw,
    editor_url,
    expect_objects,
    log_in,
    make_dataset,
    stored_label,
    wait_ready,
)

pytestmark = pytest.mark.browser
VECTOR = EDITORS[0]


def box(annotation_id: int, corner: list) -> dict:
    x, y = corner
    return {"id": annotation_id, "category_id": 1, "type": "bbox", "points": [[x, y], [x + 80, y + 60]]}


def test_reject_with_a_reason_fix_resolve_submit_then_accept(page, live_server, people):
    # given: lara labeled two samples; rita reviews
    dataset = make_dataset(live_server, people, VECTOR, samples=2)
    first, second = dataset.samples.get(name="a-sample"), dataset.samples.get(name="b-sample")
    Sample.objects.filter(pk__in=[first.pk, second.pk]).update(assigned_labeler=people["lara"])
    for sample in (first, second):
        attributes = {"format_version": "0.1", "annotations": [box(1, [60, 60]), box(2, [200, 120])]}
        save_label(
            people["lara"],
            Sample.objects.get(pk=sample.pk),
            "ground-truth",
            attributes=attributes,
            label_status="LABELED",
        )

    # when: rita opens the first sample, selects object #2 and rejects it with a reason
    log_in(page, live_server, people["rita"])
    page.goto(editor_url(live_server, first))
    wait_ready(page, VECTOR)
    expect(page.get_by_test_id("submit-next")).to_have_count(0)  # reviewers get Accept / Reject instead
    page.get_by_test_id("object-list").get_by_text("#2").click()
    page.keyboard.press("Shift+R")
    dialog = page.get_by_test_id("reject-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("reject-confirm").click()
    expect(page.get_by_test_id("reject-reason-required")).to_be_visible()  # a reason is required
    page.get_by_test_id("reject-reason").fill("Box #2 misses the cat's tail.")
    expect(page.get_by_test_id("reject-anchor")).to_be_checked()
    expect(dialog).to_contain_text("object #2")
    page.get_by_test_id("reject-confirm").click()

    # then: the label is rejected with an open issue at object #2, and the review queue moves on
    page.wait_for_url(re.compile(str(second.uuid)))
    label = stored_label(first)
    assert label.label_status == "REJECTED"
    assert label.reviewed_by == people["rita"]
    assert label.reviewed_at is not None
    issue = Issue.objects.get(sample=first)
    assert (issue.description, issue.status) == ("Box #2 misses the cat's tail.", "OPEN")
    assert issue.anchor["trackNumber"] == 2

    # when: lara opens it: the issue is shown and jumps to its object
    log_in(page, live_server, people["lara"])
    page.goto(editor_url(live_server, first))
    wait_ready(page, VECTOR)
    expect(page.get_by_test_id("review-accept")).to_have_count(0)  # labelers never see review controls
    issues = page.get_by_test_id("issues-panel")
    expect(issues).to_be_visible()
    expect(issues).to_contain_text("Box #2 misses the cat's tail.")
    expect(issues).to_contain_text("object #2")
    page.get_by_test_id("issue-goto").click()
    expect(page.get_by_test_id("object-panel")).to_have_attribute("data-annotation-id", "2")

    # and: she fixes it (one more box), resolves the issue and submits
    draw(page, VECTOR)
    expect_objects(page, VECTOR, 3)
    page.get_by_test_id("issue-resolve").click()
    expect(issues).to_be_hidden()
    page.get_by_test_id("submit-next").click()
    expect(page.get_by_test_id("queue-done")).to_contain_text("Nothing left")  # her queue is done
    issue.refresh_from_db()
    assert issue.status == "CLOSED"
    label = stored_label(first)
    assert (label.label_status, len(label.attributes["annotations"])) == ("LABELED", 3)

    # when: rita accepts it
    log_in(page, live_server, people["rita"])
    page.goto(editor_url(live_server, first))
    wait_ready(page, VECTOR)
    reviewed_before = label.reviewed_at
    page.get_by_test_id("review-accept").click()

    # then: reviewed, by her, now; and the review queue moves on to the other labeled sample
    page.wait_for_url(re.compile(str(second.uuid)))
    label = stored_label(first)
    assert label.label_status == "REVIEWED"
    assert label.reviewed_by == people["rita"]
    assert label.reviewed_at is not None
    assert reviewed_before is None or label.reviewed_at >= reviewed_before
