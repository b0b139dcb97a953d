"""Imports end to end with real processes (issue 18): a manager starts a video import on the import page
served by an ASGI server on Redis, a real Celery worker decodes it, and the page's progress bar moves through
intermediate values to "succeeded" while the dataset page, open in a second tab, follows the job on its
"Imports:" line (queued/running -> succeeded) and re-reads its counts, all without a reload. A video the worker
cannot decode ends "failed" on both pages, with nothing imported."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect

from datasets.models import ImportJob, Sample
from datasets.services.datasets import create_dataset
from tests.browser_sequence.test_video_import_page import CATEGORIES, drop_file
from tests.realtime.test_live_browser import new_page, signed_in_context
from tests.releases import test_release_worker as release_worker
from tests.videos import SOURCE_FRAMES, make_video

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.postgresql]
# The release tests' fixtures: tasks sent through Redis on this run's own queue, real `celery worker` processes.
redis_url, to_redis, start_worker = release_worker.redis_url, release_worker.to_redis, release_worker.start_worker

# 480 frames of 320 x 180: long enough for the worker to report progress several times (at most 4 a second).
FRAMES = 480
SIZE = (320, 180)

# Record every value the import page's progress bar takes (setting `.value` writes the `value` attribute).
WATCH_PROGRESS = """() => {
    window.progressSeen = [];
    const bar = document.getElementById("import-progress");
    new MutationObserver(() => window.progressSeen.push([bar.value, bar.max]))
        .observe(bar, { attributes: true, attributeFilter: ["value", "max"] });
}"""
# Record every text the dataset page's imports line shows.
WATCH_IMPORTS = """() => {
    window.importsSeen = [];
    window.notReloaded = true;
    const line = document.querySelector('[data-testid="dataset-imports"]');
    new MutationObserver(() => window.importsSeen.push(line.textContent.replace(/\\s+/g, " ").trim()))
        .observe(line, { subtree: true, childList: true, characterData: true, attributes: true });
}"""


def small_video(folder: Path) -> Path:
    """A FRAMES-frame MPEG-4 video of the parking lot at SIZE, made from the example frames repeated."""
    folder.mkdir()
    small = []
    for index, frame in enumerate(SOURCE_FRAMES):
        path = folder / f"{index:03d}.png"
        Image.open(frame).convert("RGB").resize(SIZE).save(path)
        small.append(path)
    return make_video(folder / "lot.mp4", [small[index % len(small)] for index in range(FRAMES)])


@dataclass
class Pages:
    """alice's two tabs on one ASGI server: the dataset page (watched by WATCH_IMPORTS) and the import page."""

    server: str
    context: BrowserContext
    dataset_page: Page
    errors: list[str]

    def open_import_page(self, video: Path) -> Page:
        """The video import page with `video` uploaded, its progress bar watched (WATCH_PROGRESS)."""
        page = new_page(self.context, self.errors)
        page.goto(f"http://{self.server}{reverse('import', args=['alice', 'lot'])}?kind=video")
        expect(page.get_by_test_id("import-panel")).to_have_attribute("data-kind", "video")
        drop_file(page, ".uppy-Dashboard-inner", video, "video/mp4")
        expect(page.get_by_test_id("import-files-state")).to_have_text("1 file(s) ready.", timeout=20_000)
        page.evaluate(WATCH_PROGRESS)
        return page


@pytest.fixture
def pages(start_asgi_server, start_worker, to_redis, chromium, settings, monkeypatch, alice, tmp_path):
    """An ASGI server and a Celery worker on Redis sharing one media folder and this test's queue; alice's
    empty image-vector-sequence dataset alice/lot, its page open and live."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    monkeypatch.setenv("CELERY_QUEUE", release_worker.QUEUE)
    server = start_asgi_server(redis=to_redis)
    start_worker("imports")
    create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="lot",
        task_type="image-vector-sequence",
        task_attributes=CATEGORIES,
    )
    errors: list[str] = []
    context = signed_in_context(chromium, server, alice)
    dataset_page = new_page(context, errors)
    dataset_page.goto(f"http://{server}{reverse('dataset', args=['alice', 'lot'])}")
    expect(dataset_page.get_by_test_id("live-status")).to_have_text("● live")
    expect(dataset_page.get_by_test_id("dataset-imports")).to_be_hidden()
    expect(dataset_page.get_by_test_id("progress")).to_contain_text("0 samples")
    dataset_page.evaluate(WATCH_IMPORTS)
    yield Pages(server, context, dataset_page, errors)
    context.close()


def test_video_import_progress_and_outcome_reach_the_import_page_and_the_dataset_page_live(pages, tmp_path):
    # given: alice's dataset page, with no import yet, open in one tab; a long video
    video = small_video(tmp_path / "video")
    dataset_page = pages.dataset_page

    # when: in a second tab she uploads the video on the import page and starts the import
    import_page = pages.open_import_page(video)
    import_page.get_by_test_id("start-import").click()
    # then: the progress bar went through several values between empty and full before the report
    expect(import_page.get_by_test_id("import-status")).to_have_text("succeeded", timeout=120_000)
    expect(import_page.get_by_test_id("import-created")).to_contain_text(f"{FRAMES} frames")
    seen = [tuple(value) for value in import_page.evaluate("window.progressSeen")]
    intermediate = sorted({value for value, maximum in seen if maximum == FRAMES and 0 < value < FRAMES})
    assert len(intermediate) >= 2, f"progress bar values seen: {seen}"
    assert seen[-1] == (1, 1)  # full once the import succeeded
    # and: its "Recent imports" table lists the job with what it created
    job = ImportJob.objects.get()
    row = import_page.locator(f'[data-testid="recent-imports"] tr[data-import="{job.uuid}"]')
    expect(row).to_contain_text("succeeded")
    expect(row).to_contain_text(f"1 sample, {FRAMES} frames")
    import_page.screenshot(path=str(tmp_path / "import-page.png"), full_page=True)

    # and: the dataset page followed the job live, and re-read its counts, without a reload
    imports_line = dataset_page.get_by_test_id("dataset-imports")
    expect(imports_line).to_be_visible()
    entry = imports_line.locator(f'[data-import="{job.uuid}"]')
    expect(entry.locator('[data-field="import-status"]')).to_have_text("video succeeded")
    expect(dataset_page.get_by_test_id("progress")).to_contain_text("1 sample ·")
    texts = dataset_page.evaluate("window.importsSeen")
    running = [text for text in texts if text.startswith("Imports: video running")]
    assert running, f"imports line texts seen: {texts}"
    assert any(f"/{FRAMES}" in text for text in running), texts
    succeeded = next(text for text in texts if text.startswith("Imports: video succeeded"))
    assert texts.index(running[0]) < texts.index(succeeded)
    assert dataset_page.evaluate("window.notReloaded") is True
    dataset_page.screenshot(path=str(tmp_path / "dataset-page.png"), full_page=True)
    assert Sample.objects.get().name == "lot"
    check_import_link(dataset_page, job)

    # and: its link lists the new sample
    entry.get_by_test_id("import-list-samples").click()
    expect(dataset_page.get_by_test_id("sample-list")).to_contain_text("lot")
    assert not pages.errors, f"JavaScript errors on the pages: {pages.errors}"


def check_import_link(page: Page, job: ImportJob) -> None:
    """The job's entry links to the import page of its kind, as the server-rendered line does."""
    href = page.get_by_test_id("dataset-imports").locator(f'[data-import="{job.uuid}"] a').first.get_attribute("href")
    assert href == f"{reverse('import', args=['alice', 'lot'])}?kind=video"


def test_a_video_the_worker_cannot_decode_ends_failed_on_both_pages_with_nothing_imported(pages, tmp_path):
    # given: a video cut after its first kilobytes (its header passes the upload check, decoding fails)
    whole = small_video(tmp_path / "video")
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[:2048])

    # when: alice imports it
    import_page = pages.open_import_page(cut)
    import_page.get_by_test_id("start-import").click()

    # then: the import page says it failed and why, the dataset page shows the job failed, nothing was stored
    expect(import_page.get_by_test_id("import-status")).to_have_text("failed", timeout=120_000)
    expect(import_page.get_by_test_id("import-error").first).to_contain_text("cut.mp4")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.FAILED
    line = pages.dataset_page.get_by_test_id("dataset-imports")
    expect(line.locator(f'[data-import="{job.uuid}"]')).to_have_text("video failed")  # no link to new samples
    expect(pages.dataset_page.get_by_test_id("progress")).to_contain_text("0 samples")
    row = import_page.locator(f'[data-testid="recent-imports"] tr[data-import="{job.uuid}"]')
    expect(row).to_contain_text("failed")
    pages.dataset_page.screenshot(path=str(tmp_path / "dataset-page-failed.png"))
    assert not Sample.objects.exists()
    assert not pages.errors, f"JavaScript errors on the pages: {pages.errors}"
