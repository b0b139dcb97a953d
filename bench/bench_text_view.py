"""Benchmark the text view in headless Chromium: a 20,000-character document (real Wikigold sentences) with
1,000 spans (Wikigold's entities plus overlapping two-word spans, as in span categorization).

Run from the repository root: `.venv/bin/python bench/bench_text_view.py` (no database needed: the harness page
frontend_static/editors/text/harness.html is served by a plain HTTP server). Prints the machine, then medians
over RUNS page loads of:
  * ready: mount() in the page, from the label's code point spans to a laid-out view (offset map, tokenizer,
    span layout, DOM, style and layout forced), and to the next painted frame;
  * one span creation: addSpan() with the redraw of its chunks and the layout it causes (CREATIONS per load).
Targets: ready < 200 ms, one span creation < 16 ms (one frame).
"""

import functools
import http.server
import json
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.machine import describe_machine  # noqa: E402
from labeling.core.conll import read_conll  # noqa: E402
from labeling.testing import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CHARACTERS = 20_000
SPANS = 1_000
RUNS = 5
CREATIONS = 30
CATEGORIES = [{"id": i + 1, "name": name} for i, name in enumerate(["PER", "LOC", "ORG", "MISC", "phrase"])]


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


def serve_static() -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(ROOT / "frontend_static"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


MEASURE = """async ([sample, creations]) => {
  const { readyMs } = window.textHarness.mount(sample);
  const mounted = performance.now() - readyMs;
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  const paintedMs = performance.now() - mounted;
  const view = window.textHarness.current.view;
  const segments = view.container.querySelectorAll(".text-segment").length;
  const createMs = window.textHarness.current.benchCreate(creations);
  return { readyMs, paintedMs, createMs, segments, depth: view.depth, chunks: view.chunks.length };
}"""


def main() -> None:
    text, spans = document()
    sample = {"text": text, "annotations": spans, "categories": CATEGORIES, "allowOverlap": True}
    server, base = serve_static()
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for _ in range(RUNS):
                page.goto(f"{base}/editors/text/harness.html")
                page.wait_for_function("() => window.textHarness !== undefined")
                results.append(page.evaluate(MEASURE, [sample, CREATIONS]))
            browser.close()
    finally:
        server.shutdown()
    ready = statistics.median(r["readyMs"] for r in results)
    painted = statistics.median(r["paintedMs"] for r in results)
    creations = sorted(ms for r in results for ms in r["createMs"])
    print(describe_machine())
    print(
        f"document: {len(text)} characters, {len(spans)} spans "
        f"({results[0]['segments']} segments in {results[0]['chunks']} chunks, {results[0]['depth']} levels)"
    )
    print(
        f"ready (median of {RUNS} loads): {ready:.1f} ms laid out, {painted:.1f} ms to the next frame"
        "  [target < 200 ms]"
    )
    print(
        f"one span creation ({len(creations)}): median {statistics.median(creations):.2f} ms, "
        f"p95 {creations[int(0.95 * (len(creations) - 1))]:.2f} ms, max {creations[-1]:.2f} ms  [target < 16 ms]"
    )
    print(json.dumps({"ready_ms": round(ready, 1), "painted_ms": round(painted, 1)}))


if __name__ == "__main__":
    main()
