import assert from "node:assert/strict";
import { test } from "node:test";

import {
  categoryColor, defaultAttributeValues, describeErrorPath, documentFromLabel, labelFromDocument, missingMandatory,
  nextAnnotationId, reconcileAttributes, shapeTypesFor,
} from "./label-document.js";

const taskAttributes = {
  format_version: "0.1",
  categories: [{ id: 1, name: "car", color: [255, 0, 0, 128], attributes: [
    { name: "occluded", input_type: "checkbox" },
    { name: "color", input_type: "select", values: ["red", "blue"], is_mandatory: true },
    { name: "tags", input_type: "multiselect", values: ["a", "b"], default_value: "a" },
    { name: "count", input_type: "number", default_value: 2 },
  ] }],
  image_attributes: [{ name: "weather", input_type: "select", values: ["sunny"], default_value: "sunny" }],
};

test("a new document starts empty with image attribute defaults", () => {
  const document = documentFromLabel(null, taskAttributes);
  assert.deepEqual(labelFromDocument(document), {
    format_version: "0.1", annotations: [], image_attributes: { weather: "sunny" },
  });
});

test("a loaded label round-trips, keeping links and unknown keys, dropping links to deleted objects", () => {
  const stored = {
    format_version: "0.1",
    annotations: [
      { id: 3, track_id: 3, category_id: 1, type: "bbox", points: [[1, 2], [3, 4]], attributes: { color: "red" } },
      { id: 5, track_id: 5, category_id: 1, type: "point", points: [[7.123, 8]] },
    ],
    image_attributes: { weather: "sunny" },
    links: [{ from_id: 3, to_id: 5, attributes: {} }],
    custom: { kept: true },
  };
  const document = documentFromLabel(stored, taskAttributes);
  const again = labelFromDocument(document);
  assert.deepEqual(again, { ...stored, annotations: [stored.annotations[0], { ...stored.annotations[1], points: [[7.12, 8]] }] });
  document.annotations.pop();
  assert.deepEqual(labelFromDocument(document).links, []);
});

test("stored annotations carry track_id = id and normalised, rounded bbox corners", () => {
  const document = documentFromLabel(null, taskAttributes);
  document.annotations.push({ id: 1, category_id: 1, type: "bbox", points: [[10.004, 20], [5, 2.555]] });
  assert.deepEqual(labelFromDocument(document).annotations, [
    { id: 1, track_id: 1, category_id: 1, type: "bbox", points: [[5, 2.56], [10, 20]] },
  ]);
});

test("attribute defaults, reconciliation and mandatory checks", () => {
  const definitions = taskAttributes.categories[0].attributes;
  assert.deepEqual(defaultAttributeValues(definitions), { occluded: false, tags: ["a"], count: 2 });
  assert.deepEqual(missingMandatory(definitions, defaultAttributeValues(definitions)), ["color"]);
  assert.deepEqual(missingMandatory(definitions, { color: "red" }), []);
  assert.deepEqual(reconcileAttributes(definitions, { color: "blue", gone: 1 }), {
    occluded: false, tags: ["a"], count: 2, color: "blue",
  });
  assert.equal(reconcileAttributes([], undefined), undefined);
});

test("ids, colors and tools per task type", () => {
  assert.equal(nextAnnotationId([]), 1);
  assert.equal(nextAnnotationId([{ id: 4 }, { id: 2 }]), 5);
  assert.deepEqual(categoryColor(taskAttributes.categories[0]), [255, 0, 0]);
  assert.equal(categoryColor({ id: 9, name: "x" }, 1).length, 3);
  assert.deepEqual(shapeTypesFor("bboxes"), ["bbox"]);
  assert.deepEqual(shapeTypesFor("keypoints"), ["point"]);
  assert.deepEqual(shapeTypesFor("vector"), ["bbox", "polygon", "polyline", "point"]);
});

test("server error paths name the object they are about", () => {
  const sent = { annotations: [{ id: 7, category_id: 1, type: "bbox" }] };
  const categories = new Map([[1, { id: 1, name: "car" }]]);
  assert.deepEqual(describeErrorPath("attributes.annotations.0.attributes.color", sent, categories), {
    annotationId: 7, text: "Object #7 (car, bbox) · attributes.color",
  });
  assert.equal(describeErrorPath("attributes.annotations[0]", sent, categories).annotationId, 7);
  assert.deepEqual(describeErrorPath("attributes.image_attributes.weather", sent, categories), {
    annotationId: null, text: "image_attributes.weather",
  });
});
