import assert from "node:assert/strict";
import { test } from "node:test";

import { keypointName, skeletonSegments } from "./keypoints.js";

const person = { id: 1, keypoints: ["nose", "left_eye", "right_eye"], skeleton: [[1, 2], [1, 3], [2, 3]] };
const car = { id: 2 };
const categories = new Map([[1, person], [2, car]]);
const point = (id, keypoint, object, x, categoryId = 1) => ({
  id, type: "point", category_id: categoryId, points: [[x, 2 * x]], attributes: { keypoint, object },
});

test("a point of a keypoint category is named after its keypoint; anything else is not", () => {
  assert.equal(keypointName(point(1, "left_eye", 1, 5), person), "left_eye");
  assert.equal(keypointName(point(1, "tail", 1, 5), person), null); // not one of the names
  assert.equal(keypointName(point(1, "left_eye", 1, 5, 2), car), null); // no keypoints on the category
  assert.equal(keypointName({ id: 1, type: "bbox", category_id: 1, points: [[0, 0], [1, 1]] }, person), null);
});

test("each object's skeleton joins its own labeled keypoints only", () => {
  const annotations = [
    point(1, "nose", 1, 10), point(2, "left_eye", 1, 20), point(3, "right_eye", 1, 30),
    point(4, "nose", 2, 40), point(5, "right_eye", 2, 50), // object 2 has no left_eye: one edge of three
    point(6, "nose", 1, 60, 2), // another category: never joined
  ];
  const segments = skeletonSegments(annotations, categories);
  assert.deepEqual(segments.map((segment) => segment.ids), [[1, 2], [1, 3], [2, 3], [4, 5]]);
  assert.deepEqual(segments[3].from, [40, 80]);
  assert.deepEqual(segments[3].to, [50, 100]);
  assert.equal(segments[3].object, "2");
});

test("points without an object attribute are one object; no skeleton, no lines", () => {
  const loose = [point(1, "nose", undefined, 1), point(2, "left_eye", undefined, 2)];
  assert.deepEqual(skeletonSegments(loose, categories).map((segment) => segment.ids), [[1, 2]]);
  const bare = new Map([[1, { ...person, skeleton: undefined }]]);
  assert.deepEqual(skeletonSegments(loose, bare), []);
});
