import assert from "node:assert/strict";
import { test } from "node:test";

import { mergeById, mergeLabels } from "./merge.js";

const box = (id, x) => ({ id, category_id: 1, type: "bbox", points: [[x, 0], [x + 10, 10]] });

test("my changes land on top of theirs for the objects they did not touch", () => {
  const base = [box(1, 0), box(2, 20), box(3, 40)];
  const mine = [box(1, 5), box(3, 40), box(4, 60)]; // moved 1, deleted 2, added 4
  const theirs = [box(1, 0), box(2, 20), box(3, 45), box(5, 80)]; // moved 3, added 5
  const { items, conflicts } = mergeById(base, mine, theirs);
  assert.deepEqual(items, [box(1, 5), box(3, 45), box(5, 80), box(4, 60)]);
  assert.deepEqual(conflicts, []);
});

test("an object both changed keeps theirs and is reported", () => {
  const { items, conflicts } = mergeById([box(1, 0)], [box(1, 5)], [box(1, 7)]);
  assert.deepEqual(items, [box(1, 7)]);
  assert.deepEqual(conflicts, [1]);
});

test("sequence labels merge frame by frame, image attributes key by key", () => {
  const base = { format_version: "0.2", frames: [{ annotations: [box(1, 0)] }, { annotations: [] }] };
  const mine = { format_version: "0.2", frames: [{ annotations: [box(1, 0)] }, { annotations: [box(2, 9)], image_attributes: { night: true } }] };
  const theirs = { format_version: "0.2", frames: [{ annotations: [box(1, 3)] }, { annotations: [] }] };
  const { attributes, conflicts } = mergeLabels(base, mine, theirs);
  assert.deepEqual(attributes.frames[0].annotations, [box(1, 3)]);
  assert.deepEqual(attributes.frames[1], { annotations: [box(2, 9)], image_attributes: { night: true } });
  assert.deepEqual(conflicts, []);
});

test("objects both added under the same id are both kept: mine is renumbered in every frame", () => {
  const { attributes } = mergeLabels(null, { annotations: [box(1, 5)] }, { annotations: [box(1, 50)] });
  assert.deepEqual(attributes.annotations, [box(1, 50), box(2, 5)]);
  const track = (x) => ({ ...box(1, x), track_id: 1 });
  const merged = mergeLabels(
    { frames: [{ annotations: [] }, { annotations: [] }] },
    { frames: [{ annotations: [track(1)] }, { annotations: [track(2)] }] },
    { frames: [{ annotations: [track(9)] }, { annotations: [] }] },
  ).attributes;
  assert.deepEqual(merged.frames[0].annotations.map((a) => [a.id, a.track_id]), [[1, 1], [2, 2]]);
  assert.deepEqual(merged.frames[1].annotations.map((a) => [a.id, a.track_id]), [[2, 2]]);
});
