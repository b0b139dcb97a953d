"""The image-segmentation-sequence editor (segmentation view + frames component under the shell) on 5 real
frames of examples/image_sequence/: two tracked instances keep their ids on every frame, checked by decoding
the stored bitmaps the way the SDK reads them."""

import numpy as np
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from datasets.models import Collaborator, Sample
from datasets.services.datasets import create_dataset
from tests.browser_segmentation.conftest import (
    fetch_bitmap,
    log_in,
    pixel_point,
    set_brush_size,
    stored_label,
    stroke,
)

FRAMES = [f"frame_{number:06d}.jpg" for number in range(184, 189)]  # 768 x 432 each
TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {"id": 1, "name": "car", "color": [230, 57, 70], "has_instances": True},
        {"id": 2, "name": "person", "color": [42, 157, 143], "has_instances": True},
    ],
}

pytestmark = pytest.mark.browser


@pytest.fixture
def mask_sequence(live_server, alice, labeler) -> Sample:
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="parking-masks",
        task_type="image-segmentation-sequence",
        task_attributes=TASK_ATTRIBUTES,
    )
    Collaborator.objects.create(dataset=dataset, user=labeler, role="labeler")
    frames = [
        {"image": {"url": f"{live_server.url}/static/examples/image_sequence/{name}"}, "name": name} for name in FRAMES
    ]
    return Sample.objects.create(dataset=dataset, name="parking", attributes={"frames": frames}, created_by=alice)


def wait_for_frame(page, frame: int) -> None:
    expect(page.get_by_test_id("frame-label")).to_have_attribute("data-frame", str(frame))
    expect(page.get_by_test_id("segmentation-editor")).to_have_attribute("data-frame", str(frame))


def test_two_tracks_keep_their_ids_on_every_frame_of_the_stored_bitmaps(page, live_server, mask_sequence, labeler):
    # given: the labeler opens the sequence in the image-segmentation-sequence editor
    log_in(page, live_server, labeler)
    dataset = mask_sequence.dataset
    path = reverse("label-editor", args=[dataset.owner_name, dataset.name, mask_sequence.uuid])
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_test_id("segmentation-editor")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("frame-label")).to_have_text("Frame 1 / 5")
    page.keyboard.press("r")
    set_brush_size(page, 20)

    # when: frame 1 gets a car (track 1) and a person (track 2)
    page.keyboard.press("1")
    page.keyboard.press("b")
    stroke(page, [(100, 100), (160, 100), (220, 100)])
    page.keyboard.press("2")
    stroke(page, [(500, 300), (540, 300)])
    expect(page.get_by_test_id("instance-1")).to_contain_text("car")
    expect(page.get_by_test_id("instance-2")).to_contain_text("person")

    # and: every next frame starts from the previous frame's mask (C), and the car moves on by 10 px
    for frame in range(1, 5):
        page.keyboard.press("ArrowRight")
        wait_for_frame(page, frame)
        page.keyboard.press("c")
        expect(page.get_by_test_id("instance-1")).to_be_visible()
        page.get_by_test_id("instance-1").click()
        stroke(page, [(220 + 10 * frame, 100), (230 + 10 * frame, 100)])
    expect(page.get_by_test_id("timeline")).to_contain_text("2 tracks")
    page.screenshot(path="/tmp/segmentation-sequence-editor.png")
    page.get_by_test_id("status-labeled").click()
    expect(page.get_by_test_id("save-state")).to_contain_text("Saved")

    # then: one bitmap per frame, the same ids (track ids) on every frame, annotations naming them
    label = stored_label(mask_sequence)
    assert label.label_status == "LABELED"
    frames = label.attributes["frames"]
    assert len(frames) == 5
    urls = [frame["segmentation_bitmap"]["url"] for frame in frames]
    assert len(set(urls)) == 5
    for index, frame in enumerate(frames):
        assert [(a["id"], a["track_id"], a["category_id"]) for a in frame["annotations"]] == [(1, 1, 1), (2, 2, 2)]
        bitmap = fetch_bitmap(urls[index])
        assert bitmap.shape == (432, 768)
        assert set(np.unique(bitmap).tolist()) == {0, 1, 2}
        assert (bitmap[100, 100], bitmap[300, 520], bitmap[10, 10]) == (1, 2, 0)
        assert bitmap[100, 230 + 10 * index] == 1  # the car's newest paint on this frame
    assert (fetch_bitmap(urls[0])[100, 270], fetch_bitmap(urls[4])[100, 270]) == (0, 1)  # it moved

    # and: reopened, the editor shows the stored frames with their tracks
    page.reload()
    expect(page.get_by_test_id("segmentation-editor")).to_have_attribute("data-ready", "true")
    page.keyboard.press("End")
    wait_for_frame(page, 4)
    point = pixel_point(page, 270, 100)
    assert point
    expect(page.get_by_test_id("instance-1")).to_be_visible()
