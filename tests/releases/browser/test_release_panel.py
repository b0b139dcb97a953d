"""The releases panel in a real browser: an admin creates a release and sees it built; the charts draw."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from datasets.demo import DEMO_ADMIN, create_demo_data
from datasets.models import Release
from datasets.services.labels import save_label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_creates_a_release_on_the_dataset_page_and_the_charts_draw(browser, live_server):
    # given the demo dataset with one labeled photo
    demo = create_demo_data(site_url=live_server.url)
    sample = demo.dataset.samples.get(name="chelsea.png")
    attributes = {
        "format_version": "0.1",
        "annotations": [{"id": 1, "category_id": 2, "type": "bbox", "points": [[60, 20], [420, 290]]}],
    }
    save_label(demo.dataset.created_by, sample, "ground-truth", attributes=attributes, label_status="LABELED")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("#id_username", DEMO_ADMIN)
    page.fill("#id_password", demo.admin_password)
    page.get_by_test_id("login-submit").click()
    # when the admin creates a release on the dataset page
    page.goto(f"{live_server.url}/app/demo-org/photos/")
    page.get_by_test_id("release-name").fill("v1")
    page.get_by_test_id("create-release").click()
    # then it is listed as built, with a download link to its file, and both charts are drawn
    expect(page.get_by_test_id("release-status")).to_have_text("succeeded")
    release = Release.objects.get(name="v1")
    expect(page.get_by_test_id("release-download")).to_have_attribute("href", f"/media/{release.file.name}")
    for canvas in ("labelset-chart", "category-chart"):
        page.wait_for_function(f"() => window.Chart && window.Chart.getChart('{canvas}') !== undefined")
    bars = page.evaluate("() => window.Chart.getChart('category-chart').data.datasets.map(d => [d.label, d.data])")
    assert ["labeled", [0, 1, 0, 0]] in bars  # one animal on a labeled sample
    page.screenshot(path="/tmp/releases-panel.png", full_page=True)
    context.close()
    assert not errors, errors
