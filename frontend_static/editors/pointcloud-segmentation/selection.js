// Selection tools of the point-cloud segmentation editor (editor.js) on the current frame: lasso, box and
// brush in screen space, the fitted ground plane, and the points inside the box around the selection.

import { pointsInCuboid } from "../pointcloud/cuboid.js";
import * as points from "./points.js";

const GROUND_TOLERANCE = 0.15; // metres around the fitted plane
const CUBOID_MARGIN = 0.1; // metres around the selection's box

/** @typedef {import("./editor.js").PointCloudSegmentationEditor} PointCloudSegmentationEditor */

/**
 * Change the selection with `indices` in `mode` and recolour what changed.
 * @param {Uint32Array} indices @param {"replace"|"add"|"subtract"} mode
 */
export function select3d(editor, indices, mode) {
  const hadSelection = editor.selectedCount > 0;
  editor.selectedCount = points.applySelection(editor.selection, indices, mode, editor.selectedCount);
  editor.recolor(mode === "replace" && hadSelection ? null : indices);
  editor.renderStatus();
}

export function selectLasso(editor, polygon, mode) {
  const started = performance.now();
  const screen = editor.screen(); // projected at the lasso's press already, unless the camera moved since
  const hits = points.selectInPolygon(screen, editor.frame.buffer.pointCount, polygon, editor.eligible());
  editor.select3d(hits, mode);
  editor.timings.lassoMs = performance.now() - started;
  editor.lastLasso = polygon.map(([x, y]) => [x, y]);
}

export function selectBox(editor, a, b, mode) {
  const hits = points.selectInBox(editor.screen(), editor.frame.buffer.pointCount, a, b, editor.eligible());
  editor.select3d(hits, mode);
}

/** The brush: points within the brush radius of the segment a-b (one pointer move). */
export function brushSegment(editor, a, b, mode) {
  const started = performance.now();
  const radius = editor.tool.brushSize / 2;
  const hits = points.selectNearSegment(editor.screenGrid(), editor.screen(), a, b, radius, editor.eligible());
  editor.select3d(hits, mode);
  editor.timings.brushMs = performance.now() - started;
}

export function clearSelection(editor) {
  if (!editor.selectedCount) return false;
  const previous = points.flaggedIndices(editor.selection);
  editor.selection.fill(0);
  editor.selectedCount = 0;
  editor.recolor(previous);
  editor.renderStatus();
  return true;
}

export function selectGround(editor) {
  const { buffer } = editor.frame;
  const plane = points.fitGroundPlane(buffer.xyz, buffer.pointCount);
  if (!plane) return editor.setMessage("error", "Too few points to fit a ground plane.");
  editor.groundPlane = plane;
  const hits = points.pointsNearPlane(buffer.xyz, buffer.pointCount, plane, GROUND_TOLERANCE, editor.eligible());
  editor.select3d(hits, "replace");
  editor.setMessage("info", `Ground plane z = ${plane.a.toFixed(3)} x + ${plane.b.toFixed(3)} y + ${plane.c.toFixed(2)}: ${hits.length} points within ${GROUND_TOLERANCE} m selected.`);
}

/** Select every point inside the axis-aligned cuboid around the selection (grown by a margin). */
export function selectInsideCuboid(editor) {
  if (!editor.selectedCount) return editor.setMessage("error", "Select some points of the object first.");
  const { xyz, pointCount } = editor.frame.buffer;
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < pointCount; i += 1) {
    if (!editor.selection[i]) continue;
    for (let axis = 0; axis < 3; axis += 1) {
      const value = xyz[3 * i + axis];
      if (value < min[axis]) min[axis] = value;
      if (value > max[axis]) max[axis] = value;
    }
  }
  const cuboid = {
    position: { x: (min[0] + max[0]) / 2, y: (min[1] + max[1]) / 2, z: (min[2] + max[2]) / 2 },
    dimensions: { x: max[0] - min[0] + 2 * CUBOID_MARGIN, y: max[1] - min[1] + 2 * CUBOID_MARGIN, z: max[2] - min[2] + 2 * CUBOID_MARGIN },
    yaw: 0,
  };
  let hits = pointsInCuboid(xyz, cuboid);
  const eligible = editor.eligible();
  if (eligible) hits = hits.filter((index) => eligible[index]);
  editor.select3d(hits, "add");
}
