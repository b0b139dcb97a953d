// The segmentation label as plain data, and its conversion to and from the stored label attributes
// ("Image - Segmentation labels"): {format_version, annotations: [{id, category_id, attributes?}],
// segmentation_bitmap: {url}, image_attributes?}. Pure: no DOM.
//
// Instances: [{id, category_id, attributes?, ...keys we do not know, kept as loaded}], in label order.
// category_id is null for ids found in a bitmap without an annotation (the user must assign a category).

import { MAX_ID } from "./mask.js";

export const FORMAT_VERSION = "0.1";
const KNOWN_LABEL_KEYS = new Set(["format_version", "annotations", "segmentation_bitmap", "image_attributes"]);

/**
 * Instances, image attributes and untouched extra keys from stored label attributes (null = no label).
 * `presentIds` (a Map id -> pixel count of the loaded bitmap) adds an instance without category for every
 * id the bitmap has but the annotations lack.
 */
export function instancesFromLabel(attributes, presentIds = new Map()) {
  const source = attributes && typeof attributes === "object" ? attributes : {};
  const instances = (Array.isArray(source.annotations) ? source.annotations : [])
    .filter((annotation) => annotation && Number.isInteger(annotation.id))
    .map((annotation) => ({ ...annotation, category_id: annotation.category_id ?? null }));
  const known = new Set(instances.map((instance) => instance.id));
  const orphans = [...presentIds.keys()].filter((id) => !known.has(id)).sort((a, b) => a - b);
  for (const id of orphans) instances.push({ id, category_id: null });
  const extra = {};
  for (const [key, value] of Object.entries(source)) if (!KNOWN_LABEL_KEYS.has(key)) extra[key] = value;
  return {
    instances,
    orphanIds: orphans,
    imageAttributes: { ...(source.image_attributes || {}) },
    bitmapUrl: source.segmentation_bitmap && source.segmentation_bitmap.url ? source.segmentation_bitmap.url : null,
    formatVersion: source.format_version ?? FORMAT_VERSION,
    extra,
  };
}

/** The smallest id above every instance id and every id in the mask (`presentIds` keys). */
export function nextInstanceId(instances, presentIds) {
  let highest = 0;
  for (const instance of instances) highest = Math.max(highest, instance.id);
  for (const id of presentIds.keys()) highest = Math.max(highest, id);
  if (highest >= MAX_ID) throw new RangeError("No instance ids left (ids are 24-bit).");
  return highest + 1;
}

/**
 * Why the mask and instances cannot be saved: a list of readable messages (empty = fine). `counts` is the
 * Map id -> pixel count of the mask; `categoriesById` the dataset's categories.
 */
export function saveProblems(instances, counts, categoriesById) {
  const byId = new Map(instances.map((instance) => [instance.id, instance]));
  const problems = [];
  for (const id of [...counts.keys()].sort((a, b) => a - b)) {
    const instance = byId.get(id);
    if (!instance || instance.category_id === null) {
      problems.push(`Instance ${id} has pixels but no category: pick a category for it or delete it.`);
    } else if (!categoriesById.has(instance.category_id)) {
      problems.push(`Instance ${id} has category ${instance.category_id}, which this dataset does not define.`);
    }
  }
  return problems;
}

/**
 * The label attributes to store: annotations are exactly the instances with pixels in the mask (`counts`),
 * in instance order, so bitmap ids and annotations always agree.
 */
export function labelAttributes({ instances, counts, bitmapUrl, imageAttributes, formatVersion, extra }) {
  const annotations = instances
    .filter((instance) => counts.has(instance.id))
    .map((instance) => {
      const annotation = { ...instance };
      if (annotation.attributes === undefined || annotation.attributes === null) delete annotation.attributes;
      return annotation;
    });
  const attributes = {
    ...extra,
    format_version: formatVersion ?? FORMAT_VERSION,
    annotations,
    segmentation_bitmap: { url: bitmapUrl },
  };
  const imageValues = Object.fromEntries(Object.entries(imageAttributes || {}).filter(([, value]) => value !== undefined));
  if (Object.keys(imageValues).length) attributes.image_attributes = imageValues;
  return attributes;
}

/**
 * The status a save starts from: the stored label's, or LABELED for none (or an unlabeled or pre-labeled one).
 * @param {{label_status?: string}|null} label the stored label
 * @returns {string}
 */
export function initialStatus(label) {
  if (!label || ["UNLABELED", "PRELABELED"].includes(label.label_status)) return "LABELED";
  return label.label_status;
}
