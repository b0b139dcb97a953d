// Mouse input on the drawing surface: drawing gestures per tool, select-mode editing (move, resize, vertex
// drag, add and delete vertices), pan and wheel zoom. Hit testing happens here in image pixels, with
// tolerances given in screen pixels and divided by the zoom so they feel the same at any zoom.

import { clampPoint, distance, normalizeBox, screenToImage } from "./geometry.js";
import { boundsArea, edgeInsertion, hitHandle, hitTest, moveVertex, resizeBox, translate } from "./shapes.js";

const HANDLE_TOLERANCE = 8; // screen px
const SHAPE_TOLERANCE = 6;
const CLOSE_TOLERANCE = 9; // clicking this close to the first vertex closes a polygon
const DUPLICATE_TOLERANCE = 3; // a second click this close to the last vertex (a double-click) adds nothing
const MIN_BOX_SIZE = 3; // smaller drags are treated as a click and draw nothing
const CORNER_CURSORS = ["nwse-resize", "nesw-resize", "nwse-resize", "nesw-resize"];

export class PointerController {
  constructor(editor, stage) {
    this.editor = editor;
    this.stage = stage;
    this.gesture = null;
    this.spaceDown = false;
    stage.addEventListener("pointerdown", (event) => this.onPointerDown(event));
    stage.addEventListener("pointermove", (event) => this.onPointerMove(event));
    stage.addEventListener("pointerup", (event) => this.onPointerUp(event));
    stage.addEventListener("pointercancel", (event) => this.onPointerUp(event));
    stage.addEventListener("pointerleave", () => this.onPointerLeave());
    stage.addEventListener("dblclick", (event) => this.onDoubleClick(event));
    stage.addEventListener("wheel", (event) => this.onWheel(event), { passive: false });
    stage.addEventListener("contextmenu", (event) => event.preventDefault());
    stage.addEventListener("mousedown", (event) => {
      if (event.button === 1) event.preventDefault(); // middle-drag pans; no autoscroll
    });
  }

  screenPoint(event) {
    const rect = this.stage.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  }

  /** The event's position in image pixels, clamped to the image. */
  imagePoint(event) {
    const { width, height } = this.editor.image;
    return clampPoint(screenToImage(this.screenPoint(event), this.editor.view), width, height);
  }

  tolerance(screenPixels) {
    return screenPixels / this.editor.view.scale;
  }

  setSpace(down) {
    this.spaceDown = down;
    this.stage.classList.toggle("is-pan-ready", down);
  }

  onPointerDown(event) {
    const editor = this.editor;
    if (!editor.image.loaded) return;
    this.stage.focus({ preventScroll: true });
    if (event.button === 1 || (event.button === 0 && this.spaceDown)) {
      event.preventDefault();
      this.startGesture(event, { kind: "pan", start: this.screenPoint(event), view: { ...editor.view } });
      return;
    }
    if (event.button !== 0) return;
    const point = this.imagePoint(event);
    const tool = editor.canWrite ? editor.tool : "select";
    if (tool === "bbox") {
      editor.drawing = { type: "bbox", points: [point], cursor: point };
      this.startGesture(event, { kind: "draw-bbox", start: point });
      editor.requestRender();
    } else if (tool === "point") {
      editor.addAnnotation("point", [point]);
    } else if (tool === "polygon" || tool === "polyline") {
      this.addDrawingVertex(tool, point);
    } else {
      this.startSelectGesture(event, point);
    }
  }

  startGesture(event, gesture) {
    this.gesture = gesture;
    this.stage.setPointerCapture(event.pointerId);
    this.stage.classList.toggle("is-panning", gesture.kind === "pan");
  }

  addDrawingVertex(type, point) {
    const editor = this.editor;
    if (!editor.drawing || editor.drawing.type !== type) editor.drawing = { type, points: [], cursor: point };
    const { points } = editor.drawing;
    const closes = type === "polygon" && points.length >= 3;
    if (closes && distance(point, points[0]) <= this.tolerance(CLOSE_TOLERANCE)) {
      editor.finishDrawing();
      return;
    }
    if (points.length && distance(point, points[points.length - 1]) <= this.tolerance(DUPLICATE_TOLERANCE)) return;
    points.push(point);
    editor.requestRender();
  }

  startSelectGesture(event, point) {
    const editor = this.editor;
    const selected = editor.selectedAnnotation();
    const handle = selected && editor.canWrite ? hitHandle(selected, point, this.tolerance(HANDLE_TOLERANCE)) : -1;
    if (handle >= 0) {
      this.startHandleGesture(event, selected, handle, point);
      return;
    }
    const hit = this.annotationAt(point);
    if (!hit && editor.reference.click(point, this.tolerance(SHAPE_TOLERANCE), event.shiftKey)) {
      editor.select(null); // a reference object is picked for copying; it is not edited
      return;
    }
    editor.select(hit ? hit.id : null);
    if (hit && editor.canWrite) {
      editor.beginDrag();
      this.startGesture(event, { kind: "move", id: hit.id, start: point, original: hit });
    }
  }

  startHandleGesture(event, annotation, handle, point) {
    const editor = this.editor;
    const isVertexShape = annotation.type === "polygon" || annotation.type === "polyline";
    if (event.altKey && isVertexShape) {
      editor.deleteVertex(annotation.id, handle);
      return;
    }
    editor.select(annotation.id, isVertexShape ? handle : null);
    editor.beginDrag();
    if (annotation.type === "bbox") this.startGesture(event, { kind: "resize", id: annotation.id, corner: handle });
    else if (annotation.type === "point") {
      this.startGesture(event, { kind: "move", id: annotation.id, start: point, original: annotation });
    } else this.startGesture(event, { kind: "vertex", id: annotation.id, index: handle });
  }

  /** The object under `point`: the selected one first, then the smallest hit (small shapes lie on big ones). */
  annotationAt(point) {
    const tolerance = this.tolerance(SHAPE_TOLERANCE);
    const selected = this.editor.selectedAnnotation();
    if (selected && hitTest(selected, point, tolerance)) return selected;
    const hits = this.editor.currentAnnotations().filter((annotation) => hitTest(annotation, point, tolerance));
    hits.sort((a, b) => boundsArea(a) - boundsArea(b));
    return hits[0] || null;
  }

  onPointerMove(event) {
    const editor = this.editor;
    if (!editor.image.loaded) return;
    const point = this.imagePoint(event);
    editor.setCursor(screenToImage(this.screenPoint(event), editor.view));
    if (this.gesture) {
      this.continueGesture(event, point);
      return;
    }
    if (editor.drawing && editor.drawing.type !== "bbox") {
      const { points, type } = editor.drawing;
      editor.drawing.cursor = point;
      editor.drawing.closable =
        type === "polygon" && points.length >= 3 && distance(point, points[0]) <= this.tolerance(CLOSE_TOLERANCE);
      editor.requestRender();
    }
    this.updateHover(point);
  }

  continueGesture(event, point) {
    const editor = this.editor;
    const gesture = this.gesture;
    const { width, height } = editor.image;
    if (gesture.kind === "pan") {
      const [x, y] = this.screenPoint(event);
      editor.setView({ ...gesture.view, x: gesture.view.x + x - gesture.start[0], y: gesture.view.y + y - gesture.start[1] });
    } else if (gesture.kind === "draw-bbox") {
      editor.drawing.cursor = point;
      editor.requestRender();
    } else if (gesture.kind === "move") {
      const [dx, dy] = [point[0] - gesture.start[0], point[1] - gesture.start[1]];
      editor.replaceAnnotationLive(translate(gesture.original, dx, dy, width, height));
    } else if (gesture.kind === "vertex") {
      editor.replaceAnnotationLive(moveVertex(editor.annotationById(gesture.id), gesture.index, point, width, height));
    } else if (gesture.kind === "resize") {
      const resized = resizeBox(editor.annotationById(gesture.id), gesture.corner, point, width, height);
      gesture.corner = resized.corner;
      editor.replaceAnnotationLive(resized.annotation);
    }
  }

  onPointerUp(event) {
    const gesture = this.gesture;
    if (!gesture) return;
    this.gesture = null;
    this.stage.classList.remove("is-panning");
    if (this.stage.hasPointerCapture(event.pointerId)) this.stage.releasePointerCapture(event.pointerId);
    const editor = this.editor;
    if (gesture.kind === "draw-bbox") {
      const box = normalizeBox(gesture.start, this.imagePoint(event));
      editor.drawing = null;
      const big = (box[1][0] - box[0][0]) * editor.view.scale >= MIN_BOX_SIZE
        && (box[1][1] - box[0][1]) * editor.view.scale >= MIN_BOX_SIZE;
      if (big && event.type === "pointerup") editor.addAnnotation("bbox", box);
      else editor.requestRender();
    } else if (gesture.kind !== "pan") {
      editor.endDrag();
    }
  }

  onPointerLeave() {
    this.editor.setCursor(null);
    if (this.editor.hoverId !== null && !this.gesture) {
      this.editor.hoverId = null;
      this.editor.requestRender();
    }
  }

  onDoubleClick(event) {
    const editor = this.editor;
    if (!editor.image.loaded || !editor.canWrite) return;
    if (editor.drawing && (editor.drawing.type === "polygon" || editor.drawing.type === "polyline")) {
      editor.finishDrawing();
      return;
    }
    const selected = editor.selectedAnnotation();
    if (editor.tool !== "select" || !selected) return;
    const point = this.imagePoint(event);
    if (hitHandle(selected, point, this.tolerance(HANDLE_TOLERANCE)) >= 0) return;
    const insertion = edgeInsertion(selected, point, this.tolerance(SHAPE_TOLERANCE));
    if (insertion) editor.insertVertex(selected.id, insertion.index, insertion.point);
  }

  onWheel(event) {
    event.preventDefault();
    if (!this.editor.image.loaded) return;
    const speed = event.deltaMode === 1 ? 0.05 : 0.0015; // lines or pixels
    this.editor.zoomBy(Math.exp(-event.deltaY * speed), this.screenPoint(event));
  }

  /** Hover highlight and a cursor that says what a press would do. */
  updateHover(point) {
    const editor = this.editor;
    let cursor = editor.tool === "select" ? "default" : "crosshair";
    let hoverId = null;
    if (editor.tool === "select") {
      const selected = editor.selectedAnnotation();
      const handle = selected && editor.canWrite ? hitHandle(selected, point, this.tolerance(HANDLE_TOLERANCE)) : -1;
      if (handle >= 0) {
        hoverId = selected.id;
        cursor = selected.type === "bbox" ? CORNER_CURSORS[handle] : "move";
      } else {
        const hit = this.annotationAt(point);
        hoverId = hit ? hit.id : null;
        if (hit) cursor = editor.canWrite ? "move" : "pointer";
        const reference = hit ? null : editor.reference.at(point, this.tolerance(SHAPE_TOLERANCE));
        editor.reference.hover(reference ? reference.id : null);
        if (reference) cursor = "copy";
      }
    }
    this.stage.style.cursor = this.spaceDown ? "" : cursor;
    if (hoverId !== editor.hoverId) {
      editor.hoverId = hoverId;
      editor.requestRender();
    }
  }
}
