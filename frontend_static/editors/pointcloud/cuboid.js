// Cuboid geometry for the point-cloud editors, in the documented label format (tests/data/seeds/002_*.txt):
// `position` {x, y, z} is the box centre (metres), `dimensions` {x, y, z} its length along the heading, width
// and height (> 0), `yaw` the heading in radians in [-pi, pi], counter-clockwise about +z, 0 = heading +x.
// When the dataset enables 3D rotation, `rotation` {qx, qy, qz, qw} (a unit quaternion, box -> world) is used
// instead of `yaw`. Every function returns new objects; inputs are never changed.

/**
 * @typedef {{x: number, y: number, z: number}} Vector3
 * @typedef {{qx: number, qy: number, qz: number, qw: number}} Quaternion
 * @typedef {{position: Vector3, dimensions: Vector3, yaw: number, rotation?: Quaternion}} Cuboid
 * @typedef {{useRotation?: boolean}} RotationOptions  use `rotation` (when present) instead of `yaw`
 */

const TAU = 2 * Math.PI;
const MIN_SIZE = 0.05; // metres: the smallest side "fit to points" leaves, so a box never becomes flat

/**
 * The same angle in [-pi, pi].
 * @param {number} radians
 * @returns {number}
 */
export function wrapAngle(radians) {
  if (Math.abs(radians) <= Math.PI) return radians;
  let wrapped = radians - TAU * Math.round(radians / TAU);
  if (wrapped > Math.PI) wrapped -= TAU;
  if (wrapped < -Math.PI) wrapped += TAU;
  return wrapped;
}

/**
 * The quaternion of a rotation by `yaw` about +z.
 * @param {number} yaw radians
 * @returns {Quaternion}
 */
export function quaternionFromYaw(yaw) {
  return { qx: 0, qy: 0, qz: Math.sin(yaw / 2), qw: Math.cos(yaw / 2) };
}

/**
 * The heading (yaw about +z, in [-pi, pi]) of a rotation: the angle of the rotated +x axis in the xy plane.
 * @param {Quaternion} q unit quaternion
 * @returns {number}
 */
export function yawOfQuaternion(q) {
  const { qx, qy, qz, qw } = q;
  return Math.atan2(2 * (qw * qz + qx * qy), 1 - 2 * (qy * qy + qz * qz));
}

function multiply(a, b) {
  return {
    qx: a.qw * b.qx + a.qx * b.qw + a.qy * b.qz - a.qz * b.qy,
    qy: a.qw * b.qy - a.qx * b.qz + a.qy * b.qw + a.qz * b.qx,
    qz: a.qw * b.qz + a.qx * b.qy - a.qy * b.qx + a.qz * b.qw,
    qw: a.qw * b.qw - a.qx * b.qx - a.qy * b.qy - a.qz * b.qz,
  };
}

/**
 * The box -> world rotation matrix of a cuboid, row-major (r[3 * row + column]).
 * @param {Cuboid} cuboid
 * @param {RotationOptions} [options]
 * @returns {Float64Array} 9 values
 */
export function rotationMatrix(cuboid, options = {}) {
  const q = options.useRotation && cuboid.rotation ? cuboid.rotation : quaternionFromYaw(cuboid.yaw);
  const { qx: x, qy: y, qz: z, qw: w } = q;
  return Float64Array.of(
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  );
}

const CORNER_SIGNS = [
  [1, 1, -1], [1, -1, -1], [-1, -1, -1], [-1, 1, -1], // bottom face, counter-clockwise seen from above
  [1, 1, 1], [1, -1, 1], [-1, -1, 1], [-1, 1, 1], // top face, same order
];

/**
 * The 8 corners of a cuboid in world coordinates: bottom face then top face, each starting at front-left
 * (+x, +y in the box frame) and going clockwise seen from above: front-left, front-right, back-right, back-left.
 * @param {Cuboid} cuboid
 * @param {RotationOptions} [options]
 * @returns {Float64Array} 24 values, x y z per corner
 */
export function cuboidCorners(cuboid, options = {}) {
  const r = rotationMatrix(cuboid, options);
  const { position: p, dimensions: d } = cuboid;
  const corners = new Float64Array(24);
  CORNER_SIGNS.forEach(([sx, sy, sz], corner) => {
    const lx = (sx * d.x) / 2;
    const ly = (sy * d.y) / 2;
    const lz = (sz * d.z) / 2;
    corners[3 * corner] = p.x + r[0] * lx + r[1] * ly + r[2] * lz;
    corners[3 * corner + 1] = p.y + r[3] * lx + r[4] * ly + r[5] * lz;
    corners[3 * corner + 2] = p.z + r[6] * lx + r[7] * ly + r[8] * lz;
  });
  return corners;
}

/**
 * Call `visit(index, lx, ly, lz)` for every finite point, with its coordinates in the box frame (box centre at
 * the origin, +x along the heading).
 */
function forEachLocal(xyz, cuboid, options, visit) {
  const r = rotationMatrix(cuboid, options);
  const { x: px, y: py, z: pz } = cuboid.position;
  const count = Math.floor(xyz.length / 3);
  for (let i = 0; i < count; i += 1) {
    const dx = xyz[3 * i] - px;
    const dy = xyz[3 * i + 1] - py;
    const dz = xyz[3 * i + 2] - pz;
    if (!(Number.isFinite(dx) && Number.isFinite(dy) && Number.isFinite(dz))) continue;
    // world -> box is the transpose of box -> world
    visit(i, r[0] * dx + r[3] * dy + r[6] * dz, r[1] * dx + r[4] * dy + r[7] * dz, r[2] * dx + r[5] * dy + r[8] * dz);
  }
}

/**
 * The indices of the points inside a cuboid (its faces included), in increasing order; NaN points never are.
 * @param {Float32Array|Float64Array} xyz x y z per point, file order
 * @param {Cuboid} cuboid
 * @param {RotationOptions & {margin?: number}} [options] margin: metres added on every side (default 0)
 * @returns {Uint32Array}
 */
export function pointsInCuboid(xyz, cuboid, options = {}) {
  const margin = options.margin ?? 0;
  const hx = cuboid.dimensions.x / 2 + margin;
  const hy = cuboid.dimensions.y / 2 + margin;
  const hz = cuboid.dimensions.z / 2 + margin;
  let found = new Uint32Array(1024);
  let count = 0;
  forEachLocal(xyz, cuboid, options, (index, lx, ly, lz) => {
    if (Math.abs(lx) > hx || Math.abs(ly) > hy || Math.abs(lz) > hz) return;
    if (count === found.length) {
      const grown = new Uint32Array(found.length * 2);
      grown.set(found);
      found = grown;
    }
    found[count] = index;
    count += 1;
  });
  return found.slice(0, count);
}

function withCentre(cuboid, r, local, dimensions) {
  const [lx, ly, lz] = local;
  const { x, y, z } = cuboid.position;
  return {
    ...cuboid,
    position: {
      x: x + r[0] * lx + r[1] * ly + r[2] * lz,
      y: y + r[3] * lx + r[4] * ly + r[5] * lz,
      z: z + r[6] * lx + r[7] * ly + r[8] * lz,
    },
    dimensions,
  };
}

/**
 * "Fit to points": tighten all six sides of the cuboid, in its own frame (the heading is kept), to the points
 * inside it grown by `margin` on every side. Returns the cuboid unchanged when fewer than `minPoints` are there.
 * @param {Cuboid} cuboid
 * @param {Float32Array|Float64Array} xyz x y z per point
 * @param {RotationOptions & {margin?: number, minPoints?: number}} [options] margin in metres (default 0.3),
 *   minPoints (default 3)
 * @returns {Cuboid}
 */
export function fitToPoints(cuboid, xyz, options = {}) {
  const margin = options.margin ?? 0.3;
  const half = [cuboid.dimensions.x / 2 + margin, cuboid.dimensions.y / 2 + margin, cuboid.dimensions.z / 2 + margin];
  const low = [Infinity, Infinity, Infinity];
  const high = [-Infinity, -Infinity, -Infinity];
  let count = 0;
  forEachLocal(xyz, cuboid, options, (index, lx, ly, lz) => {
    if (Math.abs(lx) > half[0] || Math.abs(ly) > half[1] || Math.abs(lz) > half[2]) return;
    const local = [lx, ly, lz];
    for (let axis = 0; axis < 3; axis += 1) {
      if (local[axis] < low[axis]) low[axis] = local[axis];
      if (local[axis] > high[axis]) high[axis] = local[axis];
    }
    count += 1;
  });
  if (count < (options.minPoints ?? 3)) return cuboid;
  const centre = [0, 1, 2].map((axis) => (low[axis] + high[axis]) / 2);
  const size = [0, 1, 2].map((axis) => Math.max(MIN_SIZE, high[axis] - low[axis]));
  return withCentre(cuboid, rotationMatrix(cuboid, options), centre, { x: size[0], y: size[1], z: size[2] });
}

/**
 * "On the ground": keep the footprint (x, y, yaw, length, width) and take z and the height from the points
 * whose (x, y) fall in the footprint, at any height: the bottom at the lowest of them (the ground under the
 * object), the top at the highest. Uses the yaw only (a box standing on the ground has no roll or pitch).
 * Returns the cuboid unchanged when fewer than `minPoints` points are in the footprint.
 * @param {Cuboid} cuboid
 * @param {Float32Array|Float64Array} xyz x y z per point
 * @param {{minPoints?: number}} [options] minPoints (default 3)
 * @returns {Cuboid}
 */
export function placeOnGround(cuboid, xyz, options = {}) {
  const hx = cuboid.dimensions.x / 2;
  const hy = cuboid.dimensions.y / 2;
  let bottom = Infinity;
  let top = -Infinity;
  let count = 0;
  forEachLocal(xyz, { ...cuboid, rotation: undefined }, {}, (index, lx, ly, lz) => {
    if (Math.abs(lx) > hx || Math.abs(ly) > hy) return;
    if (lz < bottom) bottom = lz;
    if (lz > top) top = lz;
    count += 1;
  });
  if (count < (options.minPoints ?? 3)) return cuboid;
  const z = cuboid.position.z;
  return {
    ...cuboid,
    position: { ...cuboid.position, z: z + (bottom + top) / 2 },
    dimensions: { ...cuboid.dimensions, z: Math.max(MIN_SIZE, top - bottom) },
  };
}

/**
 * Rotate a cuboid about its own vertical axis by quarter turns (1 = 90 degrees counter-clockwise, 2 = 180,
 * -1 = 90 clockwise). 180 degrees flips the heading and keeps the box; 90 degrees turns the heading and swaps
 * length and width, so the box covers the same space with its heading along the other side. Yaw stays in
 * [-pi, pi]; a `rotation` quaternion is turned the same way.
 * @param {Cuboid} cuboid
 * @param {number} quarterTurns an integer
 * @returns {Cuboid}
 */
export function rotateCuboid(cuboid, quarterTurns) {
  const angle = (quarterTurns * Math.PI) / 2;
  const swap = Math.abs(quarterTurns) % 2 === 1;
  const { x, y, z } = cuboid.dimensions;
  const rotated = {
    ...cuboid,
    yaw: wrapAngle(cuboid.yaw + angle),
    dimensions: swap ? { x: y, y: x, z } : { x, y, z },
  };
  if (cuboid.rotation) rotated.rotation = multiply(cuboid.rotation, quaternionFromYaw(angle));
  return rotated;
}
