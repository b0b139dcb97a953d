// Stepping through spans (selection.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { stepSpanIndex } from "./selection.js";

const list = [{ id: 7, start: 0 }, { id: 3, start: 10 }, { id: 9, start: 20 }];

test("from a selected span: its neighbour, wrapping around", () => {
  assert.equal(stepSpanIndex(list, 3, 10, 1), 2);
  assert.equal(stepSpanIndex(list, 9, 20, 1), 0);
  assert.equal(stepSpanIndex(list, 7, 0, -1), 2);
});

test("from the caret: the first span at or after it, or the last one before it", () => {
  assert.equal(stepSpanIndex(list, null, 10, 1), 1);
  assert.equal(stepSpanIndex(list, null, 12, 1), 2);
  assert.equal(stepSpanIndex(list, null, 25, 1), 0);
  assert.equal(stepSpanIndex(list, null, 12, -1), 1);
  assert.equal(stepSpanIndex(list, null, 0, -1), 2);
});

test("a selected span of another category counts as the caret at its start", () => {
  assert.equal(stepSpanIndex(list, 42, 10, 1), 1);
});
