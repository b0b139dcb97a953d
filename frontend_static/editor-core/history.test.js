import assert from "node:assert/strict";
import { test } from "node:test";

import { History } from "./history.js";
import { VECTOR_BINDINGS } from "../editors/vector/keys.js";
import { actionForKey, helpGroups, isTypingTarget, SHELL_BINDINGS } from "./keymap.js";

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

test("one keymap table maps keys to actions and generates the help", () => {
  const bindings = [...VECTOR_BINDINGS, ...SHELL_BINDINGS];
  const key = (k, modifiers = {}) => actionForKey({ key: k, ...modifiers }, bindings);
  assert.equal(key("b"), "tool:bbox");
  assert.equal(key("z", { ctrlKey: true }), "undo");
  assert.equal(key("Z", { ctrlKey: true, shiftKey: true }), "redo");
  assert.equal(key("y", { ctrlKey: true }), "redo");
  assert.equal(key("s", { metaKey: true }), "save");
  assert.equal(key("L", { shiftKey: true }), "mark-labeled");
  assert.equal(key("S", { shiftKey: true }), "mark-skipped");
  assert.equal(key("Enter", { shiftKey: true }), "submit");
  assert.equal(key("3"), "category:3");
  assert.equal(key("?", { shiftKey: true }), "help");
  assert.equal(key("Delete"), "delete");
  assert.equal(key("ArrowRight", { altKey: true }), "next");
  assert.equal(key("ArrowRight"), null);
  assert.equal(key("B", { shiftKey: true }), null);
  assert.equal(key("b", { altKey: true }), null);
  assert.equal(isTypingTarget({ tagName: "INPUT", type: "text" }), true);
  assert.equal(isTypingTarget({ tagName: "INPUT", type: "checkbox" }), false);
  const groups = helpGroups(bindings);
  const sample = groups.find((group) => group.title === "Sample");
  assert.deepEqual(sample.items[0], [["Ctrl", "S"], "Save (keeps the status: in progress until labeled)"]);
  assert.deepEqual(groups.find((group) => group.title === "Edit").items[1][0], ["Ctrl", "Shift", "Z", "/", "Ctrl", "Y"]);
});
