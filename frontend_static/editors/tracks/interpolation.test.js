// Run: node --test frontend_static/editors/tracks/
// The browser's interpolation must agree with the server's reference implementation: both run every JSON
// test vector in tests/core/vectors/interpolation/ (format in docs/interpolation.md, "Test vectors").
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import {
  interpolateSequenceLabel, interpolationPositions, InterpolationError, isKeyframe, removedTrackIds, wrapYaw,
} from "./interpolation.js";

const VECTORS = new URL("../../../tests/core/vectors/interpolation/", import.meta.url);
const TOLERANCE = 1e-9;

/** Deep comparison with the vectors' rules: numbers within TOLERANCE, everything else exact. */
function assertMatches(actual, expected, path = "$") {
  if (typeof expected === "number") {
    assert.equal(typeof actual, "number", `${path}: expected a number, got ${JSON.stringify(actual)}`);
    assert.ok(Math.abs(actual - expected) <= TOLERANCE, `${path}: ${actual} != ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected a list, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: list length`);
    expected.forEach((item, index) => assertMatches(actual[index], item, `${path}[${index}]`));
  } else if (expected !== null && typeof expected === "object") {
    assert.ok(actual !== null && typeof actual === "object" && !Array.isArray(actual), `${path}: expected an object`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: keys`);
    for (const key of Object.keys(expected)) assertMatches(actual[key], expected[key], `${path}.${key}`);
  } else {
    assert.strictEqual(actual, expected, `${path}`);
  }
}

const files = readdirSync(VECTORS).filter((name) => name.endsWith(".json")).sort();

test("there are test vectors to run", () => {
  assert.ok(files.length >= 20, `found ${files.length} vectors in ${VECTORS.pathname}`);
});

for (const file of files) {
  const vector = JSON.parse(readFileSync(new URL(file, VECTORS), "utf8"));
  test(`vector ${file}: ${vector.name}`, () => {
    const input = structuredClone(vector.input);
    const options = {
      frameCount: vector.frame_count,
      timestamps: vector.options.use_timestamps ? vector.timestamps : null,
      extrapolate: vector.options.extrapolate,
    };
    const result = interpolateSequenceLabel(input, options);
    assertMatches(result, vector.expected);
    assert.deepEqual(input, vector.input, "the input is not mutated");
    assertMatches(interpolateSequenceLabel(result, options), vector.expected, "$(idempotent)");
  });
}

test("timestamps fall back to frame indexes unless complete, finite and strictly increasing", () => {
  assert.deepEqual(interpolationPositions(3, ["10", "20", "40"]), [10, 20, 40]);
  assert.deepEqual(interpolationPositions(3, [0, 20, 20]), [0, 1, 2]);
  assert.deepEqual(interpolationPositions(3, [0, 20]), [0, 1, 2]);
  assert.deepEqual(interpolationPositions(3, [0, null, 40]), [0, 1, 2]);
  assert.deepEqual(interpolationPositions(2, [0, ""]), [0, 1]);
});

test("exactly pi wraps to -pi and a missing is_keyframe counts as a keyframe", () => {
  assert.equal(wrapYaw(Math.PI), -Math.PI);
  assert.equal(isKeyframe({ id: 1 }), true);
  assert.equal(isKeyframe({ id: 1, is_keyframe: false }), false);
  assert.deepEqual([...removedTrackIds({ image_attributes: { _removed_track_ids: [3, "4"] } })], ["3", "4"]);
});

test("a label with more frames than the sequence is refused", () => {
  const label = { frames: [{ annotations: [] }, { annotations: [] }] };
  assert.throws(() => interpolateSequenceLabel(label, { frameCount: 1 }), InterpolationError);
});

test("an unknown annotation type is refused, naming the frame", () => {
  const label = { frames: [{ annotations: [{ id: 1, track_id: 1, type: "circle", points: [[0, 0]] }] }] };
  assert.throws(() => interpolateSequenceLabel(label), /frame 0/);
});
