// The text editor's panels, drawn from the editor's state (text-editor.js): the categories, the selected
// span's details, the entity counts and the (virtual) entity list, the save errors, the selection and search
// lines. Each function replaces what it draws; the editor calls renderPanels after every change.

import { cssColor, h, replaceChildren } from "../../editor-core/dom.js";
import { missingMandatory } from "../vector/label-document.js";
import { attributeForm, categoryList } from "../vector/panels.js";
import { MAX_MATCHES } from "./search.js";

/** @typedef {import("./text-editor.js").TextEditor} TextEditor */
/** @typedef {import("./label-io.js").Span} Span */

const ROW_PX = 26; // height of a row of the entity list (text-editor.css)

/** Every panel, now. @param {TextEditor} editor */
export function renderPanels(editor) {
  editor.panelsPending = false;
  const el = editor.el;
  const selected = editor.selectedId === null ? null : editor.spans.get(editor.selectedId);
  replaceChildren(
    el.categories,
    categoryList(editor.categories, selected ? selected.category_id : null, (id) => ({ color: editor.categoriesById.get(id)?.color || [120, 120, 120] }), (id) =>
      editor.applyCategory(id),
    ),
  );
  replaceChildren(el.span, selected ? spanPanel(editor, selected) : h("p", { class: "muted ve-empty" }, "No span selected. Select text and press a category's number."));
  renderEntities(editor);
  el.errors.hidden = !editor.problems.length;
  replaceChildren(el.errors, editor.problems.length ? errorPanel(editor) : null);
  renderSelectionInfo(editor);
}

/** The selected span: its text, offsets, category and attributes. @param {TextEditor} editor @param {Span} span */
function spanPanel(editor, span) {
  const category = editor.categoriesById.get(span.category_id);
  const { start, end } = editor.offsets.spanFromUtf16(span.start, span.end);
  const options = editor.categories.map((c) => h("option", { value: String(c.id), selected: c.id === span.category_id }, c.name));
  if (!category) options.unshift(h("option", { value: "", selected: true }, `Unknown (${span.category_id})`));
  return h(
    "div",
    { class: "ve-object", "data-testid": "span-panel", "data-span-id": String(span.id) },
    h(
      "div",
      { class: "ve-object-head" },
      h("strong", { class: "te-span-text", "data-testid": "span-text" }, editor.text.slice(span.start, span.end)),
      h("span", { class: "muted", title: "Offsets in code points (the label format's)" }, `[${start}, ${end})`),
      h("button", {
        type: "button", class: "btn small danger", "data-testid": "delete-span", disabled: !editor.canWrite,
        title: "Delete (Delete key)", onclick: () => editor.deleteSpan(span.id),
      }, "Delete"),
    ),
    h(
      "label",
      { class: "ve-field" },
      h("span", { class: "ve-field-name" }, "Category"),
      h("select", {
        "data-testid": "span-category", disabled: !editor.canWrite,
        onchange: (event) => editor.updateSpan(span.id, { category_id: Number(event.target.value) }),
      }, options),
    ),
    attributeForm(category ? category.attributes || [] : [], span.attributes || {}, (name, value) => {
      const attributes = { ...(editor.spans.get(span.id)?.attributes || {}) };
      if (value === undefined) delete attributes[name];
      else attributes[name] = value;
      editor.updateSpan(span.id, { attributes });
    }, {
      testidPrefix: "span-attribute",
      readOnly: !editor.canWrite,
      // after a refused labeled save, the required attributes still unfilled are marked
      missing: editor.problems.length && category ? missingMandatory(category.attributes, span.attributes || {}) : [],
    }),
  );
}

/** The spans per category and the list of spans. @param {TextEditor} editor */
function renderEntities(editor) {
  const el = editor.el;
  const list = editor.spanList();
  const counts = new Map();
  for (const span of list) counts.set(span.category_id, (counts.get(span.category_id) || 0) + 1);
  el.spanCount.textContent = String(list.length);
  replaceChildren(
    el.counts,
    h(
      "ul",
      { class: "te-counts", "data-testid": "entity-counts" },
      editor.categories.map((category) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button", class: "te-count-button", "data-testid": `entity-count-${category.id}`,
              title: `Select the next ${category.name} span`, onclick: () => editor.stepSpan(1, category.id),
            },
            h("span", { class: "ve-swatch", style: `background: ${cssColor(category.color)}` }),
            h("span", { class: "ve-category-name" }, category.name),
            h("strong", { class: "te-count" }, String(counts.get(category.id) || 0)),
          ),
        ),
      ),
    ),
  );
  editor.entityRows = list;
  if (!list.length) {
    replaceChildren(el.entities, h("p", { class: "muted ve-empty" }, "No spans yet."));
    editor.entityViewport = null;
    return;
  }
  if (!editor.entityViewport) {
    // A virtual list: only the rows in sight exist, so 1,000 spans cost what 30 do.
    editor.entitySpacer = h("div", { class: "te-entity-spacer" });
    editor.entityViewport = h(
      "div",
      { class: "te-entity-viewport", onscroll: () => renderEntityRows(editor) },
      editor.entitySpacer,
    );
    replaceChildren(el.entities, editor.entityViewport);
  }
  editor.entitySpacer.style.height = `${list.length * ROW_PX}px`;
  editor.entityViewport.style.height = `${Math.min(list.length * ROW_PX, entityViewportPx())}px`;
  renderEntityRows(editor);
}

/** @returns {number} the entity list's height, px */
function entityViewportPx() {
  return Math.max(8 * ROW_PX, Math.round(window.innerHeight * 0.4));
}

/** Scroll the entity list so that the span's row is in sight. @param {TextEditor} editor @param {number} id */
export function revealEntityRow(editor, id) {
  if (!editor.entityViewport || !editor.entityRows) return;
  const index = editor.entityRows.findIndex((span) => span.id === id);
  if (index < 0) return;
  const viewport = editor.entityViewport;
  const height = entityViewportPx();
  const top = index * ROW_PX;
  if (top < viewport.scrollTop || top + ROW_PX > viewport.scrollTop + height) viewport.scrollTop = top - height / 2;
}

/** The entity list's rows in sight (a virtual list). @param {TextEditor} editor */
export function renderEntityRows(editor) {
  const list = editor.entityRows || [];
  const viewport = editor.entityViewport;
  if (!viewport) return;
  const first = Math.max(0, Math.floor(viewport.scrollTop / ROW_PX) - 5);
  const last = Math.min(list.length, first + Math.ceil(entityViewportPx() / ROW_PX) + 10);
  const problemIds = new Set(editor.problems.map((problem) => problem.spanId));
  const rows = list.slice(first, last).map((span) => {
    const category = editor.categoriesById.get(span.category_id);
    const classes = ["ve-object-item"];
    if (span.id === editor.selectedId) classes.push("is-selected");
    if (problemIds.has(span.id)) classes.push("has-problem");
    return h(
      "li",
      {},
      h(
        "button",
        { type: "button", class: classes.join(" "), "data-span-id": String(span.id), onclick: () => editor.select(span.id, { scroll: true }) },
        h("span", { class: "ve-swatch", style: `background: ${cssColor(category ? category.color : [120, 120, 120])}` }),
        h("span", { class: "ve-object-name" }, editor.text.slice(span.start, span.end)),
        h("span", { class: "muted" }, category ? category.name : String(span.category_id)),
      ),
    );
  });
  replaceChildren(
    editor.entitySpacer,
    h("ul", { class: "ve-object-list te-entity-list", "data-testid": "entity-list", style: `top: ${first * ROW_PX}px` }, rows),
  );
}

/** The reasons the label was not saved; one naming a span selects it on click. @param {TextEditor} editor */
function errorPanel(editor) {
  return h(
    "div",
    { class: "ve-errors", role: "alert", "data-testid": "save-errors" },
    h("strong", {}, "The label was not saved"),
    h(
      "ul",
      {},
      editor.problems.map((problem) =>
        h(
          "li",
          {},
          h(
            problem.spanId !== null ? "button" : "div",
            {
              type: problem.spanId !== null ? "button" : null,
              class: "ve-error-item",
              onclick: problem.spanId !== null ? () => editor.select(problem.spanId, { scroll: true }) : null,
            },
            h("span", {}, problem.message),
          ),
        ),
      ),
    ),
  );
}

/** The selection line and the hint. @param {TextEditor} editor */
export function renderSelectionInfo(editor) {
  const range = editor.snapped();
  const { anchor, focus } = editor.selection;
  const info = editor.el.selection;
  info.dataset.snapped = range ? editor.text.slice(range.start, range.end) : "";
  if (!range) info.textContent = "";
  else if (anchor === focus) info.textContent = `Caret in “${info.dataset.snapped}”`;
  else info.textContent = `Selection: “${info.dataset.snapped}”`;
  editor.el.hint.textContent = editor.canWrite ? "Select text, then press 1–9 or click a category · ? for all keys" : "Read only";
}

/** "3 of 12" next to the search box. @param {TextEditor} editor */
export function renderSearchInfo(editor) {
  const info = editor.el.searchInfo;
  if (!editor.el.search.value) info.textContent = "";
  else if (!editor.matches.length) info.textContent = "no match";
  else info.textContent = `${editor.matchIndex + 1 || "–"} of ${editor.matches.length}${editor.matches.length >= MAX_MATCHES ? "+" : ""}`;
}
