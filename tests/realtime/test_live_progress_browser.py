"""The dataset page's who-did-what follows saves made elsewhere without a reload: the row's labeled-by, the
per-person counts and the label-status charts (a real ASGI server on Redis, a real browser)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from datasets.services.labels import save_label
from tests.realtime.conftest import redis_url
from tests.realtime.test_live_browser import in_another_thread, new_page, signed_in_context

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.postgresql]

CHART_BARS = """id => Object.fromEntries(window.Chart.getChart(id).data.datasets.map(d => [d.label, d.data]))"""


def test_dataset_page_counts_and_charts_follow_a_save_made_elsewhere(
    start_asgi_server,
    chromium,
    settings,
    vector_dataset,
    alice,
    labeler,
):
    # given: alice watches her dataset page, served by an ASGI server on Redis
    redis = redis_url()
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [redis]}}
    }
    server = start_asgi_server(redis=redis)
    sample = vector_dataset.samples.get()
    errors: list[str] = []
    page = new_page(signed_in_context(chromium, server, alice), errors)
    page.goto(f"http://{server}{reverse('dataset', args=['alice', 'photos'])}")
    expect(page.get_by_test_id("live-status")).to_have_text("● live")
    page.wait_for_function("window.Chart && window.Chart.getChart('labelset-chart')")
    assert page.evaluate(CHART_BARS, "labelset-chart") == {"unlabeled": [1]}

    # when: lara's label is saved in another process
    label = {
        "format_version": "0.1",
        "annotations": [{"id": 1, "category_id": 1, "type": "bbox", "points": [[1.0, 1.0], [9.0, 9.0]]}],
    }
    in_another_thread(lambda: save_label(labeler, sample, "ground-truth", attributes=label, label_status="LABELED"))

    # then: the row, the counts and the charts follow without a reload
    row = page.locator(f'tr[data-sample-uuid="{sample.uuid}"]')
    expect(row.locator('[data-field="labeled-by"]')).to_have_text("lara")
    expect(page.locator('[data-testid=people-counts] tr[data-username=lara] [data-field="labeled"]')).to_have_text("1")
    ground_truth_row = page.locator('[data-testid=labelsets] tr[data-labelset="ground-truth"]')
    expect(ground_truth_row.locator('[data-field="statuses"]')).to_have_text("1 labeled")
    page.wait_for_function("window.Chart.getChart('labelset-chart').data.datasets.some(d => d.label === 'labeled')")
    assert page.evaluate(CHART_BARS, "labelset-chart") == {"labeled": [1]}
    assert page.evaluate(CHART_BARS, "category-chart")["labeled"] == [1, 0]
    assert not errors, f"JavaScript errors on the page: {errors}"
