"""Import of a SUSTechPOINTS scene in a real browser: on the import page of a multi-sensor dataset the manager
drops the examples/pointcloud_sequence folder on the uploader, starts the import, sees its progress and its
report, and the dataset page lists the new sample."""

import copy
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from datasets.demo_multisensor import MULTISENSOR_TASK_ATTRIBUTES
from datasets.models import Label, Sample
from datasets.services.datasets import create_dataset
from tests.browser_teamlead.test_team_lead_setup import client_cookie

SCENE = Path(__file__).resolve().parents[2] / "examples" / "pointcloud_sequence"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_drops_a_scene_folder_and_gets_one_multisensor_sample(live_server, new_page):
    manager = get_user_model().objects.create_user("maya", "maya@x.org", "a-password-42")
    create_dataset(
        manager,
        owner_name="maya",
        owner_user=manager,
        name="drive",
        task_type="multisensor-sequence",
        task_attributes=copy.deepcopy(MULTISENSOR_TASK_ATTRIBUTES),
    )
    page = new_page()
    client_cookie(page, live_server, manager)
    page.goto(f"{live_server.url}/app/maya/drive/")
    page.get_by_test_id("import-link").click()
    page.get_by_test_id("importer-sustech-scene").click()

    # the folder input of the uploader (the second one: files, then folders)
    page.locator("input.uppy-Dashboard-input[webkitdirectory]").set_input_files(str(SCENE))
    expect(page.get_by_test_id("import-files-state")).to_have_text("20 file(s) ready, 1 refused.", timeout=30_000)
    expect(page.get_by_test_id("import-refused-file")).to_contain_text("LICENSE.GPL-3.0.txt")
    page.get_by_test_id("start-import").click()

    expect(page.get_by_test_id("import-progress")).to_be_visible()
    expect(page.get_by_test_id("import-status")).to_have_text("succeeded", timeout=30_000)
    report = page.get_by_test_id("import-report")
    # 68 boxes in the label files of the 3 frames that have camera images
    expect(page.get_by_test_id("import-created")).to_contain_text("Imported: 1 sample, 3 frames, 1 label, 68 objects.")
    expect(page.get_by_test_id("import-refused")).to_have_text(
        "pointcloud_sequence/lidar/000950.pcd: frame 000950 has no camera image"
    )
    expect(report).to_contain_text("Sensors in order: lidar, front, left, right")
    page.screenshot(path="/tmp/import-scene-report.png", full_page=True)

    page.get_by_test_id("import-open-dataset").click()
    expect(page.get_by_test_id("sample-list")).to_contain_text("pointcloud_sequence")
    page.screenshot(path="/tmp/import-scene-dataset.png", full_page=True)
    sample = Sample.objects.get(dataset__name="drive")
    assert [sensor["name"] for sensor in sample.attributes["sensors"]] == ["lidar", "front", "left", "right"]
    assert Label.objects.get(sample=sample).label_status == "PRELABELED"
