// "Keep both" for text labels (span-merge.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { mergeSpanLabels } from "./span-merge.js";

const label = (...spans) => ({ format_version: "0.1", annotations: spans.map(([start, end, category_id]) => ({ start, end, category_id })) });
const spansOf = (attributes) => attributes.annotations.map(({ start, end, category_id: category }) => [start, end, category]);

test("my new and removed spans are re-applied on theirs", () => {
  const base = label([0, 5, 1], [10, 15, 2]);
  const mine = label([0, 5, 1], [20, 25, 3]); // removed 10-15, added 20-25
  const theirs = label([0, 5, 1], [10, 15, 2], [30, 35, 1]); // added 30-35

  const { attributes, conflicts } = mergeSpanLabels(base, mine, theirs, { allowOverlap: false });

  assert.deepEqual(spansOf(attributes), [[0, 5, 1], [20, 25, 3], [30, 35, 1]]);
  assert.deepEqual(conflicts, []);
});

test("a span both changed stays theirs and is reported", () => {
  const base = label([0, 5, 1]);
  const mine = label([0, 5, 2]);
  const theirs = label([0, 5, 3]);

  const { attributes, conflicts } = mergeSpanLabels(base, mine, theirs, { allowOverlap: false });

  assert.deepEqual(spansOf(attributes), [[0, 5, 3]]);
  assert.deepEqual(conflicts, ["characters 0–5"]);
});

test("named entities: my span overlapping one of theirs is left out; span categories keep both", () => {
  const base = label();
  const mine = label([4, 12, 1], [20, 22, 1]);
  const theirs = label([0, 6, 2]);

  const entities = mergeSpanLabels(base, mine, theirs, { allowOverlap: false });
  const categories = mergeSpanLabels(base, mine, theirs, { allowOverlap: true });

  assert.deepEqual(spansOf(entities.attributes), [[0, 6, 2], [20, 22, 1]]);
  assert.deepEqual(entities.conflicts, ["characters 4–12"]);
  assert.deepEqual(spansOf(categories.attributes), [[0, 6, 2], [4, 12, 1], [20, 22, 1]]);
});

test("their other keys are kept and an empty stored label works", () => {
  const { attributes } = mergeSpanLabels(null, label([1, 2, 1]), null, { allowOverlap: false });
  assert.deepEqual(attributes, { format_version: "0.1", annotations: [{ start: 1, end: 2, category_id: 1 }] });
});
