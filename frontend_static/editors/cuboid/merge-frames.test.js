// "Merge frames": the window of frames around the current one, and the merged buffer (finite points of every
// frame in order, intensity kept, evenly subsampled beyond the limit).
import assert from "node:assert/strict";
import { test } from "node:test";

import { parsePointBuffer } from "../pointcloud/buffer.js";
import { frameWindow, MAX_MERGE_RADIUS, mergeBuffers } from "./merge-frames.js";

/** A buffer of `count` points (x = first + i), with intensity when asked and a NaN point at index 1. */
function buffer(first, count, { intensity = true, nan = false } = {}) {
  const floats = new Float32Array(count * (intensity ? 4 : 3));
  for (let i = 0; i < count; i += 1) {
    floats.set([first + i, 0, 1], 3 * i);
    if (intensity) floats[3 * count + i] = 10 * (first + i);
  }
  if (nan) floats[3] = Number.NaN;
  return parsePointBuffer(floats.buffer, count);
}

test("the window is the radius on each side, clipped to the sequence", () => {
  assert.deepEqual(frameWindow(0, 2, 4), [0, 1, 2]);
  assert.deepEqual(frameWindow(2, 2, 4), [0, 1, 2, 3]);
  assert.deepEqual(frameWindow(3, 1, 4), [2, 3]);
  assert.deepEqual(frameWindow(1, 0, 4), [1]);
  assert.equal(frameWindow(50, 1000, 100).length, 2 * MAX_MERGE_RADIUS + 1);
});

test("merged: the finite points of every frame in order, with intensity", () => {
  const merged = mergeBuffers([buffer(0, 3), buffer(100, 4, { nan: true })]);
  assert.equal(merged.renderCount, 3 + 3);
  assert.equal(merged.stride, 1);
  assert.deepEqual([...merged.renderPositions].filter((_, i) => i % 3 === 0), [0, 1, 2, 100, 102, 103]);
  assert.deepEqual([...merged.renderIntensity], [0, 10, 20, 1000, 1020, 1030]);
  assert.equal(merged.renderIndex, null);
});

test("intensity is dropped when a frame has none; beyond the limit every frame is subsampled evenly", () => {
  assert.equal(mergeBuffers([buffer(0, 3), buffer(10, 3, { intensity: false })]).renderIntensity, null);
  const merged = mergeBuffers([buffer(0, 10), buffer(100, 10)], 10);
  assert.equal(merged.stride, 2);
  assert.deepEqual([...merged.renderPositions].filter((_, i) => i % 3 === 0), [0, 2, 4, 6, 8, 100, 102, 104, 106, 108]);
  assert.equal(mergeBuffers([]).renderCount, 0);
});
