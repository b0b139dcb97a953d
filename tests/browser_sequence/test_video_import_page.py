"""The video import in a real browser, as a dataset manager: on the import page of an image-vector-sequence
dataset, pick "Video", set the frame step, drop a video made in the test from the real parking-lot frames,
start, see the progress and the report, then open the new sequence in the editor and see its frames."""

import base64
import io
from pathlib import Path

import numpy as np
import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from datasets.models import Collaborator, Sample
from datasets.services.datasets import create_dataset
from tests.browser.conftest import log_in
from tests.browser_sequence.conftest import go_to_frame, wait_for_frame
from tests.conftest import PASSWORD, make_user
from tests.videos import SOURCE_FRAMES, make_video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CATEGORIES = {"format_version": "0.1", "categories": [{"id": 1, "name": "car", "color": [230, 57, 70]}]}
STEP = 5


def drop_file(page: Page, selector: str, path: Path, mime_type: str) -> None:
    """Drag `path` onto the element `selector` as a person drops a file from their desktop (dragenter,
    dragover and drop events carrying it in their DataTransfer)."""
    transfer = page.evaluate_handle(
        """([name, data, type]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type }));
            return transfer;
        }""",
        [path.name, base64.b64encode(path.read_bytes()).decode(), mime_type],
    )
    for event in ("dragenter", "dragover", "drop"):
        page.locator(selector).dispatch_event(event, {"dataTransfer": transfer})


def shown_image(page: Page) -> np.ndarray:
    """The editor's frame image as drawn on screen, scaled back to the frame's 768 x 432 pixels."""
    png = page.locator("#ve-image").screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB").resize((768, 432)), dtype=np.float64)


def source(index: int) -> np.ndarray:
    return np.asarray(Image.open(SOURCE_FRAMES[index]).convert("RGB"), dtype=np.float64)


def test_manager_imports_a_video_and_opens_its_frames_in_the_sequence_editor(page, live_server, tmp_path):
    # given: a manager of an empty image-vector-sequence dataset, and a 50-frame video of the parking lot
    manager = make_user("mona")
    owner = make_user("olivia")
    dataset = create_dataset(
        owner,
        owner_name="olivia",
        owner_user=owner,
        name="lot",
        task_type="image-vector-sequence",
        task_attributes=CATEGORIES,
    )
    Collaborator.objects.create(dataset=dataset, user=manager, role="manager")
    video = make_video(tmp_path / "parking.mp4")
    log_in(page, live_server, "mona", PASSWORD)

    # when: the manager picks the video import, keeps every 5th frame, drops the video and starts
    page.goto(f"{live_server.url}{reverse('dataset', args=['olivia', 'lot'])}")
    page.get_by_test_id("import-link").click()
    page.get_by_test_id("importer-video").click()
    expect(page.get_by_test_id("import-panel")).to_have_attribute("data-kind", "video")
    page.get_by_test_id("import-option-frame_step").fill(str(STEP))
    drop_file(page, ".uppy-Dashboard-inner", video, "video/mp4")
    expect(page.get_by_test_id("import-files-state")).to_have_text("1 file(s) ready.", timeout=20_000)
    page.get_by_test_id("start-import").click()

    # then: the progress bar runs to the end and the report says what was made
    expect(page.get_by_test_id("import-status")).to_have_text("succeeded", timeout=60_000)
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_be_visible()
    assert progress.evaluate("bar => [bar.value, bar.max]") == [1, 1]
    created = page.get_by_test_id("import-created")
    expect(created).to_contain_text("Imported: 1 sample, 10 frames.")
    page.screenshot(path=str(tmp_path / "video-import.png"), full_page=True)

    # and: the sequence opens in the editor with its ten frames, the first one drawn
    page.get_by_test_id("import-open-dataset").click()
    page.get_by_role("link", name="parking", exact=True).click()
    expect(page.get_by_test_id("sequence-editor")).to_have_attribute("data-ready", "true")
    wait_for_frame(page, 0)
    expect(page.get_by_test_id("frame-label")).to_contain_text("/ 10")
    assert np.abs(shown_image(page) - source(0)).mean() < 8
    go_to_frame(page, 3)
    assert np.abs(shown_image(page) - source(3 * STEP)).mean() < 8
    page.screenshot(path=str(tmp_path / "video-import-editor.png"))
    sample = Sample.objects.get(dataset=dataset)
    assert len(sample.attributes["frames"]) == 10
