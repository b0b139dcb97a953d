// The 3D vector editor (`pointcloud-vector` and `pointcloud-vector-sequence`): polygons, polylines and keypoints
// in the lidar frame, an EditorView mounted into the shared shell. A click snaps to the nearest point of the
// cloud on screen (within SNAP_PIXELS), else to the ground plane fitted to the lowest points; vertices are
// edited by dragging them onto other points. Saved as documented: `points: [[x, y, z], ...]` in metres.
//
// Sequences keep keyframes per track (track_id = id); the frames between keyframes show the shared
// interpolation (../tracks/interpolation.js, the port of the server's reference implementation), and editing a
// shape in a frame makes that frame a keyframe of its track. The label stores the keyframes (is_keyframe: true).

import * as THREE from "three";

import { categoriesOf, frameActions } from "../../editor-core/categories.js";
import { cssColor, h, replaceChildren } from "../../editor-core/dom.js";
import { History } from "../../editor-core/history.js";
import { Shell } from "../../editor-core/shell.js";
import { createViewport } from "../pointcloud/viewport3d.js";
import { loadSampleClouds } from "../pointcloud-segmentation/loading.js";
import { fitGroundPlane, nearestOnScreen, projectToScreen } from "../pointcloud-segmentation/points.js";
import { interpolateSequenceLabel } from "../tracks/interpolation.js";
import { renderTimeline, TimelineController } from "../tracks/timeline.js";
import { categoryColor, missingMandatory, reconcileAttributes } from "../vector/label-document.js";
import { attributeForm } from "../vector/panels.js";
import { POINTCLOUD_VECTOR_BINDINGS, POINTCLOUD_VECTOR_FRAME_BINDINGS } from "./shortcuts.js";

export const SNAP_PIXELS = 10;
const VERTEX_PIXELS = 8;
const SEQUENCE_FORMAT_VERSION = "0.2";
const UNKNOWN_COLOR = [200, 200, 200];

/** @typedef {{id: number, track_id?: number, category_id: number|null, type: "polygon"|"polyline"|"point", points: number[][], attributes?: any, is_keyframe?: boolean}} Vector3D */

const clone = (value) => JSON.parse(JSON.stringify(value));

export class PointCloudVectorEditor {
  /** @param {HTMLElement} root @param {any} config editor_config @param {{fetch?: typeof fetch}} [options] */
  constructor(root, config, options = {}) {
    this.root = root;
    this.config = config;
    this.options = options;
    this.sequence = config.dataset.task_type === "pointcloud-vector-sequence";
    const known = categoriesOf(config);
    this.categories = known.categories;
    this.categoriesById = known.categoriesById;
    this.canWrite = Boolean(config.can_write);
    this.currentCategoryId = this.categories.length ? this.categories[0].id : null;
    this.tool = "polyline";
    /** @type {Vector3D[][]} keyframe annotations per frame (single frame: one list of every annotation) */
    this.keyframes = [];
    /** @type {any[]} the stored frames' other keys */
    this.frameExtras = [];
    this.labelExtra = {};
    this.frameIndex = 0;
    this.selectedId = null;
    /** @type {number[][]} vertices of the shape being drawn */
    this.drawing = [];
    this.history = new History(200);
    this.unsaved = false;
    this.editCount = 0;
    this.message = null;
    this.keymap = this.sequence ? [...POINTCLOUD_VECTOR_BINDINGS, ...POINTCLOUD_VECTOR_FRAME_BINDINGS] : POINTCLOUD_VECTOR_BINDINGS;
    this.screenValid = false;
    /** @type {any} a vertex drag in progress */
    this.drag = null;
    /** @type {Record<string, number>} */
    this.timings = {};
    this.anchor = () => ({ track_id: this.selectedId, frame: this.sequence ? this.frameIndex : null });
    this.focusAnchor = (anchor) => {
      if (this.sequence && Number.isInteger(anchor.frame)) this.setFrame(anchor.frame);
      if (Number.isInteger(anchor.track_id)) this.select(anchor.track_id);
    };
  }

  async load() {
    const started = performance.now();
    this.buildLayout();
    let buffers;
    try {
      buffers = await loadSampleClouds(this.config.sample.uuid, this.options.fetch || globalThis.fetch.bind(globalThis));
    } catch (error) {
      replaceChildren(this.root, h("div", { class: "pcs-fatal", role: "alert", "data-testid": "fatal" }, error.message));
      return;
    }
    this.buffers = buffers;
    this.readLabel(this.config.label && this.config.label.attributes);
    this.viewport = createViewport(this.canvas, { background: 0x111418, pointSize: 2 });
    this.viewport.controls.addEventListener("change", () => { this.screenValid = false; });
    this.overlays = new THREE.Group();
    this.viewport.scene.add(this.overlays);
    this.viewport.followSize(this.stage, () => {
      this.screenValid = false;
    });
    this.showFrame(0);
    bindPointer(this);
    this.shell.mount(this);
    this.timings.readyMs = performance.now() - started;
    document.body.dataset.editorReady = "true";
  }

  readLabel(attributes) {
    const count = this.buffers.length;
    if (!this.sequence) {
      const { annotations = [], ...rest } = attributes || {};
      this.labelExtra = rest;
      this.keyframes = [annotations.filter((annotation) => annotation.type !== "cuboid" && annotation.type !== "cuboid-sync").map(clone)];
      this.otherAnnotations = annotations.filter((annotation) => annotation.type === "cuboid" || annotation.type === "cuboid-sync");
      this.frameExtras = [{}];
      return;
    }
    const { frames = [], ...rest } = attributes || {};
    this.labelExtra = rest;
    this.otherAnnotations = [];
    this.keyframes = [];
    this.frameExtras = [];
    for (let index = 0; index < count; index += 1) {
      const { annotations = [], ...extra } = frames[index] || {};
      this.frameExtras.push(extra);
      this.keyframes.push(annotations.filter((annotation) => annotation.is_keyframe !== false).map((annotation) => {
        const trackId = annotation.track_id ?? annotation.id;
        return { ...clone(annotation), id: trackId, track_id: trackId, is_keyframe: true };
      }));
    }
  }

  buildLayout() {
    this.canvas = h("canvas", { class: "pcs-canvas", "data-testid": "viewport" });
    this.stage = h("div", { class: "pcs-stage", "data-testid": "stage", tabindex: "0" }, this.canvas);
    this.toolbarSlot = h("div", { class: "pcs-toolbar" });
    this.side = h("aside", { class: "pcs-side" });
    this.timeline = h("div", { class: "sq-timeline pcs-timeline", "data-testid": "timeline" });
    this.frameLabel = h("span", { class: "pcs-frame-label", "data-testid": "frame-label" });
    this.body = h("div", { class: "pcs-body" }, this.stage, this.side);
    replaceChildren(this.root, this.toolbarSlot, this.body, this.sequence ? this.timeline : null);
    this.shell = new Shell(this.root, this.config, { noticesParent: this.body, toolbarStart: this.sequence ? [this.frameLabel] : [] });
    if (this.sequence) {
      new TimelineController(this.timeline, {
        onSeek: (frame) => this.setFrame(frame),
        onSelectTrack: (id) => this.select(Number(id)),
        frameCount: () => this.buffers.length,
      });
    }
  }

  get buffer() {
    return this.buffers[this.frameIndex];
  }

  showFrame(index) {
    this.frameIndex = index;
    this.viewport.setPoints(this.buffer, { progressive: true });
    this.ground = fitGroundPlane(this.buffer.xyz, this.buffer.pointCount) || { a: 0, b: 0, c: 0, support: 0 };
    this.screenValid = false;
    this.drawing = [];
    this.renderAll();
  }

  setFrame(index) {
    if (!this.sequence) return;
    const next = Math.max(0, Math.min(this.buffers.length - 1, index));
    if (next !== this.frameIndex) this.showFrame(next);
  }

  // ---- the document ------------------------------------------------------------------------------------------

  /** The annotations shown in the current frame (interpolated between keyframes in a sequence). */
  shown() {
    if (!this.sequence) return this.keyframes[0];
    try {
      const label = interpolateSequenceLabel({ frames: this.keyframes.map((annotations) => ({ annotations: clone(annotations) })) }, { frameCount: this.buffers.length });
      return label.frames[this.frameIndex].annotations || [];
    } catch {
      return this.keyframes[this.frameIndex];
    }
  }

  /** Record the document for undo, change it with `mutate`, refresh. */
  edit(mutate) {
    if (!this.canWrite) return;
    this.history.record(clone(this.keyframes));
    mutate();
    this.unsaved = true;
    this.editCount += 1;
    this.renderAll();
    if (this.shell.view) this.shell.changed();
  }

  nextId() {
    let max = 0;
    for (const frame of this.keyframes) for (const annotation of frame) max = Math.max(max, annotation.id, annotation.track_id || 0);
    for (const annotation of this.otherAnnotations || []) max = Math.max(max, annotation.id || 0);
    return max + 1;
  }

  /** Make `annotation` (as shown here) a keyframe of its track in this frame. */
  putHere(annotation) {
    const frame = this.keyframes[this.sequence ? this.frameIndex : 0];
    const index = frame.findIndex((item) => item.id === annotation.id);
    const stored = { ...clone(annotation), ...(this.sequence ? { track_id: annotation.id, is_keyframe: true } : {}) };
    if (index >= 0) frame[index] = stored;
    else frame.push(stored);
  }

  finishDrawing() {
    const type = this.tool;
    const needed = type === "polygon" ? 3 : type === "polyline" ? 2 : 1;
    if (this.drawing.length < needed || this.currentCategoryId === null) return;
    const id = this.nextId();
    const category = this.categoriesById.get(this.currentCategoryId);
    const attributes = reconcileAttributes(category && category.attributes, {});
    const annotation = { id, category_id: this.currentCategoryId, type, points: this.drawing.map((point) => point.slice()), ...(attributes ? { attributes } : {}) };
    this.drawing = [];
    this.edit(() => this.putHere(annotation));
    this.select(id);
  }

  addVertex(point) {
    this.drawing.push(point);
    if (this.tool === "point") this.finishDrawing();
    else this.renderAll();
  }

  moveVertex(id, vertex, point) {
    const annotation = this.shown().find((item) => item.id === id);
    if (!annotation) return;
    const changed = clone(annotation);
    changed.points[vertex] = point;
    this.edit(() => this.putHere(changed));
  }

  deleteVertex(id, vertex) {
    const annotation = this.shown().find((item) => item.id === id);
    if (!annotation) return;
    const minimum = annotation.type === "polygon" ? 3 : annotation.type === "polyline" ? 2 : 1;
    if (annotation.points.length <= minimum) return this.setMessage("error", `A ${annotation.type} keeps at least ${minimum} vertices.`);
    const changed = clone(annotation);
    changed.points.splice(vertex, 1);
    this.edit(() => this.putHere(changed));
  }

  deleteSelected() {
    const id = this.selectedId;
    if (id === null) return;
    this.edit(() => {
      this.keyframes = this.keyframes.map((frame) => frame.filter((annotation) => annotation.id !== id));
    });
    this.selectedId = null;
    this.renderAll();
  }

  toggleKeyframe() {
    if (!this.sequence || this.selectedId === null) return;
    const frame = this.keyframes[this.frameIndex];
    const here = frame.find((annotation) => annotation.id === this.selectedId);
    const keyframeCount = this.keyframes.filter((annotations) => annotations.some((annotation) => annotation.id === this.selectedId)).length;
    if (here && keyframeCount > 1) this.edit(() => { this.keyframes[this.frameIndex] = frame.filter((annotation) => annotation !== here); });
    else if (!here) {
      // the shape shown here (interpolated), else the track's nearest keyframe: continue the track here
      const shown = this.shown().find((annotation) => annotation.id === this.selectedId) || this.nearestKeyframe(this.selectedId);
      if (shown) this.edit(() => this.putHere(shown));
    }
  }

  /** The keyframe of track `id` nearest to the current frame (the last one before it first), or null. */
  nearestKeyframe(id) {
    const order = this.keyframes.map((_, index) => index)
      .sort((a, b) => (Math.abs(a - this.frameIndex) - Math.abs(b - this.frameIndex)) || (a - b));
    for (const index of order) {
      const found = this.keyframes[index].find((annotation) => annotation.id === id);
      if (found) return found;
    }
    return null;
  }

  setCategory(categoryId) {
    this.currentCategoryId = categoryId;
    if (this.tool === "select" && this.selectedId !== null) {
      const id = this.selectedId;
      this.edit(() => {
        for (const frame of this.keyframes) for (const annotation of frame) if (annotation.id === id) annotation.category_id = categoryId;
      });
    }
    this.renderAll();
  }

  select(id) {
    this.selectedId = id;
    this.renderAll();
  }

  // ---- snapping and hit tests ---------------------------------------------------------------------------

  viewProjection() {
    const camera = this.viewport.camera;
    camera.updateMatrixWorld();
    return camera.projectionMatrix.clone().multiply(camera.matrixWorldInverse).elements.slice();
  }

  screen() {
    if (!this.screenValid) {
      const { xyz, pointCount } = this.buffer;
      this.screenXY = projectToScreen(xyz, pointCount, this.viewProjection(), this.canvas.clientWidth, this.canvas.clientHeight);
      this.screenValid = true;
    }
    return this.screenXY;
  }

  /**
   * The 3D point a click at canvas pixel (x, y) means: the nearest cloud point on screen within SNAP_PIXELS,
   * else where the view ray meets the fitted ground plane; null when it meets neither.
   * @returns {{point: number[], index: number}|null} index: the snapped point's file index, -1 on the ground
   */
  snap(x, y) {
    const { xyz, pointCount } = this.buffer;
    const index = nearestOnScreen(this.screen(), pointCount, x, y, SNAP_PIXELS);
    if (index >= 0) return { point: [xyz[3 * index], xyz[3 * index + 1], xyz[3 * index + 2]], index };
    const ndc = new THREE.Vector2((x / this.canvas.clientWidth) * 2 - 1, 1 - (y / this.canvas.clientHeight) * 2);
    const raycaster = new THREE.Raycaster();
    raycaster.setFromCamera(ndc, this.viewport.camera);
    const { a, b, c } = this.ground;
    const plane = new THREE.Plane().setFromNormalAndCoplanarPoint(new THREE.Vector3(-a, -b, 1).normalize(), new THREE.Vector3(0, 0, c));
    const hit = raycaster.ray.intersectPlane(plane, new THREE.Vector3());
    return hit ? { point: [hit.x, hit.y, hit.z], index: -1 } : null;
  }

  /** The canvas position of a 3D point. */
  toScreen(point) {
    const projected = new THREE.Vector3(point[0], point[1], point[2]).project(this.viewport.camera);
    if (projected.z > 1 || projected.z < -1) return null;
    return [(projected.x + 1) * this.canvas.clientWidth / 2, (1 - projected.y) * this.canvas.clientHeight / 2];
  }

  /** The vertex under canvas pixel (x, y): {id, vertex} of the shown annotations, or null. */
  vertexAt(x, y) {
    let best = null;
    let bestDistance = VERTEX_PIXELS;
    for (const annotation of this.shown()) {
      annotation.points.forEach((point, vertex) => {
        const at = this.toScreen(point);
        if (!at) return;
        const distance = Math.hypot(at[0] - x, at[1] - y);
        if (distance <= bestDistance) {
          bestDistance = distance;
          best = { id: annotation.id, vertex };
        }
      });
    }
    return best;
  }

  // ---- rendering -------------------------------------------------------------------------------------------

  colorOfCategory(categoryId) {
    const index = this.categories.findIndex((category) => category.id === categoryId);
    return index < 0 ? UNKNOWN_COLOR : categoryColor(this.categories[index], index);
  }

  renderAll() {
    this.renderScene();
    this.renderToolbar();
    this.renderSide();
  }

  renderScene() {
    if (!this.overlays) return;
    for (const child of [...this.overlays.children]) {
      this.overlays.remove(child);
      /** @type {any} */ (child).geometry.dispose();
      /** @type {any} */ (child).material.dispose();
    }
    const add = (vertices, color, type, selected) => {
      const geometry = new THREE.BufferGeometry().setAttribute("position", new THREE.Float32BufferAttribute(vertices.flat(), 3));
      const threeColor = new THREE.Color(color[0] / 255, color[1] / 255, color[2] / 255);
      if (type !== "point" && vertices.length > 1) {
        const line = type === "polygon" ? THREE.LineLoop : THREE.Line;
        this.overlays.add(new line(geometry, new THREE.LineBasicMaterial({ color: threeColor, depthTest: false })));
      }
      const dots = new THREE.Points(geometry.clone(), new THREE.PointsMaterial({ color: selected ? 0xffffff : threeColor, size: selected ? 9 : 7, sizeAttenuation: false, depthTest: false }));
      this.overlays.add(dots);
    };
    for (const annotation of this.shown()) {
      add(annotation.points, this.colorOfCategory(annotation.category_id), annotation.type, annotation.id === this.selectedId);
    }
    if (this.drawing.length) add(this.drawing, [255, 216, 40], this.tool === "polygon" ? "polyline" : this.tool, true);
    this.viewport.render();
  }

  renderToolbar() {
    const tool = (name, title, key) => h("button", {
      type: "button", class: `btn pcs-tool${this.tool === name ? " is-active" : ""}`, title: `${title} (${key})`,
      "aria-pressed": String(this.tool === name), "data-testid": `tool-${name}`, onclick: () => this.setTool(name),
    }, title);
    replaceChildren(this.toolbarSlot, h("div", { class: "pcs-toolbar-row" },
      h("div", { class: "pcs-tools", role: "group", "aria-label": "Tools" },
        tool("select", "Select", "V"), tool("polygon", "Polygon", "P"), tool("polyline", "Polyline", "L"), tool("point", "Keypoint", "N")),
      h("button", { type: "button", class: "btn", title: "Top-down view (T)", onclick: () => this.topView() }, "Top"),
      h("span", { class: "muted", "data-testid": "drawing-count" }, this.drawing.length ? `${this.drawing.length} vertices` : "")));
    this.stage.dataset.tool = this.tool;
  }

  renderSide() {
    const shown = this.shown();
    const categories = h("div", { class: "seg-section" }, h("h3", {}, "Categories"),
      h("ul", { class: "seg-categories" }, this.categories.map((category, index) => h("li", {},
        h("button", { type: "button", class: `seg-category${category.id === this.currentCategoryId ? " is-current" : ""}`,
          "data-testid": `category-${category.id}`, onclick: () => this.setCategory(category.id) },
        h("span", { class: "seg-swatch", style: `background:${cssColor(this.colorOfCategory(category.id))}` }), category.name,
        index < 9 ? h("kbd", {}, String(index + 1)) : null)))));
    const objects = h("div", { class: "seg-section" }, h("h3", {}, "Objects"),
      h("ul", { class: "seg-instances" }, shown.map((annotation) => {
        const category = this.categoriesById.get(annotation.category_id);
        return h("li", { class: `seg-instance${annotation.id === this.selectedId ? " is-selected" : ""}`, "data-testid": `object-${annotation.id}`,
          onclick: () => this.select(annotation.id) },
        h("span", { class: "seg-swatch", style: `background:${cssColor(this.colorOfCategory(annotation.category_id))}` }),
        h("span", { class: "seg-instance-name" }, `#${annotation.id} ${category ? category.name : "no category"} ${annotation.type}`),
        h("span", { class: "muted seg-count" }, `${annotation.points.length} pts${this.sequence && annotation.is_keyframe === false ? " (interpolated)" : ""}`));
      })));
    const selected = shown.find((annotation) => annotation.id === this.selectedId);
    const selectedCategory = selected && this.categoriesById.get(selected.category_id);
    const details = selected && selectedCategory && (selectedCategory.attributes || []).length
      ? h("div", { class: "seg-section", "data-testid": "selected-object" }, h("h3", {}, `Object #${selected.id}`),
        attributeForm(selectedCategory.attributes, selected.attributes || {}, (name, value) => this.setAttribute(selected.id, name, value), {
          testidPrefix: "object-attribute", readOnly: !this.canWrite, missing: missingMandatory(selectedCategory.attributes, selected.attributes),
        }))
      : null;
    const message = this.message ? h("div", { class: `pcs-message is-${this.message.kind}`, "data-testid": "message" }, this.message.text) : null;
    replaceChildren(this.side, categories, objects, details, message);
    if (this.sequence) this.renderTimeline();
    if (this.shell.view) this.shell.render();
  }

  renderTimeline() {
    this.frameLabel.textContent = `Frame ${this.frameIndex + 1} / ${this.buffers.length}`;
    const ids = new Map();
    this.keyframes.forEach((frame) => frame.forEach((annotation) => ids.set(annotation.id, annotation.category_id)));
    const tracks = [...ids.entries()].map(([trackId, categoryId]) => {
      const keyframes = this.keyframes.flatMap((frame, index) => (frame.some((annotation) => annotation.id === trackId) ? [index] : []));
      const present = this.keyframes.map((_, index) => index >= keyframes[0] && index <= keyframes[keyframes.length - 1]);
      return { trackId, categoryId, keyframes, removed: [], present };
    });
    renderTimeline(this.timeline, {
      frameCount: this.buffers.length, frameIndex: this.frameIndex, tracks, selectedTrackId: this.selectedId,
      styleOf: (categoryId) => ({ color: this.colorOfCategory(categoryId), name: (this.categoriesById.get(categoryId) || { name: `category ${categoryId}` }).name }),
    });
  }

  setMessage(kind, text) {
    this.message = { kind, text };
    this.renderSide();
  }

  setTool(name) {
    this.tool = name;
    this.drawing = [];
    this.renderAll();
  }

  /** Put the camera at `position` looking at `target` (metres, lidar frame); for tests and the top view. */
  setCamera(view) {
    this.screenValid = false;
    this.viewport.lookFrom(view);
  }

  /** The camera for a test to reproduce the projection: column-major view-projection matrix, canvas size. */
  cameraState() {
    return { matrix: this.viewProjection(), width: this.canvas.clientWidth, height: this.canvas.clientHeight };
  }

  topView() {
    const { camera, controls } = this.viewport;
    const target = controls.target;
    this.setCamera({ position: [target.x, target.y - 0.001, target.z + Math.max(20, camera.position.distanceTo(target))], target: [target.x, target.y, target.z] });
  }

  // ---- the EditorView contract ------------------------------------------------------------------------------

  get canUndo() {
    return this.history.canUndo;
  }

  get canRedo() {
    return this.history.canRedo;
  }

  isDirty() {
    return this.unsaved;
  }

  toLabel() {
    this.editsAtSave = this.editCount;
    /** @param {Vector3D} annotation */
    const vector = ({ id, category_id: categoryId, type, points, attributes = null }) => ({ id, category_id: categoryId, type, points, ...(attributes ? { attributes } : {}) });
    if (!this.sequence) {
      return { format_version: "0.1", ...this.labelExtra, annotations: [...this.keyframes[0].map(vector), ...(this.otherAnnotations || [])] };
    }
    return {
      format_version: SEQUENCE_FORMAT_VERSION, ...this.labelExtra,
      frames: this.keyframes.map((frame, index) => ({
        ...this.frameExtras[index],
        annotations: frame.map((annotation) => ({ ...vector(annotation), track_id: annotation.id, is_keyframe: true })),
      })),
    };
  }

  /** The unsaved label for the shell's browser-storage draft (a few vectors: small). */
  draft() {
    return this.toLabel();
  }

  /** Show `attributes` (a restored draft) as unsaved changes. */
  loadLabel(attributes) {
    this.history.record(clone(this.keyframes));
    this.readLabel(attributes);
    this.selectedId = null;
    this.unsaved = true;
    this.editCount += 1;
    this.renderAll();
  }

  /** Why the label cannot be saved as `status`: mandatory object attributes missing before labeled. */
  localProblems(status) {
    if (!["LABELED", "REVIEWED"].includes(status)) return [];
    const problems = [];
    const seen = new Set();
    for (const frame of this.keyframes) {
      for (const annotation of frame) {
        const category = this.categoriesById.get(annotation.category_id);
        if (!category || seen.has(annotation.id)) continue;
        seen.add(annotation.id);
        const missing = missingMandatory(category.attributes, annotation.attributes);
        if (missing.length) problems.push(`#${annotation.id} ${category.name}: ${missing.join(", ")} required`);
      }
    }
    if (problems.length) this.setMessage("error", `Not saved: mandatory attributes are missing. ${problems.join("; ")}`);
    return problems;
  }

  setAttribute(id, name, value) {
    this.edit(() => {
      for (const frame of this.keyframes) {
        for (const annotation of frame) {
          if (annotation.id !== id) continue;
          annotation.attributes = { ...(annotation.attributes || {}), [name]: value };
          if (value === undefined) delete annotation.attributes[name];
        }
      }
    });
  }

  markSaved() {
    if (this.editCount === this.editsAtSave) this.unsaved = false;
    this.message = null;
    this.renderSide();
  }

  showSaveError(error) {
    this.setMessage("error", `Not saved: ${error.message} ${(error.errors || []).map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`);
  }

  perform(action) {
    const [name, argument] = action.split(":");
    const run = {
      undo: () => this.restore(this.history.undo(clone(this.keyframes))),
      redo: () => this.restore(this.history.redo(clone(this.keyframes))),
      "zoom-in": () => this.dolly(0.8),
      "zoom-out": () => this.dolly(1.25),
      fit: () => { this.viewport.resetView(); this.screenValid = false; },
      "tool-select": () => this.setTool("select"),
      "tool-polygon": () => this.setTool("polygon"),
      "tool-polyline": () => this.setTool("polyline"),
      "tool-point": () => this.setTool("point"),
      category: () => {
        const category = this.categories[Number(argument) - 1];
        if (category) this.setCategory(category.id);
      },
      finish: () => this.finishDrawing(),
      "remove-last": () => { this.drawing.pop(); this.renderAll(); },
      escape: () => {
        if (this.drawing.length) this.drawing = [];
        else this.selectedId = null;
        this.renderAll();
      },
      delete: () => this.deleteSelected(),
      "top-view": () => this.topView(),
      "toggle-keyframe": () => this.toggleKeyframe(),
      ...(this.sequence ? frameActions({ index: () => this.frameIndex, count: () => this.buffers.length, setFrame: (index) => this.setFrame(index) }) : {}),
    }[name];
    if (run) run();
  }

  restore(snapshot) {
    if (!snapshot) return;
    this.keyframes = snapshot;
    this.unsaved = true;
    this.editCount += 1;
    this.renderAll();
    if (this.shell.view) this.shell.changed();
  }

  dolly(factor) {
    const { camera, controls } = this.viewport;
    camera.position.copy(controls.target).add(camera.position.clone().sub(controls.target).multiplyScalar(factor));
    controls.update();
    this.screenValid = false;
    this.viewport.render();
  }
}

/** Clicks draw in the drawing tools (the orbit controls do not see them); in Select, a press on a vertex drags
 * it (released: snapped to the point under the pointer), anywhere else orbits as usual. */
function bindPointer(editor) {
  const stage = editor.stage;
  const local = (event) => {
    const rect = editor.canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };
  stage.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || !editor.canWrite) return;
    const [x, y] = local(event);
    if (editor.tool === "select") {
      const hit = editor.vertexAt(x, y);
      if (!hit) return; // orbit
      event.stopPropagation();
      editor.select(hit.id);
      if (event.altKey) return editor.deleteVertex(hit.id, hit.vertex);
      editor.drag = hit;
      stage.setPointerCapture(event.pointerId);
      return;
    }
    event.stopPropagation();
    event.preventDefault();
    stage.focus({ preventScroll: true });
    const snapped = editor.snap(x, y);
    if (snapped) editor.addVertex(snapped.point);
  }, { capture: true });
  stage.addEventListener("pointerup", (event) => {
    const drag = editor.drag;
    editor.drag = null;
    if (!drag) return;
    const [x, y] = local(event);
    const snapped = editor.snap(x, y);
    if (snapped) editor.moveVertex(drag.id, drag.vertex, snapped.point);
  });
  stage.addEventListener("dblclick", () => editor.finishDrawing());
}

/** Start the editor on the page: the config is the json_script "editor-config". */
export async function start() {
  const config = JSON.parse(document.getElementById("editor-config").textContent);
  const editor = new PointCloudVectorEditor(document.getElementById("pointcloud-editor"), config);
  /** @type {any} */ (window).pointcloudEditor = editor;
  await editor.load();
  return editor;
}
