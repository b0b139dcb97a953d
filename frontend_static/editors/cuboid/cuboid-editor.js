// The cuboid editor view (task types pointcloud-cuboid and pointcloud-cuboid-sequence), mounted into the
// editor core's shell: the 3D perspective view (editors/pointcloud/viewport3d.js) with the cuboids drawn by
// category, the top/side/front views of the selected cuboid (ortho-views.js), the side panels (the vector
// editor's shared category list, object panel, attribute form and object list) and, for sequences, the tracks
// component (timeline, keyframes, remove-keyframes, the shared interpolation). It implements the EditorView
// contract of editor-core/shell.js and never touches the network: the page entry (cuboid-main.js) loads the
// point buffers and hands them over with setFrameBuffer().

import { categoriesOf, frameActions } from "../../editor-core/categories.js";
import { History } from "../../editor-core/history.js";
import { placeOnGround, wrapAngle } from "../pointcloud/cuboid.js";
import { createViewport, DEFAULT_BUDGET } from "../pointcloud/viewport3d.js";
import {
  deleteTrack, endTrack, keyframeAt, nextTrackId, removeKeyframe, setKeyframe, trackIdOf, tracksOf,
} from "../tracks/sequence-document.js";
import { missingMandatory, reconcileAttributes } from "../vector/label-document.js";
import { BoxLayer } from "./boxes3d.js";
import { renderFrameControls, renderSidebar } from "./sidebar.js";
import { fitAboveGround } from "./cuboid-fit.js";
import { isEgoPose, toWorld } from "./ego-pose.js";
import { withoutGround } from "./ground.js";
import { DEFAULT_MERGE_RADIUS, frameWindow, mergeBuffers } from "./merge-frames.js";
import {
  defaultDimensions, frameFromLabel, labelFromCuboidSequence, labelFromFrame, materializeSequence,
  pastedCuboid, propagateCuboid, sequenceFromCuboidLabel,
} from "./cuboid-document.js";
import { CUBOID_BINDINGS, CUBOID_SEQUENCE_BINDINGS } from "./keys.js";
import { NUDGES } from "./nudges.js";
import { paintCategoryColors } from "./point-colors.js";
import { OrthoViews } from "./ortho-views.js";
import { ReferenceCuboids } from "./reference.js";
import { InterpolationCache } from "../tracks/interpolation-cache.js";

const PLAY_INTERVAL_MS = 200;
const GREY = [160, 160, 160];

export class CuboidEditor {
  /**
   * @param {Record<string, any>} el the page's elements (cuboid-main.js ELEMENT_IDS)
   * @param {any} config editor_config
   * @param {import("../../editor-core/shell.js").Shell} shell
   */
  constructor(el, config, shell) {
    this.interpolation = new InterpolationCache(); // a drag re-interpolates the dragged track only
    this.el = el;
    this.config = config;
    this.shell = shell;
    this.sequence = config.dataset.task_type === "pointcloud-cuboid-sequence";
    /** @type {string|undefined} the timeline's title (the multi-sensor editor: the sensor's name) */
    this.timelineTitle = undefined;
    this.useRotation = Boolean(config.dataset.enable_3d_cuboid_rotation);
    this.readOnly = config.can_write === false;
    const { categories, categoriesById, imageDefinitions } = categoriesOf(config);
    this.categories = categories;
    this.categoriesById = categoriesById;
    this.imageDefinitions = imageDefinitions;
    this.categoryId = categories.length ? categories[0].id : 1;
    this.frameCount = this.sequence ? Math.max(1, (config.sample.frames || []).length) : 1;
    this.frameIndex = 0;
    this.buffers = new Array(this.frameCount).fill(null);
    this.preparing = false; // the neighbouring frames' geometries are to be built in idle time
    this.selectedId = null;
    this.tool = "select";
    this.clipboard = null;
    this.playing = false;
    this.history = new History();
    this.keymap = this.sequence ? [...CUBOID_SEQUENCE_BINDINGS, ...CUBOID_BINDINGS] : CUBOID_BINDINGS;
    this.loadLabel(config.label ? config.label.attributes : null);
    this.savedJson = JSON.stringify(this.toLabel());
    this.serverErrors = [];
    this.colorCache = {};
    /** "Merge frames" (sequences): the points of the frames within `mergeRadius` of the current one, drawn together. */
    this.merging = false;
    this.mergeRadius = DEFAULT_MERGE_RADIUS;
    /** @type {number[]} the frames whose points are drawn now (the current one alone when not merging) */
    this.drawnFrames = [];
    this.reference = new ReferenceCuboids(this); // "Compare with": another label set's cuboids, read-only
  }

  // ---- setup --------------------------------------------------------------------------------------------

  /** Build the 3D view and the orthographic views; wire pointer input and resizing. */
  start() {
    const el = this.el;
    this.viewport = createViewport(el.mainCanvas);
    this.boxes = new BoxLayer(this.viewport.scene);
    this.ortho = new OrthoViews(el.orthoCanvas, el.orthoSvg, {
      onDraw: (footprint) => this.drawn(footprint),
      onEdit: (cuboid, done) => this.editedInView(cuboid, done),
      styleOf: (cuboid) => this.styleOf(cuboid.category_id),
      useRotation: this.useRotation,
    });
    this.viewport.controls.addEventListener("change", () => this.followTarget());
    this.wirePicking();
    new ResizeObserver(() => this.resize()).observe(el.stage);
    this.resize();
    this.wireControls();
    this.renderAll();
  }

  resize() {
    const { mainCanvas } = this.el;
    this.viewport.resize(mainCanvas.clientWidth || 1, mainCanvas.clientHeight || 1);
    this.ortho.resize();
  }

  wirePicking() {
    const canvas = this.el.mainCanvas;
    let down = null;
    canvas.addEventListener("pointerdown", (event) => {
      down = { x: event.clientX, y: event.clientY };
      if (this.playing) this.togglePlay(false);
    });
    canvas.addEventListener("pointerup", (event) => {
      if (!down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > 4 || event.button !== 0) return;
      const rect = canvas.getBoundingClientRect();
      const ndc = { x: ((event.clientX - rect.left) / rect.width) * 2 - 1, y: -((event.clientY - rect.top) / rect.height) * 2 + 1 };
      const id = this.boxes.pick(this.viewport.camera, ndc);
      if (id === null && this.reference.click(this.viewport.camera, ndc, event.shiftKey)) this.select(null);
      else this.select(id);
    });
  }

  wireControls() {
    const el = this.el;
    el.colorBy.addEventListener("change", () => {
      el.colorBy.blur(); // the keys belong to the editor again
      this.applyColors();
    });
    el.pointSize.addEventListener("input", () => {
      this.viewport.setPointSize(Number(el.pointSize.value));
      this.ortho.render();
    });
    el.resetView.addEventListener("click", () => this.perform("fit"));
    if (el.mergeFrames) {
      el.mergeFrames.addEventListener("change", () => {
        el.mergeFrames.blur();
        this.setMerging(el.mergeFrames.checked);
      });
      el.mergeRadius.addEventListener("change", () => {
        const radius = Math.floor(Number(el.mergeRadius.value));
        this.mergeRadius = Number.isFinite(radius) ? Math.max(1, Math.min(Number(el.mergeRadius.max) || 10, radius)) : DEFAULT_MERGE_RADIUS;
        el.mergeRadius.value = String(this.mergeRadius);
        if (this.merging) this.showPoints();
      });
    }
    el.hideGround.addEventListener("change", () => {
      el.hideGround.blur();
      this.showPoints();
      this.ortho.render();
    });
    for (const [button, action] of [[el.toolSelect, "tool-select"], [el.toolDraw, "tool-draw"], [el.fit, "fit-to-points"], [el.ground, "on-ground"], [el.rotate180, "rotate-180"], [el.rotate90, "rotate-90"]]) {
      button.addEventListener("click", (event) => {
        event.currentTarget.blur();
        this.perform(action);
      });
    }
  }

  /**
   * The loaded points of `frame` (a PointBuffer of editors/pointcloud/buffer.js, sensor coordinates); with an
   * ego pose they are shown, fitted and drawn on in world coordinates, where the cuboids are.
   */
  setFrameBuffer(frame, buffer) {
    this.buffers[frame] = toWorld(buffer, this.egoPoseOf(frame));
    if (frame === this.frameIndex || (this.merging && this.mergedWindow().includes(frame))) this.showPoints();
    this.prepareNeighbours();
  }

  /**
   * In idle time, build and upload the geometries of the frames before and after this one (the 3D view keeps
   * them), so switching to either only swaps geometries.
   */
  prepareNeighbours() {
    if (this.preparing || !this.sequence) return;
    const idle = globalThis.requestIdleCallback || ((callback) => setTimeout(callback, 50));
    this.preparing = true;
    idle(() => {
      this.preparing = false;
      if (this.merging) return;
      for (const frame of [this.frameIndex + 1, this.frameIndex - 1]) {
        if (!this.buffers[frame]) continue;
        const geometry = this.viewport.prepare(this.shownBuffer(frame));
        this.ortho.prepare(geometry, this.pointsObject().material);
      }
    }, { timeout: 1000 });
  }

  /** The frames "merge frames" draws: `mergeRadius` on each side of the current one, within the sequence. */
  mergedWindow() {
    return frameWindow(this.frameIndex, this.mergeRadius, this.frameCount);
  }

  /** Turn "merge frames" on or off (sequences only) and redraw. */
  setMerging(on) {
    this.merging = Boolean(on && this.sequence);
    if (this.el.mergeFrames) this.el.mergeFrames.checked = this.merging;
    this.showPoints();
    this.ortho.render();
    if (this.merging) this.flash(`Points of frames ${this.drawnFrames.map((frame) => frame + 1).join(", ")} merged.`);
  }

  egoPoseOf(frame) {
    const poses = this.config.sample.ego_poses || [];
    return isEgoPose(poses[frame]) ? poses[frame] : null;
  }

  /** Keep the 3D view on the ego vehicle: move the camera and its target by the ego's move since the last frame. */
  followEgo() {
    const pose = this.egoPoseOf(this.frameIndex);
    if (!pose) return;
    const { camera, controls } = this.viewport;
    const last = this.lastEgo || { x: 0, y: 0, z: 0 };
    const delta = { x: pose.position.x - last.x, y: pose.position.y - last.y, z: pose.position.z - last.z };
    camera.position.set(camera.position.x + delta.x, camera.position.y + delta.y, camera.position.z + delta.z);
    controls.target.set(controls.target.x + delta.x, controls.target.y + delta.y, controls.target.z + delta.z);
    controls.update();
    this.lastEgo = { ...pose.position };
  }

  /** The THREE.Points of the 3D view (its geometry is in draw order; the orthographic views share it). */
  pointsObject() {
    return /** @type {any} */ (this.viewport.scene.children.find((object) => /** @type {any} */ (object).isPoints));
  }

  /** Colour the points as the colour select says: height, intensity, or category (the box they are in). */
  applyColors() {
    const mode = this.el.colorBy.value;
    this.viewport.setColorMode(mode === "intensity" ? "intensity" : "height");
    if (mode === "category") this.paintCategories();
    this.ortho.render();
  }

  /** Points inside a cuboid take its category's colour, the others are dimmed (point-colors.js). */
  paintCategories() {
    const points = this.pointsObject();
    if (!points) return;
    paintCategoryColors(points.geometry, this.currentCuboids(), {
      colorOf: (cuboid) => this.styleOf(cuboid.category_id).color,
      useRotation: this.useRotation,
      heightColors: () => {
        this.viewport.setColorMode("height");
        return points.geometry.attributes.color.array;
      },
      cache: this.colorCache,
    });
    this.viewport.render();
  }

  /** The points drawn for `frame`: all of them, or without the ground (ground.js; computed once per frame). */
  shownBuffer(frame) {
    const buffer = this.buffers[frame];
    if (!this.el.hideGround.checked) return buffer;
    this.groundless = this.groundless || new Map();
    if (this.groundless.get(frame)?.source !== buffer) this.groundless.set(frame, { source: buffer, shown: withoutGround(buffer).buffer });
    return this.groundless.get(frame).shown;
  }

  showPoints() {
    const buffer = this.buffers[this.frameIndex];
    const message = this.el.stageMessage;
    if (!message.classList.contains("is-error")) {
      message.hidden = Boolean(buffer);
      message.textContent = `Loading the points of frame ${this.frameIndex + 1}…`;
    }
    if (!buffer) return;
    this.followEgo();
    this.drawnFrames = this.merging ? this.mergedWindow().filter((frame) => this.buffers[frame]) : [this.frameIndex];
    const shown = this.merging ? mergeBuffers(this.drawnFrames.map((frame) => this.shownBuffer(frame))) : this.shownBuffer(this.frameIndex);
    // merged: while the camera moves, draw no more than the largest frame of the window (an even subsample of
    // every frame), so orbiting stays as fluid as with one frame
    const budget = this.merging ? Math.max(1, ...this.drawnFrames.map((frame) => this.buffers[frame].renderCount)) : DEFAULT_BUDGET;
    this.viewport.setPoints(shown, { progressive: true, budget });
    this.el.stage.dataset.drawnFrames = this.drawnFrames.join(",");
    if (this.el.colorBy.value !== "height") this.applyColors();
    this.ortho.setPoints(this.pointsObject());
    this.el.stage.dataset.frameLoaded = String(this.frameIndex);
  }

  // ---- the document --------------------------------------------------------------------------------------

  /** Replace the document with stored attributes (null: unlabeled); also the drafts' restore. */
  loadLabel(attributes) {
    if (this.sequence) this.document = sequenceFromCuboidLabel(attributes, this.frameCount);
    else this.document = frameFromLabel(attributes);
    this.materialized = null;
    if (this.viewport) this.renderAll();
  }

  toLabel() {
    const options = { useRotation: this.useRotation };
    return this.sequence ? labelFromCuboidSequence(this.document, options) : labelFromFrame(this.document, options);
  }

  draft() {
    return this.toLabel();
  }

  isDirty() {
    return JSON.stringify(this.toLabel()) !== this.savedJson;
  }

  /** The label as last stored (the base of "keep both"). */
  savedLabel() {
    return JSON.parse(this.savedJson);
  }

  /** Show `attributes` (their version with my changes merged in); `theirs` is what is stored now. */
  rebase(attributes, theirs) {
    this.loadLabel(attributes);
    const options = { useRotation: this.useRotation };
    const stored = this.sequence
      ? labelFromCuboidSequence(sequenceFromCuboidLabel(theirs, this.frameCount), options)
      : labelFromFrame(frameFromLabel(theirs), options);
    this.savedJson = JSON.stringify(stored);
    this.history.clear();
    this.renderAll();
  }

  markSaved(attributes) {
    this.savedJson = JSON.stringify(attributes);
    this.serverErrors = [];
    this.renderPanels();
  }

  get canUndo() {
    return this.history.canUndo;
  }

  get canRedo() {
    return this.history.canRedo;
  }

  /** Every frame materialised (sequences: keyframes and computed cuboids; cached until the next change). */
  materializedFrames() {
    if (!this.sequence) return [{ annotations: this.document.annotations }];
    if (!this.materialized) {
      const dataset = this.config.dataset;
      const timestamps = dataset.use_timestamps_for_interpolation ? (this.config.sample.frames || []).map((frame) => frame.timestamp) : null;
      this.materialized = materializeSequence(this.document, {
        useRotation: this.useRotation, extrapolate: dataset.enable_extrapolation, timestamps, cache: this.interpolation,
      }).frames;
    }
    return this.materialized;
  }

  /** The cuboids shown in the current frame (keyframes and computed ones). */
  currentCuboids() {
    const frame = this.materializedFrames()[this.frameIndex] || { annotations: [] };
    return (frame.annotations || []).filter((annotation) => !annotation.removed);
  }

  cuboidById(id) {
    return this.currentCuboids().find((cuboid) => trackIdOf(cuboid) === id) || null;
  }

  /** Run `change()` on the document as one undoable step. */
  change(change) {
    if (this.readOnly) return;
    const before = structuredClone(this.document);
    change();
    this.history.record(before);
    this.materialized = null;
    this.renderAll();
    this.shell.changed();
  }

  /** Store `cuboid` (a shown object) in the current frame: a keyframe in sequences. */
  putCuboid(cuboid) {
    const { is_keyframe: _flag, index: _index, ...annotation } = cuboid;
    if (this.sequence) {
      setKeyframe(this.document, this.frameIndex, annotation);
      return;
    }
    const annotations = this.document.annotations;
    const at = annotations.findIndex((existing) => trackIdOf(existing) === trackIdOf(annotation));
    if (at >= 0) annotations[at] = annotation;
    else annotations.push(annotation);
  }

  nextId() {
    if (this.sequence) return nextTrackId(this.document);
    return this.document.annotations.reduce((largest, annotation) => Math.max(largest, Number(trackIdOf(annotation)) || 0), 0) + 1;
  }

  /** Change the selected cuboid with `update(cuboid) -> cuboid` (one undoable step). */
  updateSelected(update) {
    const cuboid = this.cuboidById(this.selectedId);
    if (!cuboid) return;
    this.change(() => this.putCuboid(update(structuredClone(cuboid))));
  }

  // ---- editing -------------------------------------------------------------------------------------------

  /** A footprint drawn in the top view: a new cuboid on the ground under it. */
  drawn({ a, b, click, yaw }) {
    if (this.readOnly) return;
    const category = this.categoriesById.get(this.categoryId);
    const size = defaultDimensions(category);
    const cos = Math.cos(yaw);
    const sin = Math.sin(yaw);
    // the drag's corners in the view's frame (u along the yaw, v to its left)
    const du = (b.x - a.x) * cos + (b.y - a.y) * sin;
    const dv = -(b.x - a.x) * sin + (b.y - a.y) * cos;
    const centre = click ? a : { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    const id = this.nextId();
    /** @type {any} */
    let cuboid = {
      id, track_id: id, category_id: this.categoryId, type: "cuboid",
      position: { x: centre.x, y: centre.y, z: a.z },
      dimensions: click ? size : { x: Math.max(0.05, Math.abs(du)), y: Math.max(0.05, Math.abs(dv)), z: size.z },
      yaw: wrapAngle(yaw),
    };
    const attributes = reconcileAttributes((category && category.attributes) || [], {});
    if (attributes !== undefined) cuboid.attributes = attributes;
    const buffer = this.buffers[this.frameIndex];
    if (buffer) cuboid = placeOnGround(cuboid, buffer.xyz);
    this.change(() => this.putCuboid(cuboid));
    this.setTool("select");
    this.select(id);
  }

  /** A drag in the top/side/front view: preview while it runs, one undoable step when it ends. */
  editedInView(cuboid, done) {
    if (!done) {
      this.boxes.update(this.currentCuboids().map((shown) => (trackIdOf(shown) === trackIdOf(cuboid) ? cuboid : shown)), this.boxOptions());
      this.viewport.render();
      return;
    }
    this.change(() => this.putCuboid(cuboid));
  }

  /** The 3D view's target moved (pan): the top view follows it when nothing is selected. */
  followTarget() {
    if (this.selectedId === null) this.ortho.show(null, this.viewport.controls.target);
  }

  select(id) {
    this.selectedId = id === undefined ? null : id;
    if (id !== null && id !== undefined) {
      const cuboid = this.cuboidById(id);
      if (cuboid) this.categoryId = cuboid.category_id;
    }
    this.renderAll();
  }

  setTool(tool) {
    this.tool = tool;
    this.ortho.setDrawing(tool === "draw");
    this.el.toolSelect.setAttribute("aria-pressed", String(tool === "select"));
    this.el.toolDraw.setAttribute("aria-pressed", String(tool === "draw"));
    this.el.hint.textContent = tool === "draw"
      ? "Draw: drag corner to corner in the top view, or click for the category's default size."
      : "Click a box to select it; drag it, its edges or its yaw handle in the top, side and front views.";
  }

  pickCategory(id) {
    this.categoryId = id;
    if (this.selectedId !== null) {
      const category = this.categoriesById.get(id);
      this.updateSelected((cuboid) => {
        const attributes = reconcileAttributes((category && category.attributes) || [], cuboid.attributes);
        return attributes === undefined ? { ...cuboid, category_id: id, attributes: undefined } : { ...cuboid, category_id: id, attributes };
      });
    } else this.renderPanels();
  }

  nudge(transform) {
    this.updateSelected(transform);
  }

  pointsOfFrame() {
    const buffer = this.buffers[this.frameIndex];
    if (!buffer) this.flash("The points of this frame are not loaded yet.");
    return buffer ? buffer.xyz : null;
  }

  deleteSelected() {
    const id = this.selectedId;
    if (id === null || !this.cuboidById(id)) return;
    this.change(() => {
      if (this.sequence) deleteTrack(this.document, id);
      else this.document.annotations = this.document.annotations.filter((annotation) => trackIdOf(annotation) !== id);
    });
    this.select(null);
  }

  paste() {
    if (!this.clipboard) return;
    const id = this.nextId();
    this.change(() => this.putCuboid(pastedCuboid(this.clipboard, id)));
    this.select(id);
  }

  // ---- sequences -----------------------------------------------------------------------------------------

  setFrame(index) {
    const frame = Math.max(0, Math.min(this.frameCount - 1, index));
    if (frame === this.frameIndex) return;
    this.frameIndex = frame;
    // the points, colours, boxes and views change together: each view draws its points once
    this.ortho.batch(() => this.viewport.batch(() => {
      this.showPoints();
      if (!this.buffers[frame]) this.el.stage.dataset.frameLoaded = "";
      this.renderAll();
    }));
    this.prepareNeighbours();
  }

  toggleKeyframe() {
    const id = this.selectedId;
    if (id === null) return;
    const keyframe = keyframeAt(this.document, this.frameIndex, id);
    const shown = this.cuboidById(id);
    if (keyframe) this.change(() => removeKeyframe(this.document, this.frameIndex, id));
    else if (shown) this.change(() => this.putCuboid(shown));
    else {
      const last = this.lastStateOf(id);
      if (last) this.change(() => this.putCuboid(last));
    }
  }

  /** The last shown state of track `id` before the current frame (to continue a track after its end). */
  lastStateOf(id) {
    const frames = this.materializedFrames();
    for (let frame = this.frameIndex - 1; frame >= 0; frame -= 1) {
      const found = (frames[frame].annotations || []).find((annotation) => trackIdOf(annotation) === id && !annotation.removed);
      if (found) return found;
    }
    return null;
  }

  endTrack() {
    const id = this.selectedId;
    if (id === null || !this.cuboidById(id)) return;
    this.change(() => endTrack(this.document, this.frameIndex, id));
  }

  propagate() {
    const cuboid = this.cuboidById(this.selectedId);
    if (!cuboid) return;
    const count = Math.max(1, Number(this.el.propagateCount.value) || 1);
    let written = [];
    this.change(() => {
      written = propagateCuboid(this.document, this.frameIndex, cuboid, count);
    });
    this.flash(written.length ? `Copied to frame${written.length > 1 ? "s" : ""} ${written[0] + 1}–${written.at(-1) + 1}.` : "This is the last frame.");
  }

  keyframeStep(direction) {
    const tracks = tracksOf(this.document, { frames: this.materializedFrames() });
    const chosen = this.selectedId === null ? tracks : tracks.filter((track) => track.trackId === this.selectedId);
    const frames = [...new Set(chosen.flatMap((track) => track.keyframes))].sort((a, b) => a - b);
    const target = direction > 0 ? frames.find((frame) => frame > this.frameIndex) : frames.reverse().find((frame) => frame < this.frameIndex);
    if (target !== undefined) this.setFrame(target);
  }

  togglePlay(play = !this.playing) {
    this.playing = play;
    clearInterval(this.playTimer);
    if (play) {
      this.playTimer = setInterval(() => {
        if (this.frameIndex >= this.frameCount - 1) this.togglePlay(false);
        else this.setFrame(this.frameIndex + 1);
      }, PLAY_INTERVAL_MS);
    }
    if (this.el.play) {
      this.el.play.textContent = play ? "⏸" : "▶";
      this.el.play.setAttribute("aria-pressed", String(play));
    }
  }

  /** @param {KeyboardEvent} event */
  onKeyDown(event) {
    if (this.sequence && event.key === " " && !event.ctrlKey && !event.altKey) {
      event.preventDefault();
      this.togglePlay();
      return true;
    }
    return false;
  }

  // ---- actions ---------------------------------------------------------------------------------------------

  perform(action) {
    const [name, argument] = action.split(":");
    const points = () => this.pointsOfFrame();
    const handlers = {
      undo: () => this.undo(),
      redo: () => this.redo(),
      "zoom-in": () => this.dolly(0.8),
      "zoom-out": () => this.dolly(1.25),
      fit: () => {
        this.viewport.resetView();
        this.lastEgo = null; // the overview around the origin, then moved to the ego vehicle (when posed)
        this.followEgo();
      },
      "tool-select": () => this.setTool("select"),
      "tool-draw": () => this.setTool("draw"),
      category: () => this.categories[Number(argument) - 1] && this.pickCategory(this.categories[Number(argument) - 1].id),
      "fit-to-points": () => points() && this.nudge((cuboid) => fitAboveGround(cuboid, points())),
      "on-ground": () => points() && this.nudge((cuboid) => placeOnGround(cuboid, points())),
      copy: () => {
        this.clipboard = this.cuboidById(this.selectedId);
        if (this.clipboard) this.flash("Cuboid copied.");
      },
      paste: () => this.paste(),
      delete: () => this.deleteSelected(),
      "delete-track": () => this.selectedId !== null && window.confirm(`Delete track #${this.selectedId} in every frame?`) && this.deleteSelected(),
      escape: () => (this.tool === "draw" ? this.setTool("select") : this.select(null)),
      "color-mode": () => {
        const modes = ["height", "intensity", "category"];
        this.el.colorBy.value = modes[(modes.indexOf(this.el.colorBy.value) + 1) % modes.length];
        this.el.colorBy.dispatchEvent(new Event("change"));
      },
      ...frameActions({ index: () => this.frameIndex, count: () => this.frameCount, setFrame: (index) => this.setFrame(index) }),
      "keyframe-previous": () => this.keyframeStep(-1),
      "keyframe-next": () => this.keyframeStep(1),
      play: () => this.togglePlay(),
      "toggle-keyframe": () => this.toggleKeyframe(),
      "end-track": () => this.endTrack(),
      propagate: () => this.propagate(),
      "merge-frames": () => this.setMerging(!this.merging),
    };
    const handler = handlers[name] || (NUDGES[name] && (() => this.nudge(NUDGES[name])));
    if (handler && (this.sequence || !CUBOID_SEQUENCE_BINDINGS.some((binding) => binding.action === name || (binding.actions || []).includes(name)))) handler();
  }

  undo() {
    const snapshot = this.history.undo(structuredClone(this.document));
    if (snapshot) this.restore(snapshot);
  }

  redo() {
    const snapshot = this.history.redo(structuredClone(this.document));
    if (snapshot) this.restore(snapshot);
  }

  restore(snapshot) {
    this.document = snapshot;
    this.materialized = null;
    if (this.selectedId !== null && !this.cuboidById(this.selectedId)) this.selectedId = null;
    this.renderAll();
    this.shell.changed();
  }

  dolly(factor) {
    const { camera, controls } = this.viewport;
    camera.position.sub(controls.target).multiplyScalar(factor).add(controls.target);
    controls.update();
    this.viewport.render();
  }

  flash(text) {
    const toast = this.el.toast;
    toast.textContent = text;
    toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => { toast.hidden = true; }, 2500);
  }

  anchor() {
    return { track_id: this.selectedId, frame: this.sequence ? this.frameIndex : null };
  }

  /** "Compare with" (editor-core/reference.js): another label set's cuboids as dashed wireframes (null hides). */
  showReference(attributes, labelset) {
    this.reference.show(attributes, labelset);
  }

  referenceObjects() {
    return this.reference.objects();
  }

  copyFromReference(ids) {
    return this.reference.copy(ids);
  }

  focusAnchor(anchor) {
    if (this.sequence && Number.isInteger(anchor.frame)) this.setFrame(anchor.frame);
    if (anchor.track_id !== null && anchor.track_id !== undefined) this.select(anchor.track_id);
  }

  /** Mandatory object attributes must be filled to mark the label labeled. */
  localProblems(status) {
    if (!["LABELED", "REVIEWED"].includes(status)) return [];
    const problems = [];
    for (const frame of this.materializedFrames()) {
      for (const cuboid of frame.annotations || []) {
        const category = this.categoriesById.get(cuboid.category_id);
        const missing = missingMandatory((category && category.attributes) || [], cuboid.attributes);
        if (missing.length) problems.push(`Object #${trackIdOf(cuboid)}: ${missing.join(", ")} required`);
      }
    }
    if (problems.length) this.flash(problems[0]);
    return problems;
  }

  showSaveError(error) {
    this.serverErrors = (error.errors || []).map((item) => `${item.path || ""}: ${item.message}`);
    this.renderPanels();
  }

  clearSaveError() {
    this.serverErrors = [];
    this.renderPanels();
  }

  // ---- rendering -------------------------------------------------------------------------------------------

  styleOf(categoryId) {
    const category = this.categoriesById.get(categoryId);
    return { color: (category && category.color) || GREY, name: category ? category.name : `Category ${categoryId}` };
  }

  boxOptions() {
    return { selectedId: this.selectedId, colorOf: (cuboid) => this.styleOf(cuboid.category_id).color, useRotation: this.useRotation };
  }

  renderAll() {
    if (this.selectedId !== null && !this.cuboidById(this.selectedId) && !this.sequence) this.selectedId = null;
    const cuboids = this.currentCuboids();
    this.boxes.update(cuboids, this.boxOptions());
    this.reference.render(this.viewport.scene);
    if (this.el.colorBy.value === "category") this.paintCategories();
    this.viewport.render();
    this.ortho.show(this.cuboidById(this.selectedId), this.viewport.controls.target);
    this.renderPanels();
    if (this.sequence) this.renderFrames();
    this.el.stage.dataset.cuboids = String(cuboids.length);
    this.shell.render();
  }

  renderPanels() {
    renderSidebar(this);
  }

  renderFrames() {
    renderFrameControls(this);
  }

  /** The track of a timeline row (its data-track-id). */
  selectTrackByName(name) {
    this.select(Number(name));
  }
}
