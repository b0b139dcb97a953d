// The label being edited, as plain data, and its conversion to and from the stored label attributes
// ("Image - Vector labels": format_version, annotations, image_attributes, links).
//
// Editor document: {annotations, imageAttributes, links, extra}
//   annotations: [{id, category_id, type: "bbox"|"polygon"|"polyline"|"point", points: [[x, y], ...],
//                  attributes?: {name: value}, ...keys we do not know, kept as loaded}]
//   imageAttributes: {name: value}
//   links: the loaded label's links (null when it had none); links to deleted objects are dropped on save
//   extra: top-level keys of the loaded label we do not edit, written back unchanged
// Points are pixels of the original image; a bbox is [[x0, y0], [x1, y1]], upper-left then lower-right.

import {
  categoryColor, defaultAttributeValues, isMissingValue, missingMandatory, reconcileAttributes,
} from "../../editor-core/attributes.js";
import { normalizeBox, roundCoordinate } from "./geometry.js";

// The category and attribute helpers every editor shares live in the editor core.
export { categoryColor, defaultAttributeValues, isMissingValue, missingMandatory, reconcileAttributes };

export const FORMAT_VERSION = "0.1";
export const SHAPE_TYPES = ["bbox", "polygon", "polyline", "point"];
const TOOLS_BY_TASK_TYPE = {
  vector: ["bbox", "polygon", "polyline", "point"],
  bboxes: ["bbox"],
  keypoints: ["point"],
};
const KNOWN_LABEL_KEYS = new Set(["format_version", "annotations", "image_attributes", "links"]);
/** The shape types a dataset of `taskType` may draw: vector all four, bboxes only bbox, keypoints only point. */
export function shapeTypesFor(taskType) {
  return TOOLS_BY_TASK_TYPE[taskType] || TOOLS_BY_TASK_TYPE.vector;
}

/** Build the editor document from stored label attributes (null when the sample has no label yet). */
export function documentFromLabel(attributes, taskAttributes) {
  const imageDefinitions = (taskAttributes && taskAttributes.image_attributes) || [];
  const source = attributes && typeof attributes === "object" ? attributes : {};
  const extra = {};
  for (const [key, value] of Object.entries(source)) {
    if (!KNOWN_LABEL_KEYS.has(key)) extra[key] = value;
  }
  return {
    annotations: (source.annotations || []).map((annotation) => structuredClone(annotation)),
    imageAttributes: source.image_attributes
      ? structuredClone(source.image_attributes)
      : defaultAttributeValues(imageDefinitions),
    links: Array.isArray(source.links) ? structuredClone(source.links) : null,
    extra: structuredClone(extra),
  };
}

/** The label attributes to store for the editor document (see the module comment for the shape). */
export function labelFromDocument(document) {
  const ids = new Set(document.annotations.map((annotation) => annotation.id));
  const label = {
    ...structuredClone(document.extra),
    format_version: FORMAT_VERSION,
    annotations: document.annotations.map(storedAnnotation),
    image_attributes: structuredClone(document.imageAttributes || {}),
  };
  if (document.links) {
    label.links = document.links.filter((link) => ids.has(link.from_id) && ids.has(link.to_id));
  }
  return label;
}

function storedAnnotation(annotation) {
  const { id, category_id: categoryId, type, points, attributes, ...rest } = annotation;
  let stored = points.map((point) => [roundCoordinate(point[0]), roundCoordinate(point[1])]);
  if (type === "bbox") stored = normalizeBox(stored[0], stored[1]);
  const result = { ...structuredClone(rest), id, track_id: id, category_id: categoryId, type, points: stored };
  if (attributes !== undefined) result.attributes = structuredClone(attributes);
  return result;
}

/** The id for a new object: one more than the largest id in use (ids start at 1). */
export function nextAnnotationId(annotations) {
  return annotations.reduce((largest, annotation) => Math.max(largest, Number(annotation.id) || 0), 0) + 1;
}

/**
 * Make a server validation error readable: `path` like "attributes.annotations[2].attributes.occluded"
 * refers to the label that was sent (`sentLabel`). Returns {annotationId, text}; annotationId is null when
 * the error is not about one object.
 */
export function describeErrorPath(path, sentLabel, categoriesById) {
  const match = /^attributes\.annotations(?:\[(\d+)\]|\.(\d+))(?:\.(.+))?$/.exec(path || "");
  if (!match) return { annotationId: null, text: (path || "").replace(/^attributes\./, "") || "label" };
  const annotation = (sentLabel.annotations || [])[Number(match[1] ?? match[2])];
  if (!annotation) return { annotationId: null, text: path };
  const category = categoriesById.get(annotation.category_id);
  const name = category ? category.name : `category ${annotation.category_id}`;
  const field = match[3] ? ` · ${match[3]}` : "";
  return { annotationId: annotation.id, text: `Object #${annotation.id} (${name}, ${annotation.type})${field}` };
}
