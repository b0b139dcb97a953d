// Per-point computation of the point-cloud segmentation editor, on the real frame 000950 where it matters.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import * as points from "./points.js";

const KITTI = new URL("../../../examples/pointcloud_single/000950.bin", import.meta.url);

function realFrame() {
  const rows = new Float32Array(readFileSync(KITTI).buffer.slice(0));
  const count = rows.length / 4;
  const xyz = new Float32Array(3 * count);
  for (let i = 0; i < count; i += 1) xyz.set(rows.subarray(4 * i, 4 * i + 3), 3 * i);
  return { xyz, count };
}

test("a lasso, a box and a brush select by screen position; add and subtract change the flags", () => {
  // identity view-projection: screen x = (x + 1) * w / 2, y = (1 - y) * h / 2 for points with |z| <= 1
  const identity = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const xyz = new Float32Array([0, 0, 0, 0.5, 0.5, 0, -0.5, -0.5, 0, 0, 0, 5]);
  const screen = points.projectToScreen(xyz, 4, identity, 100, 100);
  assert.deepEqual([...screen.subarray(0, 6)], [50, 50, 75, 25, 25, 75]);
  assert.ok(Number.isNaN(screen[6])); // beyond the far plane
  assert.deepEqual([...points.selectInPolygon(screen, 4, [[40, 40], [60, 40], [60, 60], [40, 60]])], [0]);
  assert.deepEqual([...points.selectInBox(screen, 4, [60, 10], [20, 80])], [0, 2]);
  assert.deepEqual([...points.selectInCircle(screen, 4, 74, 26, 2)], [1]);
  const flags = new Uint8Array(4);
  assert.equal(points.applySelection(flags, new Uint32Array([0, 1]), "replace"), 2);
  assert.equal(points.applySelection(flags, new Uint32Array([2]), "add"), 3);
  assert.equal(points.applySelection(flags, new Uint32Array([0]), "subtract"), 2);
  assert.deepEqual([...points.flaggedIndices(flags)], [1, 2]);
  const eligible = new Uint8Array([1, 0, 1, 1]);
  assert.deepEqual([...points.selectInBox(screen, 4, [0, 0], [100, 100], eligible)], [0, 2]);
});

test("the brush selects the points near its segment through the screen grid, the same as a full scan", () => {
  const count = 5000;
  const screen = new Float32Array(2 * count);
  for (let i = 0; i < count; i += 1) {
    screen[2 * i] = (i * 7919) % 640;
    screen[2 * i + 1] = (i * 104729) % 480;
  }
  const grid = points.buildScreenGrid(screen, count, 640, 480, 32);
  assert.equal(grid.points.length, count);
  const hits = points.selectNearSegment(grid, screen, [100, 100], [300, 180], 20);
  const expected = [];
  for (let i = 0; i < count; i += 1) {
    const [px, py] = [screen[2 * i], screen[2 * i + 1]];
    const t = Math.max(0, Math.min(1, ((px - 100) * 200 + (py - 100) * 80) / (200 * 200 + 80 * 80)));
    if (Math.hypot(px - (100 + 200 * t), py - (100 + 80 * t)) <= 20) expected.push(i);
  }
  assert.ok(expected.length > 10);
  assert.deepEqual([...hits], expected);
  assert.deepEqual([...points.selectNearSegment(grid, screen, [50, 50], [50, 50], 30)], [...points.selectInCircle(screen, count, 50, 50, 30)]);
});

test("assignments are compact diffs that undo and redo exactly; only-unlabeled keeps labeled points", () => {
  const ids = new Uint32Array([0, 0, 3, 3, 0]);
  const diff = points.assignIds(ids, new Uint32Array([0, 2, 4]), 5);
  assert.deepEqual([...ids], [5, 0, 5, 3, 5]);
  assert.deepEqual([...diff.indices], [0, 2, 4]);
  assert.deepEqual([...diff.before], [0, 3, 0]);
  points.revertDiff(ids, diff);
  assert.deepEqual([...ids], [0, 0, 3, 3, 0]);
  points.reapplyDiff(ids, diff);
  assert.deepEqual([...ids], [5, 0, 5, 3, 5]);
  const onlyUnlabeled = points.assignIds(ids, new Uint32Array([1, 2, 3]), 7, { onlyUnlabeled: true });
  assert.deepEqual([...ids], [5, 7, 5, 3, 5]);
  assert.deepEqual([...onlyUnlabeled.indices], [1]);
  assert.equal(points.assignIds(ids, new Uint32Array([1]), 7), null);
  assert.deepEqual([...points.idCounts(ids)], [[5, 3], [7, 1], [3, 1]]);
  assert.deepEqual([...points.indicesOfId(ids, 5)], [0, 2, 4]);
});

test("the ground plane of the real frame is nearly level and holds a large share of its points", () => {
  const { xyz, count } = realFrame();
  const plane = points.fitGroundPlane(xyz, count);
  assert.ok(plane && plane.support > 100);
  assert.ok(Math.abs(plane.a) < 0.1 && Math.abs(plane.b) < 0.1, `slope ${plane.a}, ${plane.b}`);
  const near = points.pointsNearPlane(xyz, count, plane, 0.15);
  assert.ok(near.length > 0.15 * count && near.length < 0.8 * count, `${near.length} of ${count}`);
  // every selected point is within tolerance, every other one is not
  for (let i = 0; i < count; i += 997) {
    const residual = Math.abs(xyz[3 * i + 2] - (plane.a * xyz[3 * i] + plane.b * xyz[3 * i + 1] + plane.c));
    const selected = near.includes(i);
    assert.equal(selected, residual <= 0.15);
  }
});

test("propagation keeps exactly the target points within the radius of a source point (brute force check)", () => {
  const { xyz } = realFrame();
  const source = xyz.subarray(0, 3 * 200);
  const target = xyz.subarray(3 * 150, 3 * 2150);
  const shifted = new Float32Array(target);
  for (let i = 0; i < shifted.length; i += 3) shifted[i] += 0.2; // everything moved 20 cm along x
  const hits = new Set(points.nearSourcePoints(source, 200, shifted, 2000, 0.5));
  for (let t = 0; t < 2000; t += 1) {
    let best = Infinity;
    for (let s = 0; s < 200; s += 1) {
      const d = Math.hypot(source[3 * s] - shifted[3 * t], source[3 * s + 1] - shifted[3 * t + 1], source[3 * s + 2] - shifted[3 * t + 2]);
      best = Math.min(best, d);
    }
    assert.equal(hits.has(t), best <= 0.5, `target ${t}: nearest ${best}`);
  }
});

test("world coordinates apply the ego pose (rotation about z by 90 degrees, then the position)", () => {
  const pose = { position: { x: 10, y: 0, z: 1 }, heading: { qx: 0, qy: 0, qz: Math.SQRT1_2, qw: Math.SQRT1_2 } };
  const world = points.worldPoints(new Float32Array([1, 0, 0]), 1, pose);
  assert.deepEqual([...world].map((value) => Math.round(value * 1e6) / 1e6), [10, 1, 1]);
  assert.deepEqual([...points.worldPoints(new Float32Array([1, 2, 3]), 1, null)], [1, 2, 3]);
});
