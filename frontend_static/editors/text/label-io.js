// Text labels in and out of the editor (pure; no DOM): the stored label's annotations (code points) read into
// spans (UTF-16, the browser's indices) and written back, and the problems a label would be refused for (the
// server's own words: labeling/core/text_labels.py), located at the span they name.

import { missingMandatory } from "../vector/label-document.js";

/** @typedef {{id: number, start: number, end: number, category_id: number, attributes?: Record<string, any>}} Span UTF-16 */
/** @typedef {{text: string, message: string, spanId: number|null}} Problem a reason a save is refused, shown in the errors panel */

const COMPLETE_STATUSES = new Set(["LABELED", "REVIEWED", "VERIFIED"]); // they need every mandatory attribute

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

/**
 * Spans of the label attributes' annotations, numbered from `nextId` on.
 * @param {any} attributes label attributes (code points), or null: no spans
 * @param {import("./offsets.js").OffsetMap} offsets the sample text's
 * @param {number} nextId the first span's id
 * @returns {Span[]}
 */
export function spansFromLabel(attributes, offsets, nextId) {
  const annotations = attributes && Array.isArray(attributes.annotations) ? attributes.annotations : [];
  return annotations.map((annotation, index) => {
    const { start, end } = offsets.spanToUtf16(annotation);
    /** @type {Span} */
    const span = { id: nextId + index, start, end, category_id: annotation.category_id };
    if (annotation.attributes && typeof annotation.attributes === "object") span.attributes = annotation.attributes;
    return span;
  });
}

/**
 * Label attributes for `spans` (UTF-16) in code points, in the spans' order; empty attributes are left out.
 * @param {Span[]} spans
 * @param {import("./offsets.js").OffsetMap} offsets the sample text's
 * @returns {{format_version: string, annotations: any[]}}
 */
export function labelOfSpans(spans, offsets) {
  const annotations = spans.map((span) => {
    const { start, end } = offsets.spanFromUtf16(span.start, span.end);
    const annotation = { start, end, category_id: span.category_id };
    if (span.attributes && Object.keys(span.attributes).length) annotation.attributes = span.attributes;
    return annotation;
  });
  return { format_version: "0.1", annotations };
}

/** Spans in text order (the label's order). @param {Iterable<Span>} spans @returns {Span[]} */
export function inTextOrder(spans) {
  return [...spans].sort((a, b) => a.start - b.start || a.end - b.end || a.id - b.id);
}

/**
 * What the server would refuse in `annotations` saved with `status`: overlapping named entities (unless
 * `allowOverlap`) and, for a complete status (labeled, reviewed, verified), unfilled mandatory attributes.
 * @param {any[]} annotations code points, in the label's order
 * @param {string} status the status the label is saved with
 * @param {Map<number, any>} categoriesById the dataset's categories ({name, attributes})
 * @param {boolean} allowOverlap
 * @returns {Array<{index: number, message: string}>} index = the annotation named
 */
export function labelProblems(annotations, status, categoriesById, allowOverlap) {
  const problems = allowOverlap ? [] : overlapProblems(annotations);
  if (COMPLETE_STATUSES.has(status)) {
    annotations.forEach((annotation, index) => {
      const category = categoriesById.get(annotation.category_id);
      for (const name of missingMandatory(category ? category.attributes : [], annotation.attributes || {})) {
        problems.push({ index, message: `annotations[${index}] (${category.name}): the attribute "${name}" is required to mark the label ${status.toLowerCase()}` });
      }
    });
  }
  return problems;
}

/**
 * The reasons of a refused save, each one naming `annotations[i]` located at that annotation's span.
 * @param {{message: string, errors: Array<{path?: string, message: string}>}} error the save's error (editor-core)
 * @param {number[]} ids span id of each annotation of the label sent
 * @returns {Problem[]} never empty: the error's own message when it lists no reasons
 */
export function saveErrorProblems(error, ids) {
  const problems = error.errors.map((issue) => {
    const match = /annotations\[(\d+)\]/.exec(issue.path || "");
    return { text: issue.path, message: issue.message, spanId: match ? (ids[Number(match[1])] ?? null) : null };
  });
  return problems.length ? problems : [{ text: "", message: error.message, spanId: null }];
}
