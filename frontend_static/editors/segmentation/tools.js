// The painting tools of the segmentation editor (segmentation-editor.js) on its id mask: brush and eraser
// strokes, the polygon fill, the bucket fill (in the mask worker) and the pick tool. Each one writes into
// one MaskChange between editor.beginEdit and editor.finishEdit, so it is one undoable step.

import * as masks from "./mask.js";
import { fillInWorker, sendPhoto } from "./mask-jobs.js";
import { paintPixels } from "./render.js";

/** @typedef {import("./segmentation-editor.js").SegmentationEditor} SegmentationEditor */

const CLOSE_POLYGON_SCREEN_PIXELS = 8;

/**
 * The id to paint with: the selected instance, else a new instance of the current category (for a
 * category without instances, its existing instance). Returns {id, instancesBefore?} or null.
 * @param {SegmentationEditor} editor
 */
export function paintTarget(editor) {
  if (editor.selectedId !== null) return { id: editor.selectedId };
  if (editor.currentCategoryId === null) {
    editor.setMessage("error", "This dataset has no categories to paint with.");
    return null;
  }
  const before = editor.instances.map((instance) => ({ ...instance }));
  const id = editor.addInstance(editor.currentCategoryId);
  return { id, instancesBefore: before };
}

/** Paint the stroke on to `pixel` ([x, y]). @param {SegmentationEditor} editor @param {number[]} pixel */
export function strokeTo(editor, pixel) {
  const { change, id, last, offsets } = editor.stroke;
  masks.paintSegment(editor.mask, change, last, pixel, offsets, id, editor.stroke.canWrite);
  const reach = Math.ceil(editor.tool.brushSize / 2) + 1;
  editor.renderMask({
    x0: Math.min(last[0], pixel[0]) - reach, y0: Math.min(last[1], pixel[1]) - reach,
    x1: Math.max(last[0], pixel[0]) + reach, y1: Math.max(last[1], pixel[1]) + reach,
  });
  editor.stroke.last = pixel;
}

/** Start a brush (or eraser) stroke at `pixel`. @param {SegmentationEditor} editor @param {number[]} pixel */
export function startStroke(editor, pixel) {
  const erasing = editor.tool.tool === "eraser";
  const target = erasing ? { id: 0 } : paintTarget(editor);
  if (!target) return;
  const change = editor.beginEdit(target);
  editor.stroke = {
    change, id: target.id, last: pixel, offsets: masks.brushOffsets(editor.tool.brushSize),
    canWrite: erasing ? masks.writeRule() : editor.writeRule(),
  };
  strokeTo(editor, pixel);
}

/** End the stroke: one undoable step. @param {SegmentationEditor} editor */
export function endStroke(editor) {
  if (!editor.stroke) return;
  editor.stroke = null;
  editor.finishEdit();
}

/** Add a polygon vertex, or fill the polygon on a click near its first vertex. @param {SegmentationEditor} editor @param {number[]} pixel */
export function clickPolygon(editor, pixel) {
  if (editor.polygon.length >= 3) {
    const [x, y] = editor.polygon[0];
    const distance = Math.hypot(pixel[0] - x, pixel[1] - y) * editor.view.scale;
    if (distance <= CLOSE_POLYGON_SCREEN_PIXELS) {
      closePolygon(editor);
      return;
    }
  }
  editor.polygon.push(pixel);
  editor.renderOverlay();
}

/** Fill the polygon being drawn (3 vertices or more). @param {SegmentationEditor} editor */
export function closePolygon(editor) {
  if (editor.polygon.length < 3) return;
  const vertices = editor.polygon;
  editor.polygon = [];
  const target = paintTarget(editor);
  if (target) {
    const change = editor.beginEdit(target);
    masks.fillPolygon(editor.mask, change, vertices, target.id, editor.writeRule());
    editor.renderMask(change.box);
    editor.finishEdit();
  }
  editor.renderOverlay();
}

/**
 * Bucket fill at `pixel` in the mask worker: the mask region (or the similar photo colour) around it.
 * @param {SegmentationEditor} editor @param {number[]} pixel
 */
export async function fillRegion(editor, pixel) {
  const photoMode = editor.tool.fillMode === "photo";
  const photoKey = editor.photo.currentSrc || editor.photo.src;
  if (photoMode) {
    try {
      await sendPhoto(photoKey);
    } catch {
      // A photo from another origin without CORS headers taints the canvas: its pixels cannot be read.
      editor.setMessage("error", "Fill by photo colour cannot read this photo (another site without CORS). Use fill by mask region.");
      return;
    }
  }
  const target = paintTarget(editor);
  if (!target) return;
  const change = editor.beginEdit(target);
  const started = performance.now();
  const colors = new Map(editor.instances.map((instance) => [instance.id, editor.packedColor(instance.id)]));
  const renderAll = Boolean(target.instancesBefore); // the selection moved to a new instance: re-shade all
  const done = await fillInWorker(editor.mask, change, pixel[0], pixel[1], target.id, {
    mode: photoMode ? "photo" : "mask", tolerance: editor.tool.tolerance, onlyUnlabeled: editor.tool.onlyUnlabeled,
    photoKey, rgba: photoMode && typeof Worker === "undefined" ? editor.photoPixels() : null, colors, renderAll,
  });
  editor.timings.fillMs = performance.now() - started;
  if (done && done.shown) {
    if (renderAll) editor.canvas.getContext("2d").clearRect(0, 0, editor.mask.width, editor.mask.height);
    await paintPixels(editor.canvas, done.shown);
    editor.finishEdit({ delta: done.delta, rendered: true });
  } else {
    editor.renderMask(change.isEmpty ? null : change.box);
    editor.finishEdit(done ? { delta: done.delta, rendered: false } : null);
  }
}

/** Select the instance at `pixel` (none on unlabeled pixels). @param {SegmentationEditor} editor @param {number[]} pixel */
export function pickAt(editor, pixel) {
  const [x, y] = pixel;
  if (x < 0 || y < 0 || x >= editor.mask.width || y >= editor.mask.height) return;
  const id = editor.mask.ids[y * editor.mask.width + x];
  editor.select(id === 0 ? null : id);
}