// The multi-sensor editor's pure parts: the label and links (sensor-label.js), the shared history
// (shared-history.js) and the ego-posed camera (ego-camera.js). Run: node --test frontend_static/editors/multisensor/
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { cameraInWorld } from "./ego-camera.js";
import { cameraFromAttributes, projectPoint } from "./projection.js";
import {
  linkedTracks, linksOf, linkTo, liveLinks, multiSensorLabel, sensorConfig, sensorLabels, withLink,
} from "./sensor-label.js";
import { SharedHistory } from "./shared-history.js";

/** @type {import("./sensor-label.js").SensorSample[]} */
const SENSORS = [
  { name: "lidar", task_type: "pointcloud-cuboid-sequence", kind: "pointcloud", frames: [{}, {}] },
  { name: "front", task_type: "image-vector-sequence", kind: "image", frames: [{ image_url: "/a.jpg" }, { image_url: "/b.jpg" }] },
];
const CUBOIDS = { frames: [{ annotations: [{ id: 3, track_id: 3, type: "cuboid" }] }, { annotations: [] }] };

test("each sensor's label is taken by position, and only when the names match; [] is unlabeled", () => {
  const label = { sensors: [{ name: "lidar", task_type: "pointcloud-cuboid-sequence", attributes: CUBOIDS }, { name: "front", attributes: [] }] };
  assert.deepEqual(sensorLabels(label, SENSORS), [CUBOIDS, null]);
  assert.deepEqual(sensorLabels({ sensors: [{ name: "front", attributes: CUBOIDS }] }, SENSORS), [null, null]);
  assert.deepEqual(sensorLabels(null, SENSORS), [null, null]);
});

test("a sensor's config has its task type, its frames and its part of the label", () => {
  const config = { dataset: { task_type: "multisensor-sequence" }, sample: { uuid: "u", name: "s", frames: [] }, label: { version: 2, attributes: {} } };
  const own = sensorConfig(config, SENSORS[1], null);
  assert.equal(own.dataset.task_type, "image-vector-sequence");
  assert.deepEqual(own.sample.frames, SENSORS[1].frames);
  assert.equal(own.sample.uuid, "u");
  assert.equal(own.sample.name, "s");
  assert.deepEqual(own.label, { version: 2, attributes: null });
  assert.equal(sensorConfig({ ...config, label: null }, SENSORS[0], CUBOIDS).label, null);
});

test("the stored label keeps the sample's sensor order, writes [] for an empty sensor and links only when any", () => {
  const empty = { frames: [{ annotations: [] }, { annotations: [] }] };
  assert.deepEqual(multiSensorLabel(SENSORS, [CUBOIDS, empty], []), {
    sensors: [
      { name: "lidar", task_type: "pointcloud-cuboid-sequence", attributes: CUBOIDS },
      { name: "front", task_type: "image-vector-sequence", attributes: [] },
    ],
  });
  const links = [{ from_id: 3, to_id: 4, attributes: {} }];
  assert.deepEqual(multiSensorLabel(SENSORS, [CUBOIDS, null], links).links, links);
});

test("links: a 2D track links to one cuboid; dead links are dropped; malformed ones are not loaded", () => {
  let links = withLink([], 3, 10);
  links = withLink(links, 5, 11);
  links = withLink(links, 7, 10); // re-linked to another cuboid
  assert.deepEqual(links.map((link) => [link.from_id, link.to_id]), [[5, 11], [7, 10]]);
  assert.equal(linkTo(links, 10).from_id, 7);
  assert.equal(linkTo(links, 12), null);
  assert.deepEqual(liveLinks(links, new Set([5, 11, 10])), [{ from_id: 5, to_id: 11, attributes: {} }]);
  assert.deepEqual(linkedTracks(links, 7, new Set([10, 11])), [10]);
  assert.deepEqual(linkedTracks(links, null, new Set([10])), []);
  assert.deepEqual(linksOf({ links: [{ from_id: 1, to_id: 2 }, { from_id: "1", to_id: 2 }, null] }), [{ from_id: 1, to_id: 2 }]);
});

/** An owner whose document is a number. */
function owner(value) {
  const state = { value };
  return { state, snapshot: () => state.value, restore: (snapshot) => { state.value = snapshot; } };
}

test("one history across owners: undo restores whichever owner changed last, redo re-applies it", () => {
  const history = new SharedHistory();
  const [a, b] = [owner(0), owner(0)];
  const channelA = history.channel(a);
  channelA.record(a.state.value);
  a.state.value = 1;
  history.channel(b).record(b.state.value);
  b.state.value = 5;
  assert.ok(channelA.canUndo);
  history.undo();
  assert.deepEqual([a.state.value, b.state.value], [1, 0]);
  history.undo();
  assert.deepEqual([a.state.value, b.state.value], [0, 0]);
  assert.equal(history.undo(), false);
  history.redo();
  history.redo();
  assert.deepEqual([a.state.value, b.state.value], [1, 5]);
});

test("clearing any channel (a rebase on their version for keep both) forgets every sensor's steps", () => {
  const history = new SharedHistory();
  const [a, b] = [owner(0), owner(0)];
  history.channel(a).record(0);
  history.channel(b).record(0);
  history.channel(b).clear();
  assert.equal(history.canUndo, false);
  assert.equal(history.undo(), false);
});

test("a group is one step, each owner restored to its state before the group", () => {
  const history = new SharedHistory();
  const [a, b] = [owner(0), owner(0)];
  history.group(() => {
    history.record(a, a.state.value);
    a.state.value = 1;
    history.record(b, b.state.value);
    b.state.value = 2;
    history.record(a, a.state.value); // a second change of a in the same group
    a.state.value = 3;
  });
  assert.equal(history.history.past.length, 1);
  history.undo();
  assert.deepEqual([a.state.value, b.state.value], [0, 0]);
  history.redo();
  assert.deepEqual([a.state.value, b.state.value], [3, 2]);
});

test("an ego-posed camera projects world points as the sensor-frame camera projects sensor points", () => {
  const vector = new URL("../../../tests/core/vectors/projection/front_opengl_none_000965.json", import.meta.url);
  const camera = cameraFromAttributes(JSON.parse(readFileSync(vector, "utf8")).camera);
  const half = Math.SQRT1_2;
  const pose = { position: { x: 10, y: -4, z: 1 }, heading: { qx: 0, qy: 0, qz: half, qw: half } }; // 90° about z
  const sensorPoint = [5.6, -48.8, 1.4]; // a car of the demo, ahead of the front camera
  const worldPoint = [10 - sensorPoint[1], -4 + sensorPoint[0], 1 + sensorPoint[2]];
  const expected = projectPoint(sensorPoint, camera);
  const actual = projectPoint(worldPoint, cameraInWorld(camera, pose));
  assert.ok(expected);
  actual.forEach((value, axis) => assert.ok(Math.abs(value - expected[axis]) < 1e-6));
  assert.equal(cameraInWorld(camera, null), camera);
});
