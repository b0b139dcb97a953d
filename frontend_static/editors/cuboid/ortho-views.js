// The top, side and front orthographic views of the cuboid editor: one canvas (three.js OrthographicCameras,
// one renderer, a viewport and scissor per view) with an SVG overlay that draws the selected cuboid and its
// handles. The views are in the selected cuboid's own frame (top: heading to the right, left side up; side:
// heading to the right, up is +z; front: the cuboid's left to the right, up is +z) and only show the points
// near it (the camera's near and far planes); with nothing selected the top view shows the world around a
// focus point (heading +x to the right) and is where new cuboids are drawn.
//
// Pointer input is reported to the editor as geometry: onDraw(footprint) and onEdit(cuboid, done). The editor
// owns the document; this module only maps screen <-> world.
import * as THREE from "three";

import { s } from "../../editor-core/dom.js";
import { cuboidCorners, rotationMatrix, wrapAngle } from "../pointcloud/cuboid.js";
import { uploadGeometry } from "../pointcloud/viewport3d.js";

const MIN_SIZE = 0.05; // metres
const EDGE_PICK = 7; // px either side of an edge that grabs it
const HANDLE_OFFSET = 22; // px beyond the front edge: the yaw handle of the top view
const CAMERA_DISTANCE = 200; // metres from the focus along the view direction

/**
 * Which corners (cuboid.js corner order: bottom FL FR BR BL, then top) outline each view, and which faces its
 * edges are: [face, cornerA, cornerB]. Faces: front +x, back -x, left +y, right -y, top +z, bottom -z.
 */
const VIEWS = {
  top: { outline: [0, 1, 2, 3], edges: [["front", 0, 1], ["right", 1, 2], ["back", 2, 3], ["left", 3, 0]], title: "Top" },
  side: { outline: [1, 5, 6, 2], edges: [["front", 1, 5], ["top", 5, 6], ["back", 6, 2], ["bottom", 2, 1]], title: "Side" },
  front: { outline: [0, 4, 5, 1], edges: [["left", 0, 4], ["top", 4, 5], ["right", 5, 1], ["bottom", 1, 0]], title: "Front" },
};
const FACE_AXIS = { front: [0, 1], back: [0, -1], left: [1, 1], right: [1, -1], top: [2, 1], bottom: [2, -1] };
const DIMENSION = ["x", "y", "z"];

/** @typedef {{x: number, y: number, z: number}} Vector3 */

/**
 * The world axes of a view: u (screen right), v (screen up), w = u x v (towards the viewer), for a cuboid
 * frame of rotation matrix `r` (row-major, box -> world).
 * @param {"top"|"side"|"front"} name
 * @param {ArrayLike<number>} r
 */
export function viewAxes(name, r) {
  const column = (index) => new THREE.Vector3(r[index], r[3 + index], r[6 + index]);
  const up = new THREE.Vector3(0, 0, 1);
  if (name === "top") return axes(column(0), column(1));
  if (name === "side") return axes(flat(column(0)), up);
  return axes(flat(column(1)), up);
}

function flat(vector) {
  const result = new THREE.Vector3(vector.x, vector.y, 0);
  return result.lengthSq() > 1e-12 ? result.normalize() : new THREE.Vector3(1, 0, 0);
}

function axes(u, v) {
  return { u, v, w: new THREE.Vector3().crossVectors(u, v) };
}

export class OrthoViews {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {SVGSVGElement} svg overlay of the same size
   * @param {{onDraw: (corners: {a: Vector3, b: Vector3, click: boolean, yaw: number}) => void,
   *   onEdit: (cuboid: any, done: boolean) => void, styleOf: (cuboid: any) => {color: number[]},
   *   useRotation: boolean}} callbacks
   */
  constructor(canvas, svg, callbacks) {
    this.canvas = canvas;
    this.svg = svg;
    this.callbacks = callbacks;
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: false, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(1);
    this.renderer.setClearColor(0x0b0e12, 1);
    this.scene = new THREE.Scene();
    this.camera = new THREE.OrthographicCamera(-1, 1, 1, -1, 0.1, 1000);
    this.points = null;
    this.cuboid = null; // the selected cuboid (null: the top view shows the world around `focus`)
    this.focus = new THREE.Vector3();
    this.drawing = false; // the draw tool is on: a drag in the top view draws a footprint
    this.layout = {};
    this.drag = null;
    svg.addEventListener("pointerdown", (event) => this.onPointerDown(event));
    svg.addEventListener("pointermove", (event) => this.onPointerMove(event));
    svg.addEventListener("pointerup", (event) => this.onPointerUp(event));
    svg.addEventListener("pointercancel", () => this.cancelDrag());
    svg.addEventListener("wheel", (event) => this.onWheel(event), { passive: false });
    this.zoom = 1;
    this.height = 0; // canvas height (CSS pixels) at the last resize()
    this.held = 0; // batch() depth
    this.deferred = false; // a render was asked for while held
  }

  /** Show the points of `pointsObject` (a THREE.Points of the 3D view: the geometry is shared). */
  setPoints(pointsObject) {
    if (this.points) this.scene.remove(this.points);
    this.points = pointsObject ? new THREE.Points(pointsObject.geometry, pointsObject.material) : null;
    if (this.points) {
      this.points.frustumCulled = false;
      this.scene.add(this.points);
    }
    this.render();
  }

  /**
   * Upload `geometry` (a 3D view geometry built ahead, viewport3d.js `prepare`) to this renderer too, drawing
   * nothing: showing it later costs no upload.
   * @param {THREE.BufferGeometry} geometry
   * @param {THREE.Material} material
   */
  prepare(geometry, material) {
    uploadGeometry(this.renderer, geometry, material);
  }

  /** The cuboid the side and front views show (null: none), and the focus of the top view without one. */
  show(cuboid, focus = null) {
    if (!this.drag) this.cuboid = cuboid ? structuredClone(cuboid) : null;
    if (focus) this.focus.set(focus.x, focus.y, focus.z);
    this.render();
  }

  /** @param {boolean} drawing */
  setDrawing(drawing) {
    this.drawing = drawing;
    this.svg.classList.toggle("is-drawing", drawing);
    this.render();
  }

  resize() {
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (!width || !height) return;
    this.renderer.setSize(width, height, false);
    this.height = height;
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    const third = Math.floor(height / 3);
    this.layout = {
      top: { x: 0, y: 0, width, height: third },
      side: { x: 0, y: third, width, height: third },
      front: { x: 0, y: 2 * third, width, height: height - 2 * third },
    };
    this.render();
  }

  /**
   * The frame of each view: {centre, axes, scale (px per metre), depth (half the visible depth, metres)}. While
   * a drag runs, the frame of its start (so the view does not move under the pointer).
   * @param {"top"|"side"|"front"} name
   */
  frameOf(name) {
    if (this.drag && this.drag.frames) return this.drag.frames[name];
    const rect = this.layout[name];
    const cuboid = this.cuboid;
    if (!cuboid) {
      const r = rotationMatrix({ position: { x: 0, y: 0, z: 0 }, dimensions: { x: 1, y: 1, z: 1 }, yaw: 0 });
      const span = 40 / this.zoom; // metres across the view's width
      return { centre: this.focus.clone(), axes: viewAxes(name, r), scale: rect.width / span, depth: 100 };
    }
    const r = rotationMatrix(cuboid, { useRotation: this.callbacks.useRotation });
    const viewAxesOf = viewAxes(name, r);
    const d = cuboid.dimensions;
    const [across, upright] = { top: [d.x, d.y], side: [d.x, d.z], front: [d.y, d.z] }[name];
    const depth = { top: d.z, side: d.y, front: d.x }[name] / 2 + 0.5;
    const scale = (0.6 * this.zoom * Math.min(rect.width / Math.max(across, 2), rect.height / Math.max(upright, 2)));
    const p = cuboid.position;
    return { centre: new THREE.Vector3(p.x, p.y, p.z), axes: viewAxesOf, scale, depth: name === "top" ? Math.max(depth, 3) : depth };
  }

  /**
   * A world point on screen in view `name` (CSS pixels relative to the canvas).
   * @param {"top"|"side"|"front"} name
   * @param {Vector3} point
   */
  toScreen(name, point) {
    const rect = this.layout[name];
    const frame = this.frameOf(name);
    const offset = new THREE.Vector3(point.x, point.y, point.z).sub(frame.centre);
    return {
      x: rect.x + rect.width / 2 + frame.scale * offset.dot(frame.axes.u),
      y: rect.y + rect.height / 2 - frame.scale * offset.dot(frame.axes.v),
    };
  }

  /** The world point under canvas pixel (x, y) of view `name`, on the plane through the view's centre. */
  toWorld(name, x, y) {
    const rect = this.layout[name];
    const frame = this.frameOf(name);
    const du = (x - rect.x - rect.width / 2) / frame.scale;
    const dv = -(y - rect.y - rect.height / 2) / frame.scale;
    return frame.centre.clone().addScaledVector(frame.axes.u, du).addScaledVector(frame.axes.v, dv);
  }

  /** Which view holds canvas pixel (x, y). */
  viewAt(x, y) {
    for (const [name, rect] of Object.entries(this.layout)) {
      if (x >= rect.x && x < rect.x + rect.width && y >= rect.y && y < rect.y + rect.height) return /** @type {"top"|"side"|"front"} */ (name);
    }
    return null;
  }

  /**
   * Run `fn` with rendering held: the renders it asks for are merged into one when it returns (a frame switch
   * sets the points and the shown cuboid: one draw of the points, not two). Nests.
   * @template T
   * @param {() => T} fn
   * @returns {T}
   */
  batch(fn) {
    this.held += 1;
    try {
      return fn();
    } finally {
      this.held -= 1;
      if (!this.held && this.deferred) {
        this.deferred = false;
        this.render();
      }
    }
  }

  render() {
    if (this.held) {
      this.deferred = true;
      return;
    }
    if (!this.layout.top) return;
    const renderer = this.renderer;
    const height = this.height; // as of the last resize(): reading the canvas's size here would force a layout
    renderer.setScissorTest(true);
    for (const name of /** @type {const} */ (["top", "side", "front"])) {
      const rect = this.layout[name];
      renderer.setViewport(rect.x, height - rect.y - rect.height, rect.width, rect.height);
      renderer.setScissor(rect.x, height - rect.y - rect.height, rect.width, rect.height);
      const showPoints = name === "top" || this.cuboid;
      if (this.points) this.points.visible = Boolean(showPoints);
      this.placeCamera(name, rect);
      renderer.render(this.scene, this.camera);
    }
    renderer.setScissorTest(false);
    renderer.getContext().flush(); // the GPU starts drawing now, while the page does the rest of its work
    this.drawOverlay();
  }

  placeCamera(name, rect) {
    const frame = this.frameOf(name);
    const camera = this.camera;
    camera.left = -rect.width / (2 * frame.scale);
    camera.right = rect.width / (2 * frame.scale);
    camera.top = rect.height / (2 * frame.scale);
    camera.bottom = -rect.height / (2 * frame.scale);
    camera.near = CAMERA_DISTANCE - frame.depth;
    camera.far = CAMERA_DISTANCE + frame.depth;
    camera.position.copy(frame.centre).addScaledVector(frame.axes.w, CAMERA_DISTANCE);
    camera.up.copy(frame.axes.v);
    camera.lookAt(frame.centre);
    camera.updateProjectionMatrix();
  }

  // ---- the overlay -------------------------------------------------------------------------------------

  drawOverlay() {
    const children = [];
    for (const [name, rect] of Object.entries(this.layout)) {
      children.push(s("text", { x: rect.x + 6, y: rect.y + 14, class: "cb-view-title" }, VIEWS[name].title));
      if (name !== "top") children.push(s("line", { x1: rect.x, y1: rect.y, x2: rect.x + rect.width, y2: rect.y, class: "cb-view-separator" }));
    }
    const cuboid = this.drag && this.drag.current ? this.drag.current : this.cuboid;
    if (cuboid) for (const name of Object.keys(VIEWS)) children.push(this.cuboidShapes(/** @type {any} */ (name), cuboid));
    if (this.drag && this.drag.kind === "draw" && this.drag.moved) {
      const { start, end } = this.drag;
      children.push(s("rect", {
        x: Math.min(start.x, end.x), y: Math.min(start.y, end.y), width: Math.abs(end.x - start.x), height: Math.abs(end.y - start.y),
        class: "cb-draw-preview", "data-testid": "draw-preview",
      }));
    }
    this.svg.replaceChildren(...children);
  }

  cuboidShapes(name, cuboid) {
    const corners = cuboidCorners(cuboid, { useRotation: this.callbacks.useRotation });
    const corner = (index) => this.toScreen(name, { x: corners[3 * index], y: corners[3 * index + 1], z: corners[3 * index + 2] });
    const view = VIEWS[name];
    const color = this.callbacks.styleOf(cuboid).color;
    const stroke = `rgb(${color[0]}, ${color[1]}, ${color[2]})`;
    const outline = view.outline.map(corner);
    const shapes = [s("polygon", {
      points: outline.map((point) => `${point.x},${point.y}`).join(" "),
      class: "cb-box-body", style: `stroke: ${stroke}`, "data-part": "body", "data-view": name, "data-testid": `${name}-view-box`,
    })];
    for (const [face, a, b] of view.edges) {
      const [p, q] = [corner(a), corner(b)];
      shapes.push(s("line", { x1: p.x, y1: p.y, x2: q.x, y2: q.y, class: `cb-box-edge${face === "front" ? " is-front" : ""}`, "data-part": "edge", "data-face": face, "data-view": name, "data-testid": `${name}-edge-${face}` }));
    }
    if (name === "top") {
      const handle = this.yawHandle(cuboid);
      const front = [corner(0), corner(1)];
      const middle = { x: (front[0].x + front[1].x) / 2, y: (front[0].y + front[1].y) / 2 };
      shapes.push(s("line", { x1: middle.x, y1: middle.y, x2: handle.x, y2: handle.y, class: "cb-yaw-stem" }));
      shapes.push(s("circle", { cx: handle.x, cy: handle.y, r: 6, class: "cb-yaw-handle", "data-part": "yaw", "data-view": name, "data-testid": "yaw-handle" }));
    }
    return s("g", { class: "cb-view-box", "data-view": name }, shapes);
  }

  /** The yaw handle of the top view: beyond the middle of the front edge, in canvas pixels. */
  yawHandle(cuboid) {
    const corners = cuboidCorners(cuboid, { useRotation: this.callbacks.useRotation });
    const at = (index) => this.toScreen("top", { x: corners[3 * index], y: corners[3 * index + 1], z: corners[3 * index + 2] });
    const [a, b] = [at(0), at(1)];
    const centre = this.toScreen("top", cuboid.position);
    const middle = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const direction = { x: middle.x - centre.x, y: middle.y - centre.y };
    const length = Math.hypot(direction.x, direction.y) || 1;
    return { x: middle.x + (HANDLE_OFFSET * direction.x) / length, y: middle.y + (HANDLE_OFFSET * direction.y) / length };
  }

  // ---- pointer input -----------------------------------------------------------------------------------

  localPoint(event) {
    const rect = this.svg.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  onPointerDown(event) {
    if (event.button !== 0) return;
    const point = this.localPoint(event);
    const name = this.viewAt(point.x, point.y);
    if (!name) return;
    const frames = { top: this.frameOf("top"), side: this.frameOf("side"), front: this.frameOf("front") };
    if (this.drawing && name === "top") {
      this.drag = { kind: "draw", view: name, start: point, end: point, moved: false, frames };
    } else if (this.cuboid) {
      const target = /** @type {Element} */ (event.target);
      const face = this.grabbedEdge(name, point);
      const onPart = target.getAttribute("data-view") === name ? target.getAttribute("data-part") : null;
      const part = onPart === "yaw" ? "yaw" : face ? "edge" : onPart;
      if (!part) return;
      this.drag = { kind: part, view: name, face, start: point, origin: structuredClone(this.cuboid), current: null, frames };
    } else return;
    event.preventDefault();
    this.svg.setPointerCapture(event.pointerId);
  }

  /** The face whose edge is within EDGE_PICK pixels of `point` in view `name`, else null. */
  grabbedEdge(name, point) {
    const corners = cuboidCorners(this.cuboid, { useRotation: this.callbacks.useRotation });
    const corner = (index) => this.toScreen(name, { x: corners[3 * index], y: corners[3 * index + 1], z: corners[3 * index + 2] });
    for (const [face, a, b] of VIEWS[name].edges) {
      if (distanceToSegment(point, corner(a), corner(b)) <= EDGE_PICK) return face;
    }
    return null;
  }

  onPointerMove(event) {
    const drag = this.drag;
    if (!drag) return;
    const point = this.localPoint(event);
    if (drag.kind === "draw") {
      drag.end = point;
      drag.moved = drag.moved || Math.hypot(point.x - drag.start.x, point.y - drag.start.y) > 4;
      this.drawOverlay();
      return;
    }
    drag.current = this.edited(drag, point);
    this.drawOverlay();
    this.callbacks.onEdit(drag.current, false);
  }

  onPointerUp(event) {
    const drag = this.drag;
    if (!drag) return;
    const point = this.localPoint(event);
    if (this.svg.hasPointerCapture(event.pointerId)) this.svg.releasePointerCapture(event.pointerId);
    if (drag.kind === "draw") {
      const a = this.toWorld("top", drag.start.x, drag.start.y);
      const b = this.toWorld("top", point.x, point.y);
      const frame = drag.frames.top;
      const yaw = Math.atan2(frame.axes.u.y, frame.axes.u.x);
      this.drag = null;
      this.callbacks.onDraw({ a, b, click: !drag.moved, yaw });
      this.render();
      return;
    }
    const moved = Math.hypot(point.x - drag.start.x, point.y - drag.start.y) > 1;
    const result = moved ? this.edited(drag, point) : null;
    this.drag = null;
    if (result) {
      this.cuboid = result;
      this.callbacks.onEdit(result, true);
    }
    this.render();
  }

  cancelDrag() {
    if (!this.drag) return;
    const origin = this.drag.origin;
    this.drag = null;
    if (origin) this.callbacks.onEdit(origin, false);
    this.render();
  }

  onWheel(event) {
    event.preventDefault();
    this.zoom = Math.min(20, Math.max(0.1, this.zoom * (event.deltaY < 0 ? 1.15 : 1 / 1.15)));
    this.render();
  }

  /** The cuboid `drag` makes with the pointer at `point` (a new object; the origin is not changed). */
  edited(drag, point) {
    const frame = drag.frames[drag.view];
    const delta = frame.axes.u.clone().multiplyScalar((point.x - drag.start.x) / frame.scale)
      .addScaledVector(frame.axes.v, -(point.y - drag.start.y) / frame.scale);
    const cuboid = structuredClone(drag.origin);
    if (drag.kind === "body") {
      cuboid.position = { x: cuboid.position.x + delta.x, y: cuboid.position.y + delta.y, z: cuboid.position.z + delta.z };
    } else if (drag.kind === "edge" && drag.face) {
      resizeFace(cuboid, drag.face, delta, this.callbacks.useRotation);
    } else if (drag.kind === "yaw") {
      const centre = this.toScreen("top", drag.origin.position);
      const before = Math.atan2(-(drag.start.y - centre.y), drag.start.x - centre.x);
      const after = Math.atan2(-(point.y - centre.y), point.x - centre.x);
      cuboid.yaw = wrapAngle(drag.origin.yaw + after - before);
      if (this.callbacks.useRotation) delete cuboid.rotation; // rebuilt from the yaw on save
    }
    return cuboid;
  }
}

/**
 * Move face `face` of `cuboid` (changed in place) by the world vector `delta` (its component along the face's
 * axis): the opposite face stays where it is.
 */
export function resizeFace(cuboid, face, delta, useRotation = false) {
  const [axis, sign] = FACE_AXIS[face];
  const r = rotationMatrix(cuboid, { useRotation });
  const direction = { x: r[axis], y: r[3 + axis], z: r[6 + axis] };
  const along = delta.x * direction.x + delta.y * direction.y + delta.z * direction.z;
  const key = DIMENSION[axis];
  const size = Math.max(MIN_SIZE, cuboid.dimensions[key] + sign * along);
  const change = size - cuboid.dimensions[key];
  cuboid.dimensions = { ...cuboid.dimensions, [key]: size };
  const shift = (sign * change) / 2;
  cuboid.position = {
    x: cuboid.position.x + shift * direction.x,
    y: cuboid.position.y + shift * direction.y,
    z: cuboid.position.z + shift * direction.z,
  };
}

function distanceToSegment(p, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq ? Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSq)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}
