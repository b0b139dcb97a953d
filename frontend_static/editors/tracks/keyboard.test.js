// Run: node --test frontend_static/editors/tracks/
import assert from "node:assert/strict";
import { test } from "node:test";

import { sequenceActionForKey } from "./keyboard.js";

const key = (name, modifiers = {}) => ({ key: name, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...modifiers });

test("arrows move between frames, with Shift between keyframes, with Alt between samples", () => {
  assert.equal(sequenceActionForKey(key("ArrowLeft")), "frame-previous");
  assert.equal(sequenceActionForKey(key("ArrowRight")), "frame-next");
  assert.equal(sequenceActionForKey(key("ArrowLeft", { shiftKey: true })), "keyframe-previous");
  assert.equal(sequenceActionForKey(key("ArrowRight", { shiftKey: true })), "keyframe-next");
  assert.equal(sequenceActionForKey(key("ArrowRight", { altKey: true })), "next");
  assert.equal(sequenceActionForKey(key("Home")), "frame-first");
  assert.equal(sequenceActionForKey(key("End")), "frame-last");
});

test("K, E and Delete act on keyframes; Shift+Delete on the whole track", () => {
  assert.equal(sequenceActionForKey(key("k")), "toggle-keyframe");
  assert.equal(sequenceActionForKey(key("e")), "end-track");
  assert.equal(sequenceActionForKey(key("Delete")), "delete");
  assert.equal(sequenceActionForKey(key("Delete", { shiftKey: true })), "delete-track");
  assert.equal(sequenceActionForKey(key("n")), "tool:point");
  assert.equal(sequenceActionForKey(key("m")), "merge-tracks");
});

test("the image editor's and the shell's shortcuts still work", () => {
  assert.equal(sequenceActionForKey(key("b")), "tool:bbox");
  assert.equal(sequenceActionForKey(key("z", { ctrlKey: true })), "undo");
  assert.equal(sequenceActionForKey(key("L", { shiftKey: true })), "mark-labeled");
  assert.equal(sequenceActionForKey(key("2")), "category:2");
  assert.equal(sequenceActionForKey(key("d")), null);
});
