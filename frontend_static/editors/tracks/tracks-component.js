// The tracks component of image-vector-sequence: the document provider of the vector view
// (../vector/editor.js, composed with it by sequence-main.js) over a sequence document (sequence-document.js)
// whose keyframes are the only thing edited. The view shows one frame at a time: its keyframes plus the objects
// interpolated between them (interpolation.js, the same rules as the server's worker). Editing a shown object
// writes a keyframe in the current frame. Selection is by track: an object's id is its track_id, so a track
// stays selected across frames. The component also owns the current frame, playback, ghosts and the timeline.

import { frameActions } from "../../editor-core/categories.js";
import { h, s } from "../../editor-core/dom.js";
import { renderScene } from "../vector/render.js";
import { documentFromLabel } from "../vector/label-document.js";
import { InterpolationCache } from "./interpolation-cache.js";
import { interpolateSequenceLabel, usableTimestamps, visibleAnnotations } from "./interpolation.js";
import {
  copyTrack, deleteTrack, endTrack, keyframeAt, labelFromSequence, mergeTracks, nextTrackId, removeKeyframe, sequenceFromLabel, setKeyframe,
  trackIdOf, tracksOf, updateTrackKeyframes,
} from "./sequence-document.js";
import { SEQUENCE_BINDINGS } from "./keyboard.js";
import { renderTimeline } from "./timeline.js";

/** @typedef {import("../vector/single-frame-document.js").DocumentProvider} DocumentProvider */

const DEFAULT_FRAME_INTERVAL_MS = 80; // 12.5 frames per second

/**
 * The tracks component: give it to the vector view as its document provider, then `attach(view)`.
 * @implements {DocumentProvider}
 */
export class TracksComponent {
  /** @param {any} config editor_config */
  constructor(config) {
    this.config = config;
    this.bindings = SEQUENCE_BINDINGS;
    this.frames = config.sample.frames || [];
    // The image attributes' defaults per definition, as the single-frame document reads them.
    this.imageDefaults = documentFromLabel(config.label && config.label.attributes, config.dataset.task_attributes || {}).imageAttributes;
    this.frameIndex = 0;
    this.playing = false;
    this.spacePanned = false;
    this.timestamps = this.frames.map((frame) => frame.timestamp);
    this.materializedKey = null;
    this.materializedLabel = null;
    this.interpolation = new InterpolationCache(); // an edit re-interpolates only the tracks it changed
    /** @type {((frame: number) => void)|null} the page shows the frame's image */
    this.onFrameChange = null;
    this.timelineKey = null;
    /** @type {string|undefined} the timeline's title (the multi-sensor editor: the sensor's name) */
    this.timelineTitle = undefined;
    /** @type {import("../vector/editor.js").Editor} */
    this.view = null;
  }

  /** @param {import("../vector/editor.js").Editor} view the vector view this component provides the document of */
  attach(view) {
    this.view = view;
  }

  get doc() {
    return this.view.doc;
  }

  get frameCount() {
    return this.doc.frames.length;
  }

  // ---- the document provider (see DocumentProvider) -------------------------------------------------------

  documentFrom(attributes) {
    return sequenceFromLabel(attributes, this.frames.length, structuredClone(this.imageDefaults));
  }

  labelFrom(doc) {
    return labelFromSequence(doc);
  }

  annotations() {
    const frame = this.materialized().frames[this.frameIndex];
    return visibleAnnotations(frame).map((annotation) => ({ ...annotation, id: trackIdOf(annotation) }));
  }

  imageAttributes(doc) {
    const frame = doc.frames[this.frameIndex];
    return frame ? frame.imageAttributes : {}; // a sample without frames shows an empty editor
  }

  put(doc, annotation) {
    setKeyframe(doc, this.frameIndex, annotation);
  }

  nextId(doc) {
    return nextTrackId(doc);
  }

  has(doc, trackId) {
    return doc.frames.some((frame) => frame.keyframes.some((annotation) => trackIdOf(annotation) === trackId));
  }

  updateAll(doc, trackId, update) {
    updateTrackKeyframes(doc, trackId, update);
  }

  /** Delete removes the selected track's keyframe (or remove-keyframe) here; the track stays. */
  remove(doc, trackId) {
    removeKeyframe(doc, this.frameIndex, trackId);
  }

  refuseRemove(doc, trackId) {
    if (this.isKeyframeHere(trackId) || this.removedHere(trackId)) return null;
    return `Frame ${this.frameIndex + 1} is not a keyframe of #${trackId}. E ends the track here; Shift+Delete deletes the whole track.`;
  }

  currentFrame() {
    return this.frameIndex;
  }

  focusFrame(frame) {
    this.setFrame(frame);
  }

  /** Space went down: a tap plays or pauses, unless the pointer pans before it is released (sequence-main.js). */
  spaceDown(event) {
    if (!event.repeat) this.spacePanned = false;
  }

  // ---- the stored label and what a frame shows ----------------------------------------------------------

  /** The stored label with every frame filled, as the worker will store it (memoised on the label JSON, and
   * per track: see interpolation-cache.js). Its annotations are shared between calls: never edit them. */
  materialized() {
    const json = this.view.serialize();
    if (json === this.materializedKey) return this.materializedLabel;
    this.materializedLabel = this.interpolated(JSON.parse(json), this.interpolation);
    this.materializedKey = json;
    return this.materializedLabel;
  }

  /**
   * `label` (stored attributes) with every frame filled by the dataset's interpolation settings; with `cache`
   * (the edited label's), only the tracks changed since its last use are interpolated again.
   * @param {any} label @param {InterpolationCache|null} [cache]
   */
  interpolated(label, cache = null) {
    const dataset = this.config.dataset;
    try {
      const interpolate = cache ? cache.interpolate.bind(cache) : interpolateSequenceLabel;
      return dataset.enable_interpolation === false ? label : interpolate(label, {
        frameCount: this.frameCount,
        timestamps: dataset.use_timestamps_for_interpolation ? this.timestamps : null,
        extrapolate: Boolean(dataset.enable_extrapolation),
      });
    } catch (error) {
      this.view.flash(`Interpolation failed: ${error.message}`); // malformed geometry: show the keyframes only
      return label;
    }
  }

  // ---- "Compare with": another label set's sequence (../vector/reference.js) ------------------------------

  /** The objects of the reference sequence document in the current frame (keyframes and interpolated). */
  referenceAnnotations(referenceDoc) {
    if (this.referenceKey !== referenceDoc) {
      this.referenceKey = referenceDoc;
      this.referenceLabel = this.interpolated(labelFromSequence(referenceDoc));
    }
    const frame = this.referenceLabel.frames[this.frameIndex];
    return visibleAnnotations(frame).map((annotation) => ({ ...annotation, id: trackIdOf(annotation) }));
  }

  /** Copy tracks `trackIds` of the reference, every keyframe of each, as new tracks; returns their ids. */
  copyReference(doc, referenceDoc, trackIds) {
    return trackIds.map((trackId) => {
      const newTrackId = nextTrackId(doc);
      copyTrack(doc, referenceDoc, trackId, newTrackId);
      return newTrackId;
    });
  }

  isKeyframeHere(trackId) {
    return keyframeAt(this.doc, this.frameIndex, trackId) !== null;
  }

  trackExists(trackId) {
    return this.has(this.doc, trackId);
  }

  removedHere(trackId) {
    return Boolean(this.doc.frames[this.frameIndex]?.removed.includes(String(trackId)));
  }

  // ---- track edits ----------------------------------------------------------------------------------------

  deleteSelectedTrack() {
    const view = this.view;
    const trackId = view.selectedId;
    if (trackId === null || !view.canWrite) return;
    if (!window.confirm(`Delete track #${trackId} from every frame?`)) return;
    view.change((doc) => deleteTrack(doc, trackId));
  }

  /** The selected track when it may be edited; else null, after telling the labeler `hint`. */
  editableTrack(hint) {
    const view = this.view;
    if (view.selectedId !== null && view.canWrite) return view.selectedId;
    view.flash(hint);
    return null;
  }

  /** K: make the shown object a keyframe here; on a keyframe, remove it; where absent, hold its last state. */
  toggleKeyframe() {
    const view = this.view;
    const trackId = this.editableTrack("Select an object first (V, then click it, or click its timeline row).");
    if (trackId === null) return;
    if (this.isKeyframeHere(trackId)) {
      view.change((doc) => removeKeyframe(doc, this.frameIndex, trackId));
      return;
    }
    const state = view.annotationById(trackId) || this.nearestState(trackId);
    if (!state) return;
    view.change((doc) => setKeyframe(doc, this.frameIndex, structuredClone(state)));
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
    const trackId = this.editableTrack("Select an object first, then press E to end its track here.");
    if (trackId === null) return;
    this.view.change((doc) => endTrack(doc, this.frameIndex, trackId));
  }

  /** M: merge another track (asked for) into the selected one, e.g. a duplicate drawn after a gap. */
  mergeIntoSelected() {
    const view = this.view;
    const keepId = this.editableTrack("Select the track to keep first, then press M.");
    if (keepId === null) return;
    const answer = window.prompt(`Merge which track into #${keepId}? (its track id)`);
    const mergeId = Number(answer);
    if (!answer || !Number.isInteger(mergeId) || mergeId === keepId || !this.trackExists(mergeId)) {
      if (answer) view.flash(`There is no other track #${answer}.`);
      return;
    }
    view.change((doc) => mergeTracks(doc, keepId, mergeId));
    view.flash(`Track #${mergeId} is merged into #${keepId}.`);
  }

  selectTrackByName(name) {
    const track = tracksOf(this.doc, { frames: [] }).find((entry) => String(entry.trackId) === name);
    if (track) this.view.select(track.trackId);
  }

  // ---- frames and playback -------------------------------------------------------------------------------

  setFrame(index) {
    const view = this.view;
    const frame = Math.max(0, Math.min(this.frameCount - 1, index));
    if (frame === this.frameIndex) return;
    this.frameIndex = frame;
    view.drawing = null;
    view.selectedVertex = null;
    if (this.onFrameChange) this.onFrameChange(frame);
    view.requestRender({ panels: true });
  }

  /** Frames of keyframes and remove-keyframes: of the selected track, or of every track. */
  keyframeFrames() {
    const selectedId = this.view.selectedId;
    const frames = new Set();
    this.doc.frames.forEach((frame, index) => {
      const mine = selectedId === null
        ? frame.keyframes.length || frame.removed.length
        : this.isKeyframeIn(frame, selectedId);
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
    if (target === undefined) this.view.flash(direction < 0 ? "No earlier keyframe." : "No later keyframe.");
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
    this.view.requestRender();
  }

  scheduleNextFrame() {
    this.playTimer = setTimeout(() => {
      if (!this.playing) return;
      this.setFrame(this.frameIndex + 1);
      if (this.frameIndex >= this.frameCount - 1) this.togglePlay(false);
      else this.scheduleNextFrame();
    }, this.frameDuration(this.frameIndex));
  }

  /** The component's keymap actions; the others are the vector view's. */
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
    if (!handler) return false;
    handler();
    return true;
  }

  // ---- rendering: after the view has drawn the frame ------------------------------------------------------

  rendered() {
    this.renderGhosts();
    const view = this.view;
    const el = view.elements;
    el.frameLabel.textContent = `Frame ${this.frameIndex + 1} / ${this.frameCount}`;
    el.frameLabel.dataset.frame = String(this.frameIndex);
    el.play.textContent = this.playing ? "❚❚" : "▶";
    el.play.setAttribute("aria-pressed", this.playing ? "true" : "false");
    el.stage.dataset.frame = String(this.frameIndex);
    const keyframeIds = new Set((this.doc.frames[this.frameIndex]?.keyframes || []).map((annotation) => String(trackIdOf(annotation))));
    for (const shape of el.svg.querySelectorAll("[data-annotation-id]")) {
      shape.classList.toggle("sq-interpolated", !keyframeIds.has(shape.dataset.annotationId));
    }
    const key = `${view.serialize()}|${this.frameIndex}|${view.selectedId}`;
    if (key !== this.timelineKey) {
      this.timelineKey = key;
      renderTimeline(el.timeline, {
        frameCount: this.frameCount,
        frameIndex: this.frameIndex,
        tracks: tracksOf(this.doc, this.materialized()),
        selectedTrackId: view.selectedId,
        styleOf: (categoryId) => view.styleOf(categoryId),
        title: this.timelineTitle,
      });
    }
  }

  /**
   * Tracks not shown in this frame whose last appearance is earlier (after their last keyframe, or ended):
   * [{trackId, frame, annotation}] with the state they were last seen in.
   */
  ghosts() {
    const frames = this.materialized().frames;
    const shown = new Set(this.annotations().map((annotation) => annotation.id));
    const lastSeen = new Map();
    for (let frame = 0; frame < this.frameIndex; frame += 1) {
      for (const annotation of visibleAnnotations(frames[frame])) lastSeen.set(trackIdOf(annotation), { frame, annotation });
    }
    return [...lastSeen.entries()]
      .filter(([trackId]) => !shown.has(trackId))
      .map(([trackId, seen]) => ({ trackId, frame: seen.frame, annotation: { ...seen.annotation, id: trackId } }));
  }

  renderGhosts() {
    const view = this.view;
    const svg = view.elements.svg;
    svg.querySelector(".sq-ghosts")?.remove();
    if (!view.image.loaded) return;
    const ghosts = this.ghosts();
    if (!ghosts.length) return;
    const scratch = s("svg", {});
    renderScene(scratch, {
      annotations: ghosts.map((ghost) => ghost.annotation), styleOf: (annotation) => view.styleOf(annotation),
      selectedId: null, selectedVertex: null, hoverId: null, errorIds: new Set(), drawing: null,
      scale: view.view.scale, width: view.image.width, height: view.image.height,
    });
    const group = s("g", { class: "sq-ghosts" });
    for (const shape of scratch.querySelectorAll(".ve-shape")) {
      shape.setAttribute("class", `${shape.getAttribute("class")} sq-ghost`);
      shape.setAttribute("data-testid", "ghost");
      shape.setAttribute("data-track-id", shape.getAttribute("data-annotation-id"));
      shape.removeAttribute("data-annotation-id");
      if (Number(shape.getAttribute("data-track-id")) === view.selectedId) shape.classList.add("is-selected");
      group.append(shape);
    }
    svg.prepend(group);
  }

  /** The selected track's panel: its controls over the view's object panel, a ghost's, or "not in this frame". */
  objectPanel(viewPanel) {
    const view = this.view;
    const trackId = view.selectedId;
    if (trackId === null) return viewPanel();
    const shown = view.selectedAnnotation();
    const ghost = shown ? null : this.ghosts().find((item) => item.trackId === trackId);
    const panel = shown
      ? viewPanel()
      : ghost
        ? h("div", { class: "sq-ghost-panel", "data-testid": "ghost-panel" },
          h("p", { class: "muted" }, `Track #${trackId} was last seen in frame ${ghost.frame + 1}; it is shown as a ghost here.`),
          h("button", { type: "button", class: "btn small primary", "data-testid": "continue-track", disabled: !view.canWrite,
            title: "Make its last state a keyframe here (K)", onclick: () => this.toggleKeyframe() }, "Continue track here (K)"))
        : h("p", { class: "muted ve-empty" }, `Track #${trackId} is not in this frame.`);
    const deleteButton = panel.querySelector && panel.querySelector('[data-testid="delete-object"]');
    if (deleteButton) {
      deleteButton.textContent = "Delete keyframe";
      deleteButton.title = "Delete this keyframe; the track stays (Delete). Shift+Delete deletes the whole track.";
      deleteButton.disabled = !view.canWrite || !this.isKeyframeHere(trackId);
    }
    return h("div", { class: "sq-track-panel" }, this.trackControls(), panel);
  }

  /** How a shown non-keyframe object is computed: "interpolated" towards a next keyframe, else "held". */
  computedKind(trackId) {
    for (let frame = this.frameIndex + 1; frame < this.frameCount; frame += 1) {
      if (this.doc.frames[frame].removed.includes(String(trackId))) return "held";
      const next = keyframeAt(this.doc, frame, trackId);
      if (next) return next.type === this.view.selectedAnnotation().type ? "interpolated" : "held";
    }
    return "held";
  }

  trackControls() {
    const view = this.view;
    const trackId = view.selectedId;
    const keyframe = this.isKeyframeHere(trackId);
    const state = keyframe ? "keyframe" : this.removedHere(trackId) ? "ends here" : view.selectedAnnotation() ? this.computedKind(trackId) : "absent";
    const button = (testid, label, title, action, disabled = false) =>
      h("button", { type: "button", class: "btn small", "data-testid": testid, title, disabled: disabled || !view.canWrite, onclick: action }, label);
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
