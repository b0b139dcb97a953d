import assert from "node:assert/strict";
import { test } from "node:test";

import { History } from "./history.js";
import { actionForKey, isTypingTarget } from "./keymap.js";

test("undo and redo walk the snapshots; a new change drops the redo stack", () => {
  const history = new History();
  history.record("a");
  history.record("b");
  assert.equal(history.undo("c"), "b");
  assert.equal(history.undo("b"), "a");
  assert.equal(history.undo("a"), null);
  assert.equal(history.redo("a"), "b");
  history.record("b");
  assert.equal(history.canRedo, false);
});

test("history keeps at most `limit` snapshots", () => {
  const history = new History(2);
  ["a", "b", "c"].forEach((snapshot) => history.record(snapshot));
  assert.deepEqual(history.past, ["b", "c"]);
});

test("keys map to editor actions", () => {
  const key = (k, modifiers = {}) => actionForKey({ key: k, ...modifiers });
  assert.equal(key("b"), "tool:bbox");
  assert.equal(key("z", { ctrlKey: true }), "undo");
  assert.equal(key("Z", { ctrlKey: true, shiftKey: true }), "redo");
  assert.equal(key("y", { ctrlKey: true }), "redo");
  assert.equal(key("s", { metaKey: true }), "save");
  assert.equal(key("L", { shiftKey: true }), "mark-labeled");
  assert.equal(key("S", { shiftKey: true }), "mark-skipped");
  assert.equal(key("3"), "category:3");
  assert.equal(key("?", { shiftKey: true }), "help");
  assert.equal(key("Delete"), "delete");
  assert.equal(key("ArrowRight"), "next");
  assert.equal(key("B", { shiftKey: true }), null);
  assert.equal(key("b", { altKey: true }), null);
  assert.equal(isTypingTarget({ tagName: "INPUT", type: "text" }), true);
  assert.equal(isTypingTarget({ tagName: "INPUT", type: "checkbox" }), false);
});
