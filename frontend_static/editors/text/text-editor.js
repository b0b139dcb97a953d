// The text editor (task types text-named-entities and text-span-categorization): an EditorView
// (editor-core/shell.js) mounted into the shared shell by templates/datasets/text_editor.html.
//
// It composes the text building blocks: the sample's text with its spans (view.js), selection by mouse or
// keyboard snapped to the dataset's tokens (tokens.js), the format's code points at the boundary (offsets.js).
// Spans are kept in the browser's UTF-16 indices and converted when the label goes in or out. Every edit is
// one step of the core's History (snapshot mode: span objects are never mutated, so a snapshot is the list of
// the current span objects). Named entities may not overlap: a new overlapping span is refused with the
// server's own message, and a label that overlaps (a draft, a pre-label) cannot be saved (localProblems).
//
// The class keeps the state and thin methods; the work is in functions taking the editor, one module per part:
// label-io.js (label in and out, problems; pure), panels.js, selection.js, search.js (pure), shortcuts.js.

import { attachReference } from "./reference.js";
import { categoriesOf } from "../../editor-core/categories.js";
import { History } from "../../editor-core/history.js";
import { Shell } from "../../editor-core/shell.js";
import { inTextOrder, labelOfSpans, labelProblems, overlapProblems, saveErrorProblems, spansFromLabel } from "./label-io.js";
import { OffsetMap } from "./offsets.js";
import * as panels from "./panels.js";
import { findMatches } from "./search.js";
import * as selecting from "./selection.js";
import { TEXT_BINDINGS } from "./shortcuts.js";
import { mergeSpanLabels } from "./span-merge.js";
import { snapToTokens, tokenize } from "./tokens.js";
import { TextView } from "./view.js";

/** @typedef {import("./label-io.js").Span} Span UTF-16 */

const PALETTE = [[230, 57, 70], [42, 157, 143], [69, 123, 157], [244, 162, 97], [131, 56, 236], [106, 153, 78]];
const FONT_PX = 16;
const ZOOM_STEP = 1.15;

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
    /** @type {HTMLElement|null} the entity list's scrolling box (panels.js), null while there are no spans */
    this.entityViewport = null;
    /** @type {HTMLElement|null} its full-height content */
    this.entitySpacer = null;
    /** @type {Span[]|null} the entity list's spans, in its order */
    this.entityRows = null;
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
    const spans = spansFromLabel(attributes, this.offsets, this.nextId);
    this.nextId += spans.length;
    return spans;
  }


  // ---- the document ------------------------------------------------------------------------------------

  /** Spans in text order (the label's order). @returns {Span[]} */
  spanList() {
    return inTextOrder(this.spans.values());
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

  showSelection() {
    selecting.showSelection(this);
  }

  moveCaret(direction) {
    selecting.moveCaret(this, direction);
  }

  extend(direction, byCharacter) {
    selecting.extend(this, direction, byCharacter);
  }

  scrollToCaret() {
    selecting.scrollToCaret(this);
  }

  /** Select the next (1) or previous (-1) span in text order, of `categoryId` only when given. */
  stepSpan(direction, categoryId = null) {
    selecting.stepSpan(this, direction, categoryId);
  }

  // ---- search ------------------------------------------------------------------------------------------

  /** Find every occurrence of `query` (case-insensitive) in the text. */
  search(query) {
    this.matches = findMatches(this.text, query);
    this.matchIndex = -1;
    this.renderSearchInfo();
  }

  /** Go to the next (or previous) match: it becomes the selection, ready for a number key. */
  nextMatch(direction = 1) {
    selecting.nextMatch(this, direction);
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
    return labelOfSpans(spans, this.offsets);
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
    return this.labelOf(inTextOrder(this.savedSpans));
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
    const problems = labelProblems(this.toLabel().annotations, status, this.categoriesById, this.allowOverlap);
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
    this.problems = saveErrorProblems(error, this.labelIds || []);
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
    panels.renderPanels(this);
  }

  /** Scroll the entity list so that the span's row is in sight. */
  revealEntityRow(id) {
    panels.revealEntityRow(this, id);
  }

  renderEntityRows() {
    panels.renderEntityRows(this);
  }

  renderSelectionInfo() {
    panels.renderSelectionInfo(this);
  }

  renderSearchInfo() {
    panels.renderSearchInfo(this);
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
