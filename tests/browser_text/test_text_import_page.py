"""The text import page: upload a CoNLL file, see the progress and what was created; a file with bad lines
shows each line number and nothing is imported."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from datasets.models import Label, Sample
from tests.browser_text.conftest import log_in

pytestmark = pytest.mark.browser

WIKIGOLD = Path(__file__).resolve().parents[2] / "examples" / "text" / "wikigold.conll.txt"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"  # git-ignored, to look at


def test_manager_imports_wikigold_from_the_dataset_page(page, live_server, news, tmp_path):
    # given nora on her NER dataset's page
    log_in(page, live_server, "nora")
    page.goto(f"{live_server.url}{reverse('dataset', args=['nora', 'news'])}")
    # when she opens the import page and uploads Wikigold with its entities as pre-labels
    page.get_by_test_id("import-text").click()
    page.get_by_test_id("import-file").set_input_files(str(WIKIGOLD))
    page.get_by_test_id("import-submit").click()
    # then the page says what was created, and the database holds it
    expect(page.get_by_test_id("import-created")).to_contain_text("Created 1696 samples", timeout=60_000)
    expect(page.get_by_test_id("import-entities")).to_contain_text("PER: ")
    expect(page.get_by_test_id("import-progress")).to_have_attribute("value", "100")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "text_import_done.png"), full_page=True)
    assert Sample.objects.filter(dataset=news).count() == 1696
    assert Label.objects.filter(sample__dataset=news, label_status="PRELABELED").count() == 1696
    news.refresh_from_db()
    assert [c["name"] for c in news.categories] == ["PER", "LOC", "MISC", "ORG"]


def test_a_file_with_bad_lines_shows_each_line_number_and_imports_nothing(page, live_server, news, tmp_path):
    bad = tmp_path / "people.conll"
    bad.write_text("Ada B-PER\nLovelace\nwrote O\n\nLondon X-LOC\n", encoding="utf-8")
    log_in(page, live_server, "nora")
    page.goto(f"{live_server.url}{reverse('import-text', args=['nora', 'news'])}")

    page.get_by_test_id("import-file").set_input_files(str(bad))
    page.get_by_test_id("import-submit").click()

    expect(page.get_by_test_id("import-refused")).to_have_text("Nothing was imported.")
    errors = page.get_by_test_id("import-errors").locator("li")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_have_attribute("data-line", "2")
    expect(errors.nth(1)).to_have_attribute("data-line", "5")
    expect(errors.nth(1)).to_contain_text("X-LOC")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "text_import_refused.png"), full_page=True)
    assert not Sample.objects.filter(dataset=news).exists()
