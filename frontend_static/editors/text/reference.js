// The text editor's side of "Compare with" (editor-core/reference.js): another label set's spans of the sample
// (a model's predictions), read-only, drawn as dashed underlines beside the edited spans. Clicking one picks it;
// copying puts the picked span (its range, category and attributes) into the edited label as a new span, one
// undo step (refused for a named entity that would overlap an edited one).

const PREFIX = "reference-";

/** Give the TextEditor the reference part of the EditorView contract. */
export function attachReference(editor) {
  const state = { spans: [], labelset: null, pickedId: null };
  const view = editor.view;
  const onSpanClick = view.onSpanClick;
  view.onSpanClick = (span, event) => {
    if (span && span.reference) {
      state.pickedId = span.id;
      editor.select(null);
      view.select(span.id);
      return;
    }
    state.pickedId = null;
    onSpanClick(span, event);
  };
  editor.showReference = (attributes, labelset) => showReference(editor, state, attributes, labelset);
  editor.referenceObjects = () => state.spans.map((span) => ({ id: numberOf(span.id), name: nameOf(editor, span) }));
  editor.copyFromReference = (ids) => copyFromReference(editor, state, ids);
}

function showReference(editor, state, attributes, labelset) {
  const view = editor.view;
  for (const span of state.spans) {
    view.spans.delete(span.id);
    view.levels.delete(span.id);
  }
  const annotations = attributes && Array.isArray(attributes.annotations) ? attributes.annotations : [];
  state.spans = annotations.map((annotation, index) => {
    const { start, end } = editor.offsets.spanToUtf16(annotation);
    const span = { id: `${PREFIX}${index + 1}`, start, end, category_id: annotation.category_id, reference: labelset };
    if (annotation.attributes && typeof annotation.attributes === "object") span.attributes = annotation.attributes;
    return span;
  });
  for (const span of state.spans) view.spans.set(span.id, span);
  Object.assign(state, { labelset, pickedId: null });
  view.render();
  editor.el.text.dataset.referenceSpans = String(state.spans.length);
}

function copyFromReference(editor, state, ids) {
  if (!editor.canWrite) return 0;
  const wanted = ids ? ids.map((id) => `${PREFIX}${id}`) : [state.pickedId].filter(Boolean);
  const sources = state.spans.filter((span) => wanted.includes(span.id));
  const copies = [];
  for (const source of sources) {
    if (!editor.allowOverlap && [...editor.overlapping(source.start, source.end), ...copies].some((span) => span.start < source.end && source.start < span.end)) {
      editor.flash("Not copied: it would overlap a span of this label (named entities do not overlap).");
      continue;
    }
    const copy = { id: editor.nextId++, start: source.start, end: source.end, category_id: source.category_id };
    if (source.attributes) copy.attributes = structuredClone(source.attributes);
    copies.push(copy);
  }
  if (!copies.length) return 0;
  editor.change(() => {
    for (const span of copies) {
      editor.spans.set(span.id, span);
      editor.view.addSpan(span);
    }
  });
  state.pickedId = null;
  editor.select(copies[copies.length - 1].id);
  return copies.length;
}

function numberOf(id) {
  return Number(String(id).slice(PREFIX.length));
}

function nameOf(editor, span) {
  const category = editor.categoriesById.get(span.category_id);
  return `#${numberOf(span.id)} ${category ? category.name : span.category_id} "${editor.text.slice(span.start, span.end)}"`;
}
