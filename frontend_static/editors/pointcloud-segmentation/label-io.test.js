// Reading and writing point-cloud segmentation labels (label-io.js): sequences keep track ids, a frame whose
// ids do not fit its cloud is refused, and what is read is written back unchanged.
import assert from "node:assert/strict";
import { test } from "node:test";

import { readSegmentationLabel, segmentationLabelAttributes } from "./label-io.js";

const countsOf = (frames) => (index) => {
  const counts = new Map();
  for (const id of frames[index].ids) if (id) counts.set(id, (counts.get(id) || 0) + 1);
  return counts;
};

test("a single-frame label round-trips, other keys kept", () => {
  const label = { format_version: "0.1", note: "x", annotations: [{ id: 3, category_id: 1 }], point_annotations: [0, 3, 3, 0] };
  const read = readSegmentationLabel(label, [{ pointCount: 4 }], [], false);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(Array.from(read.frames[0].ids), [0, 3, 3, 0]);
  const written = segmentationLabelAttributes({ ...read, sequence: false, countsOf: countsOf(read.frames) });
  assert.deepEqual(written, label);
});

test("sequence points are renumbered to track ids and instances without points are left out", () => {
  const label = {
    format_version: "0.1",
    frames: [
      { timestamp: 1, annotations: [{ id: 1, track_id: 7, category_id: 2 }], point_annotations: [1, 0] },
      { annotations: [{ id: 9, track_id: 8, category_id: 2 }], point_annotations: [0, 0] },
    ],
  };
  const read = readSegmentationLabel(label, [{ pointCount: 2 }, { pointCount: 2 }], [null, { position: {} }], true);
  assert.deepEqual(Array.from(read.frames[0].ids), [7, 0]);
  assert.deepEqual(read.instances.map((instance) => instance.id), [7, 8]);
  assert.deepEqual(read.frames[1].egoPose, { position: {} });
  const written = segmentationLabelAttributes({ ...read, sequence: true, countsOf: countsOf(read.frames) });
  assert.deepEqual(written.frames[0], { timestamp: 1, annotations: [{ id: 7, category_id: 2, track_id: 7, is_keyframe: true }], point_annotations: [7, 0] });
  assert.deepEqual(written.frames[1].annotations, []);
});

test("ids that do not fit the cloud are named and not read", () => {
  const read = readSegmentationLabel({ annotations: [], point_annotations: [1, 2, 3] }, [{ pointCount: 2 }], [], false);
  assert.equal(read.problems.length, 1);
  assert.match(read.problems[0], /3 ids, the cloud has 2 points/);
  assert.deepEqual(Array.from(read.frames[0].ids), [0, 0]);
});
