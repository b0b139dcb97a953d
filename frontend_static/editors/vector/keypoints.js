// Keypoint objects (docs/keypoints.md): a category with `keypoints` (names) and `skeleton` (1-based edges)
// groups the `point` annotations that share its id and their `object` attribute into one object, e.g. a
// person's 17 joints. Pure functions over the label's annotations; render.js draws the skeleton, panels.js
// names the keypoints.

/**
 * @typedef {{id: number, type: string, category_id: number, points: number[][], attributes?: Record<string, any>}} Annotation
 * @typedef {{id: number, keypoints?: string[], skeleton?: number[][]}} KeypointCategory
 * @typedef {{from: number[], to: number[], ids: number[], edge: number[], categoryId: number, object: string}} SkeletonSegment
 */

/**
 * The keypoint name of a point of a keypoint category ("left_shoulder"), or null for any other annotation
 * or a name the category does not list.
 * @param {Annotation} annotation
 * @param {KeypointCategory|undefined} category
 * @returns {string|null}
 */
export function keypointName(annotation, category) {
  const name = annotation.attributes?.keypoint;
  if (annotation.type !== "point" || typeof name !== "string") return null;
  return category?.keypoints?.includes(name) ? name : null;
}

/**
 * The skeleton's line segments between the keypoints of each object: one per category `skeleton` edge whose
 * two keypoints are both labeled in that object (points of one category and `object` value; a missing
 * `object` is one object). `from`/`to` are the points' image coordinates, `ids` their annotation ids.
 * @param {Annotation[]} annotations
 * @param {Map<number, KeypointCategory>} categoriesById
 * @returns {SkeletonSegment[]}
 */
export function skeletonSegments(annotations, categoriesById) {
  /** @type {Map<string, {category: KeypointCategory, object: string, points: Map<string, Annotation>}>} */
  const objects = new Map();
  for (const annotation of annotations) {
    const category = categoriesById.get(annotation.category_id);
    const name = keypointName(annotation, category);
    if (!category?.skeleton?.length || name === null) continue;
    const object = String(annotation.attributes?.object ?? "");
    const key = JSON.stringify([category.id, object]);
    if (!objects.has(key)) objects.set(key, { category, object, points: new Map() });
    objects.get(key)?.points.set(name, annotation);
  }
  const segments = [];
  for (const { category, object, points } of objects.values()) {
    const names = category.keypoints || [];
    for (const edge of category.skeleton || []) {
      const a = points.get(names[edge[0] - 1]);
      const b = points.get(names[edge[1] - 1]);
      if (!a || !b) continue;
      segments.push({ from: a.points[0], to: b.points[0], ids: [a.id, b.id], edge, categoryId: category.id, object });
    }
  }
  return segments;
}
