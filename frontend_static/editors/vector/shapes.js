// Operations on one annotation (bbox, polygon, polyline, point). Pure: each returns a new annotation and
// never mutates its argument. Coordinates are original-image pixels; tolerances are in the same unit (the
// caller converts its screen tolerance with the current zoom).

import {
  boxCorners,
  clampPoint,
  distance,
  distanceToSegment,
  edges,
  nearestEdge,
  nearestVertex,
  normalizeBox,
  pointInBox,
  pointInPolygon,
} from "./geometry.js";

/** The fewest vertices each shape type may have: deleting a vertex never goes below this. */
export const MIN_VERTICES = { bbox: 2, polygon: 3, polyline: 2, point: 1 };

export function isClosed(type) {
  return type === "polygon";
}

/**
 * A new annotation; bbox points are normalised to upper-left, lower-right.
 * @param {{id: number, categoryId: number, type: string, points: number[][], attributes?: Record<string, any>}} spec
 */
export function createAnnotation({ id, categoryId, type, points, attributes }) {
  const annotation = {
    id,
    category_id: categoryId,
    type,
    points: type === "bbox" ? normalizeBox(points[0], points[1]) : points.map((p) => [p[0], p[1]]),
  };
  if (attributes !== undefined) annotation.attributes = attributes;
  return annotation;
}

/** The axis-aligned bounds [[minX, minY], [maxX, maxY]] of an annotation's points. */
export function bounds(annotation) {
  const xs = annotation.points.map((p) => p[0]);
  const ys = annotation.points.map((p) => p[1]);
  return [
    [Math.min(...xs), Math.min(...ys)],
    [Math.max(...xs), Math.max(...ys)],
  ];
}

/** Move every point by (dx, dy), limited so the whole shape stays inside the width x height image. */
export function translate(annotation, dx, dy, width, height) {
  const [[minX, minY], [maxX, maxY]] = bounds(annotation);
  const limitedX = Math.max(-minX, Math.min(width - maxX, dx));
  const limitedY = Math.max(-minY, Math.min(height - maxY, dy));
  return { ...annotation, points: annotation.points.map((p) => [p[0] + limitedX, p[1] + limitedY]) };
}

/** Move vertex `index` (polygon, polyline, point) to `point`, clamped to the image. */
export function moveVertex(annotation, index, point, width, height) {
  const points = annotation.points.map((p) => [p[0], p[1]]);
  points[index] = clampPoint(point, width, height);
  return { ...annotation, points };
}

/**
 * Drag corner `corner` (0 upper-left, 1 upper-right, 2 lower-right, 3 lower-left) of a bbox to `point`;
 * the opposite corner stays. Returns {annotation, corner}: dragging past the opposite side flips the box,
 * so the dragged corner's index may change and the caller keeps dragging the returned one.
 */
export function resizeBox(annotation, corner, point, width, height) {
  const fixed = boxCorners(annotation.points)[(corner + 2) % 4];
  const moved = clampPoint(point, width, height);
  const right = moved[0] >= fixed[0];
  const below = moved[1] >= fixed[1];
  const newCorner = below ? (right ? 2 : 3) : right ? 1 : 0;
  return { annotation: { ...annotation, points: normalizeBox(fixed, moved) }, corner: newCorner };
}

/** Insert `point` as a new vertex after vertex `afterIndex` (polygon, polyline). */
export function insertVertex(annotation, afterIndex, point) {
  const points = annotation.points.map((p) => [p[0], p[1]]);
  points.splice(afterIndex + 1, 0, [point[0], point[1]]);
  return { ...annotation, points };
}

/** Whether a vertex may be deleted: only polygons and polylines with more than their minimum. */
export function canDeleteVertex(annotation) {
  const editable = annotation.type === "polygon" || annotation.type === "polyline";
  return editable && annotation.points.length > MIN_VERTICES[annotation.type];
}

/** The annotation without vertex `index`; unchanged when that would go below the minimum. */
export function deleteVertex(annotation, index) {
  if (!canDeleteVertex(annotation)) return annotation;
  return { ...annotation, points: annotation.points.filter((_, i) => i !== index) };
}

/** The drag handles of an annotation: bbox corners (ul, ur, lr, ll), or the vertices of the others. */
export function handles(annotation) {
  return annotation.type === "bbox" ? boxCorners(annotation.points) : annotation.points;
}

/** Index of the handle within `tolerance` of p, or -1. */
export function hitHandle(annotation, p, tolerance) {
  return nearestVertex(handles(annotation), p, tolerance);
}

/** Whether p hits the annotation: inside a bbox or polygon, or within `tolerance` of its outline or point. */
export function hitTest(annotation, p, tolerance) {
  const { type, points } = annotation;
  if (type === "point") return distance(points[0], p) <= tolerance;
  if (type === "bbox") return pointInBox(p, points) || nearOutline(boxCorners(points), p, tolerance, true);
  if (type === "polygon" && pointInPolygon(p, points)) return true;
  return nearOutline(points, p, tolerance, isClosed(type));
}

function nearOutline(points, p, tolerance, closed) {
  return edges(points, closed).some(([i, j]) => distanceToSegment(p, points[i], points[j]) <= tolerance);
}

/** Where a double-click at p would add a vertex to a polygon or polyline: {index, point} or null. */
export function edgeInsertion(annotation, p, tolerance) {
  if (annotation.type !== "polygon" && annotation.type !== "polyline") return null;
  return nearestEdge(annotation.points, p, tolerance, isClosed(annotation.type));
}

/** The area of the annotation's bounds, used to prefer small shapes lying on top of large ones. */
export function boundsArea(annotation) {
  const [[x0, y0], [x1, y1]] = bounds(annotation);
  return (x1 - x0) * (y1 - y0);
}
