// Pointer, wheel and keyboard input of the segmentation editor: turns events into editor calls. The editor
// (segmentation-editor.js) owns the state; this module only decides which of its methods an event means.

import { pixelAt } from "./view.js";

const WHEEL_ZOOM = 1.2;
const KEY_ZOOM = 1.25;

/** Listen to the stage and the window for `editor`. */
export function bindInput(editor) {
  const stage = editor.stage;
  stage.addEventListener("pointerdown", (event) => onPointerDown(editor, event));
  stage.addEventListener("pointermove", (event) => onPointerMove(editor, event));
  stage.addEventListener("pointerup", () => onPointerUp(editor));
  stage.addEventListener("pointercancel", () => onPointerUp(editor));
  stage.addEventListener("pointerleave", () => {
    editor.cursor = null;
    editor.renderOverlay();
  });
  stage.addEventListener("wheel", (event) => {
    event.preventDefault();
    editor.zoom(event.deltaY < 0 ? WHEEL_ZOOM : 1 / WHEEL_ZOOM, editor.stagePoint(event));
  }, { passive: false });
  stage.addEventListener("dblclick", () => {
    if (editor.tool.tool === "polygon") editor.closePolygon();
  });
  window.addEventListener("keyup", (event) => {
    if (event.code === "Space") editor.spaceHeld = false;
  });
  window.addEventListener("resize", () => editor.fit());
}

function onPointerDown(editor, event) {
  editor.stage.focus({ preventScroll: true });
  const point = editor.stagePoint(event);
  if (event.button === 1 || (event.button === 0 && editor.spaceHeld)) {
    editor.pan = { start: point, view: { ...editor.view } };
    editor.stage.setPointerCapture(event.pointerId);
    event.preventDefault();
    return;
  }
  if (event.button !== 0) return;
  const pixel = pixelAt(editor.view, point);
  if (event.altKey || editor.tool.tool === "pick") {
    editor.pickAt(pixel);
    return;
  }
  if (!editor.canWrite || editor.loadError || editor.busy) return; // busy: a fill has the mask in the worker
  editor.stage.setPointerCapture(event.pointerId);
  const tool = editor.tool.tool;
  if (tool === "brush" || tool === "eraser") editor.startStroke(pixel);
  else if (tool === "polygon") editor.clickPolygon(pixel);
  else if (tool === "fill") editor.fillAt(pixel);
}

function onPointerMove(editor, event) {
  const point = editor.stagePoint(event);
  if (editor.pan) {
    const { start, view } = editor.pan;
    editor.view = { ...view, x: Math.round(view.x + point.x - start.x), y: Math.round(view.y + point.y - start.y) };
    editor.applyView();
    return;
  }
  const pixel = pixelAt(editor.view, point);
  editor.cursor = pixel;
  const stroke = editor.stroke;
  if (stroke && (pixel[0] !== stroke.last[0] || pixel[1] !== stroke.last[1])) editor.strokeTo(pixel);
  editor.renderOverlay();
}

function onPointerUp(editor) {
  editor.pan = null;
  editor.endStroke();
}

/** Run a view action ("tool:brush", "category:2", "undo", ... see shortcuts.js); the shell runs the others. */
export function perform(editor, action) {
  if (editor.busy) return; // a fill has the mask in the worker: edits wait for it
  const [name, argument] = action.split(":");
  const handlers = {
    tool: () => editor.setTool(argument),
    brush: () => editor.setBrushSize(argument === "larger" ? editor.tool.brushSize * 1.25 + 1 : editor.tool.brushSize / 1.25),
    "toggle-only-unlabeled": () => editor.setOnlyUnlabeled(!editor.tool.onlyUnlabeled),
    "new-instance": () => editor.newInstance(),
    delete: () => (editor.polygon.length ? editor.removeLastVertex() : editor.deleteInstance(editor.selectedId)),
    finish: () => editor.closePolygon(),
    "zoom-in": () => editor.zoom(KEY_ZOOM),
    "zoom-out": () => editor.zoom(1 / KEY_ZOOM),
    fit: () => editor.fit(),
    "actual-size": () => editor.actualSize(),
    "toggle-visibility": () => editor.toggleVisibility(editor.selectedId),
    escape: () => (editor.polygon.length ? editor.cancelPolygon() : editor.select(null)),
    category: () => {
      const category = editor.categories[Number(argument) - 1];
      if (category) editor.pickCategory(category.id);
    },
    undo: () => editor.undo(),
    redo: () => editor.redo(),
  };
  if (handlers[name]) handlers[name]();
}
