// The keyboard edits of the selected cuboid: each is a pure function cuboid -> new cuboid (yaw-only frame;
// with 3D rotation on, a turned cuboid loses its `rotation`, which is rebuilt from the yaw on save).

import { rotateCuboid, wrapAngle } from "../pointcloud/cuboid.js";

export const STEP = 0.1; // metres per nudge
export const YAW_STEP = Math.PI / 180; // one degree
const MIN_SIZE = 0.05;

/**
 * Move by (forward, left, up) metres in the cuboid's own frame.
 * @param {any} cuboid @param {number} forward @param {number} left @param {number} up
 */
export function moveCuboid(cuboid, forward, left, up) {
  const cos = Math.cos(cuboid.yaw);
  const sin = Math.sin(cuboid.yaw);
  const p = cuboid.position;
  return { ...cuboid, position: { x: p.x + forward * cos - left * sin, y: p.y + forward * sin + left * cos, z: p.z + up } };
}

/**
 * Grow one size by `amount` metres (at least MIN_SIZE): length moves the front (the back stays), width both
 * sides, height the top (the bottom stays).
 * @param {any} cuboid @param {"x"|"y"|"z"} axis @param {number} amount
 */
export function growCuboid(cuboid, axis, amount) {
  const size = Math.max(MIN_SIZE, cuboid.dimensions[axis] + amount);
  const change = size - cuboid.dimensions[axis];
  const p = { ...cuboid.position };
  if (axis === "x") {
    p.x += (change / 2) * Math.cos(cuboid.yaw);
    p.y += (change / 2) * Math.sin(cuboid.yaw);
  }
  if (axis === "z") p.z += change / 2;
  return { ...cuboid, position: p, dimensions: { ...cuboid.dimensions, [axis]: size } };
}

/** The cuboid with heading `yaw` (wrapped to [-pi, pi]) and no `rotation`. @param {any} cuboid @param {number} yaw */
export function turnCuboid(cuboid, yaw) {
  const { rotation: _rotation, ...rest } = cuboid;
  return { ...rest, yaw: wrapAngle(yaw) };
}

/** Quarter turns about the cuboid's vertical axis (rotateCuboid), as a yaw-only cuboid. */
function quarterTurns(cuboid, turns) {
  const rotated = rotateCuboid(cuboid, turns);
  return turnCuboid(rotated, rotated.yaw);
}

/** Action name (keys.js) -> the edit it makes. @type {Record<string, (cuboid: any) => any>} */
export const NUDGES = {
  "rotate-180": (cuboid) => quarterTurns(cuboid, 2),
  "rotate-90": (cuboid) => quarterTurns(cuboid, 1),
  "rotate-90-clockwise": (cuboid) => quarterTurns(cuboid, -1),
  "move-forward": (cuboid) => moveCuboid(cuboid, STEP, 0, 0),
  "move-backward": (cuboid) => moveCuboid(cuboid, -STEP, 0, 0),
  "move-left": (cuboid) => moveCuboid(cuboid, 0, STEP, 0),
  "move-right": (cuboid) => moveCuboid(cuboid, 0, -STEP, 0),
  "move-up": (cuboid) => moveCuboid(cuboid, 0, 0, STEP),
  "move-down": (cuboid) => moveCuboid(cuboid, 0, 0, -STEP),
  "yaw-left": (cuboid) => turnCuboid(cuboid, cuboid.yaw + YAW_STEP),
  "yaw-right": (cuboid) => turnCuboid(cuboid, cuboid.yaw - YAW_STEP),
  longer: (cuboid) => growCuboid(cuboid, "x", STEP),
  shorter: (cuboid) => growCuboid(cuboid, "x", -STEP),
  wider: (cuboid) => growCuboid(cuboid, "y", STEP),
  narrower: (cuboid) => growCuboid(cuboid, "y", -STEP),
  taller: (cuboid) => growCuboid(cuboid, "z", STEP),
  lower: (cuboid) => growCuboid(cuboid, "z", -STEP),
};
