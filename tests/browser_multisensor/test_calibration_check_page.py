"""The calibration check page in a real browser: a manager opens the check of the demo's broken front camera, the
page answers at once with the ranking's progress, and once the worker has ranked the 48 candidates it shows them
as depth-coloured previews, best first; the manager picks the first, and every sample's front camera is restored.

The server sends the ranking task to a queue nobody reads (`held_tasks`), and the test plays the worker: it runs
the task itself, so the page is seen waiting, then updating on its own, all within the default timeouts."""

import copy

import numpy as np
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from datasets.demo import DEMO_ADMIN
from datasets.models import CalibrationRanking
from datasets.tasks import rank_calibration
from labeling.celery import app as celery_app
from labeling.core.calibration import extrinsics_from_pose
from labeling.core.projection import quaternion_to_matrix
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def held_tasks():
    """Tasks the server enqueues go to an in-memory broker no worker reads (instead of running in-process), as
    with a busy worker; the test runs the ones it wants itself."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = False, "memory://"
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous


def front_poses(attributes: dict) -> list[tuple[np.ndarray, np.ndarray]]:
    """(rotation (3, 3), translation (3,)) of the front camera in every frame of the demo's sample attributes."""
    frames = attributes["sensors"][0]["attributes"]["frames"]
    return [
        (
            quaternion_to_matrix(**image["extrinsics"]["rotation"]),
            np.array([image["extrinsics"]["translation"][axis] for axis in "xyz"]),
        )
        for frame in frames
        for image in frame["images"]
        if image["name"] == "front"
    ]


def other_cameras(attributes: dict) -> list[dict]:
    return [
        image
        for frame in attributes["sensors"][0]["attributes"]["frames"]
        for image in frame["images"]
        if image["name"] != "front"
    ]


def test_a_manager_picks_the_best_preview_and_the_front_camera_is_restored(page, live_server, demo, held_tasks):
    # given: the demo's front camera turned a quarter about its z axis (an x/y axis swap) in every frame
    sample = demo.multisensor_dataset.samples.get()
    original = copy.deepcopy(sample.attributes)
    quarter = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    for frame in sample.attributes["sensors"][0]["attributes"]["frames"]:
        for image in frame["images"]:
            if image["name"] == "front":
                rotation = quaternion_to_matrix(**image["extrinsics"]["rotation"])
                translation = np.array([image["extrinsics"]["translation"][axis] for axis in "xyz"])
                image["extrinsics"] = extrinsics_from_pose(rotation @ quarter, translation)
    sample.save(update_fields=["attributes"])
    log_in(page, live_server, DEMO_ADMIN, demo.admin_password)
    dataset = demo.multisensor_dataset
    # when
    page.goto(f"{live_server.url}{reverse('dataset', args=[dataset.owner_name, dataset.name])}")
    page.get_by_test_id("calibration-check").click()
    # then: the page answers before the ranking, with its progress
    progress = page.get_by_test_id("calibration-progress")
    expect(progress).to_contain_text("Ranking the 48 candidates…")
    expect(progress).to_contain_text("0 of 48 scored")
    figures = page.get_by_test_id("candidates").locator("figure")
    expect(figures).to_have_count(0)
    page.screenshot(path="/tmp/multisensor-calibration-ranking.png")
    # when: the worker ranks them
    rank_calibration(sample.pk, "front")
    # then: the page, polling, shows the previews best first
    expect(progress).to_have_count(0)
    expect(figures).to_have_count(48)
    first = figures.first
    expect(first).to_have_attribute("data-rank", "0")
    image = first.locator("img")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") == 480
    page.screenshot(path="/tmp/multisensor-calibration-check.png")
    # when
    first.get_by_role("button", name="Use this one").click()
    # then: the front camera's original extrinsics in every frame, within 1e-6; the other cameras untouched; the
    # corrected camera is being ranked again
    expect(page.locator(".messages")).to_contain_text("Camera front corrected in 1 samples.")
    expect(progress).to_contain_text("Ranking the 48 candidates…")
    assert CalibrationRanking.objects.get(sample=sample, camera="front").status == CalibrationRanking.PENDING
    # when: the worker ranks the corrected camera
    rank_calibration(sample.pk, "front")
    # then: the stored pose is best now
    expect(figures.first).to_have_attribute("data-key", "r0")
    sample.refresh_from_db()
    restored, before = front_poses(sample.attributes), front_poses(original)
    assert len(restored) == len(before) == 3
    for (rotation, translation), (original_rotation, original_translation) in zip(restored, before, strict=True):
        assert np.abs(rotation - original_rotation).max() < 1e-6
        assert np.abs(translation - original_translation).max() < 1e-6
    assert other_cameras(sample.attributes) == other_cameras(original)
