// Run: node --test frontend_static/editors/multisensor/
import assert from "node:assert/strict";
import { test } from "node:test";

import { mergeLinks, mergeMultiSensorLabels } from "./merge-label.js";

const cuboid = (id, x = 0) => ({ id, track_id: id, category_id: 1, type: "cuboid", position: { x, y: 0, z: 0 }, is_keyframe: true });
const box = (id, x = 10) => ({ id, track_id: id, category_id: 1, type: "bbox", points: [[x, 10], [x + 20, 40]], is_keyframe: true });

/** A two-frame label: lidar cuboids and camera boxes in frame 1, links as given. */
function label({ cuboids = [], boxes = [], links = [], rear = [] } = {}) {
  const sequence = (annotations) => (annotations.length ? { frames: [{ annotations }, { annotations: [] }] } : []);
  const result = {
    sensors: [
      { name: "lidar", task_type: "pointcloud-cuboid-sequence", attributes: sequence(cuboids) },
      { name: "front", task_type: "image-vector-sequence", attributes: sequence(boxes) },
      { name: "rear", task_type: "image-segmentation-sequence", attributes: rear },
    ],
  };
  return links.length ? { ...result, links: links.map(([from_id, to_id]) => ({ from_id, to_id, attributes: {} })) } : result;
}

const frameOne = (merged, name) => merged.attributes.sensors.find((sensor) => sensor.name === name).attributes.frames[0].annotations;
const pairs = (merged) => (merged.attributes.links || []).map((link) => [link.from_id, link.to_id]);

test("keep both: my cuboid change and their new 2D box and link are both kept", () => {
  const base = label({ cuboids: [cuboid(1)] });
  const mine = label({ cuboids: [cuboid(1, 5)] });
  const theirs = label({ cuboids: [cuboid(1)], boxes: [box(2)], links: [[1, 2]] });
  const merged = mergeMultiSensorLabels(base, mine, theirs);
  assert.deepEqual(frameOne(merged, "lidar"), [cuboid(1, 5)]);
  assert.deepEqual(frameOne(merged, "front"), [box(2)]);
  assert.deepEqual(pairs(merged), [[1, 2]]);
  assert.deepEqual(merged.conflicts, []);
});

test("sensors are matched by name and come out in their order; an unlabeled sensor stays []", () => {
  const base = label({ cuboids: [cuboid(1)] });
  const mine = label({ cuboids: [cuboid(1)], boxes: [box(4)] });
  const theirs = label({ cuboids: [cuboid(1, 3)] });
  theirs.sensors.reverse();
  const merged = mergeMultiSensorLabels(base, mine, theirs);
  assert.deepEqual(merged.attributes.sensors.map((sensor) => sensor.name), ["rear", "front", "lidar"]);
  assert.deepEqual(merged.attributes.sensors[0].attributes, []);
  assert.deepEqual(frameOne(merged, "front"), [box(4)]);
  assert.deepEqual(frameOne(merged, "lidar"), [cuboid(1, 3)]);
});

test("what both changed keeps theirs and is reported with the sensor's name", () => {
  const base = label({ boxes: [box(2)] });
  const merged = mergeMultiSensorLabels(base, label({ boxes: [box(2, 50)] }), label({ boxes: [box(2, 70)] }));
  assert.deepEqual(frameOne(merged, "front"), [box(2, 70)]);
  assert.deepEqual(merged.conflicts, ["front frame 1: 2"]);
});

test("a track I added under an id they used in another sensor is renumbered, in my links too", () => {
  const base = label({ cuboids: [cuboid(1)] });
  const mine = label({ cuboids: [cuboid(1)], boxes: [box(2)], links: [[1, 2]] });
  const theirs = label({ cuboids: [cuboid(1), cuboid(2, 9)] });
  const merged = mergeMultiSensorLabels(base, mine, theirs);
  assert.deepEqual(frameOne(merged, "lidar"), [cuboid(1), cuboid(2, 9)]);
  assert.deepEqual(frameOne(merged, "front"), [box(3)]);
  assert.deepEqual(pairs(merged), [[1, 3]]);
});

test("links: mine added and removed since base are re-applied on theirs", () => {
  const links = mergeLinks(
    [{ from_id: 1, to_id: 2 }, { from_id: 1, to_id: 3 }],
    [{ from_id: 1, to_id: 3 }, { from_id: 5, to_id: 6 }], // removed 1-2, added 5-6
    [{ from_id: 1, to_id: 2 }, { from_id: 1, to_id: 3 }, { from_id: 7, to_id: 8 }],
  );
  assert.deepEqual(links.links.map((link) => [link.from_id, link.to_id]), [[1, 3], [7, 8], [5, 6]]);
  assert.deepEqual(links.conflicts, []);
});

test("links: a pair they changed keeps theirs; one 2D track linked to two cuboids keeps their link", () => {
  const base = [{ from_id: 1, to_id: 2, attributes: {} }];
  const changed = mergeLinks(base, [{ from_id: 1, to_id: 2, attributes: { a: 1 } }], [{ from_id: 1, to_id: 2, attributes: { a: 2 } }]);
  assert.deepEqual(changed.links, [{ from_id: 1, to_id: 2, attributes: { a: 2 } }]);
  assert.deepEqual(changed.conflicts, ["link 1 ↔ 2"]);
  const relinked = mergeLinks([], [{ from_id: 4, to_id: 9 }], [{ from_id: 5, to_id: 9 }]);
  assert.deepEqual(relinked.links, [{ from_id: 5, to_id: 9 }]);
  assert.deepEqual(relinked.conflicts, ["link 4 ↔ 9"]);
});

test("a link whose track is gone after the merge is dropped and reported", () => {
  const base = label({ cuboids: [cuboid(1)], boxes: [box(2)] });
  const mine = label({ cuboids: [cuboid(1)], boxes: [box(2)], links: [[1, 2]] });
  const theirs = label({ cuboids: [cuboid(1)] }); // they deleted the 2D box
  const merged = mergeMultiSensorLabels(base, mine, theirs);
  assert.equal(merged.attributes.links, undefined);
  assert.deepEqual(frameOne(merged, "front"), []);
  assert.deepEqual(merged.dropped, ["link 1 ↔ 2 dropped: track 2 is gone"]);
  assert.ok(merged.conflicts.includes(merged.dropped[0]));
});

test("no stored label (deleted meanwhile): what I added is kept, what I left alone is gone with it", () => {
  const mine = label({ cuboids: [cuboid(1)], boxes: [box(2)], links: [[1, 2]] });
  const merged = mergeMultiSensorLabels(label({ cuboids: [cuboid(1)] }), mine, null);
  assert.deepEqual(frameOne(merged, "lidar"), []);
  assert.deepEqual(frameOne(merged, "front"), [box(2)]);
  assert.deepEqual(merged.dropped, ["link 1 ↔ 2 dropped: track 1 is gone"]);
});
