"""An import end to end with real processes (issue 18): a manager starts a video import on the import page
served by an ASGI server on Redis, a real Celery worker decodes it, and the page's progress bar moves through
intermediate values to "succeeded" while the dataset page, open in a second tab, follows the job on its
"Imports:" line (queued/running -> succeeded) and re-reads its counts, all without a reload."""

from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import Page, expect

from datasets.models import ImportJob, Sample
from datasets.services.datasets import create_dataset
from tests.browser_sequence.test_video_import_page import CATEGORIES, drop_file
from tests.realtime.test_live_browser import new_page, signed_in_context
from tests.releases.test_release_worker import QUEUE, redis_url, start_worker, to_redis  # noqa: F401 - fixtures
from tests.videos import SOURCE_FRAMES, make_video

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.postgresql]

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


def test_video_import_progress_and_outcome_reach_the_import_page_and_the_dataset_page_live(
    start_asgi_server,
    start_worker,
    to_redis,
    chromium,
    settings,
    monkeypatch,
    alice,
    tmp_path,  # noqa: F811
):
    # given: an ASGI server and a Celery worker on Redis sharing one media folder and this test's queue
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    monkeypatch.setenv("CELERY_QUEUE", QUEUE)
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
    video = small_video(tmp_path / "video")
    errors: list[str] = []
    context = signed_in_context(chromium, server, alice)
    # and: alice's dataset page, with no import yet, open in one tab
    dataset_page = new_page(context, errors)
    dataset_page.goto(f"http://{server}{reverse('dataset', args=['alice', 'lot'])}")
    expect(dataset_page.get_by_test_id("live-status")).to_have_text("● live")
    expect(dataset_page.get_by_test_id("dataset-imports")).to_be_hidden()
    expect(dataset_page.get_by_test_id("progress")).to_contain_text("0 samples")
    dataset_page.evaluate(WATCH_IMPORTS)

    # when: in a second tab she uploads the video on the import page and starts the import
    import_page = new_page(context, errors)
    import_page.goto(f"http://{server}{reverse('import', args=['alice', 'lot'])}?kind=video")
    expect(import_page.get_by_test_id("import-panel")).to_have_attribute("data-kind", "video")
    drop_file(import_page, ".uppy-Dashboard-inner", video, "video/mp4")
    expect(import_page.get_by_test_id("import-files-state")).to_have_text("1 file(s) ready.", timeout=20_000)
    import_page.evaluate(WATCH_PROGRESS)
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
    expect(row).to_contain_text(f"1 samples, {FRAMES} frames")
    import_page.screenshot(path=str(tmp_path / "import-page.png"), full_page=True)

    # and: the dataset page followed the job live, and re-read its counts, without a reload
    imports_line = dataset_page.get_by_test_id("dataset-imports")
    expect(imports_line).to_be_visible()
    expect(imports_line.locator(f'[data-import="{job.uuid}"]')).to_have_text("video succeeded")
    expect(dataset_page.get_by_test_id("progress")).to_contain_text("1 samples")
    texts = dataset_page.evaluate("window.importsSeen")
    running = [text for text in texts if text.startswith("Imports: video running")]
    assert running, f"imports line texts seen: {texts}"
    assert any(f"/{FRAMES}" in text for text in running), texts
    assert texts.index(running[0]) < texts.index("Imports: video succeeded")
    assert dataset_page.evaluate("window.notReloaded") is True
    dataset_page.screenshot(path=str(tmp_path / "dataset-page.png"), full_page=True)
    assert Sample.objects.get().name == "lot"
    assert not errors, f"JavaScript errors on the pages: {errors}"
    check_import_link(dataset_page, job)


def check_import_link(page: Page, job: ImportJob) -> None:
    """The job's entry links to the import page of its kind, as the server-rendered line does."""
    href = page.get_by_test_id("dataset-imports").locator(f'[data-import="{job.uuid}"] a').get_attribute("href")
    assert href == f"{reverse('import', args=['alice', 'lot'])}?kind=video"
