// The cuboid editor's pure parts on the real frame 000950: fit to points around the nearest car, the stored
// label format (single frame and sequence), propagate and the shared interpolation of cuboids.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { parsePointBuffer } from "../pointcloud/buffer.js";
import { placeOnGround, pointsInCuboid, rotateCuboid, wrapAngle } from "../pointcloud/cuboid.js";
import { setKeyframe } from "../tracks/sequence-document.js";
import {
  defaultDimensions, frameFromLabel, labelFromCuboidSequence, labelFromFrame, materializeSequence, propagateCuboid,
  sequenceFromCuboidLabel, storedCuboid,
} from "./cuboid-document.js";
import { fitAboveGround } from "./cuboid-fit.js";
import { toWorld } from "./ego-pose.js";
import { withoutGround } from "./ground.js";
import { NUDGES, STEP } from "./nudges.js";

const EXAMPLES = new URL("../../../examples/", import.meta.url);

function realFrame() {
  const rows = new Float32Array(readFileSync(new URL("pointcloud_single/000950.bin", EXAMPLES)).buffer.slice(0));
  const xyz = new Float32Array((rows.length / 4) * 3);
  for (let i = 0; i < rows.length / 4; i += 1) xyz.set(rows.subarray(4 * i, 4 * i + 3), 3 * i);
  return xyz;
}

function groundTruth(id) {
  const boxes = JSON.parse(readFileSync(new URL("pointcloud_sequence/label/000950.json", EXAMPLES), "utf8"));
  const { psr } = boxes.find((box) => box.obj_id === String(id));
  return { position: { ...psr.position }, dimensions: { ...psr.scale }, yaw: wrapAngle(psr.rotation.z) };
}

const car = (id, position, yaw = 0) => ({
  id, track_id: id, category_id: 1, type: "cuboid", position, dimensions: { x: 4, y: 2, z: 1.5 }, yaw,
});

test("a loose axis-aligned box around the nearest car fits to it within 0.3 m and 0.1 rad", () => {
  const xyz = realFrame();
  const truth = groundTruth(1); // the car nearest the ego vehicle, heading about -y
  const drawn = { position: { ...truth.position }, dimensions: { x: 2.6, y: 4.8, z: 2 }, yaw: 0 };
  const fitted = rotateCuboid(fitAboveGround(placeOnGround(drawn, xyz), xyz), -1);
  for (const axis of ["x", "y", "z"]) {
    assert.ok(Math.abs(fitted.position[axis] - truth.position[axis]) < 0.3, `position.${axis} ${fitted.position[axis]} vs ${truth.position[axis]}`);
  }
  assert.ok(Math.abs(wrapAngle(fitted.yaw - truth.yaw)) < 0.1, `yaw ${fitted.yaw} vs ${truth.yaw}`);
  assert.ok(Math.abs(fitted.dimensions.x - truth.dimensions.x) < 0.5 && Math.abs(fitted.dimensions.y - truth.dimensions.y) < 0.5);
});

test("fit leaves a box without points above the ground unchanged", () => {
  const empty = { position: { x: 500, y: 500, z: 0 }, dimensions: { x: 1, y: 1, z: 1 }, yaw: 0 };
  assert.equal(fitAboveGround(empty, realFrame()), empty);
});

test("a frame label stores position, dimensions and yaw; rotation only with 3D rotation", () => {
  const stored = { format_version: "0.2", annotations: [{ ...car(3, { x: 1, y: 2, z: 0.5 }, 4), velocity: null }], links: [] };
  const document = frameFromLabel(stored);
  const plain = labelFromFrame(document);
  assert.deepEqual(plain.annotations[0], {
    velocity: null, id: 3, track_id: 3, category_id: 1, type: "cuboid", position: { x: 1, y: 2, z: 0.5 },
    dimensions: { x: 4, y: 2, z: 1.5 }, yaw: wrapAngle(4),
  });
  const rotated = /** @type {any} */ (labelFromFrame(document, { useRotation: true }).annotations[0]).rotation;
  assert.ok(Math.abs(Math.hypot(rotated.qx, rotated.qy, rotated.qz, rotated.qw) - 1) < 1e-12);
  assert.ok(Math.abs(2 * Math.atan2(rotated.qz, rotated.qw) - wrapAngle(4)) < 1e-12);
  assert.equal(/** @type {any} */ (storedCuboid({ ...car(1, { x: 0, y: 0, z: 0 }), rotation: { qx: 0, qy: 0, qz: 0, qw: 1 } })).rotation, undefined);
});

test("sequence keyframes interpolate, a remove-keyframe hides the track, propagate copies forward", () => {
  const document = sequenceFromCuboidLabel(null, 4);
  setKeyframe(document, 0, car(1, { x: 0, y: 0, z: 0 }, 3));
  setKeyframe(document, 3, car(1, { x: 3, y: 6, z: 0 }, -3));
  const frames = materializeSequence(document).frames;
  const [middle] = frames[1].annotations;
  assert.equal(middle.is_keyframe, false);
  assert.deepEqual([middle.position.x, middle.position.y], [1, 2]);
  // yaw along the short arc: from 3 to -3 through pi
  assert.ok(Math.abs(middle.yaw - wrapAngle(3 + (2 * Math.PI - 6) / 3)) < 1e-9);
  const stored = labelFromCuboidSequence(document);
  assert.deepEqual(stored.frames.map((frame) => frame.annotations.length), [1, 0, 0, 1]);
  assert.ok(stored.frames[0].annotations[0].is_keyframe);

  document.frames[2].removed.push("1");
  assert.deepEqual(materializeSequence(document).frames.map((frame) => frame.annotations.filter((a) => !a.removed).length), [1, 1, 0, 1]);

  const copy = sequenceFromCuboidLabel(null, 4);
  setKeyframe(copy, 0, car(2, { x: 5, y: 5, z: 0 }));
  assert.deepEqual(propagateCuboid(copy, 0, car(2, { x: 5, y: 5, z: 0 }), 5), [1, 2, 3]);
  assert.deepEqual(labelFromCuboidSequence(copy).frames.map((frame) => frame.annotations[0].position.x), [5, 5, 5, 5]);
});

test("default sizes come from the category, else from its name", () => {
  assert.deepEqual(defaultDimensions({ name: "Thing", dimensions: { x: 2, y: 3, z: 4 } }), { x: 2, y: 3, z: 4 });
  assert.equal(defaultDimensions({ name: "Car" }).x, 4.5);
  assert.equal(defaultDimensions({ name: "Pedestrian" }).z, 1.75);
  assert.deepEqual(defaultDimensions(null), { x: 1, y: 1, z: 1 });
});

test("an ego pose moves the points into world coordinates (NaN points stay NaN, intensity kept)", () => {
  const floats = new Float32Array([1, 0, 0, NaN, NaN, NaN, 0, 2, 1, 7, 8, 9]);
  const buffer = parsePointBuffer(floats.buffer, 3);
  const pose = { position: { x: 10, y: 20, z: 1 }, heading: { qx: 0, qy: 0, qz: Math.sin(Math.PI / 4), qw: Math.cos(Math.PI / 4) } };
  const world = toWorld(buffer, pose);
  const rounded = [...world.xyz].map((value) => (Number.isNaN(value) ? "NaN" : Math.round(value * 1e5) / 1e5));
  assert.deepEqual(rounded, [10, 21, 1, "NaN", "NaN", "NaN", 8, 20, 2]); // a quarter turn about +z, then shifted
  assert.deepEqual([...world.intensity], [7, 8, 9]);
  assert.deepEqual([...world.renderIndex], [0, 2]);
  assert.equal(toWorld(buffer, null), buffer);
  assert.equal(toWorld(buffer, { position: { x: 0, y: 0, z: 0 }, heading: { qx: 0, qy: 0, qz: 0, qw: 0 } }), buffer);
});

test("nudges move in the cuboid's frame, keep the back or bottom when growing, and turn by quarter turns", () => {
  const cuboid = { ...car(1, { x: 0, y: 0, z: 0 }, Math.PI / 2), rotation: { qx: 0, qy: 0, qz: 0, qw: 1 } };
  const forward = NUDGES["move-forward"](cuboid);
  assert.ok(Math.abs(forward.position.x) < 1e-12 && Math.abs(forward.position.y - STEP) < 1e-12);
  const longer = NUDGES.longer(cuboid);
  assert.ok(Math.abs(longer.dimensions.x - 4.1) < 1e-12 && Math.abs(longer.position.y - STEP / 2) < 1e-12);
  assert.ok(Math.abs(NUDGES.taller(cuboid).position.z - STEP / 2) < 1e-12);
  const turned = NUDGES["rotate-90-clockwise"](cuboid);
  assert.deepEqual([turned.yaw, turned.dimensions.x, turned.dimensions.y, "rotation" in turned], [0, 2, 4, false]);
  assert.ok(Math.abs(NUDGES["yaw-left"](cuboid).yaw - (Math.PI / 2 + Math.PI / 180)) < 1e-12);
  assert.equal(NUDGES.narrower({ ...cuboid, dimensions: { x: 1, y: 0.05, z: 1 } }).dimensions.y, 0.05);
});

test("hiding the ground keeps the nearest car's body and hides most road points, in file order", () => {
  const xyz = realFrame();
  const count = xyz.length / 3;
  const { buffer, hidden } = withoutGround(parsePointBuffer(Float32Array.from(xyz).buffer, count));
  assert.equal(buffer.pointCount, count);
  assert.ok(hidden > count * 0.3 && hidden < count * 0.9, `${hidden} of ${count} hidden`);
  const truth = groundTruth(1);
  const body = { ...truth, position: { ...truth.position, z: truth.position.z + 0.3 }, dimensions: { ...truth.dimensions, z: truth.dimensions.z - 0.6 } };
  const before = pointsInCuboid(xyz, body).length;
  const after = pointsInCuboid(buffer.xyz, body).length;
  assert.ok(before > 50 && after >= 0.9 * before, `${after} of ${before} car body points kept`);
  assert.equal(buffer.renderCount, count - hidden);
});
