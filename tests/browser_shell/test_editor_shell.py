"""One suite, every editor: the shell (frontend_static/editor-core/shell.js) behaves the same in the vector,
segmentation, image-vector-sequence and image-segmentation-sequence editors: shortcuts and help, undo/redo,
save status defaults, the leave guard, a real conflict keeps both, a save whose answer is lost is retried
without a conflict, a draft comes back after a reload, and submit-and-next lands on my next queued sample,
never on someone else's."""

import re
import uuid
from urllib.request import urlopen

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from datasets.models import Sample
from datasets.services.label_files import image_size
from datasets.services.labels import save_label
from labeling.core.bitmaps import decode_bitmap, encode_bitmap
from tests.browser_shell.conftest import (
    EDITORS,
    draw,
    editor_url,
    expect_objects,
    log_in,
    make_dataset,
    open_editor,
    stored_label,
    stored_objects,
    wait_ready,
)

pytestmark = pytest.mark.browser
SAVED = re.compile(r"^Saved")


def open_single_sample(page, live_server, people, kind) -> Sample:
    """A dataset of `kind` with one sample, opened in its editor by the labeler lara; returns the sample."""
    sample = make_dataset(live_server, people, kind, samples=1).samples.get()
    log_in(page, live_server, people["lara"])
    open_editor(page, live_server, kind, sample)
    return sample


@pytest.mark.parametrize("kind", EDITORS, ids=str)
def test_shortcuts_help_and_undo_redo_are_the_same(page, live_server, people, kind):
    open_single_sample(page, live_server, people, kind)

    page.keyboard.press("?")
    help_panel = page.get_by_test_id("help-panel")
    expect(help_panel).to_be_visible()
    for text in (
        "Save (keeps the status",
        "Mark labeled and save",
        "Submit: mark labeled",
        "Next sample of my queue",
        "Undo",
        "Redo",
        "Fit the image to the screen",
        "Show or hide this help",
    ):
        expect(help_panel).to_contain_text(text)
    page.keyboard.press("Escape")
    expect(help_panel).to_be_hidden()

    draw(page, kind)
    expect_objects(page, kind, 1)
    page.keyboard.press("Control+z")
    expect_objects(page, kind, 0)
    page.keyboard.press("Control+Shift+z")
    expect_objects(page, kind, 1)
    page.get_by_test_id("undo").click()
    expect_objects(page, kind, 0)
    page.get_by_test_id("redo").click()
    expect_objects(page, kind, 1)
    # a labeler never sees review controls
    expect(page.get_by_test_id("review-accept")).to_have_count(0)
    expect(page.get_by_test_id("review-reject")).to_have_count(0)


@pytest.mark.parametrize("kind", EDITORS, ids=str)
def test_save_keeps_in_progress_until_marked_labeled(page, live_server, people, kind):
    sample = open_single_sample(page, live_server, people, kind)

    draw(page, kind)
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)
    label = stored_label(sample)
    assert (label.label_status, label.version, stored_objects(label)) == ("LABELING_IN_PROGRESS", 1, 1)

    page.keyboard.press("Shift+L")
    expect(page.get_by_test_id("label-status")).to_have_text("labeled")
    assert (stored_label(sample).label_status, stored_label(sample).version) == ("LABELED", 2)

    draw(page, kind, offset=1)
    expect(page.get_by_test_id("save-state")).to_have_text("Unsaved changes")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)
    label = stored_label(sample)
    assert (label.label_status, label.version, stored_objects(label)) == ("LABELED", 3, 2)  # Save keeps labeled


@pytest.mark.parametrize("kind", EDITORS, ids=str)
def test_leaving_with_unsaved_changes_asks_first(page, live_server, people, kind):
    dataset = make_dataset(live_server, people, kind, samples=2)
    first = dataset.samples.get(name="a-sample")
    log_in(page, live_server, people["lara"])
    open_editor(page, live_server, kind, first)

    draw(page, kind)
    page.keyboard.press("Alt+ArrowRight")
    dialog = page.get_by_test_id("unsaved-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("leave-cancel").click()
    expect(dialog).to_be_hidden()
    expect_objects(page, kind, 1)
    page.keyboard.press("Alt+ArrowRight")
    page.get_by_test_id("leave-save").click()
    page.wait_for_url(re.compile(str(dataset.samples.get(name="b-sample").uuid)))
    assert stored_objects(stored_label(first)) == 1


@pytest.mark.parametrize("kind", EDITORS, ids=str)
def test_a_save_whose_answer_is_lost_is_retried_without_a_conflict(page, live_server, people, kind):
    sample = open_single_sample(page, live_server, people, kind)
    keys: list[str] = []

    def drop_first_answer(route):
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the save reaches the server and is stored ...
            route.abort()  # ... but its answer never reaches the browser
        else:
            route.continue_()

    page.route(re.compile(rf"/labels/{sample.uuid}/ground-truth/$"), drop_first_answer)
    draw(page, kind)
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)
    expect(page.get_by_test_id("conflict-message")).to_be_hidden()
    assert len(keys) == 2
    assert keys[0] == keys[1]
    assert keys[0]
    label = stored_label(sample)
    assert (label.version, stored_objects(label)) == (1, 1)  # written once

    draw(page, kind, offset=1)  # the next save goes on from the stored version
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)
    assert stored_label(sample).version == 2


@pytest.mark.parametrize("kind", EDITORS, ids=str)
def test_an_unsaved_draft_is_offered_back_after_a_reload(page, live_server, people, kind):
    sample = open_single_sample(page, live_server, people, kind)

    draw(page, kind)
    if kind.mask:  # the mask goes to IndexedDB as an id PNG
        expect(page.get_by_test_id("segmentation-editor")).to_have_attribute("data-draft-saved", re.compile(r"^\d+$"))
    else:
        page.wait_for_function(f"() => localStorage.getItem('labeling-draft:{sample.uuid}:ground-truth') !== null")
    page.on("dialog", lambda dialog: dialog.accept())  # "leave the page?" before the reload
    page.reload()
    wait_ready(page, kind)
    expect(page.get_by_test_id("draft-notice")).to_be_visible()
    expect_objects(page, kind, 0)
    page.get_by_test_id("draft-restore").click()
    expect_objects(page, kind, 1)
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)
    assert stored_objects(stored_label(sample)) == 1
    assert page.evaluate(f"() => localStorage.getItem('labeling-draft:{sample.uuid}:ground-truth')") is None
    page.reload()  # saved: nothing is offered any more
    wait_ready(page, kind)
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("draft-notice")).to_be_hidden()


THEIR_SQUARE = (slice(10, 40), slice(10, 40))  # rows, columns of their instance 1 in their bitmap


def their_label(kind, box, live_server=None, sample=None):
    """otto's label: object 1 (category 2) as a box, or as the square THEIR_SQUARE of an uploaded id bitmap."""
    if kind.mask:
        first = sample.attributes["frames"][0]["image"] if kind.sequence else sample.attributes["image"]
        width, height = image_size(first["url"])
        ids = np.zeros((height, width), np.uint32)
        ids[THEIR_SQUARE] = 1
        name = default_storage.save(f"assets/{uuid.uuid4().hex}/theirs.png", ContentFile(encode_bitmap(ids)))
        bitmap = {"url": f"{live_server.url}/media/{name}"}
        if kind.sequence:
            frame = {"annotations": [{"id": 1, "track_id": 1, "category_id": 2}], "segmentation_bitmap": bitmap}
            empty = {"annotations": [], "segmentation_bitmap": None}
            return {"format_version": "0.1", "frames": [frame] + [dict(empty) for _ in range(4)]}
        return {"format_version": "0.1", "annotations": [{"id": 1, "category_id": 2}], "segmentation_bitmap": bitmap}
    annotation = {"id": 1, "category_id": 2, "type": "bbox", "points": box}
    if kind.sequence:
        frame = {"annotations": [{**annotation, "track_id": 1, "is_keyframe": True}]}
        return {"format_version": "0.2", "frames": [frame] + [{"annotations": []} for _ in range(4)]}
    return {"format_version": "0.1", "annotations": [annotation]}


@pytest.mark.parametrize("kind", EDITORS, ids=str)
def test_a_real_conflict_keeps_both(page, live_server, people, kind):
    sample = open_single_sample(page, live_server, people, kind)
    draw(page, kind)

    # otto saves the same sample meanwhile (another object under the same id 1)
    save_label(
        people["otto"],
        Sample.objects.get(pk=sample.pk),
        "ground-truth",
        attributes=their_label(kind, [[10, 10], [40, 40]], live_server, sample),
        label_status="LABELING_IN_PROGRESS",
    )

    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("conflict-message")).to_be_visible()
    assert stored_label(sample).version == 1  # nothing of theirs was overwritten
    page.get_by_test_id("conflict-keep-both").click()
    expect_objects(page, kind, 2)
    expect(page.get_by_test_id("conflict-message")).to_be_hidden()
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)
    label = stored_label(sample)
    assert (label.version, stored_objects(label)) == (2, 2)
    frame = label.attributes["frames"][0] if kind.sequence else label.attributes
    annotations = {annotation["id"]: annotation for annotation in frame["annotations"]}
    assert (annotations[1]["category_id"], annotations[2]["category_id"]) == (2, 1)  # theirs; mine, renumbered
    if kind.mask:  # the stored bitmap holds their square untouched and my stroke under the new id 2
        with urlopen(frame["segmentation_bitmap"]["url"]) as response:
            ids = decode_bitmap(response.read())
        assert set(np.unique(ids)) == {0, 1, 2}
        assert (ids[THEIR_SQUARE] == 1).all()
        assert (ids == 1).sum() == 30 * 30
        assert (ids == 2).sum() > 100
    else:
        assert annotations[1]["points"] == [[10, 10], [40, 40]]  # theirs, untouched
        assert list(annotations) == [1, 2]


@pytest.mark.parametrize("kind", EDITORS, ids=str)
def test_submit_and_next_lands_on_my_next_queued_sample_never_on_someone_elses(page, live_server, people, kind):
    dataset = make_dataset(live_server, people, kind, samples=3)
    first, others, free = (dataset.samples.get(name=f"{letter}-sample") for letter in "abc")
    Sample.objects.filter(pk=others.pk).update(assigned_labeler=people["otto"])
    log_in(page, live_server, people["lara"])
    open_editor(page, live_server, kind, first)

    draw(page, kind)
    page.get_by_test_id("submit-next").click()
    page.wait_for_url(re.compile(str(free.uuid)))
    wait_ready(page, kind)
    assert stored_label(first).label_status == "LABELED"
    free.refresh_from_db()
    others.refresh_from_db()
    assert free.assigned_labeler == people["lara"]  # claimed
    assert others.assigned_labeler == people["otto"]
    assert not others.labels.exists()
    assert page.url == editor_url(live_server, free) or str(free.uuid) in page.url
