// Run: node --test frontend_static/editors/vector/
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  closestPointOnSegment, distanceToSegment, fitView, imageToScreen, nearestEdge, nearestVertex, normalizeBox,
  pointInBox, pointInPolygon, roundCoordinate, screenToImage, zoomAround,
} from "./geometry.js";

test("normalizeBox orders corners upper-left then lower-right", () => {
  assert.deepEqual(normalizeBox([10, 40], [5, 20]), [[5, 20], [10, 40]]);
  assert.deepEqual(normalizeBox([1, 2], [3, 4]), [[1, 2], [3, 4]]);
});

test("distanceToSegment measures to the segment, not the infinite line", () => {
  assert.equal(distanceToSegment([5, 3], [0, 0], [10, 0]), 3);
  assert.equal(distanceToSegment([13, 4], [0, 0], [10, 0]), 5);
  assert.equal(distanceToSegment([2, 2], [1, 1], [1, 1]), Math.SQRT2);
  assert.deepEqual(closestPointOnSegment([5, 3], [0, 0], [10, 0]), { point: [5, 0], t: 0.5 });
});

test("pointInPolygon handles concave polygons", () => {
  const u = [[0, 0], [10, 0], [10, 10], [7, 10], [7, 3], [3, 3], [3, 10], [0, 10]];
  assert.equal(pointInPolygon([1, 5], u), true);
  assert.equal(pointInPolygon([5, 5], u), false); // the notch of the U
  assert.equal(pointInPolygon([5, 1], u), true);
  assert.equal(pointInPolygon([11, 1], u), false);
});

test("pointInBox accepts boxes given in any corner order", () => {
  assert.equal(pointInBox([5, 5], [[10, 10], [0, 0]]), true);
  assert.equal(pointInBox([11, 5], [[0, 0], [10, 10]]), false);
});

test("nearestVertex and nearestEdge respect the tolerance", () => {
  const square = [[0, 0], [10, 0], [10, 10], [0, 10]];
  assert.equal(nearestVertex(square, [9, 1], 2), 1);
  assert.equal(nearestVertex(square, [5, 5], 2), -1);
  assert.deepEqual(nearestEdge(square, [5, 1], 2, true), { index: 0, point: [5, 0] });
  assert.deepEqual(nearestEdge(square, [1, 5], 2, true), { index: 3, point: [0, 5] }); // closing edge
  assert.equal(nearestEdge(square, [1, 5], 2, false), null); // open polyline has no closing edge
});

test("screen and image coordinates round-trip through a view", () => {
  const view = { scale: 2.5, x: 30, y: -12 };
  const image = [123.4, 56.7];
  const screen = imageToScreen(image, view);
  assert.deepEqual(screen, [123.4 * 2.5 + 30, 56.7 * 2.5 - 12]);
  const back = screenToImage(screen, view);
  assert.ok(Math.abs(back[0] - image[0]) < 1e-9 && Math.abs(back[1] - image[1]) < 1e-9);
});

test("zoomAround keeps the image pixel under the anchor in place", () => {
  const view = { scale: 1, x: 10, y: 20 };
  const anchor = [200, 150];
  const before = screenToImage(anchor, view);
  const zoomed = zoomAround(view, 3, anchor);
  assert.equal(zoomed.scale, 3);
  const after = screenToImage(anchor, zoomed);
  assert.ok(Math.abs(after[0] - before[0]) < 1e-9 && Math.abs(after[1] - before[1]) < 1e-9);
  assert.equal(zoomAround(view, 1e6, anchor).scale, 40); // clamped
});

test("fitView centres the whole image", () => {
  const view = fitView(400, 200, 1000, 600, 0);
  assert.equal(view.scale, 2.5);
  assert.deepEqual([view.x, view.y], [0, 50]);
});

test("roundCoordinate keeps two decimals", () => {
  assert.equal(roundCoordinate(12.3456), 12.35);
  assert.equal(roundCoordinate(-0.004), -0);
});
