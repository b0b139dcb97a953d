// Pure 2D geometry for the image vector editor. No DOM, no state: every function takes plain values.
//
// Units: "image" coordinates are pixels of the ORIGINAL image (x to the right, y down, origin at the
// upper-left corner of the upper-left pixel). "Screen" coordinates are CSS pixels relative to the
// upper-left corner of the editor's viewport. A view {scale, x, y} maps image to screen:
// screen = image * scale + (x, y).

/** Euclidean distance between two points [x, y]. */
export function distance(a, b) {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** The point of segment a-b closest to p, and its parameter t in [0, 1] along the segment. */
export function closestPointOnSegment(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  if (lengthSquared === 0) return { point: [a[0], a[1]], t: 0 };
  const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSquared));
  return { point: [a[0] + t * dx, a[1] + t * dy], t };
}

/** Shortest distance from p to the segment a-b. */
export function distanceToSegment(p, a, b) {
  return distance(p, closestPointOnSegment(p, a, b).point);
}

/** Whether p lies inside the polygon (even-odd rule). Points exactly on an edge may go either way. */
export function pointInPolygon(p, polygon) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    const crosses = yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi;
    if (crosses) inside = !inside;
  }
  return inside;
}

/** Bounding box corners [[x0, y0], [x1, y1]] from any two opposite corners: upper-left, then lower-right. */
export function normalizeBox(a, b) {
  return [
    [Math.min(a[0], b[0]), Math.min(a[1], b[1])],
    [Math.max(a[0], b[0]), Math.max(a[1], b[1])],
  ];
}

/** The four corners of a box [[x0, y0], [x1, y1]] clockwise from the upper-left: ul, ur, lr, ll. */
export function boxCorners(box) {
  const [[x0, y0], [x1, y1]] = box;
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
}

/** Whether p lies inside (or on the border of) the box [[x0, y0], [x1, y1]]. */
export function pointInBox(p, box) {
  const [[x0, y0], [x1, y1]] = normalizeBox(box[0], box[1]);
  return p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1;
}

/** The edges of a vertex list as index pairs; `closed` adds the edge from the last vertex to the first. */
export function edges(points, closed) {
  const pairs = [];
  for (let i = 0; i + 1 < points.length; i++) pairs.push([i, i + 1]);
  if (closed && points.length > 2) pairs.push([points.length - 1, 0]);
  return pairs;
}

/** Index of the vertex nearest to p within `tolerance`, or -1. */
export function nearestVertex(points, p, tolerance) {
  let best = -1;
  let bestDistance = tolerance;
  points.forEach((vertex, index) => {
    const d = distance(vertex, p);
    if (d <= bestDistance) {
      best = index;
      bestDistance = d;
    }
  });
  return best;
}

/**
 * The edge nearest to p within `tolerance`: {index, point} where a new vertex at `point` belongs at
 * position `index + 1` of the vertex list; null when no edge is that close.
 */
export function nearestEdge(points, p, tolerance, closed) {
  let best = null;
  let bestDistance = tolerance;
  for (const [i, j] of edges(points, closed)) {
    const { point } = closestPointOnSegment(p, points[i], points[j]);
    const d = distance(point, p);
    if (d <= bestDistance) {
      best = { index: i, point };
      bestDistance = d;
    }
  }
  return best;
}

/** Clamp a point to the image rectangle [0, width] x [0, height]. */
export function clampPoint(p, width, height) {
  return [Math.max(0, Math.min(width, p[0])), Math.max(0, Math.min(height, p[1]))];
}

/** Round a coordinate to 0.01 px: finer than any annotator's hand, and keeps stored labels readable. */
export function roundCoordinate(value) {
  return Math.round(value * 100) / 100;
}

/** Screen point (CSS px in the viewport) to image pixels under the view {scale, x, y}. */
export function screenToImage(p, view) {
  return [(p[0] - view.x) / view.scale, (p[1] - view.y) / view.scale];
}

/** Image pixels to a screen point (CSS px in the viewport) under the view {scale, x, y}. */
export function imageToScreen(p, view) {
  return [p[0] * view.scale + view.x, p[1] * view.scale + view.y];
}

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 40;

/**
 * The view after zooming by `factor` so that the image pixel under the screen point `anchor` stays put.
 * The scale is clamped to [MIN_SCALE, MAX_SCALE].
 */
export function zoomAround(view, factor, anchor) {
  const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, view.scale * factor));
  const imagePoint = screenToImage(anchor, view);
  return { scale, x: anchor[0] - imagePoint[0] * scale, y: anchor[1] - imagePoint[1] * scale };
}

/** The view that shows the whole image centred in a viewport, with `margin` CSS px on each side. */
export function fitView(imageWidth, imageHeight, viewportWidth, viewportHeight, margin = 16) {
  const usableWidth = Math.max(1, viewportWidth - 2 * margin);
  const usableHeight = Math.max(1, viewportHeight - 2 * margin);
  const scale = Math.max(MIN_SCALE, Math.min(usableWidth / imageWidth, usableHeight / imageHeight));
  return {
    scale,
    x: (viewportWidth - imageWidth * scale) / 2,
    y: (viewportHeight - imageHeight * scale) / 2,
  };
}
