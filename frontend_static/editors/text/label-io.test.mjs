// Text labels in and out of the editor (label-io.js): code points at the boundary, UTF-16 inside, and the
// problems a save would be refused for, in the server's words.
import assert from "node:assert/strict";
import { test } from "node:test";

import { inTextOrder, labelOfSpans, labelProblems, saveErrorProblems, spansFromLabel } from "./label-io.js";
import { OffsetMap } from "./offsets.js";

const text = "😀 Ada met Bob";
const offsets = new OffsetMap(text);

test("annotations (code points) become spans (UTF-16) numbered on, and go back unchanged", () => {
  const attributes = {
    format_version: "0.1",
    annotations: [
      { start: 2, end: 5, category_id: 1, attributes: { gender: "f" } },
      { start: 10, end: 13, category_id: 2 },
    ],
  };
  const spans = spansFromLabel(attributes, offsets, 7);
  assert.deepEqual(spans, [
    { id: 7, start: 3, end: 6, category_id: 1, attributes: { gender: "f" } },
    { id: 8, start: 11, end: 14, category_id: 2 },
  ]);
  assert.equal(text.slice(spans[0].start, spans[0].end), "Ada");
  assert.deepEqual(labelOfSpans(spans, offsets), attributes);
  assert.deepEqual(spansFromLabel(null, offsets, 1), []);
});

test("empty attributes are left out of the label; spans go in text order", () => {
  const spans = [
    { id: 2, start: 11, end: 14, category_id: 2, attributes: {} },
    { id: 1, start: 3, end: 6, category_id: 1 },
  ];
  assert.deepEqual(inTextOrder(spans).map((span) => span.id), [1, 2]);
  assert.deepEqual(labelOfSpans(spans, offsets).annotations[0], { start: 10, end: 13, category_id: 2 });
});

test("a labeled status needs every mandatory attribute; overlaps only matter for named entities", () => {
  const categoriesById = new Map([[1, { id: 1, name: "person", attributes: [{ name: "gender", input_type: "text", is_mandatory: true }] }]]);
  const annotations = [{ start: 0, end: 5, category_id: 1 }, { start: 2, end: 4, category_id: 1, attributes: { gender: "f" } }];
  assert.deepEqual(labelProblems(annotations, "PRELABELED", categoriesById, true), []);
  assert.deepEqual(labelProblems(annotations, "LABELED", categoriesById, true), [
    { index: 0, message: 'annotations[0] (person): the attribute "gender" is required to mark the label labeled' },
  ]);
  assert.deepEqual(labelProblems(annotations, "PRELABELED", categoriesById, false).map((problem) => problem.index), [1]);
});

test("a refused save's reasons point at the span of the annotation they name", () => {
  const error = { message: "invalid", errors: [{ path: "annotations[1].end", message: "too far" }, { path: "format_version", message: "bad" }] };
  assert.deepEqual(saveErrorProblems(error, [4, 9]), [
    { text: "annotations[1].end", message: "too far", spanId: 9 },
    { text: "format_version", message: "bad", spanId: null },
  ]);
  assert.deepEqual(saveErrorProblems({ message: "conflict", errors: [] }, []), [{ text: "", message: "conflict", spanId: null }]);
});
