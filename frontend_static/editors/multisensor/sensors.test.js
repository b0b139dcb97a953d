// Run: node --test frontend_static/editors/multisensor/
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { projectPoint } from "./projection.js";
import { cameraCalibrations, sensorsOf } from "./sensors.js";

const VECTOR = new URL("../../../tests/core/vectors/projection/front_opengl_none_000965.json", import.meta.url);
const front = JSON.parse(readFileSync(VECTOR, "utf8")).camera;

function sample(images) {
  const frames = [{ pcd: { url: "/a.pcd", type: "pcd" }, images }, { pcd: { url: "/b.pcd", type: "pcd" } }];
  const imageFrames = { frames: [{ image: { url: "/a.jpg" } }, { image: { url: "/b.jpg" } }] };
  return {
    sensors: [
      { name: "lidar", task_type: "pointcloud-cuboid-sequence", attributes: { frames } },
      { name: "front", task_type: "image-vector-sequence", attributes: imageFrames },
      { name: "rear", task_type: "image-segmentation-sequence", attributes: imageFrames },
    ],
  };
}

test("sensors come in the sample's order with their kind", () => {
  assert.deepEqual(sensorsOf(sample([])).map(({ name, kind, index, frameCount }) => [name, kind, index, frameCount]), [
    ["lidar", "pointcloud", 0, 2], ["front", "image", 1, 2], ["rear", "image", 2, 2],
  ]);
});

test("each camera sensor gets its calibration of that frame, or the reason it has none", () => {
  const broken = structuredClone(front);
  broken.name = "rear";
  broken.extrinsics.rotation.qw += 0.5;
  const calibrations = cameraCalibrations(sample([front, broken]), 0);
  const usable = calibrations.get("front");
  assert.deepEqual(usable.issues, []);
  assert.ok(projectPoint([0.2, -20, 0], usable.camera));
  assert.equal(calibrations.get("rear").camera, null);
  assert.deepEqual(calibrations.get("rear").issues.map((issue) => [issue.path, issue.rule]),
    [["sensors[0].attributes.frames[0].images[1].extrinsics.rotation", "quaternion_not_unit"]]);
  const missing = cameraCalibrations(sample([front, broken]), 1).get("front");
  assert.equal(missing.camera, null);
  assert.deepEqual(missing.issues.map((issue) => [issue.path, issue.rule]),
    [["sensors[0].attributes.frames[1].images", "calibration_missing"]]);
});
