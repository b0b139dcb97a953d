// Run: node --test frontend_static/editors/tracks/
// Interpolating track by track with a cache (interpolation-cache.js) must give exactly what
// interpolateSequenceLabel gives: on every shared test vector, on random labels, and after edits that reuse
// the cache.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

import { InterpolationCache } from "./interpolation-cache.js";
import { REMOVED_TRACKS_KEY, interpolateSequenceLabel } from "./interpolation.js";

const VECTORS = new URL("../../../tests/core/vectors/interpolation/", import.meta.url);

for (const file of readdirSync(VECTORS).filter((name) => name.endsWith(".json")).sort()) {
  const vector = JSON.parse(readFileSync(new URL(file, VECTORS), "utf8"));
  test(`cached interpolation equals the reference port on ${file}`, () => {
    const options = {
      frameCount: vector.frame_count,
      timestamps: vector.options.use_timestamps ? vector.timestamps : null,
      extrapolate: vector.options.extrapolate,
    };
    let expected;
    try {
      expected = interpolateSequenceLabel(structuredClone(vector.input), options);
    } catch (error) {
      assert.throws(() => new InterpolationCache().interpolate(structuredClone(vector.input), options), { message: error.message });
      return;
    }
    const cache = new InterpolationCache();
    assert.deepEqual(cache.interpolate(structuredClone(vector.input), options), expected);
    assert.deepEqual(cache.interpolate(structuredClone(vector.input), options), expected, "from the cache");
  });
}

/** A seeded random sequence label: boxes, polygons and cuboids, keyframes, remove-keyframes, extra keys. */
function randomLabel(seed, frameCount = 40, trackCount = 6) {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const frames = Array.from({ length: frameCount }, (_, index) => ({ annotations: [], image_attributes: { index } }));
  for (let track = 1; track <= trackCount; track += 1) {
    const kind = ["bbox", "polygon", "cuboid"][track % 3];
    for (let frame = 0; frame < frameCount; frame += 1) {
      const roll = random();
      if (roll < 0.12) {
        const points = kind === "polygon" ? Array.from({ length: 3 + Math.floor(random() * 3) }, () => [random() * 100, random() * 100])
          : [[random() * 50, random() * 50], [50 + random() * 50, 50 + random() * 50]];
        const annotation = kind === "cuboid"
          ? { id: track, track_id: track, category_id: 1, type: "cuboid", is_keyframe: true,
            position: { x: random(), y: random(), z: random() }, dimensions: { x: 1, y: 2, z: 1 }, yaw: random() * 6 - 3 }
          : { id: track, track_id: track, category_id: 1, type: kind, is_keyframe: true, points };
        frames[frame].annotations.push(annotation);
      } else if (roll < 0.15) {
        frames[frame].image_attributes[REMOVED_TRACKS_KEY] = [...(frames[frame].image_attributes[REMOVED_TRACKS_KEY] || []), String(track)];
      }
    }
  }
  return { format_version: "0.2", frames };
}

test("cached interpolation equals the reference port on random labels, with and without extrapolation", () => {
  for (let seed = 1; seed <= 30; seed += 1) {
    const label = randomLabel(seed);
    for (const options of [{}, { extrapolate: true }, { frameCount: 45 }]) {
      assert.deepEqual(new InterpolationCache().interpolate(structuredClone(label), options), interpolateSequenceLabel(structuredClone(label), options));
    }
  }
});

test("after an edit only the edited track is interpolated again, and the result is still exact", () => {
  const label = randomLabel(7);
  const cache = new InterpolationCache();
  cache.interpolate(structuredClone(label));
  const edited = structuredClone(label);
  const moved = edited.frames.flatMap((frame) => frame.annotations).find((annotation) => annotation.track_id === 1); // a polygon
  moved.points = moved.points.map(([x, y]) => [x + 5, y]);
  const before = { ...cache.stats };

  const result = cache.interpolate(structuredClone(edited));

  assert.deepEqual(result, interpolateSequenceLabel(structuredClone(edited)));
  assert.equal(cache.stats.computed - before.computed, 1);
  assert.equal(cache.stats.reused - before.reused, 5);
});

test("a deleted track is forgotten and changed options start afresh", () => {
  const label = randomLabel(3);
  const cache = new InterpolationCache();
  cache.interpolate(structuredClone(label));
  const without = structuredClone(label);
  for (const frame of without.frames) frame.annotations = frame.annotations.filter((annotation) => annotation.track_id !== 1);

  assert.deepEqual(cache.interpolate(structuredClone(without)), interpolateSequenceLabel(structuredClone(without)));
  assert.equal(cache.tracks.has("1"), false);
  assert.deepEqual(cache.interpolate(structuredClone(without), { extrapolate: true }), interpolateSequenceLabel(structuredClone(without), { extrapolate: true }));
});
