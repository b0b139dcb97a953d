// "Compare with" in the segmentation view: the reference mask's outlines, and an instance copied into the mask.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as masks from "./mask.js";
import { copyInstancePixels, outlinePixels } from "./reference.js";

function maskOf(rows) {
  const mask = masks.createMask(rows[0].length, rows.length);
  rows.forEach((row, y) => [...row].forEach((id, x) => { mask.ids[y * mask.width + x] = Number(id); }));
  return mask;
}

test("the reference is outlined in its colour and tinted inside; unlabeled pixels stay clear", () => {
  const reference = maskOf(["00000", "01110", "01110", "01110", "00000"]);
  const pixels = outlinePixels(reference, () => [255, 0, 0]);
  const alpha = (x, y) => pixels[(y * 5 + x) * 4 + 3];
  assert.equal(alpha(0, 0), 0);
  assert.equal(alpha(1, 1), 255); // the outline
  assert.equal(pixels[(1 * 5 + 1) * 4], 255);
  assert.equal(alpha(2, 2), Math.round(0.15 * 255)); // inside: a tint
});

test("copying an instance writes the new id where the reference has it, keeping others when only unlabeled", () => {
  const reference = maskOf(["0220", "0220", "0000"]);
  const mask = maskOf(["0000", "0330", "0000"]);
  const change = new masks.MaskChange();
  const found = copyInstancePixels(mask, change, reference, 2, 7, masks.writeRule({ onlyUnlabeled: true }));
  assert.equal(found, 4);
  assert.deepEqual([...mask.ids], [0, 7, 7, 0, 0, 3, 3, 0, 0, 0, 0, 0]);
  change.undo(mask);
  assert.deepEqual([...mask.ids], [0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0]);
  assert.deepEqual([...reference.ids], [0, 2, 2, 0, 0, 2, 2, 0, 0, 0, 0, 0]); // the reference is not changed
});
