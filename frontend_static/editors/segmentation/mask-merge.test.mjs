// Unit tests of "keep both" for id masks (mask-merge.js): `npm test` (node --test).

import assert from "node:assert/strict";
import { test } from "node:test";

import { collisionRenames } from "../../editor-core/merge.js";
import { annotationTouches, mergeInstances, mergeMaskIds, pixelTouches } from "./mask-merge.js";

const ids = (...values) => Uint32Array.from(values);

test("my pixel changes to instances they did not touch are re-applied on their mask", () => {
  const base = ids(1, 1, 2, 2, 0, 0, 3, 3);
  const mine = ids(1, 1, 2, 0, 5, 5, 3, 3); // erased a pixel of 2, painted a new instance 5
  const theirs = ids(1, 4, 2, 2, 0, 0, 4, 3); // repainted pixels of 1 and 3 with their new 4
  const touched = pixelTouches(base, theirs);
  assert.deepEqual([...touched].sort(), [1, 3, 4]);
  const { ids: merged, applied, dropped } = mergeMaskIds(base, mine, theirs, touched);
  assert.deepEqual([...merged], [1, 4, 2, 0, 5, 5, 4, 3]);
  assert.deepEqual([applied, dropped], [3, 0]);
});

test("changes to touched instances or to pixels they repainted stay theirs", () => {
  const base = ids(1, 1, 0, 0);
  const mine = ids(2, 2, 2, 0); // painted my 2 over 1 and background
  const theirs = ids(1, 1, 3, 0); // they only added 3 on pixel 2 (1 untouched)
  const touched = pixelTouches(base, theirs);
  const { ids: merged, dropped } = mergeMaskIds(base, mine, theirs, touched);
  assert.deepEqual([...merged], [2, 2, 3, 0]); // pixel 2 is theirs now
  assert.equal(dropped, 1);
  const annotationTouched = annotationTouches([{ id: 1, category_id: 1 }], [{ id: 1, category_id: 2 }], new Set(touched));
  assert.deepEqual([...mergeMaskIds(base, mine, theirs, annotationTouched).ids], [1, 1, 3, 0]); // 1 relabelled by them
});

test("an id both sides created is renamed on my pixels and instances", () => {
  const base = null;
  const mine = { annotations: [{ id: 1, category_id: 1 }] };
  const theirs = { annotations: [{ id: 1, category_id: 2 }] };
  const renames = collisionRenames(base, mine, theirs);
  assert.deepEqual([...renames], [[1, 2]]);
  const touched = pixelTouches(ids(0, 0, 0), ids(1, 0, 0));
  annotationTouches([], theirs.annotations, touched);
  const { ids: merged } = mergeMaskIds(ids(0, 0, 0), ids(0, 1, 1), ids(1, 0, 0), touched, renames);
  assert.deepEqual([...merged], [1, 2, 2]);
  const instances = mergeInstances([{ id: 1, category_id: 2 }, { id: 2, category_id: 1 }], theirs.annotations, touched);
  assert.deepEqual(instances, [{ id: 1, category_id: 2 }, { id: 2, category_id: 1 }]);
});

test("an instance they touched comes back as theirs even when I deleted it", () => {
  const theirs = [{ id: 1, category_id: 1 }, { id: 3, category_id: 2 }];
  const merged = [{ id: 3, category_id: 1 }]; // I deleted 1 and changed 3's category; they repainted 1 and 3
  assert.deepEqual(mergeInstances(merged, theirs, new Set([1, 3])), theirs.slice().reverse());
});
