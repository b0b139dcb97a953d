// Wires the text editor's building blocks together for the browser tests and the bench (harness.html):
// mouse or keyboard selection snapped to tokens, a number key creates a span of that category, a click selects
// a span, Delete removes it. Labels come in and go out in the format's code points.

import { overlappingPairs } from "./layout.js";
import { OffsetMap } from "./offsets.js";
import { extendByCharacter, extendByToken, moveByToken, snapToTokens, tokenize } from "./tokens.js";
import { TextView } from "./view.js";

const state = document.getElementById("state");
let harness = null;

/**
 * Mount a sample. spans: the label's annotations (code points); allowOverlap: false for named entities.
 * @param {{text: string, annotations?: Array<{start: number, end: number, category_id: number}>,
 *   categories: Array<{id: number, name: string}>, allowOverlap?: boolean, tokenizer?: "words"|"characters"}} sample
 * @returns {{readyMs: number}}
 */
function mount({ text, annotations = [], categories, allowOverlap = true, tokenizer = "words" }) {
  const started = performance.now();
  const offsets = new OffsetMap(text);
  const tokens = tokenize(text, tokenizer);
  let nextId = 1;
  const spans = annotations.map((a) => ({ id: nextId++, category_id: a.category_id, ...offsets.spanToUtf16(a) }));
  const container = document.getElementById("view");
  let selection = { anchor: 0, focus: 0 }; // UTF-16, what the keyboard moves and extends; starts at the text's start
  const view = new TextView(container, {
    text,
    spans,
    categories,
    onSpanClick: (span) => {
      view.select(span ? span.id : null);
      report();
    },
  });
  container.getBoundingClientRect();
  void document.body.offsetHeight; // the layout is part of "ready"
  const readyMs = performance.now() - started;

  function snapped() {
    const dom = view.domSelection();
    const current = dom && dom.anchor !== dom.focus ? dom : selection;
    if (!current) return null;
    return snapToTokens(tokens, current.anchor, current.focus);
  }

  function create(categoryId) {
    const range = snapped();
    if (!range) return null;
    const span = { id: nextId++, category_id: categoryId, ...range };
    if (!allowOverlap && overlappingPairs([...view.spans.values(), span]).some((pair) => pair.includes(view.spans.size))) {
      state.textContent = "refused: named entities may not overlap";
      return null;
    }
    view.addSpan(span);
    view.select(span.id);
    window.getSelection()?.removeAllRanges();
    selection = { anchor: range.end, focus: range.end }; // the caret goes on after the new span
    report();
    return span;
  }

  document.addEventListener("keydown", (event) => {
    const category = categories[Number(event.key) - 1];
    if (category && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      create(category.id);
    } else if (event.shiftKey && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      event.preventDefault();
      const direction = event.key === "ArrowRight" ? 1 : -1;
      selection ??= view.domSelection() ?? { anchor: 0, focus: 0 };
      selection = event.altKey || event.ctrlKey
        ? extendByCharacter(text, selection, direction)
        : extendByToken(tokens, selection, direction);
      const low = Math.min(selection.anchor, selection.focus);
      const high = Math.max(selection.anchor, selection.focus);
      if (high > low) view.showSelection(low, high);
      report();
    } else if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault(); // a caret that moves by token; a number key then labels the token it is in
      const from = selection ? selection.focus : (view.domSelection()?.focus ?? 0);
      const caret = moveByToken(tokens, from, event.key === "ArrowRight" ? 1 : -1);
      selection = { anchor: caret, focus: caret };
      window.getSelection()?.removeAllRanges();
      report();
    } else if ((event.key === "Delete" || event.key === "Backspace") && view.selectedId !== null) {
      event.preventDefault();
      view.removeSpan(view.selectedId);
      report();
    }
  });
  container.addEventListener("mouseup", () => {
    selection = null; // the mouse's selection replaces the keyboard's
    report();
  });

  function label() {
    const annotations = view.spanList().map((span) => ({
      ...offsets.spanFromUtf16(span.start, span.end),
      category_id: span.category_id,
    }));
    return { format_version: "0.1", annotations };
  }

  function report() {
    const range = snapped();
    state.textContent = `${view.spans.size} spans, selected ${view.selectedId ?? "none"}, snapped ${
      range ? JSON.stringify(text.slice(range.start, range.end)) : "none"}`;
    state.dataset.spans = String(view.spans.size);
    state.dataset.selected = String(view.selectedId ?? "");
  }

  /** Time `count` span creations over free tokens (with the layout each one causes), in ms each. */
  function benchCreate(count) {
    const times = [];
    const taken = new Set();
    for (const span of view.spans.values()) for (let i = span.start; i < span.end; i += 1) taken.add(i);
    let token = 0;
    while (times.length < count && token < tokens.length) {
      const start = tokens.starts[token];
      const end = tokens.ends[token];
      token += Math.max(1, Math.floor(tokens.length / (count * 2)));
      if (taken.has(start)) continue;
      const began = performance.now();
      view.addSpan({ id: nextId++, category_id: categories[0].id, start, end });
      void document.body.offsetHeight;
      times.push(performance.now() - began);
    }
    return times;
  }

  harness = { view, tokens, offsets, label, create, benchCreate, readyMs };
  report();
  return { readyMs };
}

window.textHarness = {
  mount,
  get current() {
    return harness;
  },
};
state.textContent = "ready to mount";
state.dataset.loaded = "true";
