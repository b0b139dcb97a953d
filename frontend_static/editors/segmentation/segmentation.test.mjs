// Unit tests of the pure parts of the segmentation editor: `npm test` (node --test).

import assert from "node:assert/strict";
import { test } from "node:test";

import { History } from "../../editor-core/history.js";
import { decodeIdPng, encodeIdPng } from "./id-png.js";
import { initialStatus, instancesFromLabel, labelAttributes, nextInstanceId, saveProblems } from "./label.js";
import * as masks from "./mask.js";

function maskOf(rows) {
  const mask = masks.createMask(rows[0].length, rows.length);
  rows.forEach((row, y) => row.forEach((id, x) => { mask.ids[y * mask.width + x] = id; }));
  return mask;
}

function rowsOf(mask) {
  return Array.from({ length: mask.height }, (_, y) => Array.from(mask.ids.subarray(y * mask.width, (y + 1) * mask.width)));
}

test("a brush of size 2 is a plus-shaped disc and the change records only real changes", () => {
  const mask = masks.createMask(5, 5);
  const change = new masks.MaskChange();
  masks.paintSegment(mask, change, [2, 2], [2, 2], masks.brushOffsets(2), 7, masks.writeRule());
  assert.deepEqual(rowsOf(mask), [
    [0, 0, 0, 0, 0], [0, 0, 7, 0, 0], [0, 7, 7, 7, 0], [0, 0, 7, 0, 0], [0, 0, 0, 0, 0],
  ]);
  assert.equal(change.length, 5);
  assert.deepEqual(change.box, { x0: 1, y0: 1, x1: 3, y1: 3 });
  masks.paintSegment(mask, change, [2, 2], [2, 2], masks.brushOffsets(3), 7, masks.writeRule());
  assert.equal(change.length, 9); // size 3 adds the four corners of its 3x3 block
});

test("undo and redo of a change restore the exact ids", () => {
  const mask = maskOf([[1, 1, 0], [0, 2, 2]]);
  const before = Array.from(mask.ids);
  const change = new masks.MaskChange();
  masks.fillMaskRegion(mask, change, 2, 0, 5, masks.writeRule());
  const after = Array.from(mask.ids);
  change.undo(mask);
  assert.deepEqual(Array.from(mask.ids), before);
  change.redo(mask);
  assert.deepEqual(Array.from(mask.ids), after);
});

test("only-unlabeled painting leaves other instances alone", () => {
  const mask = maskOf([[0, 3, 0]]);
  masks.paintSegment(mask, new masks.MaskChange(), [0, 0], [2, 0], masks.brushOffsets(1), 4, masks.writeRule({ onlyUnlabeled: true }));
  assert.deepEqual(rowsOf(mask), [[4, 3, 4]]);
});

test("a polygon fills pixel centres inside it and its outline", () => {
  const mask = masks.createMask(6, 6);
  masks.fillPolygon(mask, new masks.MaskChange(), [[1, 1], [4, 1], [4, 4], [1, 4]], 9, masks.writeRule());
  const expected = Array.from({ length: 6 }, (_, y) => Array.from({ length: 6 }, (_, x) => (x >= 1 && x <= 4 && y >= 1 && y <= 4 ? 9 : 0)));
  assert.deepEqual(rowsOf(mask), expected);
});

test("bucket fill by mask region stays inside the 4-connected region", () => {
  const mask = maskOf([[0, 1, 0], [0, 1, 0], [0, 1, 0]]);
  masks.fillMaskRegion(mask, new masks.MaskChange(), 0, 0, 2, masks.writeRule());
  assert.deepEqual(rowsOf(mask), [[2, 1, 0], [2, 1, 0], [2, 1, 0]]);
});

test("bucket fill by photo colour follows similar pixels", () => {
  const mask = masks.createMask(3, 1);
  const rgba = Uint8ClampedArray.from([10, 10, 10, 255, 14, 12, 9, 255, 200, 10, 10, 255]);
  masks.fillPhotoRegion(mask, new masks.MaskChange(), rgba, 0, 0, 6, masks.writeRule(), 5);
  assert.deepEqual(rowsOf(mask), [[6, 6, 0]]);
});

test("the id PNG round-trips every 24-bit id and refuses RGB and alpha below 255", () => {
  const mask = maskOf([[0, 1, 255], [256, 65_535, 65_536], [16_777_215, 123_456, 7]]);
  assert.deepEqual(Array.from(decodeIdPng(encodeIdPng(mask)).ids), Array.from(mask.ids));
  assert.throws(() => decodeIdPng(new Uint8Array([1, 2, 3])), { rule: "rgba_png" });
});

test("labels list exactly the instances present in the mask; unknown ids block saving", () => {
  const counts = new Map([[1, 10], [4, 2]]);
  const parsed = instancesFromLabel({ annotations: [{ id: 1, category_id: 2 }, { id: 3, category_id: 1 }], custom: true }, counts);
  assert.deepEqual(parsed.orphanIds, [4]);
  assert.equal(nextInstanceId(parsed.instances, counts), 5);
  const categories = new Map([[1, {}], [2, {}]]);
  assert.deepEqual(saveProblems(parsed.instances, counts, categories), [
    "Instance 4 has pixels but no category: pick a category for it or delete it.",
  ]);
  parsed.instances[2].category_id = 1;
  const attributes = labelAttributes({ ...parsed, counts, bitmapUrl: "http://x/label.png" });
  assert.deepEqual(attributes, {
    custom: true,
    format_version: "0.1",
    annotations: [{ id: 1, category_id: 2 }, { id: 4, category_id: 1 }],
    segmentation_bitmap: { url: "http://x/label.png" },
  });
});

test("history moves entries between undo and redo stacks and a new edit drops redo", () => {
  const history = new History(2);
  history.record({ n: 1 });
  history.record({ n: 2 });
  history.record({ n: 3 });
  assert.deepEqual(history.undo(), { n: 3 });
  assert.deepEqual(history.undo(), { n: 2 });
  assert.equal(history.undo(), null);
  assert.deepEqual(history.redo(), { n: 2 });
  history.record({ n: 4 });
  assert.equal(history.canRedo, false);
});

test("pixel counts follow a change and its undo without a recount", () => {
  const mask = maskOf([[1, 1, 0, 2]]);
  const counts = masks.idCounts(mask);
  const change = new masks.MaskChange();
  masks.paintSegment(mask, change, [0, 0], [2, 0], masks.brushOffsets(1), 2, masks.writeRule());
  assert.deepEqual([...masks.updateCounts(counts, change)], [...masks.idCounts(mask)]);
  change.undo(mask);
  assert.deepEqual([...masks.updateCounts(counts, change, "undo")].sort(), [[1, 2], [2, 1]]);
});

test("the worker's PNG container round-trips ids and agrees with fast-png both ways", async () => {
  const { unzlibSync, zlibSync } = await import("fflate");
  const { decodeRgbaPng, encodeRgbaPng, idsToRgba, rgbaToIds } = await import("./id-codec.js");
  const mask = maskOf([[0, 1, 256, 65536], [16777215, 7, 7, 0]]);
  const png = encodeRgbaPng(mask.width, mask.height, idsToRgba(mask), (data) => zlibSync(data, { level: 1 }));
  assert.deepEqual([...decodeIdPng(png).ids], [...mask.ids]); // fast-png reads ours
  const decoded = decodeRgbaPng(encodeIdPng(mask), (data) => unzlibSync(data)); // we read fast-png's (filtered)
  assert.deepEqual([...rgbaToIds(decoded.rgba, decoded.width, decoded.height).ids], [...mask.ids]);
});

test("pixel count changes from the mask worker drop ids left without pixels", () => {
  const counts = new Map([[1, 10], [2, 3]]);
  masks.applyDelta(counts, new Map([[1, -4], [2, -3], [5, 7]]));
  assert.deepEqual([...counts], [[1, 6], [5, 7]]);
});

test("a save starts from the stored status, or labeled for none, unlabeled or pre-labeled", () => {
  assert.equal(initialStatus(null), "LABELED");
  assert.equal(initialStatus({ label_status: "PRELABELED" }), "LABELED");
  assert.equal(initialStatus({ label_status: "UNLABELED" }), "LABELED");
  assert.equal(initialStatus({ label_status: "REVIEWED" }), "REVIEWED");
});
