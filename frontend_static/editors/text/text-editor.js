// The text editor (task types text-named-entities and text-span-categorization): an EditorView
// (editor-core/shell.js) mounted into the shared shell by templates/datasets/text_editor.html.
//
// It composes the text building blocks: the sample's text with its spans (view.js), selection by mouse or
// keyboard snapped to the dataset's tokens (tokens.js), the format's code points at the boundary (offsets.js).
// Spans are kept in the browser's UTF-16 indices and converted when the label goes in or out. Every edit is
// one step of the core's History (snapshot mode: span objects are never mutated, so a snapshot is the list of
// the current span objects). Named entities may not overlap: a new overlapping span is refused with the
// server's own message, and a label that overlaps (a draft, a pre-label) cannot be saved (localProblems).

import { attachReference } from "./reference.js";
import { categoriesOf } from "../../editor-core/categories.js";
import { cssColor, h, replaceChildren } from "../../editor-core/dom.js";
import { History } from "../../editor-core/history.js";
import { isTypingTarget } from "../../editor-core/keymap.js";
import { Shell } from "../../editor-core/shell.js";
import { missingMandatory } from "../vector/label-document.js";
import { attributeForm, categoryList } from "../vector/panels.js";
import { OffsetMap } from "./offsets.js";
import { mergeSpanLabels } from "./span-merge.js";
import { extendByCharacter, extendByToken, moveByToken, snapToTokens, tokenize } from "./tokens.js";
import { TextView } from "./view.js";

/** @typedef {{id: number, start: number, end: number, category_id: number, attributes?: Record<string, any>}} Span UTF-16 */

const PALETTE = [[230, 57, 70], [42, 157, 143], [69, 123, 157], [244, 162, 97], [131, 56, 236], [106, 153, 78]];
const FONT_PX = 16;
const ZOOM_STEP = 1.15;
const MAX_MATCHES = 10_000;
const COMPLETE_STATUSES = new Set(["LABELED", "REVIEWED", "VERIFIED"]); // they need every mandatory attribute
const ROW_PX = 26; // height of a row of the entity list (text-editor.css)

/**
 * The text editor's keymap (the shell adds its own: save, submit, undo, help...). docs/editors.md lists it.
 * @type {import("../../editor-core/keymap.js").Binding[]}
 */
export const TEXT_BINDINGS = [
  { keys: ["ArrowLeft", "ArrowRight"], actions: ["caret-previous", "caret-next"], group: "Select text", help: "Move the caret to the previous / next token" },
  { keys: ["Shift+ArrowLeft", "Shift+ArrowRight"], actions: ["extend-token-previous", "extend-token-next"], group: "Select text", help: "Extend the selection by one token" },
  { keys: ["Alt+Shift+ArrowLeft", "Alt+Shift+ArrowRight"], actions: ["extend-character-previous", "extend-character-next"], group: "Select text", help: "Extend the selection by one character" },
  { keys: ["Drag"], group: "Select text", help: "Select with the mouse (snaps to whole tokens: half a word becomes the word)" },
  { keys: ["1-9"], action: "category", group: "Spans", help: "Create a span of that category over the selection (or the caret's token); with a span selected: change its category" },
  { keys: ["Click span"], group: "Spans", help: "Select a span (click again where spans overlap: the next one over it)" },
  { keys: ["]", "["], actions: ["span-next", "span-previous"], group: "Spans", help: "Select the next / previous span" },
  { keys: ["Delete", "Backspace"], action: "delete", group: "Spans", help: "Delete the selected span" },
  { keys: ["Escape"], action: "escape", group: "Spans", help: "Deselect the span, then the text" },
  { keys: ["Ctrl+F"], action: "search", group: "Search", help: "Search in the text (Enter: next match, which becomes the selection)" },
];

/**
 * The server's overlap errors of a named-entity label, the same sweep and words as
 * labeling/core/text_labels.py: [{index, message}] where index is the later annotation of a pair.
 * @param {Array<{start: number, end: number}>} annotations code points, in the label's order
 * @returns {Array<{index: number, message: string}>}
 */
export function overlapProblems(annotations) {
  const spans = annotations.map((a, index) => [a.start, a.end, index]);
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const problems = [];
  let furthest = [-1, -1, -1];
  for (const span of spans) {
    if (span[0] < furthest[1]) {
      const [first, second] = [span, furthest].sort((a, b) => a[2] - b[2]);
      problems.push({
        index: second[2],
        message:
          `named entities may not overlap: annotations[${first[2]}] [${first[0]}, ${first[1]}) and ` +
          `annotations[${second[2]}] [${second[0]}, ${second[1]}) overlap`,
      });
    }
    if (span[1] > furthest[1]) furthest = span;
  }
  return problems;
}

/** Element ids of templates/datasets/text_editor.html, by name. */
export const TEXT_ELEMENT_IDS = {
  text: "te-text", stage: "te-stage", categories: "te-categories", span: "te-span", entities: "te-entities",
  counts: "te-counts", spanCount: "te-span-count", search: "te-search", searchInfo: "te-search-info",
  errors: "te-errors", hint: "te-hint", selection: "te-selection", toast: "te-toast",
};

export class TextEditor {
  /**
   * @param {Record<string, any>} elements the page's elements (TEXT_ELEMENT_IDS)
   * @param {any} config the page's editor_config (sample.text, dataset.task_type and task_attributes, label)
   * @param {import("../../editor-core/shell.js").Shell} shell
   */
  constructor(elements, config, shell) {
    const started = performance.now();
    this.el = elements;
    this.config = config;
    this.shell = shell;
    this.canWrite = config.can_write !== false;
    const taskAttributes = config.dataset.task_attributes || {};
    this.allowOverlap = config.dataset.task_type !== "text-named-entities";
    const { categories } = categoriesOf(config);
    this.categories = categories.map((c, i) => ({ ...c, color: c.color || PALETTE[i % PALETTE.length] }));
    this.categoriesById = new Map(this.categories.map((c) => [c.id, c]));
    // editor_config.sample.text (this branch) or .attributes.text (the sample-type builders of core-fe)
    const sample = config.sample || {};
    this.text = typeof sample.text === "string" ? sample.text : (sample.attributes && sample.attributes.text) || "";
    this.offsets = new OffsetMap(this.text);
    this.tokens = tokenize(this.text, taskAttributes.text_tokenizer === "characters" ? "characters" : "words");
    const tokenized = performance.now();
    this.nextId = 1;
    /** @type {Map<number, Span>} */
    this.spans = new Map();
    for (const span of this.spansFrom(config.label ? config.label.attributes : null)) this.spans.set(span.id, span);
    this.history = new History();
    this.selectedId = null;
    /** @type {{anchor: number, focus: number}} the text selection (UTF-16); collapsed = the caret */
    this.selection = { anchor: 0, focus: 0 };
    this.fontPx = FONT_PX;
    this.matches = [];
    this.matchIndex = -1;
    this.problems = []; // [{text, message, spanId}] from the server or localProblems
    this.revision = 0;
    this.labelCache = null;
    /** @type {WeakMap<object, Span[]>} the spans each label given by toLabel() was made of */
    this.spansOfLabel = new WeakMap();
    const loaded = performance.now();
    this.view = new TextView(elements.text, {
      text: this.text,
      spans: [...this.spans.values()],
      categories: this.categories,
      onSpanClick: (span) => this.select(span ? Number(span.id) : null),
    });
    /** @type {Set<Span>} the span objects as last stored: dirty = any other (spans are never changed in place) */
    this.savedSpans = new Set(this.spans.values());
    this.wire();
    const drawn = performance.now();
    this.renderPanels();
    this.showSelection();
    this.readyMs = performance.now() - started;
    /** where the constructor's time went (ms): the bench prints it */
    this.timings = {
      tokenizeMs: tokenized - started, // offset map and tokenizer
      labelMs: loaded - tokenized, // the label's spans to UTF-16
      viewMs: drawn - loaded, // the text view's DOM
      sidePanelsMs: performance.now() - drawn, // side panels and selection
    };
    /** @type {number|undefined} ms from start() to the first frame with the text on screen */
    this.paintedMs = undefined;
  }

  /** @param {any} attributes label attributes (code points) @returns {Span[]} */
  spansFrom(attributes) {
    const annotations = attributes && Array.isArray(attributes.annotations) ? attributes.annotations : [];
    return annotations.map((annotation) => {
      const { start, end } = this.offsets.spanToUtf16(annotation);
      /** @type {Span} */
      const span = { id: this.nextId++, start, end, category_id: annotation.category_id };
      if (annotation.attributes && typeof annotation.attributes === "object") span.attributes = annotation.attributes;
      return span;
    });
  }

  // ---- the document ------------------------------------------------------------------------------------

  /** Spans in text order (the label's order). @returns {Span[]} */
  spanList() {
    return [...this.spans.values()].sort((a, b) => a.start - b.start || a.end - b.end || a.id - b.id);
  }

  /** Record the state before an edit, run it, and refresh. */
  change(mutate) {
    if (!this.canWrite) return;
    this.history.record([...this.spans.values()]);
    mutate();
    this.changed();
  }

  changed() {
    this.revision += 1;
    this.labelCache = null;
    this.problems = [];
    this.schedulePanels();
    this.shell.changed();
  }

  /** Put back a snapshot (undo/redo, a loaded label): only the spans that differ are redrawn. @param {Span[]} spans */
  restore(spans) {
    const wanted = new Map(spans.map((span) => [span.id, span]));
    for (const id of [...this.spans.keys()]) {
      if (!wanted.has(id)) {
        this.spans.delete(id);
        this.view.removeSpan(id);
      }
    }
    for (const [id, span] of wanted) {
      const current = this.spans.get(id);
      if (current === span) continue;
      this.spans.set(id, span);
      if (current) this.view.updateSpan(id, span);
      else this.view.addSpan(span);
    }
    if (this.selectedId !== null && !this.spans.has(this.selectedId)) this.selectedId = null;
    this.view.select(this.selectedId);
    this.changed();
  }

  undo() {
    const previous = this.history.undo([...this.spans.values()]);
    if (previous) this.restore(previous);
  }

  redo() {
    const next = this.history.redo([...this.spans.values()]);
    if (next) this.restore(next);
  }

  // ---- selection and spans -----------------------------------------------------------------------------

  /** The selection snapped to whole tokens (UTF-16), or null when it holds no token. */
  snapped() {
    return snapToTokens(this.tokens, this.selection.anchor, this.selection.focus);
  }

  /** The spans a new [start, end) would overlap (UTF-16). */
  overlapping(start, end) {
    return [...this.spans.values()].filter((span) => span.start < end && start < span.end);
  }

  /**
   * Create a span of `categoryId` over the snapped selection; refused (with the server's message) when a
   * named entity would overlap another. Returns the new span or null.
   * @param {number} categoryId
   */
  createSpan(categoryId) {
    if (!this.canWrite) return null;
    const range = this.snapped();
    if (!range) {
      this.flash("Select some text first (or put the caret in a word).");
      return null;
    }
    const span = { id: this.nextId++, start: range.start, end: range.end, category_id: categoryId };
    if (!this.allowOverlap && this.overlapping(range.start, range.end).length) {
      const label = this.labelOf([...this.spanList(), span]);
      const problem = overlapProblems(label.annotations)[0];
      this.flash(`Not created: ${problem.message}`);
      return null;
    }
    this.change(() => {
      this.spans.set(span.id, span);
      if (this.view.selectedId !== null) this.view.select(null);
      this.view.selectedId = span.id; // addSpan draws it selected: its chunks are redrawn once
      this.view.addSpan(span);
    });
    this.selectedId = span.id;
    this.setSelection({ anchor: range.end, focus: range.end }); // the caret goes on after the new span
    return span;
  }

  /** @param {number} id @param {Partial<Span>} changes */
  updateSpan(id, changes) {
    const span = this.spans.get(id);
    if (!span) return;
    const updated = { ...span, ...changes, id };
    if (!this.allowOverlap && (changes.start !== undefined || changes.end !== undefined)) {
      if (this.overlapping(updated.start, updated.end).some((other) => other.id !== id)) return;
    }
    this.change(() => {
      this.spans.set(id, updated);
      this.view.updateSpan(id, updated);
    });
  }

  deleteSpan(id) {
    if (!this.spans.has(id)) return;
    this.change(() => {
      this.spans.delete(id);
      this.view.removeSpan(id);
    });
    this.selectedId = null;
  }

  /** Select a span (null: none), optionally scrolling it into view. */
  select(id, { scroll = false } = {}) {
    this.selectedId = id !== null && this.spans.has(id) ? id : null;
    this.view.select(this.selectedId);
    if (scroll && this.selectedId !== null) {
      this.scrollToSpan(this.selectedId);
      this.revealEntityRow(this.selectedId);
    }
    this.schedulePanels();
  }

  scrollToSpan(id) {
    const segment = this.el.text.querySelector(`.text-segment[data-spans~="${id}"]`);
    if (segment) segment.scrollIntoView({ block: "center", behavior: "instant" });
  }

  /** A number key or a category button: create a span, or change the selected span's category. */
  applyCategory(categoryId) {
    const collapsed = this.selection.anchor === this.selection.focus;
    if (this.selectedId !== null && collapsed) this.updateSpan(this.selectedId, { category_id: categoryId });
    else this.createSpan(categoryId);
  }

  /** @param {{anchor: number, focus: number}} selection */
  setSelection(selection, { show = true } = {}) {
    this.selection = selection;
    if (show) this.showSelection();
    this.renderSelectionInfo();
  }

  /** The page shows the selection, or the token at a collapsed caret. */
  showSelection() {
    const { anchor, focus } = this.selection;
    let low = Math.min(anchor, focus);
    let high = Math.max(anchor, focus);
    if (low === high) {
      const token = snapToTokens(this.tokens, low, low);
      if (!token) {
        window.getSelection()?.removeAllRanges();
        return;
      }
      [low, high] = [token.start, token.end];
    }
    if (isTypingTarget(document.activeElement)) return; // the search box keeps its own selection
    this.view.showSelection(low, high);
  }

  moveCaret(direction) {
    const caret = moveByToken(this.tokens, this.selection.focus, direction);
    this.select(null);
    this.setSelection({ anchor: caret, focus: caret });
    this.scrollToCaret();
  }

  extend(direction, byCharacter) {
    const next = byCharacter
      ? extendByCharacter(this.text, this.selection, direction)
      : extendByToken(this.tokens, this.selection, direction);
    this.setSelection(next);
    this.scrollToCaret();
  }

  scrollToCaret() {
    const selection = window.getSelection();
    if (!selection || !selection.rangeCount) return;
    const rect = selection.getRangeAt(0).getBoundingClientRect();
    const stage = this.el.stage.getBoundingClientRect();
    if (rect.bottom > stage.bottom || rect.top < stage.top) {
      this.el.stage.scrollTop += rect.top - stage.top - stage.height / 2;
    }
  }

  /** Select the next (1) or previous (-1) span in text order, of `categoryId` only when given. */
  stepSpan(direction, categoryId = null) {
    const list = this.spanList().filter((span) => categoryId === null || span.category_id === categoryId);
    if (!list.length) return;
    const at = list.findIndex((span) => span.id === this.selectedId);
    const selected = this.selectedId === null ? null : this.spans.get(this.selectedId);
    const from = selected ? selected.start : this.selection.focus;
    let index;
    if (at >= 0) index = (at + direction + list.length) % list.length;
    else if (direction > 0) {
      const next = list.findIndex((span) => span.start >= from);
      index = next >= 0 ? next : 0;
    } else {
      const before = list.filter((span) => span.start < from).length - 1;
      index = before >= 0 ? before : list.length - 1;
    }
    this.select(list[index].id, { scroll: true });
  }

  // ---- search ------------------------------------------------------------------------------------------

  /** Find every occurrence of `query` (case-insensitive) in the text. */
  search(query) {
    this.matches = [];
    this.matchIndex = -1;
    const needle = query.toLocaleLowerCase();
    if (needle) {
      const haystack = this.text.toLocaleLowerCase();
      // toLocaleLowerCase may change lengths for a few characters; then indices are only approximate
      let at = haystack.indexOf(needle);
      while (at !== -1 && this.matches.length < MAX_MATCHES) {
        this.matches.push([at, at + needle.length]);
        at = haystack.indexOf(needle, at + Math.max(1, needle.length));
      }
    }
    this.renderSearchInfo();
  }

  /** Go to the next (or previous) match: it becomes the selection, ready for a number key. */
  nextMatch(direction = 1) {
    if (!this.matches.length) return;
    const count = this.matches.length;
    this.matchIndex = this.matchIndex < 0 && direction < 0 ? count - 1 : (this.matchIndex + direction + count) % count;
    const [start, end] = this.matches[this.matchIndex];
    this.select(null);
    this.selection = { anchor: start, focus: end };
    this.view.showSelection(start, end);
    this.scrollToCaret();
    this.renderSelectionInfo();
    this.renderSearchInfo();
  }

  // ---- the EditorView contract (editor-core/shell.js) ----------------------------------------------------

  get keymap() {
    return TEXT_BINDINGS;
  }

  get canUndo() {
    return this.history.canUndo;
  }

  get canRedo() {
    return this.history.canRedo;
  }

  /** Label attributes for `spans` (UTF-16) in code points, in text order. */
  labelOf(spans) {
    const annotations = spans.map((span) => {
      const { start, end } = this.offsets.spanFromUtf16(span.start, span.end);
      const annotation = { start, end, category_id: span.category_id };
      if (span.attributes && Object.keys(span.attributes).length) annotation.attributes = span.attributes;
      return annotation;
    });
    return { format_version: "0.1", annotations };
  }

  toLabel() {
    if (!this.labelCache) {
      const list = this.spanList();
      this.labelIds = list.map((span) => span.id);
      this.labelCache = this.labelOf(list);
      this.spansOfLabel.set(this.labelCache, list);
    }
    return this.labelCache;
  }

  /** Unsaved changes: the spans are not the very objects last stored (O(n) identity checks, no serializing). */
  isDirty() {
    if (this.spans.size !== this.savedSpans.size) return true;
    for (const span of this.spans.values()) if (!this.savedSpans.has(span)) return true;
    return false;
  }

  markSaved(attributes) {
    // `attributes` is what toLabel() gave for this save: edits made while it was on its way stay unsaved
    this.savedSpans = new Set(this.spansOfLabel.get(attributes) || this.spans.values());
    this.schedulePanels();
  }

  draft() {
    return this.toLabel();
  }

  /** The label as last stored (the base of "keep both"). */
  savedLabel() {
    return this.labelOf([...this.savedSpans].sort((a, b) => a.start - b.start || a.end - b.end || a.id - b.id));
  }

  /** "Keep both" for spans, which have no ids: merged by position (span-merge.js). */
  mergeLabels(base, mine, theirs) {
    return mergeSpanLabels(base, mine, theirs, { allowOverlap: this.allowOverlap });
  }

  /** Show `attributes` (theirs with my changes on top) over `stored` (theirs, now the saved version). */
  rebase(attributes, stored) {
    const theirs = this.spansFrom(stored);
    this.restore(theirs);
    this.savedSpans = new Set(theirs);
    this.history.clear();
    this.loadLabel(attributes);
  }

  /** Replace the spans with these label attributes (a restored draft): one undoable step. */
  loadLabel(attributes) {
    const spans = this.spansFrom(attributes);
    this.history.record([...this.spans.values()]);
    this.selectedId = null;
    this.restore(spans);
  }

  localProblems(status) {
    const annotations = this.toLabel().annotations;
    const problems = this.allowOverlap ? [] : overlapProblems(annotations);
    if (COMPLETE_STATUSES.has(status)) {
      annotations.forEach((annotation, index) => {
        const category = this.categoriesById.get(annotation.category_id);
        for (const name of missingMandatory(category ? category.attributes : [], annotation.attributes || {})) {
          problems.push({ index, message: `annotations[${index}] (${category.name}): the attribute "${name}" is required to mark the label ${status.toLowerCase()}` });
        }
      });
    }
    this.problems = problems.map((problem) => ({
      text: `annotations[${problem.index}]`,
      message: problem.message,
      spanId: this.labelIds[problem.index] ?? null,
    }));
    this.renderPanels();
    if (problems.length) this.flash(`Not saved: ${problems[0].message}`);
    return problems.map((problem) => problem.message);
  }

  clearSaveError() {
    this.problems = [];
    this.schedulePanels();
  }

  /** Show a refused save's reasons; each one naming an annotation selects its span on click. */
  showSaveError(error, sent) {
    void sent;
    const ids = this.labelIds || [];
    this.problems = error.errors.map((issue) => {
      const match = /annotations\[(\d+)\]/.exec(issue.path || "");
      return { text: issue.path, message: issue.message, spanId: match ? (ids[Number(match[1])] ?? null) : null };
    });
    if (!this.problems.length) this.problems = [{ text: "", message: error.message, spanId: null }];
    const first = this.problems.find((problem) => problem.spanId !== null);
    if (first) this.select(first.spanId, { scroll: true });
    this.renderPanels();
  }

  firstErrorMessage() {
    return this.problems.length ? this.problems[0].message : "";
  }

  flash(message) {
    const toast = this.el.toast;
    toast.textContent = message;
    toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => {
      toast.hidden = true;
    }, 4000);
  }

  perform(action) {
    if (action.startsWith("category:")) {
      const category = this.categories[Number(action.slice(9)) - 1];
      if (category) this.applyCategory(category.id);
      return;
    }
    const handler = {
      "caret-previous": () => this.moveCaret(-1),
      "caret-next": () => this.moveCaret(1),
      "extend-token-previous": () => this.extend(-1, false),
      "extend-token-next": () => this.extend(1, false),
      "extend-character-previous": () => this.extend(-1, true),
      "extend-character-next": () => this.extend(1, true),
      "span-next": () => this.stepSpan(1),
      "span-previous": () => this.stepSpan(-1),
      delete: () => this.selectedId !== null && this.deleteSpan(this.selectedId),
      escape: () => this.escape(),
      search: () => {
        this.el.search.focus();
        this.el.search.select();
      },
      undo: () => this.undo(),
      redo: () => this.redo(),
      "zoom-in": () => this.zoom(this.fontPx * ZOOM_STEP),
      "zoom-out": () => this.zoom(this.fontPx / ZOOM_STEP),
      fit: () => this.zoom(FONT_PX),
    }[action];
    if (handler) handler();
  }

  escape() {
    if (this.selectedId !== null) this.select(null);
    else this.setSelection({ anchor: this.selection.focus, focus: this.selection.focus });
  }

  zoom(px) {
    this.fontPx = Math.max(10, Math.min(40, px));
    this.el.text.style.fontSize = `${this.fontPx.toFixed(1)}px`;
    const level = document.getElementById("ve-zoom-level");
    if (level) level.textContent = `${Math.round((100 * this.fontPx) / FONT_PX)}%`;
  }

  // ---- wiring ------------------------------------------------------------------------------------------

  wire() {
    const { text, search } = this.el;
    let pressedInText = false;
    text.addEventListener("mousedown", () => {
      pressedInText = true;
    });
    // on the document: a drag that starts in the text may end anywhere
    document.addEventListener("mouseup", () => {
      if (!pressedInText) return;
      pressedInText = false;
      const dom = this.view.domSelection();
      if (!dom) return;
      // the mouse's selection replaces the keyboard's; a plain click puts the caret there
      this.setSelection(dom, { show: false });
    });
    search.addEventListener("input", () => this.search(search.value));
    search.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      event.stopPropagation();
      this.nextMatch(event.shiftKey ? -1 : 1);
      search.blur(); // the keys go back to the editor: a number key labels the match
    });
  }

  schedulePanels() {
    if (this.panelsPending) return;
    this.panelsPending = true;
    requestAnimationFrame(() => {
      this.panelsPending = false;
      this.renderPanels();
    });
  }

  renderPanels() {
    this.panelsPending = false;
    const el = this.el;
    const selected = this.selectedId === null ? null : this.spans.get(this.selectedId);
    replaceChildren(
      el.categories,
      categoryList(this.categories, selected ? selected.category_id : null, (id) => ({ color: this.categoriesById.get(id)?.color || [120, 120, 120] }), (id) =>
        this.applyCategory(id),
      ),
    );
    replaceChildren(el.span, selected ? this.spanPanel(selected) : h("p", { class: "muted ve-empty" }, "No span selected. Select text and press a category's number."));
    this.renderEntities();
    el.errors.hidden = !this.problems.length;
    replaceChildren(el.errors, this.problems.length ? this.errorPanel() : null);
    this.renderSelectionInfo();
  }

  spanPanel(span) {
    const category = this.categoriesById.get(span.category_id);
    const { start, end } = this.offsets.spanFromUtf16(span.start, span.end);
    const options = this.categories.map((c) => h("option", { value: String(c.id), selected: c.id === span.category_id }, c.name));
    if (!category) options.unshift(h("option", { value: "", selected: true }, `Unknown (${span.category_id})`));
    return h(
      "div",
      { class: "ve-object", "data-testid": "span-panel", "data-span-id": String(span.id) },
      h(
        "div",
        { class: "ve-object-head" },
        h("strong", { class: "te-span-text", "data-testid": "span-text" }, this.text.slice(span.start, span.end)),
        h("span", { class: "muted", title: "Offsets in code points (the label format's)" }, `[${start}, ${end})`),
        h("button", {
          type: "button", class: "btn small danger", "data-testid": "delete-span", disabled: !this.canWrite,
          title: "Delete (Delete key)", onclick: () => this.deleteSpan(span.id),
        }, "Delete"),
      ),
      h(
        "label",
        { class: "ve-field" },
        h("span", { class: "ve-field-name" }, "Category"),
        h("select", {
          "data-testid": "span-category", disabled: !this.canWrite,
          onchange: (event) => this.updateSpan(span.id, { category_id: Number(event.target.value) }),
        }, options),
      ),
      attributeForm(category ? category.attributes || [] : [], span.attributes || {}, (name, value) => {
        const attributes = { ...(this.spans.get(span.id)?.attributes || {}) };
        if (value === undefined) delete attributes[name];
        else attributes[name] = value;
        this.updateSpan(span.id, { attributes });
      }, {
        testidPrefix: "span-attribute",
        readOnly: !this.canWrite,
        // after a refused labeled save, the required attributes still unfilled are marked
        missing: this.problems.length && category ? missingMandatory(category.attributes, span.attributes || {}) : [],
      }),
    );
  }

  renderEntities() {
    const el = this.el;
    const list = this.spanList();
    const counts = new Map();
    for (const span of list) counts.set(span.category_id, (counts.get(span.category_id) || 0) + 1);
    el.spanCount.textContent = String(list.length);
    replaceChildren(
      el.counts,
      h(
        "ul",
        { class: "te-counts", "data-testid": "entity-counts" },
        this.categories.map((category) =>
          h(
            "li",
            {},
            h(
              "button",
              {
                type: "button", class: "te-count-button", "data-testid": `entity-count-${category.id}`,
                title: `Select the next ${category.name} span`, onclick: () => this.stepSpan(1, category.id),
              },
              h("span", { class: "ve-swatch", style: `background: ${cssColor(category.color)}` }),
              h("span", { class: "ve-category-name" }, category.name),
              h("strong", { class: "te-count" }, String(counts.get(category.id) || 0)),
            ),
          ),
        ),
      ),
    );
    this.entityRows = list;
    if (!list.length) {
      replaceChildren(el.entities, h("p", { class: "muted ve-empty" }, "No spans yet."));
      this.entityViewport = null;
      return;
    }
    if (!this.entityViewport) {
      // A virtual list: only the rows in sight exist, so 1,000 spans cost what 30 do.
      this.entitySpacer = h("div", { class: "te-entity-spacer" });
      this.entityViewport = h(
        "div",
        { class: "te-entity-viewport", onscroll: () => this.renderEntityRows() },
        this.entitySpacer,
      );
      replaceChildren(el.entities, this.entityViewport);
    }
    this.entitySpacer.style.height = `${list.length * ROW_PX}px`;
    this.entityViewport.style.height = `${Math.min(list.length * ROW_PX, this.entityViewportPx())}px`;
    this.renderEntityRows();
  }

  entityViewportPx() {
    return Math.max(8 * ROW_PX, Math.round(window.innerHeight * 0.4));
  }

  /** Scroll the entity list so that the span's row is in sight. */
  revealEntityRow(id) {
    if (!this.entityViewport || !this.entityRows) return;
    const index = this.entityRows.findIndex((span) => span.id === id);
    if (index < 0) return;
    const viewport = this.entityViewport;
    const height = this.entityViewportPx();
    const top = index * ROW_PX;
    if (top < viewport.scrollTop || top + ROW_PX > viewport.scrollTop + height) viewport.scrollTop = top - height / 2;
  }

  renderEntityRows() {
    const list = this.entityRows || [];
    const viewport = this.entityViewport;
    if (!viewport) return;
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_PX) - 5);
    const last = Math.min(list.length, first + Math.ceil(this.entityViewportPx() / ROW_PX) + 10);
    const problemIds = new Set(this.problems.map((problem) => problem.spanId));
    const rows = list.slice(first, last).map((span) => {
      const category = this.categoriesById.get(span.category_id);
      const classes = ["ve-object-item"];
      if (span.id === this.selectedId) classes.push("is-selected");
      if (problemIds.has(span.id)) classes.push("has-problem");
      return h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: classes.join(" "), "data-span-id": String(span.id), onclick: () => this.select(span.id, { scroll: true }) },
          h("span", { class: "ve-swatch", style: `background: ${cssColor(category ? category.color : [120, 120, 120])}` }),
          h("span", { class: "ve-object-name" }, this.text.slice(span.start, span.end)),
          h("span", { class: "muted" }, category ? category.name : String(span.category_id)),
        ),
      );
    });
    replaceChildren(
      this.entitySpacer,
      h("ul", { class: "ve-object-list te-entity-list", "data-testid": "entity-list", style: `top: ${first * ROW_PX}px` }, rows),
    );
  }

  errorPanel() {
    return h(
      "div",
      { class: "ve-errors", role: "alert", "data-testid": "save-errors" },
      h("strong", {}, "The label was not saved"),
      h(
        "ul",
        {},
        this.problems.map((problem) =>
          h(
            "li",
            {},
            h(
              problem.spanId !== null ? "button" : "div",
              {
                type: problem.spanId !== null ? "button" : null,
                class: "ve-error-item",
                onclick: problem.spanId !== null ? () => this.select(problem.spanId, { scroll: true }) : null,
              },
              h("span", {}, problem.message),
            ),
          ),
        ),
      ),
    );
  }

  renderSelectionInfo() {
    const range = this.snapped();
    const { anchor, focus } = this.selection;
    const info = this.el.selection;
    info.dataset.snapped = range ? this.text.slice(range.start, range.end) : "";
    if (!range) info.textContent = "";
    else if (anchor === focus) info.textContent = `Caret in “${info.dataset.snapped}”`;
    else info.textContent = `Selection: “${info.dataset.snapped}”`;
    this.el.hint.textContent = this.canWrite ? "Select text, then press 1–9 or click a category · ? for all keys" : "Read only";
  }

  renderSearchInfo() {
    const info = this.el.searchInfo;
    if (!this.el.search.value) info.textContent = "";
    else if (!this.matches.length) info.textContent = "no match";
    else info.textContent = `${this.matchIndex + 1 || "–"} of ${this.matches.length}${this.matches.length >= MAX_MATCHES ? "+" : ""}`;
  }
}

/** {name: element} for TEXT_ELEMENT_IDS inside `root`; throws naming a missing one. */
export function findTextElements(root) {
  /** @type {Record<string, any>} */
  const elements = { root };
  for (const [name, id] of Object.entries(TEXT_ELEMENT_IDS)) {
    elements[name] = root.querySelector(`#${id}`);
    if (!elements[name]) throw new Error(`text editor: the page has no #${id}`);
  }
  return elements;
}

/**
 * Start the page (templates/datasets/text_editor.html): read the embedded editor_config, build the shell,
 * mount the text editor. Sets `data-ready` on the root and `window.textEditor` (tests, bench, console).
 * @returns {TextEditor|null}
 */
export function start() {
  const root = document.getElementById("text-editor");
  const source = document.getElementById("editor-config");
  if (!root || !source) return null;
  const started = performance.now();
  const config = JSON.parse(source.textContent);
  const shell = new Shell(root, config, { noticesParent: root.querySelector(".ve-body") });
  const editor = new TextEditor(findTextElements(root), config, shell);
  attachReference(editor); // "Compare with" another label set's spans
  shell.mount(editor);
  void document.body.offsetHeight; // style and layout are part of "ready"
  editor.readyMs = performance.now() - started;
  requestAnimationFrame(() =>
    setTimeout(() => {
      editor.paintedMs = performance.now() - started; // the first frame with the text on screen
    }),
  );
  root.dataset.ready = "true";
  /** @type {any} */ (window).textEditor = editor;
  return editor;
}
