import assert from "node:assert/strict";
import { test } from "node:test";

import {
  canDeleteVertex, createAnnotation, deleteVertex, edgeInsertion, hitHandle, hitTest, insertVertex, moveVertex,
  resizeBox, translate,
} from "./shapes.js";

const box = createAnnotation({ id: 1, categoryId: 1, type: "bbox", points: [[50, 40], [10, 20]] });
const triangle = createAnnotation({ id: 2, categoryId: 1, type: "polygon", points: [[0, 0], [10, 0], [0, 10]] });

test("a new bbox is stored upper-left then lower-right", () => {
  assert.deepEqual(box.points, [[10, 20], [50, 40]]);
  assert.equal("attributes" in box, false);
});

test("translate keeps the whole shape inside the image", () => {
  assert.deepEqual(translate(box, 5, 5, 100, 100).points, [[15, 25], [55, 45]]);
  assert.deepEqual(translate(box, 80, -50, 100, 100).points, [[60, 0], [100, 20]]);
  assert.deepEqual(box.points, [[10, 20], [50, 40]]); // not mutated
});

test("resizeBox moves one corner and flips when dragged past the opposite side", () => {
  const grown = resizeBox(box, 2, [70, 60], 100, 100);
  assert.deepEqual(grown.annotation.points, [[10, 20], [70, 60]]);
  assert.equal(grown.corner, 2);
  const flipped = resizeBox(box, 2, [0, 10], 100, 100); // lower-right dragged above-left of upper-left
  assert.deepEqual(flipped.annotation.points, [[0, 10], [10, 20]]);
  assert.equal(flipped.corner, 0);
});

test("vertices are inserted, moved and deleted, never below the minimum", () => {
  const square = insertVertex(triangle, 1, [10, 10]);
  assert.deepEqual(square.points, [[0, 0], [10, 0], [10, 10], [0, 10]]);
  assert.deepEqual(moveVertex(square, 2, [200, 5], 100, 100).points[2], [100, 5]);
  assert.equal(canDeleteVertex(square), true);
  assert.deepEqual(deleteVertex(square, 2).points, triangle.points);
  assert.equal(canDeleteVertex(triangle), false);
  assert.equal(deleteVertex(triangle, 0), triangle);
});

test("hit testing: inside fills, near outlines, handles", () => {
  assert.equal(hitTest(box, [30, 30], 2), true);
  assert.equal(hitTest(box, [30, 41.5], 2), true);
  assert.equal(hitTest(box, [30, 45], 2), false);
  assert.equal(hitTest(triangle, [2, 2], 1), true);
  const line = createAnnotation({ id: 3, categoryId: 1, type: "polyline", points: [[0, 0], [10, 0], [0, 10]] });
  assert.equal(hitTest(line, [2, 2], 1), false); // polylines have no inside
  assert.equal(hitHandle(box, [49, 21], 3), 1); // upper-right corner
  assert.deepEqual(edgeInsertion(triangle, [5, 0.5], 2), { index: 0, point: [5, 0] });
  assert.equal(edgeInsertion(box, [30, 20], 2), null);
});
