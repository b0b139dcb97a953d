// The point-cloud segmentation editor (`pointcloud-segmentation` and `pointcloud-segmentation-sequence`): an
// EditorView mounted into the shared shell (editor-core/shell.js). One Uint32Array of instance ids per frame
// (file point order, 0 = unlabeled) is the document; the three.js viewport (../pointcloud/viewport3d.js) only
// shows it. Selection tools (lasso, box, brush, ground plane, cuboid around the selection) project the points
// with the camera's matrices into screen space in tight typed-array loops (points.js); the selection is
// assigned to an instance of a category. Undo stores compact diffs (changed indices + previous ids).
//
// Sequences: instance ids are track ids across frames; "propagate" labels the next frame's points whose
// nearest neighbour among the instance's points (world coordinates, with ego poses when present) is within
// the propagation radius; the tracks timeline (../tracks/timeline.js) shows where each instance is.

import { frameActions, categoriesOf } from "../../editor-core/categories.js";
import { h, replaceChildren } from "../../editor-core/dom.js";
import { History } from "../../editor-core/history.js";
import { Shell } from "../../editor-core/shell.js";
import { heightColors } from "../pointcloud/colors.js";
import { createViewport, interleavedOrder } from "../pointcloud/viewport3d.js";
import { TimelineController } from "../tracks/timeline.js";
import { categoryColor, missingMandatory, reconcileAttributes } from "../vector/label-document.js";
import { readSegmentationLabel, segmentationLabelAttributes } from "./label-io.js";
import { loadSampleClouds } from "./loading.js";
import { colorTable, eligiblePoints, recolorPoints } from "./paint.js";
import { drawSidePanel, drawStatus, drawTimeline, drawToolbar } from "./panels.js";
import { bindPointer } from "./pointer.js";
import { brushSegment, clearSelection, select3d, selectBox, selectGround, selectInsideCuboid, selectLasso } from "./selection.js";
import * as points from "./points.js";
import { POINTCLOUD_FRAME_BINDINGS, POINTCLOUD_SEGMENTATION_BINDINGS } from "./shortcuts.js";

const POINT_BUDGET = 400_000;
const BACKGROUND = 0x111418;
const UNKNOWN_COLOR = [128, 128, 128];

/** @typedef {import("./label-io.js").Frame} Frame */

export class PointCloudSegmentationEditor {
  /**
   * @param {HTMLElement} root
   * @param {any} config editor_config
   * @param {{fetch?: typeof fetch}} [options]
   */
  constructor(root, config, options = {}) {
    this.root = root;
    this.config = config;
    this.options = options;
    this.sequence = config.dataset.task_type === "pointcloud-segmentation-sequence";
    const known = categoriesOf(config);
    this.categories = known.categories;
    this.categoriesById = known.categoriesById;
    this.canWrite = Boolean(config.can_write);
    this.currentCategoryId = this.categories.length ? this.categories[0].id : null;
    this.tool = { tool: "lasso", brushSize: 24, onlyUnlabeled: false, radius: 0.5 };
    this.labeledMode = "show"; // show | dim | hide
    this.history = new History(200);
    /** @type {Array<{id: number, category_id: number|null, attributes?: any}>} */
    this.instances = [];
    /** @type {Set<number>} hidden instance ids (few) */
    this.hiddenIds = new Set();
    /** @type {Set<number>} categories whose points are hidden */
    this.hiddenCategories = new Set();
    this.selectedId = null;
    /** @type {Frame[]} */
    this.frames = [];
    this.frameIndex = 0;
    this.unsaved = false;
    this.editCount = 0;
    this.message = null;
    this.keymap = this.sequence ? [...POINTCLOUD_SEGMENTATION_BINDINGS, ...POINTCLOUD_FRAME_BINDINGS] : POINTCLOUD_SEGMENTATION_BINDINGS;
    this.spaceHeld = false;
    this.showMissing = false;
    /** @type {[number, number]|null} the pointer over the canvas */
    this.cursor = null;
    /** @type {any} the selection gesture in progress (lasso, box, brush) */
    this.gesture = null;
    /** @type {Record<string, number>} */
    this.timings = {};
    this.screenValid = false;
    /** @type {Array<[number, number]>|null} the last lasso polygon (canvas pixels), for tests */
    this.lastLasso = null;
    this.anchor = () => ({ track_id: this.selectedId, frame: this.sequence ? this.frameIndex : null });
    this.focusAnchor = (anchor) => {
      if (this.sequence && Number.isInteger(anchor.frame)) this.setFrame(anchor.frame);
      if (Number.isInteger(anchor.track_id)) this.select(anchor.track_id);
    };
  }

  // ---- loading -------------------------------------------------------------------------------------------

  /** Load every frame's derived buffer, read the label, build the page; resolves when it is editable. */
  async load() {
    const started = performance.now();
    this.buildLayout();
    const fetcher = this.options.fetch || globalThis.fetch.bind(globalThis);
    let buffers;
    try {
      buffers = await loadSampleClouds(this.config.sample.uuid, fetcher);
    } catch (error) {
      return this.showFatal(error.message);
    }
    this.timings.buffersMs = performance.now() - started;
    const label = this.config.label && this.config.label.attributes;
    this.readLabel(label, buffers, this.config.sample.ego_poses || []);
    this.setupViewport();
    this.showFrame(0);
    this.renderAll();
    bindPointer(this);
    this.shell.mount(this);
    this.timings.readyMs = performance.now() - started;
    document.body.dataset.editorReady = "true";
  }

  /**
   * Build the frames and instances from the stored label (ids re-checked against the point counts).
   * @param {any} label the stored label attributes (or null)
   * @param {import("../pointcloud/buffer.js").PointBuffer[]} buffers the frames' clouds
   * @param {any[]} egoPoses each frame's ego pose or null (editor_config.sample.ego_poses)
   */
  readLabel(label, buffers, egoPoses) {
    const read = readSegmentationLabel(label, buffers, egoPoses, this.sequence);
    this.frames = read.frames;
    this.instances = read.instances;
    this.labelExtra = read.labelExtra;
    if (read.problems.length) {
      this.message = { kind: "error", text: `${read.problems.join(" ")} Saving is disabled so the stored label is not overwritten.` };
      this.loadProblem = true;
    }
  }

  get frame() {
    return this.frames[this.frameIndex];
  }

  get ids() {
    return this.frame.ids;
  }

  /** Points per instance id in frame `index` (cached until the frame's ids change). @returns {Map<number, number>} */
  countsOf(index) {
    const frame = this.frames[index];
    if (!frame.counts) frame.counts = points.idCounts(frame.ids);
    return frame.counts;
  }

  /** Points per instance id in the current frame. */
  get counts() {
    return this.countsOf(this.frameIndex);
  }

  // ---- layout ----------------------------------------------------------------------------------------------

  buildLayout() {
    this.canvas = h("canvas", { class: "pcs-canvas", "data-testid": "viewport" });
    this.overlay = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    this.overlay.classList.add("pcs-overlay");
    this.stage = h("div", { class: "pcs-stage", "data-testid": "stage", tabindex: "0" }, this.canvas, this.overlay);
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
        frameCount: () => this.frames.length,
      });
    }
  }

  showFatal(text) {
    replaceChildren(this.root, h("div", { class: "pcs-fatal", role: "alert", "data-testid": "fatal" }, text));
    document.body.dataset.editorFailed = "true";
  }

  setupViewport() {
    this.viewport = createViewport(this.canvas, { pointBudget: POINT_BUDGET, background: BACKGROUND, pointSize: 2 });
    this.pointsObject = this.viewport.scene.children.find((child) => /** @type {any} */ (child).isPoints);
    this.viewport.controls.addEventListener("change", () => {
      this.screenValid = false;
    });
    this.viewport.onRender(() => this.drawOverlay());
    this.viewport.followSize(this.stage, () => {
      this.screenValid = false;
    });
  }

  /** Show frame `index` in the viewport (draw order, colours, projected screen positions). */
  showFrame(index) {
    this.frameIndex = index;
    const frame = this.frame;
    const { buffer } = frame;
    this.selection = new Uint8Array(buffer.pointCount);
    this.selectedCount = 0;
    this.viewport.setPoints(buffer, { progressive: true });
    // draw slot -> file point index, and back (viewport3d draws in interleaved order)
    const order = interleavedOrder(buffer.renderCount, POINT_BUDGET);
    this.slotPoint = new Uint32Array(buffer.renderCount);
    this.pointSlot = new Int32Array(buffer.pointCount).fill(-1);
    for (let slot = 0; slot < buffer.renderCount; slot += 1) {
      const renderSlot = order ? order[slot] : slot;
      const point = buffer.renderIndex ? buffer.renderIndex[renderSlot] : renderSlot;
      this.slotPoint[slot] = point;
      this.pointSlot[point] = slot;
    }
    // height colours per file point (the colour of unlabeled points)
    const base = heightColors(buffer.renderPositions, buffer.renderCount);
    this.baseColors = new Float32Array(3 * buffer.pointCount);
    for (let renderSlot = 0; renderSlot < buffer.renderCount; renderSlot += 1) {
      const point = buffer.renderIndex ? buffer.renderIndex[renderSlot] : renderSlot;
      this.baseColors.set(base.subarray(3 * renderSlot, 3 * renderSlot + 3), 3 * point);
    }
    this.colorAttribute = this.pointsObject.geometry.getAttribute("color");
    this.screenValid = false;
    this.recolor();
  }

  setFrame(index) {
    if (!this.sequence) return;
    const next = Math.max(0, Math.min(this.frames.length - 1, index));
    if (next === this.frameIndex) return;
    this.endGesture();
    this.showFrame(next);
    this.renderAll();
  }

  // ---- colours ---------------------------------------------------------------------------------------------

  colorOfCategory(categoryId) {
    const index = this.categories.findIndex((category) => category.id === categoryId);
    return index < 0 ? UNKNOWN_COLOR : categoryColor(this.categories[index], index);
  }

  colorTable() {
    return colorTable(this);
  }

  recolor(indices = null) {
    return recolorPoints(this, indices);
  }

  eligible() {
    return eligiblePoints(this);
  }

  // ---- screen projection ------------------------------------------------------------------------------------

  /** The column-major view-projection matrix of the camera now (16 numbers). */
  viewProjection() {
    const camera = this.viewport.camera;
    camera.updateMatrixWorld();
    return camera.projectionMatrix.clone().multiply(camera.matrixWorldInverse).elements.slice();
  }

  canvasSize() {
    return { width: this.canvas.clientWidth, height: this.canvas.clientHeight };
  }

  /** Every point's canvas position for the current camera (cached until the camera or canvas changes). */
  screen() {
    if (!this.screenValid) {
      const { buffer } = this.frame;
      const { width, height } = this.canvasSize();
      const started = performance.now();
      this.screenXY = points.projectToScreen(buffer.xyz, buffer.pointCount, this.viewProjection(), width, height,
        this.screenXY && this.screenXY.length === 2 * buffer.pointCount ? this.screenXY : undefined);
      this.timings.projectMs = performance.now() - started;
      this.screenValid = true;
      this.screenStamp = (this.screenStamp || 0) + 1;
    }
    return this.screenXY;
  }

  /** The projected points bucketed by screen cell, for the brush (cached with the projection). */
  screenGrid() {
    const screen = this.screen();
    if (!this.grid || this.gridOf !== screen || this.gridStamp !== this.screenStamp) {
      const { width, height } = this.canvasSize();
      this.grid = points.buildScreenGrid(screen, this.frame.buffer.pointCount, width, height);
      this.gridOf = screen;
      this.gridStamp = this.screenStamp;
    }
    return this.grid;
  }

  /** Put the camera at `position` looking at `target` (metres, lidar frame); for tests and the top view. */
  setCamera(view) {
    this.screenValid = false;
    this.viewport.lookFrom(view);
  }

  /** The camera for a test to reproduce the projection: matrix, canvas size. */
  cameraState() {
    return { matrix: this.viewProjection(), ...this.canvasSize() };
  }

  // ---- selection -------------------------------------------------------------------------------------------

  select3d(indices, mode) {
    return select3d(this, indices, mode);
  }

  selectLasso(polygon, mode) {
    return selectLasso(this, polygon, mode);
  }

  selectBox(a, b, mode) {
    return selectBox(this, a, b, mode);
  }

  brushSegment(a, b, mode) {
    return brushSegment(this, a, b, mode);
  }

  clearSelection() {
    return clearSelection(this);
  }

  selectGround() {
    return selectGround(this);
  }

  selectInsideCuboid() {
    return selectInsideCuboid(this);
  }

  // ---- instances and assignment ------------------------------------------------------------------------------

  cloneInstances() {
    return this.instances.map((instance) => ({ ...instance, ...(instance.attributes ? { attributes: { ...instance.attributes } } : {}) }));
  }

  nextInstanceId() {
    let max = 0;
    for (const instance of this.instances) max = Math.max(max, instance.id);
    for (const frame of this.frames) for (let i = 0; i < frame.ids.length; i += 1) if (frame.ids[i] > max) max = frame.ids[i];
    return max + 1;
  }

  addInstance(categoryId) {
    const category = this.categoriesById.get(categoryId);
    const instance = { id: this.nextInstanceId(), category_id: categoryId };
    const attributes = reconcileAttributes(category && category.attributes, {});
    if (attributes) instance.attributes = attributes;
    this.instances.push(instance);
    return instance.id;
  }

  /** The instance an assignment goes to: the selected one, or a new one of the current category. */
  assign(forceNew = false) {
    if (!this.canWrite || this.loadProblem) return;
    if (!this.selectedCount) return this.setMessage("error", "Nothing selected: lasso, box or brush some points first.");
    const before = this.cloneInstances();
    let id = forceNew ? null : this.selectedId;
    let created = false;
    if (id === null) {
      if (this.currentCategoryId === null) return this.setMessage("error", "This dataset has no categories.");
      const category = this.categoriesById.get(this.currentCategoryId);
      const shared = category && category.has_instances === false
        ? this.instances.find((instance) => instance.category_id === this.currentCategoryId)
        : null;
      id = shared ? shared.id : this.addInstance(this.currentCategoryId);
      created = !shared;
    }
    this.selectedId = id;
    this.applyIds(points.flaggedIndices(this.selection), id, created ? before : null);
  }

  unlabelSelection() {
    if (!this.canWrite || this.loadProblem || !this.selectedCount) return;
    this.applyIds(points.flaggedIndices(this.selection), 0, null, { onlyUnlabeled: false });
  }

  /** Set `indices` of the current frame to `id`, record the diff for undo, refresh. */
  applyIds(indices, id, instancesBefore = null, options = { onlyUnlabeled: this.tool.onlyUnlabeled }, frameIndex = this.frameIndex) {
    const frame = this.frames[frameIndex];
    const diff = points.assignIds(frame.ids, indices, id, options);
    if (!diff && !instancesBefore) return null;
    const entry = { frame: frameIndex, diff, instancesBefore, instancesAfter: instancesBefore ? this.cloneInstances() : null };
    this.history.record(entry);
    this.afterEdit(entry);
    return diff;
  }

  afterEdit(entry) {
    if (entry.frame !== null) this.frames[entry.frame].counts = null;
    if (entry.frame === this.frameIndex) {
      if (entry.diff) this.recolor(entry.diff.indices);
      if (entry.instancesBefore) this.recolor();
    }
    this.markEdited();
    this.renderSide();
  }

  deleteInstance(id) {
    if (id === null || !this.canWrite) return;
    const before = this.cloneInstances();
    this.instances = this.instances.filter((instance) => instance.id !== id);
    const diffs = this.frames.map((frame) => points.assignIds(frame.ids, points.indicesOfId(frame.ids, id), 0));
    this.history.record({ frame: null, diffs, instancesBefore: before, instancesAfter: this.cloneInstances() });
    if (this.selectedId === id) this.selectedId = null;
    for (const frame of this.frames) frame.counts = null;
    this.recolor();
    this.markEdited();
    this.renderSide();
  }

  select(id) {
    this.selectedId = id;
    const instance = this.instances.find((item) => item.id === id);
    if (instance && instance.category_id !== null) this.currentCategoryId = instance.category_id;
    if (this.labeledMode === "dim") this.recolor();
    this.renderSide();
  }

  pickCategory(categoryId) {
    this.currentCategoryId = categoryId;
    this.selectedId = null;
    this.renderSide();
  }

  pickAt(x, y) {
    const index = points.nearestOnScreen(this.screen(), this.frame.buffer.pointCount, x, y, 6, this.eligible());
    if (index < 0) return;
    const id = this.ids[index];
    this.select(id === 0 ? null : id);
  }

  toggleInstance(id) {
    if (id === null) return;
    if (this.hiddenIds.has(id)) this.hiddenIds.delete(id);
    else this.hiddenIds.add(id);
    this.recolor();
    this.renderSide();
  }

  toggleCategory(categoryId) {
    if (this.hiddenCategories.has(categoryId)) this.hiddenCategories.delete(categoryId);
    else this.hiddenCategories.add(categoryId);
    this.recolor();
    this.renderSide();
  }

  cycleLabeledMode() {
    this.labeledMode = { show: "dim", dim: "hide", hide: "show" }[this.labeledMode];
    this.recolor();
    this.renderToolbar();
  }

  setInstanceCategory(id, categoryId) {
    const before = this.cloneInstances();
    const instance = this.instances.find((item) => item.id === id);
    if (!instance) return;
    const category = this.categoriesById.get(categoryId);
    instance.category_id = categoryId;
    const attributes = reconcileAttributes(category && category.attributes, instance.attributes);
    if (attributes) instance.attributes = attributes;
    else delete instance.attributes;
    this.history.record({ frame: null, diff: null, instancesBefore: before, instancesAfter: this.cloneInstances() });
    this.recolor();
    this.markEdited();
    this.renderSide();
  }

  setInstanceAttribute(id, name, value) {
    const instance = this.instances.find((item) => item.id === id);
    if (!instance || !this.canWrite) return;
    const before = this.cloneInstances();
    instance.attributes = { ...(instance.attributes || {}), [name]: value };
    if (value === undefined) delete instance.attributes[name];
    this.history.record({ frame: null, diff: null, instancesBefore: before, instancesAfter: this.cloneInstances() });
    this.markEdited();
    this.renderSide();
  }

  // ---- sequences: propagation ------------------------------------------------------------------------------------

  worldOf(frame) {
    if (!frame.world) frame.world = points.worldPoints(frame.buffer.xyz, frame.buffer.pointCount, frame.egoPose);
    return frame.world;
  }

  /**
   * Label the next frame's points whose nearest neighbour among the selected instance's points of this frame
   * is within the propagation radius (world coordinates), then show the next frame.
   */
  propagate() {
    if (!this.sequence || !this.canWrite || this.loadProblem) return;
    if (this.selectedId === null) return this.setMessage("error", "Select an instance to propagate.");
    if (this.frameIndex >= this.frames.length - 1) return this.setMessage("error", "This is the last frame.");
    const started = performance.now();
    const from = this.frame;
    const to = this.frames[this.frameIndex + 1];
    const sourceIndices = points.indicesOfId(from.ids, this.selectedId);
    if (!sourceIndices.length) return this.setMessage("error", "The selected instance has no points in this frame.");
    const world = this.worldOf(from);
    const source = new Float64Array(3 * sourceIndices.length);
    for (let k = 0; k < sourceIndices.length; k += 1) source.set(world.subarray(3 * sourceIndices[k], 3 * sourceIndices[k] + 3), 3 * k);
    const hits = points.nearSourcePoints(source, sourceIndices.length, this.worldOf(to), to.buffer.pointCount, this.tool.radius);
    const id = this.selectedId;
    this.applyIds(hits, id, null, { onlyUnlabeled: this.tool.onlyUnlabeled }, this.frameIndex + 1);
    this.timings.propagateMs = performance.now() - started;
    this.setFrame(this.frameIndex + 1);
    this.select(id);
    this.setMessage("info", `Propagated #${id}: ${hits.length} points within ${this.tool.radius} m in frame ${this.frameIndex + 1}.`);
  }

  // ---- undo ------------------------------------------------------------------------------------------------

  undo() {
    this.applyHistory(this.history.undo(), "undo");
  }

  redo() {
    this.applyHistory(this.history.redo(), "redo");
  }

  applyHistory(entry, direction) {
    if (!entry) return;
    const diffs = entry.diffs ? entry.diffs.map((diff, frame) => [frame, diff]) : [[entry.frame, entry.diff]];
    for (const [frame, diff] of diffs) {
      if (!diff) continue;
      if (direction === "undo") points.revertDiff(this.frames[frame].ids, diff);
      else points.reapplyDiff(this.frames[frame].ids, diff);
    }
    const instances = direction === "undo" ? entry.instancesBefore : entry.instancesAfter;
    if (instances) {
      this.instances = instances.map((instance) => ({ ...instance }));
      if (!this.instances.some((instance) => instance.id === this.selectedId)) this.selectedId = null;
    }
    for (const [frame] of diffs) if (frame !== null) this.frames[frame].counts = null;
    this.recolor();
    this.markEdited();
    this.renderSide();
  }

  markEdited() {
    this.unsaved = true;
    this.editCount += 1;
    if (this.shell.view) this.shell.changed();
  }

  // ---- panels ------------------------------------------------------------------------------------------------

  renderAll() {
    this.renderToolbar();
    this.renderSide();
  }

  renderToolbar() {
    drawToolbar(this);
  }

  renderStatus() {
    drawStatus(this);
  }

  renderSide() {
    drawSidePanel(this);
  }

  renderTimeline() {
    drawTimeline(this);
  }

  setMessage(kind, text, items = []) {
    this.message = { kind, text, items };
    this.renderSide();
  }

  // ---- tools and view ------------------------------------------------------------------------------------------

  setTool(name) {
    this.endGesture();
    this.tool.tool = name;
    this.renderToolbar();
  }

  setBrushSize(size) {
    this.tool.brushSize = Math.max(2, Math.min(200, Math.round(size)));
    this.renderToolbar();
  }

  setOnlyUnlabeled(value) {
    this.tool.onlyUnlabeled = value;
    this.renderToolbar();
  }

  topView() {
    const { camera, controls } = this.viewport;
    const distance = camera.position.distanceTo(controls.target);
    const target = controls.target.clone();
    this.setCamera({ position: [target.x, target.y - 0.001, target.z + Math.max(20, distance)], target: [target.x, target.y, target.z] });
  }

  dolly(factor) {
    const { camera, controls } = this.viewport;
    const offset = camera.position.clone().sub(controls.target).multiplyScalar(factor);
    camera.position.copy(controls.target).add(offset);
    controls.update();
    this.screenValid = false;
    this.viewport.render();
  }

  endGesture() {
    this.gesture = null;
    this.drawOverlay();
  }

  drawOverlay() {
    const gesture = this.gesture;
    const parts = [];
    if (gesture && gesture.kind === "lasso" && gesture.points.length > 1) {
      parts.push(`<polygon class="pcs-lasso" points="${gesture.points.map(([x, y]) => `${x},${y}`).join(" ")}"/>`);
    } else if (gesture && gesture.kind === "box") {
      const [a, b] = [gesture.start, gesture.end];
      parts.push(`<rect class="pcs-box" x="${Math.min(a[0], b[0])}" y="${Math.min(a[1], b[1])}" width="${Math.abs(a[0] - b[0])}" height="${Math.abs(a[1] - b[1])}"/>`);
    }
    if (this.cursor && this.tool.tool === "brush") {
      parts.push(`<circle class="pcs-brush" cx="${this.cursor[0]}" cy="${this.cursor[1]}" r="${this.tool.brushSize / 2}"/>`);
    }
    this.overlay.innerHTML = parts.join("");
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

  /** Why the label cannot be saved with `status`: an unreadable stored label; mandatory attributes to mark it labeled. */
  localProblems(status) {
    if (this.loadProblem) return [this.message.text];
    if (!["LABELED", "REVIEWED"].includes(status)) return [];
    const problems = [];
    const present = new Set(this.frames.flatMap((_, index) => [...this.countsOf(index).keys()]));
    for (const instance of this.instances) {
      const category = this.categoriesById.get(instance.category_id);
      if (!present.has(instance.id) || !category) continue;
      const missing = missingMandatory(category.attributes, instance.attributes);
      if (missing.length) problems.push(`#${instance.id} ${category.name}: ${missing.join(", ")} required`);
    }
    this.showMissing = problems.length > 0;
    if (problems.length) this.setMessage("error", "Not saved: mandatory attributes are missing.", problems);
    return problems;
  }

  /** The label attributes: point_annotations in file point order, annotations = the instances with points. */
  toLabel() {
    const started = performance.now();
    this.editsAtSave = this.editCount;
    const attributes = segmentationLabelAttributes({
      frames: this.frames, instances: this.instances, labelExtra: this.labelExtra, sequence: this.sequence,
      countsOf: (index) => this.countsOf(index),
    });
    this.timings.toLabelMs = performance.now() - started;
    return attributes;
  }

  /**
   * A big draft for the shell's IndexedDB drafts (editor core: `draftData`/`loadDraftData`; a million ids do not
   * fit localStorage): the instances and a copy of every frame's ids (typed arrays are cloned as they are).
   * @returns {Promise<{instances: any[], ids: Uint32Array[]}>}
   */
  async draftData() {
    return { instances: this.cloneInstances(), ids: this.frames.map((frame) => frame.ids.slice()) };
  }

  /** Restore what draftData() gave (when the point counts still match) as unsaved changes. @param {any} data */
  async loadDraftData(data) {
    const fits = data && Array.isArray(data.ids) && data.ids.length === this.frames.length
      && data.ids.every((ids, index) => ids && ids.length === this.frames[index].buffer.pointCount);
    if (!fits) return this.setMessage("error", "The kept draft does not fit this sample's point clouds; it was not restored.");
    this.frames.forEach((frame, index) => {
      frame.ids.set(data.ids[index]);
      frame.counts = null;
    });
    this.instances = data.instances.map((instance) => ({ ...instance }));
    this.selectedId = null;
    this.history.clear();
    this.recolor();
    this.markEdited();
    this.renderSide();
  }

  markSaved() {
    if (this.editCount === this.editsAtSave) this.unsaved = false;
    this.message = null;
    this.renderSide();
  }

  showSaveError(error) {
    const items = (error.errors || []).map((issue) => `${issue.path}: ${issue.message}`);
    this.setMessage("error", `Not saved: ${error.message}`, items);
  }

  clearSaveError() {
    this.message = null;
  }

  flash(text) {
    this.setMessage("info", text);
  }

  onKeyDown(event) {
    if (event.code !== "Space") return false;
    this.spaceHeld = true;
    event.preventDefault();
    return true;
  }

  perform(action) {
    const [name, argument] = action.split(":");
    const actions = {
      undo: () => this.undo(),
      redo: () => this.redo(),
      "zoom-in": () => this.dolly(0.8),
      "zoom-out": () => this.dolly(1.25),
      fit: () => { this.viewport.resetView(); this.screenValid = false; },
      "tool-view": () => this.setTool("view"),
      "tool-lasso": () => this.setTool("lasso"),
      "tool-box": () => this.setTool("box"),
      "tool-brush": () => this.setTool("brush"),
      "tool-pick": () => this.setTool("pick"),
      "brush-smaller": () => this.setBrushSize(this.tool.brushSize / 1.25),
      "brush-larger": () => this.setBrushSize(this.tool.brushSize * 1.25),
      "select-ground": () => this.selectGround(),
      "select-cuboid": () => this.selectInsideCuboid(),
      "toggle-only-unlabeled": () => this.setOnlyUnlabeled(!this.tool.onlyUnlabeled),
      escape: () => { if (!this.clearSelection()) this.select(null); },
      category: () => {
        const category = this.categories[Number(argument) - 1];
        if (category) this.pickCategory(category.id);
      },
      assign: () => this.assign(),
      "assign-new": () => this.assign(true),
      unlabel: () => this.unlabelSelection(),
      "delete-instance": () => this.deleteInstance(this.selectedId),
      "toggle-instance": () => this.toggleInstance(this.selectedId),
      "labeled-mode": () => this.cycleLabeledMode(),
      "top-view": () => this.topView(),
      propagate: () => this.propagate(),
      ...(this.sequence ? frameActions({ index: () => this.frameIndex, count: () => this.frames.length, setFrame: (index) => this.setFrame(index) }) : {}),
    };
    const run = actions[name];
    if (run) run();
  }
}

/** Start the editor on the page: the config is the json_script "editor-config". */
export async function start() {
  const config = JSON.parse(document.getElementById("editor-config").textContent);
  const editor = new PointCloudSegmentationEditor(document.getElementById("pointcloud-editor"), config);
  /** @type {any} */ (window).pointcloudEditor = editor;
  await editor.load();
  return editor;
}
