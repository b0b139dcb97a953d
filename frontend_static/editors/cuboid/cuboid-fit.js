// "Fit to points" of the cuboid editor: a cuboid drawn roughly around an object becomes the tight box of the
// object's points. Lidar objects stand on the ground and the ground's points fill any footprint, so the sides
// are fitted to the points above the ground only (higher than the lowest point + `clearance`), the bottom is
// the ground and the top the highest point. The heading is kept: lidar sees an object from one side only, so
// the footprint of its points (an L or a single side) does not tell the heading reliably (a minimum-area
// rectangle search turned the demo's nearest car 10 degrees the wrong way); the user sets it (yaw handle,
// keys, rotate 90/180) and fitting again keeps it.
// Pure: no DOM, no three.js; tested with `node --test`.

import { wrapAngle } from "../pointcloud/cuboid.js";

/**
 * @typedef {import("../pointcloud/cuboid.js").Cuboid} Cuboid
 * @typedef {object} FitOptions
 * @property {number} [margin] metres around the box where points are looked for (default 0.3)
 * @property {number} [clearance] metres above the lowest point that still count as ground (default 0.4: real ground slopes)
 * @property {number} [minPoints] fewer object points than this: the cuboid is returned unchanged (default 5)
 */

/**
 * Fit `cuboid` (yaw only; a `rotation` is dropped, the editor rebuilds it from the yaw) to the points above the
 * ground in and around it.
 * @param {Cuboid} cuboid
 * @param {Float32Array|Float64Array} xyz x y z per point (NaN points are skipped)
 * @param {FitOptions} [options]
 * @returns {Cuboid} a new cuboid, or `cuboid` itself when too few points are there
 */
export function fitAboveGround(cuboid, xyz, options = {}) {
  const margin = options.margin ?? 0.3;
  const clearance = options.clearance ?? 0.4;
  const near = pointsAround(cuboid, xyz, margin);
  if (!near.count) return cuboid;
  let ground = Infinity;
  let top = -Infinity;
  for (let i = 0; i < near.count; i += 1) {
    ground = Math.min(ground, near.z[i]);
    top = Math.max(top, near.z[i]);
  }
  const above = [];
  for (let i = 0; i < near.count; i += 1) if (near.z[i] > ground + clearance) above.push(i);
  if (above.length < (options.minPoints ?? 5)) return cuboid;
  const yaw = cuboid.yaw;
  const cos = Math.cos(yaw);
  const sin = Math.sin(yaw);
  const extent = extents(near, above, cos, sin);
  const u = (extent.uMin + extent.uMax) / 2;
  const v = (extent.vMin + extent.vMax) / 2;
  const { rotation: _rotation, ...rest } = cuboid;
  return {
    ...rest,
    position: { x: u * cos - v * sin, y: u * sin + v * cos, z: (ground + top) / 2 },
    dimensions: {
      x: Math.max(0.05, extent.uMax - extent.uMin),
      y: Math.max(0.05, extent.vMax - extent.vMin),
      z: Math.max(0.05, top - ground),
    },
    yaw: wrapAngle(yaw),
  };
}

/** The finite points within the cuboid's footprint grown by `margin` (any height within the box +- margin). */
function pointsAround(cuboid, xyz, margin) {
  const cos = Math.cos(cuboid.yaw);
  const sin = Math.sin(cuboid.yaw);
  const { x: px, y: py, z: pz } = cuboid.position;
  const hx = cuboid.dimensions.x / 2 + margin;
  const hy = cuboid.dimensions.y / 2 + margin;
  const hz = cuboid.dimensions.z / 2 + margin;
  const xs = [];
  const ys = [];
  const zs = [];
  const count = Math.floor(xyz.length / 3);
  for (let i = 0; i < count; i += 1) {
    const dx = xyz[3 * i] - px;
    const dy = xyz[3 * i + 1] - py;
    const dz = xyz[3 * i + 2] - pz;
    if (!(Math.abs(dz) <= hz)) continue; // also skips NaN
    if (Math.abs(dx * cos + dy * sin) > hx || Math.abs(-dx * sin + dy * cos) > hy) continue;
    xs.push(xyz[3 * i]);
    ys.push(xyz[3 * i + 1]);
    zs.push(xyz[3 * i + 2]);
  }
  return { x: xs, y: ys, z: zs, count: xs.length };
}

function extents(near, indices, cos, sin) {
  let uMin = Infinity;
  let uMax = -Infinity;
  let vMin = Infinity;
  let vMax = -Infinity;
  for (const i of indices) {
    const u = near.x[i] * cos + near.y[i] * sin;
    const v = -near.x[i] * sin + near.y[i] * cos;
    if (u < uMin) uMin = u;
    if (u > uMax) uMax = u;
    if (v < vMin) vMin = v;
    if (v > vMax) vMax = v;
  }
  return { uMin, uMax, vMin, vMax };
}
