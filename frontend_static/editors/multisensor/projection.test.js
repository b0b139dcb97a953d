// Run: node --test frontend_static/editors/multisensor/
// The browser's projection must agree with the server's: both run every JSON test vector in
// tests/core/vectors/projection/ (made by tests/core/projection_reference.py, an independent NumPy reference
// built from the demo's own lidar -> camera matrices and ground-truth cuboids).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import {
  CalibrationError, cameraFromAttributes, clipSegment, cuboidCorners, projectCuboidEdges, projectPoint,
  projectPositions, projectedBoundingBox,
} from "./projection.js";

const VECTORS = new URL("../../../tests/core/vectors/projection/", import.meta.url);
const files = readdirSync(VECTORS).filter((name) => name.endsWith(".json")).sort();

/** Pixels equal within `tolerance`, or both not drawn (null). */
function assertPixel(actual, expected, tolerance, where) {
  if (expected === null) {
    assert.equal(actual, null, `${where}: expected not drawn, got ${JSON.stringify(actual)}`);
    return;
  }
  assert.ok(actual !== null, `${where}: expected ${expected}, not drawn`);
  const error = Math.max(Math.abs(actual[0] - expected[0]), Math.abs(actual[1] - expected[1]));
  assert.ok(error <= tolerance, `${where}: ${actual} != ${expected}`);
}

test("there are vectors for both conventions and every distortion model", () => {
  assert.ok(files.length >= 6, `found ${files.length} vectors in ${VECTORS.pathname}`);
  const descriptions = files.map((file) => JSON.parse(readFileSync(new URL(file, VECTORS), "utf8")).description);
  for (const needle of ["OpenCV", "OpenGL", "distortion none", "brown-conrady", "fisheye"]) {
    assert.ok(descriptions.some((text) => text.includes(needle)), needle);
  }
});

for (const file of files) {
  const vector = JSON.parse(readFileSync(new URL(file, VECTORS), "utf8"));
  test(`${file}: ground-truth cuboid corners and clipped edges match the reference`, () => {
    const camera = cameraFromAttributes(vector.camera);
    let clipped = 0;
    vector.cuboids.forEach((item, cuboidIndex) => {
      cuboidCorners(item.cuboid).forEach((corner, index) => {
        assertPixel(projectPoint(corner, camera, vector.near), item.corners[index], vector.tolerance_pixels,
          `cuboid ${cuboidIndex} corner ${index}`);
      });
      const polylines = projectCuboidEdges(item.cuboid, camera, { near: vector.near });
      assert.equal(polylines.length, item.edges.length, `cuboid ${cuboidIndex}: visible edges`);
      polylines.forEach((line, index) => {
        const [, start, end] = item.edges[index];
        assertPixel(line[0], start, vector.tolerance_pixels, `cuboid ${cuboidIndex} edge ${index} start`);
        assertPixel(line.at(-1), end, vector.tolerance_pixels, `cuboid ${cuboidIndex} edge ${index} end`);
      });
      if (item.edges.length > 0 && item.edges.length < 12) clipped += 1;
    });
    assert.ok(clipped > 0, "some cuboid must be cut by the near plane");
  });

  test(`${file}: the image box around each projected cuboid is the reference's`, () => {
    const camera = cameraFromAttributes(vector.camera);
    const [width, height] = vector.image_size;
    vector.cuboids.forEach((item, index) => {
      const box = projectedBoundingBox(item.cuboid, camera, width, height, { near: vector.near });
      if (item.bbox === null) {
        assert.equal(box, null, `cuboid ${index}`);
      } else {
        assert.ok(box, `cuboid ${index}: expected a box`);
        box.forEach((corner, end) => assertPixel(corner, item.bbox[end], vector.tolerance_pixels, `cuboid ${index}`));
      }
    });
  });

  test(`${file}: projecting a flat point array agrees with point by point`, () => {
    const camera = cameraFromAttributes(vector.camera);
    const corners = vector.cuboids.flatMap((item) => cuboidCorners(item.cuboid));
    const { pixels, depths, count } = projectPositions(corners.flat(), camera, vector.near);
    const drawn = corners.map((corner) => projectPoint(corner, camera, vector.near)).filter((pixel) => pixel);
    assert.equal(count, drawn.length);
    drawn.forEach((pixel, index) => {
      assert.ok(Math.abs(pixels[2 * index] - pixel[0]) <= 0.5 && Math.abs(pixels[2 * index + 1] - pixel[1]) <= 0.5);
      assert.ok(depths[index] >= vector.near);
    });
  });
}

test("a segment crossing the near plane is cut there", () => {
  const [start, end] = clipSegment([0, 0, -1], [0, 2, 1], 0.1);
  assert.ok(Math.abs(start[1] - 1.1) < 1e-12 && start[2] === 0.1);
  assert.deepEqual(end, [0, 2, 1]);
  assert.equal(clipSegment([0, 0, -1], [1, 1, 0.05], 0.1), null);
});

test("an unusable calibration is refused with the field path", () => {
  const vector = JSON.parse(readFileSync(new URL(files[0], VECTORS), "utf8"));
  const broken = structuredClone(vector.camera);
  broken.extrinsics.rotation.qw = 2;
  broken.intrinsics.intrinsic_matrix = [[1, 0, 0], [0, 0, 0], [0, 0, 1]];
  broken.camera_convention = "Vulkan";
  assert.throws(() => cameraFromAttributes(broken), (error) => {
    assert.ok(error instanceof CalibrationError);
    assert.deepEqual(error.issues.map((issue) => issue.path).sort(),
      ["camera_convention", "extrinsics.rotation", "intrinsics.intrinsic_matrix"]);
    return true;
  });
});
