// Search in the text (search.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { findMatches, stepMatch } from "./search.js";

test("matches are case-insensitive, in text order, never overlapping", () => {
  assert.deepEqual(findMatches("Paris, paris, PARIS", "paris"), [[0, 5], [7, 12], [14, 19]]);
  assert.deepEqual(findMatches("aaaa", "aa"), [[0, 2], [2, 4]]);
  assert.deepEqual(findMatches("Paris", "london"), []);
  assert.deepEqual(findMatches("Paris", ""), []);
});

test("matches stop at the maximum", () => {
  assert.equal(findMatches("a".repeat(50), "a", 20).length, 20);
});

test("the next and previous match wrap around; backwards from none is the last", () => {
  assert.equal(stepMatch(-1, 1, 3), 0);
  assert.equal(stepMatch(-1, -1, 3), 2);
  assert.equal(stepMatch(2, 1, 3), 0);
  assert.equal(stepMatch(0, -1, 3), 2);
});
