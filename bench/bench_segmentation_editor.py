"""Benchmark the segmentation editor in headless Chromium on a 2048x1536 photo with a 50-instance mask.

Run from the repository root: `.venv/bin/python bench/bench_segmentation_editor.py` (DATABASE_URL optional;
a throw-away test database is created and dropped). Prints the machine, then the median of several runs of:
  * open: from page.goto() to an editable canvas (photo loaded, mask PNG fetched and decoded, first render);
  * save: from the Labeled click to "Saved" (encode the RGBA PNG in the mask worker, POST /assets/, upload,
    PUT the label).
The browser's own split (performance.now() inside the page) is printed beside each figure.
"""

import io
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labeling.settings")
# Playwright's sync API keeps an asyncio loop in this thread; nothing here is async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.urls import reverse  # noqa: E402
from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.editor_server import editor_server  # noqa: E402
from bench.machine import describe_machine  # noqa: E402
from datasets.models import Label, LabelSet, Sample  # noqa: E402
from datasets.services.datasets import create_dataset  # noqa: E402
from labeling.core.bitmaps import encode_bitmap  # noqa: E402
from labeling.testing import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

WIDTH, HEIGHT = 2048, 1536
INSTANCES = 50
RUNS = 5
CATEGORIES = [
    {"id": i, "name": f"class-{i}", "color": [40 * i % 256, 90 * i % 256, 160 * i % 256]} for i in range(1, 6)
]


def photo_jpeg() -> bytes:
    """A real photo (examples/images/retina.jpg) scaled to 2048x1536."""
    with Image.open(ROOT / "examples" / "images" / "retina.jpg") as image:
        buffer = io.BytesIO()
        image.convert("RGB").resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def instance_mask(rng: np.random.Generator) -> np.ndarray:
    """INSTANCES overlapping ellipses (later ones on top), 40 to 260 px across."""
    ids = np.zeros((HEIGHT, WIDTH), dtype=np.uint32)
    rows, columns = np.ogrid[:HEIGHT, :WIDTH]
    for instance_id in range(1, INSTANCES + 1):
        cx, cy = rng.integers(0, WIDTH), rng.integers(0, HEIGHT)
        rx, ry = rng.integers(20, 130, size=2)
        ids[((columns - cx) / rx) ** 2 + ((rows - cy) / ry) ** 2 <= 1] = instance_id
    return ids


def store(name: str, content: bytes) -> str:
    return default_storage.save(f"assets/{secrets.token_hex(16)}/{name}", ContentFile(content))


def create_sample(base_url: str, user) -> Sample:
    dataset = create_dataset(
        user,
        owner_name="bench",
        owner_user=user,
        name="seg-bench",
        task_type="segmentation-bitmap",
        task_attributes={"format_version": "0.1", "categories": CATEGORIES},
    )
    sample = Sample.objects.create(
        dataset=dataset,
        name="photo.jpg",
        created_by=user,
        attributes={"image": {"url": f"{base_url}/media/{store('photo.jpg', photo_jpeg())}"}},
    )
    ids = instance_mask(np.random.default_rng(1))
    present = sorted(int(i) for i in np.unique(ids) if i)
    Label.objects.create(
        sample=sample,
        labelset=LabelSet.objects.get(dataset=dataset, name="ground-truth"),
        label_status="PRELABELED",
        attributes={
            "format_version": "0.1",
            "annotations": [{"id": i, "category_id": 1 + i % len(CATEGORIES)} for i in present],
            "segmentation_bitmap": {"url": f"{base_url}/media/{store('label.png', encode_bitmap(ids))}"},
        },
    )
    return sample


def measure(page, url: str) -> dict:
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("body[data-editor-ready='true']", state="attached", timeout=60_000)
    opened = time.perf_counter() - started
    open_split = page.evaluate("window.segmentationEditor.timings")
    page.keyboard.press("r")
    point = page.evaluate("window.segmentationEditor.clientPointOf(1000, 700)")
    page.mouse.move(point["x"], point["y"])
    page.mouse.down()
    page.mouse.move(point["x"] + 120, point["y"] + 40)
    page.mouse.up()
    started = time.perf_counter()
    page.get_by_test_id("status-labeled").click()
    page.get_by_test_id("save-state").filter(has_text="Saved").wait_for(timeout=60_000)
    saved = time.perf_counter() - started
    save_split = page.evaluate("window.segmentationEditor.timings")
    return {
        "open": opened * 1000,
        "save": saved * 1000,
        **{f"js_{k}": v for k, v in {**open_split, **save_split}.items()},
    }


def run(base_url: str, sample: Sample, session_cookie: str) -> list[dict]:
    dataset = sample.dataset
    url = f"{base_url}{reverse('label-editor', args=[dataset.owner_name, dataset.name, sample.uuid])}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie, "url": base_url}])
        page = context.new_page()
        results = [measure(page, url) for _ in range(RUNS + 1)][1:]  # the first run warms the caches
        browser.close()
    return results


def main() -> None:
    print(describe_machine())
    with editor_server() as server:
        sample = create_sample(server.base_url, server.user)
        results = run(server.base_url, sample, server.session_cookie)
    median = {key: statistics.median(run[key] for run in results) for key in results[0]}
    print(
        f"segmentation editor, {WIDTH}x{HEIGHT} photo, {INSTANCES}-instance mask, headless Chromium, median of {RUNS}:"
    )
    print(
        f"  open to editable canvas: {median['open']:.0f} ms "
        f"(in page: photo {median['js_photoMs']:.0f} ms, mask fetch+decode {median['js_bitmapMs']:.0f} ms, "
        f"ready {median['js_readyMs']:.0f} ms after the module started)"
    )
    print(
        f"  save (click to 'Saved'): {median['save']:.0f} ms "
        f"(in page: PNG encode in the worker {median['js_encodeMs']:.0f} ms, whole save {median['js_saveMs']:.0f} ms)"
    )


if __name__ == "__main__":
    main()
