// The multi-sensor editor: the one EditorView (editor-core/shell.js) the shell sees for a multisensor-sequence
// sample, composed of one view per sensor (the cuboid view for the point-cloud sensor, a CameraView per camera)
// in the sample's sensor order. It owns what the sensors share: the frame (one timeline), the history (one
// undo across sensors, shared-history.js), the label (sensor-label.js: every sensor's part plus the links),
// which view the keys go to (the one under the pointer), the big slot and the projections drawn in the
// cameras. The views stay what they are elsewhere; they are composed, never subclassed.

import { actionForKey } from "../../editor-core/keymap.js";
import { labelFromCuboidSequence, sequenceFromCuboidLabel } from "../cuboid/cuboid-document.js";
import { trackIdOf, nextTrackId } from "../tracks/sequence-document.js";
import { reconcileAttributes } from "../vector/label-document.js";
import { createAnnotation } from "../vector/shapes.js";
import { cameraInWorld } from "./ego-camera.js";
import { MULTISENSOR_BINDINGS, SHARED_FRAME_ACTIONS } from "./keys.js";
import { projectedBoundingBox } from "./projection.js";
import { mergeMultiSensorLabels, trackIdsOf } from "./merge-label.js";
import { liveLinks, linkedTracks, linkTo, linksOf, multiSensorLabel, sensorLabels, withLink } from "./sensor-label.js";
import { cameraCalibrations } from "./sensors.js";

const PLAY_INTERVAL_MS = 500;

/**
 * @typedef {object} SensorSlot one sensor of the sample, in order
 * @property {import("./sensor-label.js").SensorSample} sample
 * @property {"pointcloud"|"image"|"other"} kind
 * @property {any} view the CuboidEditor, the CameraView, or null (a sensor kept as loaded)
 * @property {HTMLElement|null} panel
 * @property {object|null} stored its label attributes when not edited here
 * @property {(on: boolean) => void} [setSidebar] show or hide its sidebar and hint
 */

export class MultiSensorEditor {
  /**
   * @param {any} shell the page's Shell
   * @param {any} config the page's editor_config
   * @param {{slots: SensorSlot[], links: import("./sensor-label.js").Link[], history: import("./shared-history.js").SharedHistory,
   *   el: Record<string, any>}} parts el: root, mainSlot, strip, focus, overlayToggle, play
   */
  constructor(shell, config, { slots, links, history, el }) {
    this.shell = shell;
    this.config = config;
    this.slots = slots;
    this.links = links;
    this.history = history;
    this.el = el;
    this.frameIndex = 0;
    this.frameCount = Math.max(1, (config.sample.frames || []).length);
    this.playing = false;
    this.lidarSlot = slots.find((slot) => slot.kind === "pointcloud") || null;
    this.cameras = slots.filter((slot) => slot.kind === "image").map((slot) => slot.view);
    this.activeIndex = this.lidarSlot ? slots.indexOf(this.lidarSlot) : 0;
    this.mainIndex = this.activeIndex;
    this.overlayFrame = 0;
    this.linksOwner = { snapshot: () => structuredClone(this.links), restore: (links) => { this.links = links; this.changed(); } };
    this.keymap = [
      ...MULTISENSOR_BINDINGS,
      ...this.uniqueBindings().flatMap(([title, bindings]) => bindings.map((binding) => ({ ...binding, group: `${title}: ${binding.group}` }))),
    ];
    this.savedJson = JSON.stringify(this.toLabel());
  }

  /** The bindings of each kind of view once (for the help panel): [[title, bindings]]. */
  uniqueBindings() {
    const seen = new Map();
    for (const slot of this.slots) {
      if (slot.view && !seen.has(slot.kind)) seen.set(slot.kind, [slot.kind === "pointcloud" ? "3D view" : "Cameras", slot.view.keymap]);
    }
    return [...seen.values()];
  }

  get lidar() {
    return this.lidarSlot ? this.lidarSlot.view : null;
  }

  get active() {
    return this.slots[this.activeIndex]?.view || this.lidar || this.cameras[0];
  }

  // ---- the label -------------------------------------------------------------------------------------------

  /** Every track id of every sensor (a link must join two of them). */
  allTrackIds() {
    const ids = new Set();
    for (const camera of this.cameras) for (const id of camera.trackIds()) ids.add(id);
    if (this.lidar) {
      for (const frame of this.lidar.document.frames) for (const annotation of frame.keyframes) ids.add(Number(trackIdOf(annotation)));
    }
    return ids;
  }

  /** The next track id over all sensors: track ids are unique in the sample, so a link names one track. */
  nextTrackId() {
    const ids = [this.lidar ? nextTrackId(this.lidar.document) : 1, ...this.cameras.map((camera) => nextTrackId(camera.editor.doc))];
    return Math.max(...ids);
  }

  sensorAttributes() {
    return this.slots.map((slot) => {
      if (slot.kind === "pointcloud") return slot.view.toLabel();
      if (slot.kind === "image") return slot.view.editor.storedLabel();
      return slot.stored;
    });
  }

  toLabel() {
    return multiSensorLabel(this.slots.map((slot) => slot.sample), this.sensorAttributes(), liveLinks(this.links, this.allTrackIds()));
  }

  draft() {
    return this.toLabel();
  }

  isDirty() {
    return JSON.stringify(this.toLabel()) !== this.savedJson;
  }

  markSaved(attributes) {
    this.savedJson = JSON.stringify(attributes);
    this.slots.forEach((slot, index) => {
      const stored = attributes.sensors[index].attributes;
      const own = Array.isArray(stored) ? this.sensorAttributes()[index] : stored;
      if (slot.kind === "pointcloud") slot.view.markSaved(own);
      else if (slot.kind === "image") slot.view.editor.markSaved(own);
    });
    this.shell.render();
  }

  /** Replace every sensor's document and the links (a restored draft). */
  loadLabel(attributes) {
    this.history.group(() => {
      this.slots.forEach((slot, index) => {
        const own = attributes?.sensors?.[index]?.attributes;
        const value = Array.isArray(own) ? null : own;
        if (slot.kind === "pointcloud") slot.view.loadLabel(value);
        else if (slot.kind === "image") slot.view.editor.loadLabel(value);
      });
      this.setLinks(Array.isArray(attributes?.links) ? attributes.links : []);
    });
    this.changed();
  }

  /** The label as last stored (the base of "keep both"). */
  savedLabel() {
    return JSON.parse(this.savedJson);
  }

  /** "Keep both": every sensor merged by name, the links as a set (merge-label.js); dropped links are reported. */
  mergeLabels(base, mine, theirs) {
    const { attributes, conflicts } = mergeMultiSensorLabels(base, mine, this.asStored(theirs));
    return { attributes, conflicts };
  }

  /**
   * Label attributes as this editor would store them (each sensor through its view's document: keyframes only,
   * the dataset's cuboid fields), so that "keep both" compares their version with mine like with like.
   * @param {any} attributes a stored multi-sensor label, or null
   */
  asStored(attributes) {
    if (!attributes) return attributes;
    const samples = this.slots.map((slot) => slot.sample);
    const own = sensorLabels(attributes, samples);
    const sensors = this.slots.map((slot, index) => {
      if (slot.kind === "pointcloud") {
        const document = sequenceFromCuboidLabel(own[index], slot.view.frameCount);
        return own[index] && labelFromCuboidSequence(document, { useRotation: slot.view.useRotation });
      }
      if (slot.kind === "image") return own[index] && slot.view.tracks.labelFrom(slot.view.tracks.documentFrom(own[index]));
      return attributes.sensors?.[index]?.attributes ?? [];
    });
    return multiSensorLabel(samples, sensors, linksOf(attributes));
  }

  /**
   * Show `attributes` (theirs with my changes on top) over `theirs` (what is stored now, the new saved version):
   * each sensor's view rebases on its part; the history starts again (as in the other editors).
   */
  rebase(attributes, theirs) {
    const samples = this.slots.map((slot) => slot.sample);
    const [merged, stored] = [sensorLabels(attributes, samples), sensorLabels(theirs, samples)];
    const saved = this.slots.map((slot, index) => {
      if (slot.kind === "pointcloud") {
        slot.view.rebase(merged[index], stored[index]);
        return slot.view.savedLabel();
      }
      if (slot.kind === "image") {
        slot.view.editor.rebase(merged[index], stored[index]);
        return slot.view.editor.savedLabel();
      }
      slot.stored = attributes?.sensors?.[index]?.attributes ?? [];
      return theirs?.sensors?.[index]?.attributes ?? [];
    });
    this.links = linksOf(attributes);
    this.savedJson = JSON.stringify(multiSensorLabel(samples, saved, liveLinks(linksOf(theirs), trackIdsOf(theirs))));
    this.history.clear();
    this.changed();
  }

  setLinks(links) {
    this.history.record(this.linksOwner, structuredClone(this.links));
    this.links = links;
    this.changed();
  }

  get canUndo() {
    return this.history.canUndo || this.cameras.some((camera) => camera.editor.drawing);
  }

  get canRedo() {
    return this.history.canRedo;
  }

  undo() {
    const drawing = this.cameras.find((camera) => camera.editor.drawing);
    if (drawing) drawing.editor.undo(); // while drawing, undo takes back the last vertex
    else this.history.undo();
  }

  /** Mandatory attributes: every sensor's own rule. */
  localProblems(status) {
    return this.lidar ? this.lidar.localProblems(status) : [];
  }

  /** A refused save: each sensor's errors go to its view (paths `sensors[i].attributes...`), the rest flash. */
  showSaveError(error, sent) {
    this.slots.forEach((slot, index) => {
      const prefix = `sensors[${index}].attributes`;
      const errors = (error.errors || []).filter((item) => (item.path || "").startsWith(prefix))
        .map((item) => ({ ...item, path: item.path.slice(prefix.length).replace(/^\./, "") }));
      if (!errors.length || !slot.view) return;
      const own = { ...error, errors, message: error.message };
      const view = slot.kind === "image" ? slot.view.editor : slot.view;
      view.showSaveError(own, sent?.sensors?.[index]?.attributes);
    });
    const first = (error.errors || [])[0];
    if (first) this.flash(`${first.path}: ${first.message}`);
  }

  clearSaveError() {
    if (this.lidar) this.lidar.clearSaveError();
    for (const camera of this.cameras) camera.editor.clearSaveError();
  }

  anchor() {
    const selected = this.lidar && this.lidar.selectedId !== null ? this.lidar.selectedId : this.active?.editor?.selectedId ?? null;
    return { track_id: selected ?? null, frame: this.frameIndex };
  }

  focusAnchor(anchor) {
    if (Number.isInteger(anchor.frame)) this.setFrame(anchor.frame);
    if (anchor.track_id === null || anchor.track_id === undefined) return;
    if (this.lidar && this.lidar.cuboidById(anchor.track_id)) this.lidar.select(anchor.track_id);
    for (const camera of this.cameras) if (camera.trackIds().has(anchor.track_id)) camera.editor.select(anchor.track_id);
  }

  flash(text) {
    if (this.active) this.active.flash ? this.active.flash(text) : this.active.editor.flash(text);
  }

  // ---- frames -------------------------------------------------------------------------------------------------

  /** Show frame `index` in every sensor. */
  setFrame(index) {
    const frame = Math.max(0, Math.min(this.frameCount - 1, index));
    this.frameIndex = frame;
    for (const slot of this.slots) {
      if (slot.view && slot.view.frameIndex !== frame) slot.view.setFrame(frame);
    }
    this.el.root.dataset.frame = String(frame);
    this.el.root.dataset.shownFrame = "";
    this.drawOverlaysNow(); // the new frame's projections in the same task: the frame shows one animation frame sooner
  }

  /** Draw the projections now (before the page paints) instead of on the next animation frame. */
  drawOverlaysNow() {
    cancelAnimationFrame(this.overlayFrame);
    this.overlayFrame = 0;
    this.drawOverlays();
  }

  /** A view changed its own frame (keyframe jumps): the others follow. */
  syncFrom(view) {
    if (view && view.frameIndex !== this.frameIndex) this.setFrame(view.frameIndex);
  }

  togglePlay(play = !this.playing) {
    this.playing = play && this.frameCount > 1;
    clearInterval(this.playTimer);
    if (this.playing) {
      if (this.frameIndex >= this.frameCount - 1) this.setFrame(0);
      this.playTimer = setInterval(() => {
        if (this.frameIndex >= this.frameCount - 1) this.togglePlay(false);
        else this.setFrame(this.frameIndex + 1);
      }, PLAY_INTERVAL_MS);
    }
    this.el.play.textContent = this.playing ? "⏸" : "▶";
    this.el.play.setAttribute("aria-pressed", String(this.playing));
  }

  // ---- keys and actions -------------------------------------------------------------------------------------

  /** Keys go to the view under the pointer: this editor's bindings first, then that view's. */
  onKeyDown(event) {
    const view = this.active;
    if (!view) return false;
    if (event.key === " " && !event.ctrlKey && !event.altKey) {
      if (view.kind === "image") return view.editor.onKeyDown(event); // held: pan; tapped: play (on keyup)
      event.preventDefault();
      this.togglePlay();
      return true;
    }
    const action = actionForKey(event, [...MULTISENSOR_BINDINGS, ...view.keymap]);
    if (!action) return false;
    event.preventDefault();
    this.perform(action);
    return true;
  }

  perform(action) {
    const view = this.active;
    const frames = {
      "frame-previous": () => this.setFrame(this.frameIndex - 1),
      "frame-next": () => this.setFrame(this.frameIndex + 1),
      "frame-first": () => this.setFrame(0),
      "frame-last": () => this.setFrame(this.frameCount - 1),
      play: () => this.togglePlay(),
    };
    const own = {
      undo: () => this.undo(),
      redo: () => this.history.redo(),
      enlarge: () => this.enlarge(this.activeIndex),
      "lidar-overlay": () => this.setLidarOverlay(!this.el.overlayToggle.checked),
      "box-from-cuboid": () => view?.kind === "image" ? this.boxFromCuboid(view) : this.flash("Point at a camera, then press R."),
      "link-box": () => view?.kind === "image" ? this.linkSelected(view) : this.flash("Point at a camera, then press J."),
    };
    if (SHARED_FRAME_ACTIONS.has(action)) frames[action]();
    else if (own[action]) own[action]();
    else if (view) {
      (view.kind === "image" ? view.editor : view).perform(action);
      this.syncFrom(view);
    }
  }

  // ---- sensors: focus, big slot, overlays ----------------------------------------------------------------------

  /** The keys go to sensor `index` (the pointer is over it). */
  setActive(index) {
    if (!this.slots[index]?.view || index === this.activeIndex) return;
    this.activeIndex = index;
    this.el.focus.textContent = `Keys: ${this.slots[index].sample.name}`;
    this.el.root.dataset.activeSensor = this.slots[index].sample.name;
  }

  /** Show sensor `index`'s sidebar (the last sensor clicked). */
  showSidebar(index) {
    this.slots.forEach((slot, position) => slot.setSidebar && slot.setSidebar(position === index));
  }

  /** Sensor `index` in the big slot, the others in the strip in the sample's order. */
  enlarge(index) {
    if (!this.slots[index]?.panel) return;
    this.mainIndex = index;
    this.el.mainSlot.replaceChildren(this.slots[index].panel);
    this.el.strip.replaceChildren(...this.slots.filter((slot, position) => slot.panel && position !== index).map((slot) => slot.panel));
    this.el.root.dataset.mainSensor = this.slots[index].sample.name;
    for (const camera of this.cameras) camera.editor.autoFit = true;
    this.scheduleOverlays();
  }

  setLidarOverlay(on) {
    this.el.overlayToggle.checked = on;
    for (const camera of this.cameras) camera.showLidar = on;
    this.scheduleOverlays();
  }

  /** Something changed in a sensor's document (or the links). */
  changed() {
    this.shell.changed();
    this.scheduleOverlays();
  }

  /** A view re-rendered: the toolbar, then the projections (once per animation frame). */
  render() {
    this.shell.render();
    this.scheduleOverlays();
  }

  scheduleOverlays() {
    if (this.overlayFrame) return;
    this.overlayFrame = requestAnimationFrame(() => {
      this.overlayFrame = 0;
      this.drawOverlays();
    });
  }

  /** Every camera's calibration of this frame, cuboid projections, lidar points and linked boxes. */
  drawOverlays() {
    const lidar = this.lidar;
    const calibrations = cameraCalibrations(this.config.sample.attributes, Math.min(this.frameIndex, this.lidarFrames() - 1));
    const pose = lidar ? lidar.egoPoseOf(this.frameIndex) : null;
    const cuboids = lidar ? lidar.currentCuboids() : [];
    const selectedId = lidar ? lidar.selectedId : null;
    const buffer = lidar ? lidar.buffers[this.frameIndex] : null;
    for (const camera of this.cameras) {
      const calibration = calibrations.get(camera.name);
      const usable = calibration && calibration.camera ? { ...calibration, camera: cameraInWorld(calibration.camera, pose) } : calibration;
      camera.setCalibration(usable);
      camera.drawProjections(cuboids, {
        selectedId, colorOf: (cuboid) => lidar.styleOf(cuboid.category_id).color, onPick: (trackId) => this.pickCuboid(trackId),
      });
      camera.drawLidar(buffer ? buffer.xyz : null);
      this.decorateCamera(camera);
    }
    // every sensor shows this frame (points, images, projections): the tests and the bench wait for it
    const shown = (!lidar || buffer) && this.cameras.every((camera) => camera.el.stage.dataset.frameLoaded === String(this.frameIndex));
    if (shown) this.el.root.dataset.shownFrame = String(this.frameIndex);
  }

  lidarFrames() {
    return this.lidarSlot ? Math.max(1, (this.lidarSlot.sample.frames || []).length) : 1;
  }

  /** A projection was clicked in a camera: select its cuboid. */
  pickCuboid(trackId) {
    if (!this.lidar) return;
    this.lidar.select(trackId);
    this.showSidebar(this.slots.indexOf(this.lidarSlot));
  }

  /** Mark the 2D boxes linked to the selected cuboid and say what the selected 2D box is linked to. */
  decorateCamera(camera) {
    camera.el.projections.style.setProperty("--ms-scale", String(camera.editor.view.scale));
    const cuboidId = this.lidar ? this.lidar.selectedId : null;
    const linked = new Set(linkedTracks(this.links, cuboidId, camera.trackIds()));
    for (const shape of camera.el.svg.querySelectorAll("[data-annotation-id]")) {
      shape.classList.toggle("ms-linked", linked.has(Number(shape.getAttribute("data-annotation-id"))));
    }
    const selected = camera.editor.selectedId;
    const link = selected === null ? null : linkTo(this.links, selected);
    if (selected !== camera.lastSelected) { // a linked 2D box just selected: its cuboid too
      camera.lastSelected = selected;
      if (link && this.lidar && this.lidar.selectedId !== link.from_id && this.lidar.cuboidById(link.from_id)) this.lidar.select(link.from_id);
    }
    camera.el.linkState.textContent = link ? `#${selected} ↔ cuboid #${link.from_id}` : "";
    camera.el.linkState.dataset.linkedTo = link ? String(link.from_id) : "";
  }

  // ---- linked tracks ----------------------------------------------------------------------------------------------

  /** R in a camera: the 2D box around the selected cuboid's projection, in this frame, linked to its track. */
  boxFromCuboid(camera) {
    const lidar = this.lidar;
    const cuboid = lidar && lidar.cuboidById(lidar.selectedId);
    if (!cuboid) return camera.editor.flash("Select a cuboid first (in the 3D view, or click its projection).");
    if (!camera.camera) return camera.editor.flash(`Calibration unusable: ${camera.calibrationProblem}.`);
    const { width, height, loaded } = camera.editor.image;
    const box = loaded ? projectedBoundingBox(cuboid, camera.camera, width, height) : null;
    if (!box) return camera.editor.flash(`Cuboid #${trackIdOf(cuboid)} is not in this camera's image.`);
    const fromId = Number(trackIdOf(cuboid));
    const existing = linkedTracks(this.links, fromId, camera.trackIds())[0];
    const id = existing ?? this.nextTrackId();
    const category = lidar.categoriesById.get(cuboid.category_id);
    const attributes = reconcileAttributes((category && category.attributes) || [], camera.editor.annotationById(id)?.attributes);
    const annotation = createAnnotation({ id, categoryId: cuboid.category_id, type: "bbox", points: box, attributes });
    this.history.group(() => {
      camera.editor.change((doc) => camera.tracks.put(doc, annotation));
      if (existing === undefined) this.setLinks(withLink(this.links, fromId, id));
    });
    camera.editor.setTool("select");
    camera.editor.select(id);
    camera.editor.flash(existing === undefined ? `2D track #${id} created, linked to cuboid #${fromId}.` : `2D track #${id} of cuboid #${fromId} fitted here.`);
  }

  /** J in a camera: link the selected 2D box to the selected cuboid, or unlink it. */
  linkSelected(camera) {
    const toId = camera.editor.selectedId;
    const fromId = this.lidar ? this.lidar.selectedId : null;
    if (toId === null) return camera.editor.flash("Select a 2D box in this camera first.");
    const current = linkTo(this.links, toId);
    if (current && (fromId === null || current.from_id === fromId)) {
      this.setLinks(this.links.filter((link) => link !== current));
      return camera.editor.flash(`2D track #${toId} unlinked.`);
    }
    if (fromId === null) return camera.editor.flash("Select the cuboid to link in the 3D view first.");
    this.setLinks(withLink(this.links, Number(fromId), toId));
    camera.editor.flash(`2D track #${toId} linked to cuboid #${fromId}.`);
  }
}
