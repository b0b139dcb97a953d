import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  cuboidCorners, fitToPoints, placeOnGround, pointsInCuboid, quaternionFromYaw, rotateCuboid, rotationMatrix,
  wrapAngle, yawOfQuaternion,
} from "./cuboid.js";

const EXAMPLES = new URL("../../../examples/", import.meta.url);

/** x y z per point of the real KITTI-style frame 000950 (68,242 points). */
function realFrame() {
  const rows = new Float32Array(readFileSync(new URL("pointcloud_single/000950.bin", EXAMPLES)).buffer.slice(0));
  const xyz = new Float32Array((rows.length / 4) * 3);
  for (let i = 0; i < rows.length / 4; i += 1) xyz.set(rows.subarray(4 * i, 4 * i + 3), 3 * i);
  return xyz;
}

/** The ground-truth box of object `id` in frame 000950, as a documented cuboid (see datasets/demo_pointclouds.py). */
function groundTruth(id) {
  const boxes = JSON.parse(readFileSync(new URL("pointcloud_sequence/label/000950.json", EXAMPLES), "utf8"));
  const { psr } = boxes.find((box) => box.obj_id === String(id));
  return { position: { ...psr.position }, dimensions: { ...psr.scale }, yaw: wrapAngle(psr.rotation.z) };
}

const unitBox = { position: { x: 10, y: 5, z: 1 }, dimensions: { x: 4, y: 2, z: 1.5 }, yaw: Math.PI / 2 };
const close = (a, b, tolerance = 1e-9) => assert.ok(Math.abs(a - b) <= tolerance, `${a} != ${b}`);

test("wrapAngle keeps angles in [-pi, pi]", () => {
  close(wrapAngle(3 * Math.PI / 2), -Math.PI / 2);
  close(wrapAngle(-7), -7 + 2 * Math.PI);
  close(wrapAngle(Math.PI), Math.PI); // in range: unchanged
  close(wrapAngle(-Math.PI - 0.5), Math.PI - 0.5);
});

test("corners come from position, dimensions and yaw; a yaw quaternion gives the same corners", () => {
  const corners = cuboidCorners(unitBox);
  // yaw 90 degrees: the heading (+x of the box, length 4) points along world +y
  assert.deepEqual([...corners.subarray(0, 3)].map((v) => Math.round(v * 1e9) / 1e9), [9, 7, 0.25]);
  assert.deepEqual([...corners.subarray(21, 24)].map((v) => Math.round(v * 1e9) / 1e9), [9, 3, 1.75]);
  const withQuaternion = { ...unitBox, yaw: 0, rotation: quaternionFromYaw(Math.PI / 2) };
  cuboidCorners(withQuaternion, { useRotation: true }).forEach((value, i) => close(value, corners[i]));
  close(yawOfQuaternion(quaternionFromYaw(-2.5)), -2.5);
});

test("a quaternion with pitch tilts the box", () => {
  const pitch = { qx: 0, qy: Math.sin(Math.PI / 8), qz: 0, qw: Math.cos(Math.PI / 8) }; // 45 degrees about +y
  const r = rotationMatrix({ ...unitBox, rotation: pitch }, { useRotation: true });
  close(r[6], -Math.SQRT1_2); // the box's +x axis points down
});

test("points in a cuboid are an index array in file order; NaN points are never inside", () => {
  const xyz = Float32Array.of(10, 5, 1, 10, 6.9, 1, 10, 7.1, 1, NaN, NaN, NaN, 11.2, 5, 1, 10.9, 5, 1.7);
  assert.deepEqual([...pointsInCuboid(xyz, unitBox)], [0, 1, 5]);
  assert.deepEqual([...pointsInCuboid(xyz, unitBox, { margin: 0.25 })], [0, 1, 2, 4, 5]);
});

test("the real car nearest the ego vehicle holds its lidar points", () => {
  const xyz = realFrame();
  const car = groundTruth(1); // 21 m from the ego vehicle

  const inside = pointsInCuboid(xyz, car);

  assert.equal(inside.length, 319); // counted independently with NumPy from the same files
  assert.ok(inside.every((index, i) => i === 0 || index > inside[i - 1]));
});

test("fit to points tightens all six sides in the box frame to the points", () => {
  // a filled 4 x 2 x 1.5 box at yaw 90 degrees, and a loose guess around it
  const points = [];
  for (const lx of [-2, -1, 0, 1, 2]) for (const ly of [-1, 0, 1]) for (const lz of [-0.75, 0, 0.75]) {
    points.push(10 - ly, 5 + lx, 1 + lz);
  }
  points.push(30, 30, 30); // far away: ignored
  const guess = { position: { x: 10.3, y: 4.6, z: 1.2 }, dimensions: { x: 5, y: 3, z: 2.2 }, yaw: Math.PI / 2 };

  const fitted = fitToPoints(guess, Float32Array.from(points));

  for (const axis of "xyz") close(fitted.position[axis], unitBox.position[axis], 1e-5);
  for (const axis of "xyz") close(fitted.dimensions[axis], unitBox.dimensions[axis], 1e-5);
  assert.equal(fitted.yaw, guess.yaw);
  assert.equal(guess.dimensions.x, 5); // not mutated
});

test("fit to points on the real frame keeps the car's points and shrinks to them", () => {
  const xyz = realFrame();
  const car = groundTruth(1);
  const loose = { ...car, position: { ...car.position, x: car.position.x + 0.3 }, dimensions: { x: 5, y: 2.2, z: 2 } };

  const fitted = fitToPoints(loose, xyz, { margin: 0 });

  const before = new Set(pointsInCuboid(xyz, loose));
  const after = pointsInCuboid(xyz, fitted, { margin: 1e-4 });
  assert.equal(after.length, before.size);
  for (const axis of "xyz") assert.ok(fitted.dimensions[axis] <= loose.dimensions[axis] + 1e-6);
});

test("on the ground takes z and height from the points in the footprint", () => {
  const ground = [];
  for (const x of [8.5, 10, 11.5]) for (const y of [3.5, 5, 6.5]) ground.push(x, y, -0.2);
  const roof = [10, 5, 1.4, 9.5, 6, 1.3];
  const outside = [20, 20, -3, 20, 20, 9];
  const floating = { position: { x: 10, y: 5, z: 4 }, dimensions: { x: 4, y: 2, z: 0.5 }, yaw: Math.PI / 2 };

  const placed = placeOnGround(floating, Float32Array.from([...ground, ...roof, ...outside]));

  close(placed.position.z, 0.6, 1e-6);
  close(placed.dimensions.z, 1.6, 1e-6);
  assert.deepEqual([placed.position.x, placed.position.y, placed.yaw], [10, 5, Math.PI / 2]);
});

test("rotate 180 flips the heading; rotate 90 swaps length and width over the same footprint", () => {
  const half = rotateCuboid(unitBox, 2);
  close(half.yaw, -Math.PI / 2);
  assert.deepEqual(half.dimensions, unitBox.dimensions);

  const quarter = rotateCuboid({ ...unitBox, yaw: 3 }, 1);
  close(quarter.yaw, wrapAngle(3 + Math.PI / 2));
  assert.ok(quarter.yaw >= -Math.PI && quarter.yaw <= Math.PI);
  assert.deepEqual(quarter.dimensions, { x: 2, y: 4, z: 1.5 });
  const sorted = (c) => [...c].map((v) => Math.round(v * 1e6)).sort((a, b) => a - b);
  assert.deepEqual(sorted(cuboidCorners(quarter)), sorted(cuboidCorners({ ...unitBox, yaw: 3 })));

  const tilted = rotateCuboid({ ...unitBox, rotation: quaternionFromYaw(unitBox.yaw) }, -1);
  close(yawOfQuaternion(tilted.rotation), 0);
});
