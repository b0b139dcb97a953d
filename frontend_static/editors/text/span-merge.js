// "Keep both" for text labels: spans have no ids, so a span is known by where it is (start-end, code points).
// My unsaved changes (spans added, removed, re-categorised or with new attributes since the version I loaded)
// are re-applied on top of the version someone else saved, for the spans they did not change (editor-core
// merge.js, mergeById). Where named entities may not overlap, a span of mine that overlaps one of theirs is
// left out and reported; theirs is kept.

import { mergeById } from "../../editor-core/merge.js";

/** @typedef {{start: number, end: number, category_id: number, attributes?: any}} SpanAnnotation */

/** @param {{start: number, end: number}} span */
const spanKey = (span) => `characters ${span.start}–${span.end}`;

/** @param {any} label @returns {(SpanAnnotation & {id: string})[]} */
function withKeys(label) {
  return ((label && label.annotations) || []).map((annotation) => ({ ...annotation, id: spanKey(annotation) }));
}

/**
 * Three-way merge of text label attributes ({format_version, annotations: [{start, end, category_id,
 * attributes?}]}). Returns the merged attributes (theirs' other keys, spans sorted by position) and the spans
 * ("characters 12–18") where theirs was kept over mine.
 * @param {any} base the version my edits started from
 * @param {any} mine my unsaved version
 * @param {any} theirs the version stored meanwhile
 * @param {{allowOverlap: boolean}} options false for named entities
 * @returns {{attributes: any, conflicts: string[]}}
 */
export function mergeSpanLabels(base, mine, theirs, { allowOverlap }) {
  const theirSpans = withKeys(theirs);
  const merged = mergeById(withKeys(base), withKeys(mine), theirSpans);
  let spans = merged.items.sort((a, b) => a.start - b.start || a.end - b.end);
  const conflicts = merged.conflicts.map(String);
  if (!allowOverlap) {
    const theirKeys = new Set(theirSpans.map((span) => span.id));
    const kept = spans.filter((span) => theirKeys.has(span.id));
    for (const span of spans) {
      if (theirKeys.has(span.id)) continue;
      if (overlapsAny(kept, span)) conflicts.push(span.id);
      else insertSorted(kept, span);
    }
    spans = kept;
  }
  const annotations = spans.map(({ id: _id, ...annotation }) => annotation);
  return { attributes: { format_version: "0.1", ...(theirs || {}), annotations }, conflicts };
}

/** Whether `span` overlaps one of `sorted` (sorted by start, not overlapping each other). */
function overlapsAny(sorted, span) {
  const index = firstEndingAfter(sorted, span.start);
  return index < sorted.length && sorted[index].start < span.end;
}

/** The index of the first span of `sorted` that ends after `position` (binary search on the ends). */
function firstEndingAfter(sorted, position) {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle].end <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insertSorted(sorted, span) {
  sorted.splice(firstEndingAfter(sorted, span.start), 0, span);
}
