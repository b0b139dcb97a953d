import assert from "node:assert/strict";
import test from "node:test";

import { fromTaskAttributes, toTaskAttributes } from "./task-attributes.js";

test("rows become the SDK's task_attributes with ids kept and new ids after the largest", () => {
  const result = toTaskAttributes({
    categories: [
      { id: 3, name: "car", color: "#ff0000", has_instances: true },
      { id: null, name: "tree", color: "#00ff00", has_instances: false },
      { id: null, name: "", color: "#000000", has_instances: false },
    ],
    attributes: [
      { scope: "object", name: "occluded", input_type: "checkbox", values: "", default_value: "", is_track_level: true },
      { scope: "image", name: "weather", input_type: "select", values: "sun, rain", default_value: "sun", is_track_level: false },
      { scope: "object", name: "speed", input_type: "number", values: "", default_value: "2.5", is_track_level: false },
    ],
  });
  assert.deepEqual(result.categories.map((c) => [c.id, c.name, c.color]), [[3, "car", [255, 0, 0]], [4, "tree", [0, 255, 0]]]);
  assert.deepEqual(result.categories[1].attributes, [
    { name: "occluded", input_type: "checkbox", is_track_level: true, default_value: false },
    { name: "speed", input_type: "number", is_track_level: false, default_value: 2.5 },
  ]);
  assert.deepEqual(result.image_attributes, [
    { name: "weather", input_type: "select", is_track_level: false, values: ["sun", "rain"], default_value: "sun" },
  ]);
});

test("task_attributes read back into rows give the same task_attributes", () => {
  const original = {
    format_version: "0.1",
    circle_radius: 4,
    categories: [{ id: 7, name: "person", color: [1, 2, 3], has_instances: true, attributes: [{ name: "pose", input_type: "text", is_track_level: false, default_value: "standing" }] }],
  };
  assert.deepEqual(toTaskAttributes(fromTaskAttributes(original)), original);
});
