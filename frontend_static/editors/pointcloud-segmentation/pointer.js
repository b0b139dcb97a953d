// Pointer input of the point-cloud segmentation editor (editor.js): lasso, box and brush gestures on the
// stage, pick, and Space held to orbit in any tool.

/** Pointer input on the stage: selection gestures in the selection tools; the view tool leaves the viewport's
 * orbit controls alone (as do the right and middle buttons, the wheel and Space+drag in every tool).
 * @param {import("./editor.js").PointCloudSegmentationEditor} editor */
export function bindPointer(editor) {
  const stage = editor.stage;
  const local = (event) => {
    const rect = editor.canvas.getBoundingClientRect();
    return /** @type {[number, number]} */ ([event.clientX - rect.left, event.clientY - rect.top]);
  };
  const modeOf = (event) => (event.altKey ? "subtract" : event.shiftKey ? "add" : null);
  stage.addEventListener("pointerdown", (event) => {
    const tool = editor.tool.tool;
    if (event.button !== 0 || tool === "view" || editor.spaceHeld) return;
    event.stopPropagation(); // the orbit controls on the canvas do not see a selection gesture
    event.preventDefault();
    stage.focus({ preventScroll: true });
    const point = local(event);
    if (tool === "pick") {
      editor.pickAt(point[0], point[1]);
      return;
    }
    stage.setPointerCapture(event.pointerId);
    editor.screen(); // project the points now (if the camera moved), while the user draws the gesture
    const mode = modeOf(event);
    if (tool === "lasso") editor.gesture = { kind: "lasso", mode: mode || "replace", points: [point] };
    else if (tool === "box") editor.gesture = { kind: "box", mode: mode || "replace", start: point, end: point };
    else if (tool === "brush") {
      editor.gesture = { kind: "brush", mode: mode || "add", last: point };
      editor.viewport.setMoving(true); // while brushing, frames draw at the point budget (as while orbiting)
      editor.brushSegment(point, point, editor.gesture.mode);
    }
    editor.drawOverlay();
  }, { capture: true });
  stage.addEventListener("pointermove", (event) => {
    const point = local(event);
    editor.cursor = point;
    const gesture = editor.gesture;
    if (gesture && gesture.kind === "lasso") {
      const last = gesture.points[gesture.points.length - 1];
      if (last[0] !== point[0] || last[1] !== point[1]) gesture.points.push(point);
    } else if (gesture && gesture.kind === "box") gesture.end = point;
    else if (gesture && gesture.kind === "brush") {
      editor.brushSegment(gesture.last, point, gesture.mode);
      gesture.last = point;
    }
    editor.drawOverlay();
  });
  const finish = () => {
    const gesture = editor.gesture;
    editor.gesture = null;
    if (gesture && gesture.kind === "lasso") editor.selectLasso(gesture.points, gesture.mode);
    else if (gesture && gesture.kind === "box") editor.selectBox(gesture.start, gesture.end, gesture.mode);
    else if (gesture && gesture.kind === "brush") {
      editor.viewport.setMoving(false);
      editor.viewport.render();
    }
    editor.drawOverlay();
  };
  stage.addEventListener("pointerup", finish);
  stage.addEventListener("pointercancel", finish);
  stage.addEventListener("pointerleave", () => {
    editor.cursor = null;
    editor.drawOverlay();
  });
  window.addEventListener("keyup", (event) => {
    if (event.code === "Space") editor.spaceHeld = false;
  });
}
