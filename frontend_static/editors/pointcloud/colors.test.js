import assert from "node:assert/strict";
import { test } from "node:test";

import { heightColors, intensityColors, rampColor, robustRange } from "./colors.js";
import { interleavedOrder } from "./viewport3d.js";

test("the ramp runs from blue (low) to red (high) and clamps", () => {
  const out = new Float32Array(9);
  rampColor(0, out, 0);
  rampColor(1, out, 3);
  rampColor(7, out, 6);
  assert.ok(out[2] > out[0]); // blue
  assert.ok(out[3] > out[5]); // red
  assert.deepEqual([...out.subarray(6)], [...out.subarray(3, 6)]);
});

test("robust ranges ignore a few outliers", () => {
  const values = new Float32Array(1000).map((_, i) => i / 1000);
  values[0] = -500;
  values[1] = 900;
  const [low, high] = robustRange(values, 1000);
  assert.ok(low >= 0 && low < 0.05);
  assert.ok(high > 0.95 && high <= 1);
});

test("height colours follow z; intensity colours follow intensity", () => {
  const positions = Float32Array.of(0, 0, -1, 0, 0, 3);
  const byHeight = heightColors(positions, 2, [-1, 3]);
  assert.ok(byHeight[2] > byHeight[0] && byHeight[3] > byHeight[5]);
  const byIntensity = intensityColors(Float32Array.of(255, 0), 2, [0, 255]);
  assert.ok(byIntensity[0] > byIntensity[2] && byIntensity[5] > byIntensity[3]);
});

test("the draw order puts an even subsample first and visits every point once", () => {
  assert.equal(interleavedOrder(10, 20), null);
  const order = interleavedOrder(10, 4);
  assert.deepEqual([...order.subarray(0, 4)], [0, 3, 6, 9]);
  assert.deepEqual([...order].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
