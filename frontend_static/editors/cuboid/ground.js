// "Hide the ground": a display copy of a frame's points without the ground, so boxes on the road are easy to
// see and click. The ground is found per cell of a horizontal grid (`cell` metres): a point is ground when it
// is within `height` metres of the lowest point of its cell. Ground points become NaN in the copy, which
// buffer.js leaves out of what is rendered; the point order and the editor's own buffer (used by "fit to
// points" and "on the ground") are unchanged. Pure; tested with `node --test`.

import { parsePointBuffer } from "../pointcloud/buffer.js";

/**
 * @param {import("../pointcloud/buffer.js").PointBuffer} buffer
 * @param {{cell?: number, height?: number}} [options] cell: metres (default 2); height: metres above the
 *   cell's lowest point that count as ground (default 0.3)
 * @returns {{buffer: import("../pointcloud/buffer.js").PointBuffer, hidden: number}} the copy and how many
 *   points it hides
 */
export function withoutGround(buffer, options = {}) {
  const cell = options.cell ?? 2;
  const height = options.height ?? 0.3;
  const { xyz, pointCount } = buffer;
  const lowest = new Map();
  const keyOf = (i) => `${Math.floor(xyz[3 * i] / cell)},${Math.floor(xyz[3 * i + 1] / cell)}`;
  for (let i = 0; i < pointCount; i += 1) {
    const z = xyz[3 * i + 2];
    if (!Number.isFinite(z) || !Number.isFinite(xyz[3 * i]) || !Number.isFinite(xyz[3 * i + 1])) continue;
    const key = keyOf(i);
    const low = lowest.get(key);
    if (low === undefined || z < low) lowest.set(key, z);
  }
  const floats = new Float32Array(pointCount * (buffer.intensity ? 4 : 3));
  floats.set(xyz.subarray(0, 3 * pointCount));
  if (buffer.intensity) floats.set(buffer.intensity, 3 * pointCount);
  let hidden = 0;
  for (let i = 0; i < pointCount; i += 1) {
    const z = xyz[3 * i + 2];
    if (!Number.isFinite(z) || !(z <= lowest.get(keyOf(i)) + height)) continue;
    floats[3 * i] = Number.NaN;
    floats[3 * i + 1] = Number.NaN;
    floats[3 * i + 2] = Number.NaN;
    hidden += 1;
  }
  return { buffer: parsePointBuffer(floats.buffer, pointCount), hidden };
}
