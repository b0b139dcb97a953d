// Draw the label as SVG in image-pixel coordinates. The SVG sits on top of the <img> inside the element that
// zoom and pan transform, so shapes stay aligned with the photo at any zoom. Strokes use
// vector-effect: non-scaling-stroke and handle radii are divided by the zoom, so they keep their on-screen
// size. Pointer input is hit-tested in JS (shapes.js), not by the SVG, so the SVG ignores the pointer.

import { cssColor, s } from "../../editor-core/dom.js";
import { boxCorners } from "./geometry.js";
import { bounds, handles } from "./shapes.js";

const HANDLE_RADIUS = 5; // CSS px on screen
const POINT_RADIUS = 5;
const LABEL_FONT_SIZE = 12;

/**
 * Re-draw everything in `svg`. `scene` holds: annotations, styleOf(annotation) -> {color: [r, g, b], name},
 * selectedId, selectedVertex, hoverId, errorIds (Set), drawing (null or {type, points, cursor,
 * closable}), skeleton (keypoints.js SkeletonSegment[], drawn under the shapes), scale (screen px per image
 * px), width, height (image size).
 */
export function renderScene(svg, scene) {
  svg.setAttribute("viewBox", `0 0 ${scene.width} ${scene.height}`);
  svg.setAttribute("width", scene.width);
  svg.setAttribute("height", scene.height);
  const shapes = s("g", { class: "ve-shapes" });
  let selected = null;
  for (const annotation of scene.annotations) {
    if (annotation.id === scene.selectedId) selected = annotation;
    else shapes.append(shapeElement(annotation, scene));
  }
  if (selected) shapes.append(shapeElement(selected, scene)); // the selected object is drawn on top
  const overlay = s("g", { class: "ve-overlay" });
  if (selected) overlay.append(handlesElement(selected, scene));
  for (const annotation of scene.annotations) {
    if (annotation.id === scene.selectedId || annotation.id === scene.hoverId) {
      overlay.append(tagElement(annotation, scene));
    }
  }
  if (scene.drawing) overlay.append(drawingElement(scene.drawing, scene));
  svg.replaceChildren(skeletonElement(scene), shapes, overlay);
}

/** Thin lines in the category's color between the keypoints of one object (docs/keypoints.md). */
function skeletonElement(scene) {
  const group = s("g", { class: "ve-skeleton", "data-testid": "skeleton" });
  for (const { from, to, ids, categoryId } of scene.skeleton || []) {
    group.append(s("line", {
      class: "ve-skeleton-line", "data-testid": "skeleton-line", "data-from": ids[0], "data-to": ids[1],
      x1: from[0], y1: from[1], x2: to[0], y2: to[1],
      style: `--shape-color: ${cssColor(scene.styleOf(categoryId).color)}`,
    }));
  }
  return group;
}

function shapeElement(annotation, scene) {
  const { color } = scene.styleOf(annotation);
  const classes = ["ve-shape", `ve-shape-${annotation.type}`];
  if (annotation.id === scene.selectedId) classes.push("is-selected");
  if (annotation.id === scene.hoverId) classes.push("is-hover");
  if (scene.errorIds.has(annotation.id)) classes.push("has-error");
  const group = s("g", {
    class: classes.join(" "),
    "data-testid": "annotation",
    "data-annotation-id": annotation.id,
    "data-type": annotation.type,
    "data-category-id": annotation.category_id,
    style: `--shape-color: ${cssColor(color)}; --shape-fill: ${cssColor(color, 0.18)}`,
  });
  group.append(geometryElement(annotation, scene.scale));
  return group;
}

function geometryElement(annotation, scale) {
  const { type, points } = annotation;
  if (type === "bbox") {
    const [[x0, y0], [x1, y1]] = points;
    return s("rect", { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) });
  }
  if (type === "point") return s("circle", { cx: points[0][0], cy: points[0][1], r: POINT_RADIUS / scale });
  return s(type === "polygon" ? "polygon" : "polyline", { points: pointList(points) });
}

function handlesElement(annotation, scene) {
  const group = s("g", { class: "ve-handles", "data-testid": "handles" });
  const radius = HANDLE_RADIUS / scene.scale;
  handles(annotation).forEach((point, index) => {
    const active = index === scene.selectedVertex ? " is-active" : "";
    group.append(
      s("circle", { class: `ve-handle${active}`, cx: point[0], cy: point[1], r: radius, "data-vertex": index }),
    );
  });
  return group;
}

function tagElement(annotation, scene) {
  const { name } = scene.styleOf(annotation);
  const [[x0, y0]] = bounds(annotation);
  const fontSize = LABEL_FONT_SIZE / scene.scale;
  const y = Math.max(fontSize, y0 - 4 / scene.scale);
  return s("text", { class: "ve-tag", x: x0, y, "font-size": fontSize }, `#${annotation.id} ${name}`);
}

function drawingElement(drawing, scene) {
  const group = s("g", { class: "ve-drawing", "data-testid": "drawing" });
  const { type, points, cursor } = drawing;
  if (type === "bbox" && cursor && points.length) {
    const corners = boxCorners([points[0], cursor]);
    group.append(s("polygon", { class: "ve-drawing-outline", points: pointList(corners) }));
    return group;
  }
  const path = cursor ? [...points, cursor] : points;
  if (path.length > 1) group.append(s("polyline", { class: "ve-drawing-outline", points: pointList(path) }));
  const radius = HANDLE_RADIUS / scene.scale;
  points.forEach((point, index) => {
    const closing = index === 0 && drawing.closable ? " is-closing" : "";
    group.append(s("circle", { class: `ve-handle${closing}`, cx: point[0], cy: point[1], r: radius }));
  });
  return group;
}

function pointList(points) {
  return points.map((p) => `${p[0]},${p[1]}`).join(" ");
}
