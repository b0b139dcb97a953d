// The image-sequence editor: the image vector editor (frontend_static/editors/vector/editor.js) on one frame at a
// time, over a sequence document (sequence-document.js) whose keyframes are the only thing edited. The shown
// objects of a frame are its keyframes plus the ones interpolated between them (interpolation.js, the same
// rules as the server's worker). Editing a shown object writes a keyframe in the current frame.
// Selection is by track: an object's id is its track_id, so a track stays selected across frames.

import { frameActions } from "../../editor-core/categories.js";
import { h, s } from "../../editor-core/dom.js";
import { renderScene } from "../vector/render.js";
import { Editor } from "../vector/editor.js";
import { reconcileAttributes } from "../../editor-core/attributes.js";
import { createAnnotation } from "../vector/shapes.js";
import { interpolateSequenceLabel, usableTimestamps, visibleAnnotations } from "./interpolation.js";
import {
  deleteTrack, endTrack, keyframeAt, labelFromSequence, mergeTracks, nextTrackId, removeKeyframe, sequenceFromLabel, setKeyframe,
  trackIdOf, tracksOf, updateTrackKeyframes,
} from "./sequence-document.js";
import { SEQUENCE_BINDINGS } from "./keyboard.js";
import { renderTimeline } from "./timeline.js";

const DEFAULT_FRAME_INTERVAL_MS = 80; // 12.5 frames per second

export class SequenceEditor extends Editor {
  constructor(elements, config, shell) {
    super(elements, config, shell);
    this.bindings = SEQUENCE_BINDINGS;
    this.frames = config.sample.frames || [];
    this.imageDefaults = structuredClone(this.doc.imageAttributes); // the base editor's defaults per definition
    this.doc = sequenceFromLabel(config.label && config.label.attributes, this.frames.length, structuredClone(this.imageDefaults));
    this.sequenceReady = true;
    this.savedJson = this.serialize();
    this.frameIndex = 0;
    this.playing = false;
    this.timestamps = this.frames.map((frame) => frame.timestamp);
    this.materializedKey = null;
    /** @type {((frame: number) => void)|null} the page shows the frame's image */
    this.onFrameChange = null;
    this.timelineKey = null;
  }

  get frameCount() {
    return this.doc.frames.length;
  }

  // ---- the document and what a frame shows --------------------------------------------------------------

  storedLabel() {
    return labelFromSequence(this.doc);
  }

  documentFrom(attributes) {
    return sequenceFromLabel(attributes, this.frames.length, structuredClone(this.imageDefaults));
  }

  anchor() {
    return { track_id: this.selectedId, frame: this.frameIndex };
  }

  focusAnchor(anchor) {
    if (Number.isInteger(anchor.frame)) this.setFrame(anchor.frame);
    if (anchor.track_id !== null && anchor.track_id !== undefined) this.select(anchor.track_id);
  }

  /** Space tapped plays or pauses; Space held while dragging pans. */
  onKeyDown(event) {
    if (event.key !== " ") return false;
    event.preventDefault();
    if (!event.repeat) this.spacePanned = false;
    this.pointer.setSpace(true);
    return true;
  }

  serialize() {
    if (!this.sequenceReady) return ""; // the base constructor serializes before the sequence document exists
    return super.serialize();
  }

  /** The stored label with every frame filled, as the worker will store it (memoised on the label JSON). */
  materialized() {
    const json = this.serialize();
    if (json === this.materializedKey) return this.materializedLabel;
    const label = JSON.parse(json);
    const dataset = this.config.dataset;
    try {
      this.materializedLabel = dataset.enable_interpolation === false ? label : interpolateSequenceLabel(label, {
        frameCount: this.frameCount,
        timestamps: dataset.use_timestamps_for_interpolation ? this.timestamps : null,
        extrapolate: Boolean(dataset.enable_extrapolation),
      });
    } catch (error) {
      this.materializedLabel = label; // malformed geometry: show the keyframes only and say why
      this.flash(`Interpolation failed: ${error.message}`);
    }
    this.materializedKey = json;
    return this.materializedLabel;
  }

  currentAnnotations() {
    const frame = this.materialized().frames[this.frameIndex];
    return visibleAnnotations(frame).map((annotation) => ({ ...annotation, id: trackIdOf(annotation) }));
  }

  currentImageAttributes() {
    const frame = this.doc.frames[this.frameIndex];
    return frame ? frame.imageAttributes : {}; // a sample without frames shows an empty editor
  }

  isKeyframeHere(trackId) {
    return keyframeAt(this.doc, this.frameIndex, trackId) !== null;
  }

  trackExists(trackId) {
    return this.doc.frames.some((frame) => frame.keyframes.some((annotation) => trackIdOf(annotation) === trackId));
  }

  // ---- edits: every change of a shown object is a keyframe in this frame ------------------------------------

  replaceIn(doc, updated) {
    setKeyframe(doc, this.frameIndex, updated);
  }

  replaceAnnotationLive(updated) {
    setKeyframe(this.doc, this.frameIndex, updated);
    this.requestRender();
  }

  afterChange() {
    if (this.selectedId !== null && !this.trackExists(this.selectedId)) this.select(null);
    this.requestRender({ panels: true });
    this.shell.changed();
  }

  addAnnotation(type, points) {
    if (this.categoryId === null) {
      this.flash("This dataset has no categories: ask a manager to add some.");
      return;
    }
    const trackId = nextTrackId(this.doc);
    const attributes = reconcileAttributes(this.definitionsFor(this.categoryId), undefined);
    const annotation = createAnnotation({ id: trackId, categoryId: this.categoryId, type, points, attributes });
    this.change((doc) => setKeyframe(doc, this.frameIndex, annotation));
    this.drawing = null;
    this.select(trackId);
  }

  /** Delete: the last vertex while drawing, the selected vertex, else the selected track's keyframe here. */
  deleteSelection() {
    const selected = this.selectedAnnotation();
    const vertexShape = selected && (selected.type === "polygon" || selected.type === "polyline");
    if (this.drawing || (vertexShape && this.selectedVertex !== null)) {
      super.deleteSelection();
      return;
    }
    if (this.selectedId === null) return;
    if (!this.isKeyframeHere(this.selectedId) && !this.removedHere(this.selectedId)) {
      this.flash(`Frame ${this.frameIndex + 1} is not a keyframe of #${this.selectedId}. E ends the track here; Shift+Delete deletes the whole track.`);
      return;
    }
    const trackId = this.selectedId;
    this.change((doc) => removeKeyframe(doc, this.frameIndex, trackId));
  }

  removedHere(trackId) {
    return Boolean(this.doc.frames[this.frameIndex]?.removed.includes(String(trackId)));
  }

  deleteSelectedTrack() {
    const trackId = this.selectedId;
    if (trackId === null || !this.canWrite) return;
    if (!window.confirm(`Delete track #${trackId} from every frame?`)) return;
    this.change((doc) => deleteTrack(doc, trackId));
  }

  /** K: make the shown object a keyframe here; on a keyframe, remove it; where absent, hold its last state. */
  toggleKeyframe() {
    const trackId = this.selectedId;
    if (trackId === null || !this.canWrite) {
      this.flash("Select an object first (V, then click it, or click its timeline row).");
      return;
    }
    if (this.isKeyframeHere(trackId)) {
      this.change((doc) => removeKeyframe(doc, this.frameIndex, trackId));
      return;
    }
    const state = this.annotationById(trackId) || this.nearestState(trackId);
    if (!state) return;
    this.change((doc) => setKeyframe(doc, this.frameIndex, structuredClone(state)));
  }

  /** The track's object on the nearest earlier frame that shows it, else the nearest later one. */
  nearestState(trackId) {
    const frames = this.materialized().frames;
    const find = (frame) => visibleAnnotations(frames[frame]).find((annotation) => trackIdOf(annotation) === trackId);
    for (let frame = this.frameIndex - 1; frame >= 0; frame -= 1) if (find(frame)) return find(frame);
    for (let frame = this.frameIndex + 1; frame < frames.length; frame += 1) if (find(frame)) return find(frame);
    return null;
  }

  /** E: a remove-keyframe for the selected track here; the object is gone from here to its next keyframe. */
  endSelectedTrack() {
    const trackId = this.selectedId;
    if (trackId === null || !this.canWrite) {
      this.flash("Select an object first, then press E to end its track here.");
      return;
    }
    this.change((doc) => endTrack(doc, this.frameIndex, trackId));
  }

  /** Category belongs to the track: it changes in every keyframe. */
  setAnnotationCategory(id, categoryId) {
    if (!this.categoriesById.has(categoryId)) return;
    const definitions = this.definitionsFor(categoryId);
    this.change((doc) =>
      updateTrackKeyframes(doc, id, (annotation) => {
        const attributes = reconcileAttributes(definitions, annotation.attributes);
        const updated = { ...annotation, category_id: categoryId };
        if (attributes === undefined) delete updated.attributes;
        else updated.attributes = attributes;
        return updated;
      }),
    );
  }

  /** Track-level attributes (is_track_level) change in every keyframe; the others make a keyframe here. */
  setAnnotationAttribute(id, name, value) {
    const annotation = this.annotationById(id);
    if (!annotation) return;
    const definition = this.definitionsFor(annotation.category_id).find((item) => item.name === name);
    const apply = (source) => {
      const attributes = { ...(source.attributes || {}) };
      if (value === undefined) delete attributes[name];
      else attributes[name] = value;
      return { ...source, attributes };
    };
    if (definition && definition.is_track_level) this.change((doc) => updateTrackKeyframes(doc, id, apply));
    else this.change((doc) => setKeyframe(doc, this.frameIndex, apply(annotation)));
  }

  setImageAttribute(name, value) {
    this.change((doc) => {
      const attributes = doc.frames[this.frameIndex].imageAttributes;
      if (value === undefined) delete attributes[name];
      else attributes[name] = value;
    });
  }

  // ---- frames and playback -------------------------------------------------------------------------------

  setFrame(index) {
    const frame = Math.max(0, Math.min(this.frameCount - 1, index));
    if (frame === this.frameIndex) return;
    this.frameIndex = frame;
    this.drawing = null;
    this.selectedVertex = null;
    if (this.onFrameChange) this.onFrameChange(frame);
    this.requestRender({ panels: true });
  }

  /** Frames of keyframes and remove-keyframes: of the selected track, or of every track. */
  keyframeFrames() {
    const frames = new Set();
    this.doc.frames.forEach((frame, index) => {
      const mine = this.selectedId === null
        ? frame.keyframes.length || frame.removed.length
        : this.isKeyframeIn(frame, this.selectedId);
      if (mine) frames.add(index);
    });
    return [...frames].sort((a, b) => a - b);
  }

  isKeyframeIn(frame, trackId) {
    return frame.keyframes.some((annotation) => trackIdOf(annotation) === trackId) || frame.removed.includes(String(trackId));
  }

  jumpToKeyframe(direction) {
    const frames = this.keyframeFrames();
    const target = direction < 0
      ? frames.filter((frame) => frame < this.frameIndex).at(-1)
      : frames.find((frame) => frame > this.frameIndex);
    if (target === undefined) this.flash(direction < 0 ? "No earlier keyframe." : "No later keyframe.");
    else this.setFrame(target);
  }

  /** Milliseconds to show `frame` for: the gap to the next timestamp when they are valid, else 12.5 fps. */
  frameDuration(frame) {
    const positions = usableTimestamps(this.frameCount, this.timestamps);
    if (this.frameCount < 2 || !positions) return DEFAULT_FRAME_INTERVAL_MS;
    const gaps = positions.slice(1).map((value, index) => value - positions[index]).sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)];
    const unit = median >= 1e5 ? 1e-6 : median >= 5 ? 1 : 1000; // nanoseconds, milliseconds or seconds
    const gap = frame + 1 < positions.length ? positions[frame + 1] - positions[frame] : median;
    return Math.max(10, Math.min(2000, gap * unit));
  }

  togglePlay(play = !this.playing) {
    clearTimeout(this.playTimer);
    this.playing = play && this.frameCount > 1;
    if (this.playing) {
      if (this.frameIndex >= this.frameCount - 1) this.setFrame(0);
      this.scheduleNextFrame();
    }
    this.requestRender();
  }

  scheduleNextFrame() {
    this.playTimer = setTimeout(() => {
      if (!this.playing) return;
      this.setFrame(this.frameIndex + 1);
      if (this.frameIndex >= this.frameCount - 1) this.togglePlay(false);
      else this.scheduleNextFrame();
    }, this.frameDuration(this.frameIndex));
  }

  perform(action) {
    const handler = {
      ...frameActions({ index: () => this.frameIndex, count: () => this.frameCount, setFrame: (frame) => this.setFrame(frame) }),
      "keyframe-previous": () => this.jumpToKeyframe(-1),
      "keyframe-next": () => this.jumpToKeyframe(1),
      "toggle-keyframe": () => this.toggleKeyframe(),
      "end-track": () => this.endSelectedTrack(),
      "delete-track": () => this.deleteSelectedTrack(),
      "merge-tracks": () => this.mergeIntoSelected(),
      play: () => this.togglePlay(),
    }[action];
    if (handler) handler();
    else super.perform(action);
  }

  // ---- rendering -----------------------------------------------------------------------------------------

  render() {
    super.render();
    this.renderGhosts();
    const el = this.elements;
    el.frameLabel.textContent = `Frame ${this.frameIndex + 1} / ${this.frameCount}`;
    el.frameLabel.dataset.frame = String(this.frameIndex);
    el.play.textContent = this.playing ? "❚❚" : "▶";
    el.play.setAttribute("aria-pressed", this.playing ? "true" : "false");
    el.stage.dataset.frame = String(this.frameIndex);
    const keyframeIds = new Set((this.doc.frames[this.frameIndex]?.keyframes || []).map((annotation) => String(trackIdOf(annotation))));
    for (const shape of el.svg.querySelectorAll("[data-annotation-id]")) {
      shape.classList.toggle("sq-interpolated", !keyframeIds.has(shape.dataset.annotationId));
    }
    const key = `${this.serialize()}|${this.frameIndex}|${this.selectedId}`;
    if (key !== this.timelineKey) {
      this.timelineKey = key;
      renderTimeline(el.timeline, {
        frameCount: this.frameCount,
        frameIndex: this.frameIndex,
        tracks: tracksOf(this.doc, this.materialized()),
        selectedTrackId: this.selectedId,
        styleOf: (categoryId) => this.styleOf(categoryId),
      });
    }
  }

  /**
   * Tracks not shown in this frame whose last appearance is earlier (after their last keyframe, or ended):
   * [{trackId, frame, annotation}] with the state they were last seen in.
   */
  ghosts() {
    const frames = this.materialized().frames;
    const shown = new Set(this.currentAnnotations().map((annotation) => annotation.id));
    const lastSeen = new Map();
    for (let frame = 0; frame < this.frameIndex; frame += 1) {
      for (const annotation of visibleAnnotations(frames[frame])) lastSeen.set(trackIdOf(annotation), { frame, annotation });
    }
    return [...lastSeen.entries()]
      .filter(([trackId]) => !shown.has(trackId))
      .map(([trackId, seen]) => ({ trackId, frame: seen.frame, annotation: { ...seen.annotation, id: trackId } }));
  }

  renderGhosts() {
    const svg = this.elements.svg;
    svg.querySelector(".sq-ghosts")?.remove();
    if (!this.image.loaded) return;
    const ghosts = this.ghosts();
    if (!ghosts.length) return;
    const scratch = s("svg", {});
    renderScene(scratch, {
      annotations: ghosts.map((ghost) => ghost.annotation), styleOf: (annotation) => this.styleOf(annotation),
      selectedId: null, selectedVertex: null, hoverId: null, errorIds: new Set(), drawing: null,
      scale: this.view.scale, width: this.image.width, height: this.image.height,
    });
    const group = s("g", { class: "sq-ghosts" });
    for (const shape of scratch.querySelectorAll(".ve-shape")) {
      shape.setAttribute("class", `${shape.getAttribute("class")} sq-ghost`);
      shape.setAttribute("data-testid", "ghost");
      shape.setAttribute("data-track-id", shape.getAttribute("data-annotation-id"));
      shape.removeAttribute("data-annotation-id");
      if (Number(shape.getAttribute("data-track-id")) === this.selectedId) shape.classList.add("is-selected");
      group.append(shape);
    }
    svg.prepend(group);
  }

  /** M: merge another track (asked for) into the selected one, e.g. a duplicate drawn after a gap. */
  mergeIntoSelected() {
    const keepId = this.selectedId;
    if (keepId === null || !this.canWrite) {
      this.flash("Select the track to keep first, then press M.");
      return;
    }
    const answer = window.prompt(`Merge which track into #${keepId}? (its track id)`);
    const mergeId = Number(answer);
    if (!answer || !Number.isInteger(mergeId) || mergeId === keepId || !this.trackExists(mergeId)) {
      if (answer) this.flash(`There is no other track #${answer}.`);
      return;
    }
    this.change((doc) => mergeTracks(doc, keepId, mergeId));
    this.flash(`Track #${mergeId} is merged into #${keepId}.`);
  }

  selectTrackByName(name) {
    const track = tracksOf(this.doc, { frames: [] }).find((entry) => String(entry.trackId) === name);
    if (track) this.select(track.trackId);
  }

  selectedObjectPanel() {
    if (this.selectedId === null) return super.selectedObjectPanel();
    const shown = this.selectedAnnotation();
    const ghost = shown ? null : this.ghosts().find((item) => item.trackId === this.selectedId);
    const panel = shown
      ? super.selectedObjectPanel()
      : ghost
        ? h("div", { class: "sq-ghost-panel", "data-testid": "ghost-panel" },
          h("p", { class: "muted" }, `Track #${this.selectedId} was last seen in frame ${ghost.frame + 1}; it is shown as a ghost here.`),
          h("button", { type: "button", class: "btn small primary", "data-testid": "continue-track", disabled: !this.canWrite,
            title: "Make its last state a keyframe here (K)", onclick: () => this.toggleKeyframe() }, "Continue track here (K)"))
        : h("p", { class: "muted ve-empty" }, `Track #${this.selectedId} is not in this frame.`);
    const deleteButton = panel.querySelector && panel.querySelector('[data-testid="delete-object"]');
    if (deleteButton) {
      deleteButton.textContent = "Delete keyframe";
      deleteButton.title = "Delete this keyframe; the track stays (Delete). Shift+Delete deletes the whole track.";
      deleteButton.disabled = !this.canWrite || !this.isKeyframeHere(this.selectedId);
    }
    return h("div", { class: "sq-track-panel" }, this.trackControls(), panel);
  }

  /** How a shown non-keyframe object is computed: "interpolated" towards a next keyframe, else "held". */
  computedKind(trackId) {
    for (let frame = this.frameIndex + 1; frame < this.frameCount; frame += 1) {
      if (this.doc.frames[frame].removed.includes(String(trackId))) return "held";
      const next = keyframeAt(this.doc, frame, trackId);
      if (next) return next.type === this.selectedAnnotation().type ? "interpolated" : "held";
    }
    return "held";
  }

  trackControls() {
    const trackId = this.selectedId;
    const keyframe = this.isKeyframeHere(trackId);
    const state = keyframe ? "keyframe" : this.removedHere(trackId) ? "ends here" : this.selectedAnnotation() ? this.computedKind(trackId) : "absent";
    const button = (testid, label, title, action, disabled = false) =>
      h("button", { type: "button", class: "btn small", "data-testid": testid, title, disabled: disabled || !this.canWrite, onclick: action }, label);
    return h(
      "div",
      { class: "sq-track-controls", "data-testid": "track-controls", "data-track-id": trackId },
      h("div", { class: "sq-track-state" }, `Track #${trackId} · frame ${this.frameIndex + 1}: `, h("strong", { "data-testid": "keyframe-state" }, state)),
      h(
        "div",
        { class: "sq-track-buttons" },
        button("toggle-keyframe", keyframe ? "Remove keyframe" : "Make keyframe", "Toggle keyframe here (K)", () => this.toggleKeyframe()),
        button("end-track", "End track here", "Remove-keyframe: the object is gone from here (E)", () => this.endSelectedTrack()),
        button("delete-track", "Delete track", "Delete the whole track in every frame (Shift+Delete)", () => this.deleteSelectedTrack()),
        button("merge-tracks", "Merge track…", "Merge another track into this one (M)", () => this.mergeIntoSelected()),
      ),
    );
  }
}

