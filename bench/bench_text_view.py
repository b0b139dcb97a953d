"""Benchmark the text editor page in headless Chromium: a 20,000-character document (real Wikigold sentences)
with 1,000 spans (Wikigold's entities plus overlapping two-word spans) as the stored label of a
text-span-categorization sample, opened in the real editor (templates/datasets/text_editor.html).

Run from the repository root: `.venv/bin/python bench/bench_text_view.py` (DATABASE_URL optional; a throw-away
test database is created and dropped). Prints the machine, then medians over RUNS page loads of:
  * ready: in the page, from the editor module's start() to a laid-out editor (config parsed, shell built,
    offset map, tokenizer, span layout, DOM, style and layout forced) and to the next painted frame; and from
    page.goto() to the editor's data-ready (network, parsing and all);
  * one span creation: createSpan() over a free token, as a number key does (history step, DOM of its chunks,
    selection, toolbar state) with the layout it causes (CREATIONS per load); and the side panels' redraw that
    follows in the next frame (entity list of 1,000 spans, counts).
Targets: ready < 200 ms, one span creation < 16 ms (one frame).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labeling.settings")
# Playwright's sync API keeps an asyncio loop in this thread; nothing here is async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.editor_server import editor_server  # noqa: E402
from bench.machine import describe_machine  # noqa: E402
from datasets.models import Label, LabelSet, Sample  # noqa: E402
from datasets.services.datasets import create_dataset  # noqa: E402
from labeling.core.conll import read_conll  # noqa: E402
from labeling.testing import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CHARACTERS = 20_000
SPANS = 1_000
RUNS = 5
CREATIONS = 30
CATEGORIES = [{"id": i + 1, "name": name} for i, name in enumerate(["PER", "LOC", "ORG", "MISC", "phrase"])]
SCREENSHOT = os.environ.get("BENCH_SCREENSHOT")  # a path: save a screenshot of the loaded editor there


def document() -> tuple[str, list[dict]]:
    """The first Wikigold sentences, one per line, cut to CHARACTERS; their entities plus two-word spans
    (overlapping some entities) up to SPANS spans in all, as label annotations (code points)."""
    records = read_conll((ROOT / "examples" / "text" / "wikigold.conll.txt").open(encoding="utf-8"))
    text, spans = "", []
    ids = {category["name"]: category["id"] for category in CATEGORIES}
    for record in records:
        if len(text) + len(record.text) + 1 > CHARACTERS:
            break
        offset = len(text)
        spans += [{"start": s.start + offset, "end": s.end + offset, "category_id": ids[s.label]} for s in record.spans]
        text += record.text + "\n"
    text = text.ljust(CHARACTERS)
    words = [(i, i + len(word)) for i, word in _words(text)]
    step = max(1, len(words) // (SPANS - len(spans)))
    for index in range(0, len(words) - 1, step):
        if len(spans) >= SPANS:
            break
        spans.append({"start": words[index][0], "end": words[index + 1][1], "category_id": ids["phrase"]})
    return text, spans


def _words(text: str):
    start = None
    for index, character in enumerate(text + " "):
        if character.isspace():
            if start is not None:
                yield start, text[start:index]
            start = None
        elif start is None:
            start = index


def create_sample(user, text: str, spans: list[dict]) -> Sample:
    """A text-span-categorization dataset with one sample of `text` whose stored label holds `spans`."""
    dataset = create_dataset(
        user,
        owner_name=user.username,
        owner_user=user,
        name="text-bench",
        task_type="text-span-categorization",
        task_attributes={"format_version": "0.1", "categories": CATEGORIES},
    )
    sample = Sample.objects.create(dataset=dataset, name="wikigold-20k", created_by=user, attributes={"text": text})
    Label.objects.create(
        sample=sample,
        labelset=LabelSet.objects.get(dataset=dataset, name="ground-truth"),
        label_status="PRELABELED",
        attributes={"format_version": "0.1", "annotations": spans},
    )
    return sample


MEASURE = """async (creations) => {
  const editor = window.textEditor;
  const readyMs = editor.readyMs;
  while (editor.paintedMs === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
  const paintedMs = editor.paintedMs;
  const { tokens, view } = editor;
  const taken = new Set();
  for (const span of editor.spans.values()) for (let i = span.start; i < span.end; i += 1) taken.add(i);
  const createMs = [];
  const panelsMs = [];
  let token = 0;
  while (createMs.length < creations && token < tokens.length) {
    const start = tokens.starts[token];
    token += Math.max(1, Math.floor(tokens.length / (creations * 2)));
    if (taken.has(start)) continue;
    editor.select(null);
    editor.selection = { anchor: start, focus: start }; // the caret in a free token, as the arrow keys put it
    const began = performance.now();
    editor.createSpan(1);
    void document.body.offsetHeight;
    createMs.push(performance.now() - began);
    const panelsBegan = performance.now();
    editor.renderPanels(); // what the next frame does after a change
    void document.body.offsetHeight;
    panelsMs.push(performance.now() - panelsBegan);
  }
  const segments = view.container.querySelectorAll(".text-segment").length;
  const { depth, chunks } = view;
  return { ...editor.timings, readyMs, paintedMs, createMs, panelsMs, segments, depth, chunks: chunks.length };
}"""


def run(base_url: str, sample: Sample, session_cookie: str) -> list[dict]:
    dataset = sample.dataset
    url = f"{base_url}{reverse('label-editor', args=[dataset.owner_name, dataset.name, sample.uuid])}"
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie, "url": base_url}])
        page = context.new_page()
        for run_index in range(RUNS + 1):  # the first load warms the caches
            started = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("#text-editor[data-ready='true']", state="attached", timeout=60_000)
            opened = (time.perf_counter() - started) * 1000
            if SCREENSHOT and run_index == 0:
                page.screenshot(path=SCREENSHOT)
            result = page.evaluate(MEASURE, CREATIONS)
            if run_index:
                results.append({**result, "openedMs": opened})
        browser.close()
    return results


def main() -> None:
    text, spans = document()
    with editor_server() as server:
        sample = create_sample(server.user, text, spans)
        results = run(server.base_url, sample, server.session_cookie)
    keys = ("readyMs", "paintedMs", "openedMs", "tokenizeMs", "labelMs", "viewMs", "sidePanelsMs")
    median = {key: statistics.median(r[key] for r in results) for key in keys}
    creations = sorted(ms for r in results for ms in r["createMs"])
    panels = sorted(ms for r in results for ms in r["panelsMs"])
    print(describe_machine())
    print(
        f"text editor page, text-span-categorization: {len(text)} characters, {len(spans)} spans "
        f"({results[0]['segments']} segments in {results[0]['chunks']} chunks, {results[0]['depth']} levels), "
        f"headless Chromium"
    )
    print(
        f"ready (median of {RUNS} loads): {median['readyMs']:.1f} ms laid out after the module started, "
        f"{median['paintedMs']:.1f} ms to the next frame  [target < 200 ms]; "
        f"goto() to ready {median['openedMs']:.0f} ms"
    )
    print(
        f"  of which, in the editor's constructor: offset map and tokenizer {median['tokenizeMs']:.1f} ms, "
        f"label spans {median['labelMs']:.1f} ms, text view DOM {median['viewMs']:.1f} ms, "
        f"panels {median['sidePanelsMs']:.1f} ms; the rest is the shell, style and layout"
    )
    print(
        f"one span creation ({len(creations)}): median {statistics.median(creations):.2f} ms, "
        f"p95 {creations[int(0.95 * (len(creations) - 1))]:.2f} ms, max {creations[-1]:.2f} ms  [target < 16 ms]"
    )
    print(
        f"side panels redrawn after it (entity list, counts): median {statistics.median(panels):.2f} ms, "
        f"p95 {panels[int(0.95 * (len(panels) - 1))]:.2f} ms"
    )


if __name__ == "__main__":
    main()
