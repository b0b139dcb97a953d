import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { loadPointBuffer, parsePointBuffer, pointIndexOfSlot } from "./buffer.js";

const REAL_BIN = new URL("../../../examples/pointcloud_single/000950.bin", import.meta.url);

/** The server's derived buffer (docs/pointclouds.md) of the real KITTI frame: xyz block then intensity block. */
function derivedBufferOfRealFrame() {
  const rows = new Float32Array(readFileSync(REAL_BIN).buffer.slice(0));
  const count = rows.length / 4;
  const out = new Float32Array(4 * count);
  for (let i = 0; i < count; i += 1) {
    out.set(rows.subarray(4 * i, 4 * i + 3), 3 * i);
    out[3 * count + i] = rows[4 * i + 3];
  }
  return { bytes: out.buffer, count, rows };
}

test("the real 68,242-point frame reads as views, in file order, with intensity", () => {
  const { bytes, count, rows } = derivedBufferOfRealFrame();
  const buffer = parsePointBuffer(bytes, count);

  assert.equal(buffer.pointCount, 68242);
  assert.equal(buffer.renderCount, 68242);
  assert.equal(buffer.renderIndex, null);
  assert.equal(buffer.renderPositions, buffer.xyz); // no copy when every point is finite
  assert.deepEqual([...buffer.xyz.subarray(3 * 500, 3 * 501)], [...rows.subarray(4 * 500, 4 * 500 + 3)]);
  assert.equal(buffer.intensity[500], rows[4 * 500 + 3]);
});

test("NaN points are left out of rendering but keep their indices", () => {
  const xyz = Float32Array.of(0, 0, 0, NaN, NaN, NaN, 1, 2, 3, NaN, NaN, NaN, 4, 5, 6);
  const intensity = Float32Array.of(10, 0, 11, 0, 12);
  const bytes = new Float32Array([...xyz, ...intensity]).buffer;

  const buffer = parsePointBuffer(bytes, 5);

  assert.equal(buffer.pointCount, 5);
  assert.equal(buffer.renderCount, 3);
  assert.deepEqual([...buffer.renderIndex], [0, 2, 4]);
  assert.deepEqual([...buffer.renderPositions], [0, 0, 0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual([...buffer.renderIntensity], [10, 11, 12]);
  assert.equal(pointIndexOfSlot(buffer, 2), 4);
  assert.ok(Number.isNaN(buffer.xyz[3 * 3])); // the file's point 3 is still where it was
});

test("a buffer without intensity is 12 bytes per point", () => {
  const buffer = parsePointBuffer(Float32Array.of(1, 2, 3, 4, 5, 6).buffer, 2);

  assert.equal(buffer.intensity, null);
  assert.equal(buffer.renderIntensity, null);
  assert.equal(pointIndexOfSlot(buffer, 1), 1);
});

test("a buffer whose size does not fit the point count is refused", () => {
  assert.throws(() => parsePointBuffer(new ArrayBuffer(40), 3), /fits neither 12 nor 16 bytes per point for 3 points/);
  assert.throws(() => parsePointBuffer(new ArrayBuffer(12), -1), /invalid point count/);
});

test("loadPointBuffer fetches once and reports HTTP errors", async () => {
  const requested = [];
  /** @type {typeof globalThis.fetch} */
  // @ts-expect-error a stand-in with only the Response members loadPointBuffer reads
  const fetch = async (url) => {
    requested.push(url);
    if (url === "/missing") return { ok: false, status: 404 };
    return { ok: true, status: 200, arrayBuffer: async () => Float32Array.of(1, 2, 3).buffer };
  };

  const buffer = await loadPointBuffer("/media/assets/pointclouds/x/frame-000000.f32", 1, { fetch });

  assert.deepEqual([...buffer.xyz], [1, 2, 3]);
  assert.deepEqual(requested, ["/media/assets/pointclouds/x/frame-000000.f32"]);
  await assert.rejects(loadPointBuffer("/missing", 1, { fetch }), /HTTP 404/);
});
