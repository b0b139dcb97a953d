// The frames component of the image-segmentation-sequence editor: per-frame id masks under one segmentation
// view, whose instance ids are track ids across frames. It keeps each frame's mask, pixel counts, undo history
// and stored bitmap, switches the view between frames, copies the previous frame's mask, and stores the label
// in the documented format (tests/data/seeds/002_06d787bc2e87e6be.txt, "Image sequence - Segmentation labels"):
// {format_version, frames: [{annotations: [{id, track_id, category_id, attributes?}], segmentation_bitmap:
// {url} | null, image_attributes?}]}, one RGBA id PNG per frame, uploaded as an asset like the segmentation
// editor's.

import { uploadAsset } from "../../editor-core/api.js";
import { collisionRenames } from "../../editor-core/merge.js";
import { History } from "../../editor-core/history.js";
import { loadBitmap, loadPhoto } from "../segmentation/loading.js";
import { decodeInWorker, encodeInWorker } from "../segmentation/mask-jobs.js";
import * as masks from "../segmentation/mask.js";
import { annotationTouches, mergeInstances, mergeMaskIds, pixelTouches } from "../segmentation/mask-merge.js";
import { saveProblems } from "../segmentation/label.js";
import { renderTimeline, TimelineController } from "../tracks/timeline.js";
import { frameActions } from "../../editor-core/categories.js";
import { h } from "../../editor-core/dom.js";

export const SEQUENCE_FORMAT_VERSION = "0.1";

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const MASK_FRAME_BINDINGS = [
  { keys: ["ArrowLeft", "ArrowRight"], actions: ["frame-previous", "frame-next"], group: "Frames", help: "Previous / next frame" },
  { keys: ["Home", "End"], actions: ["frame-first", "frame-last"], group: "Frames", help: "First / last frame" },
  { keys: ["C"], action: "copy-previous", group: "Frames", help: "Copy the previous frame's mask to this frame (same track ids)" },
  { keys: ["Click", "Drag"], group: "Frames", help: "On the timeline: jump to a frame; a row selects its track" },
];

/**
 * The stored label attributes of one frame (a sequence label's frames[i]), or null.
 * @param {any} attributes
 * @param {number} index
 */
export function storedFrame(attributes, index) {
  const frames = attributes && Array.isArray(attributes.frames) ? attributes.frames : [];
  return frames[index] || null;
}

/** Every track (instance) of a stored sequence label, by first appearance: [{id, category_id, attributes?}]. */
export function tracksOfLabel(attributes) {
  const tracks = new Map();
  for (const frame of (attributes && attributes.frames) || []) {
    for (const annotation of (frame && frame.annotations) || []) {
      const id = annotation.track_id ?? annotation.id;
      if (!Number.isInteger(id) || tracks.has(id)) continue;
      const { track_id: _track, ...rest } = annotation;
      tracks.set(id, { ...rest, id, category_id: annotation.category_id ?? null });
    }
  }
  return [...tracks.values()];
}

/**
 * One frame's stored annotations: the tracks with pixels in it (`presentIds`), in track order.
 * @param {Array<{id: number, category_id: number|null, attributes?: any}>} instances
 * @param {{has: (id: number) => boolean}} presentIds
 */
export function frameAnnotations(instances, presentIds) {
  return instances
    .filter((instance) => presentIds.has(instance.id))
    .map((instance) => {
      const annotation = { ...instance, track_id: instance.id };
      if (annotation.attributes === undefined || annotation.attributes === null) delete annotation.attributes;
      return annotation;
    });
}

export class MaskFrames {
  /**
   * @param {import("../segmentation/segmentation-editor.js").SegmentationEditor} editor the segmentation view
   * @param {any} config the page's editor_config (sample.frames, label)
   */
  constructor(editor, config) {
    this.editor = editor;
    this.config = config;
    this.urls = (config.sample.frames || []).map((frame) => frame.image_url);
    this.stored = config.label ? config.label.attributes : null;
    this.index = 0;
    this.states = this.urls.map((_, index) => {
      const frame = storedFrame(this.stored, index);
      return {
        mask: null, counts: null, history: null, maskDirty: false,
        bitmapUrl: frame && frame.segmentation_bitmap ? frame.segmentation_bitmap.url || null : null,
        imageAttributes: { ...((frame && frame.image_attributes) || {}) },
        storedIds: new Set(((frame && frame.annotations) || []).map((annotation) => annotation.track_id ?? annotation.id)),
      };
    });
    this.label = h("span", { class: "sq-frame-label", "data-testid": "frame-label", role: "status" });
    const button = (testid, text, title, action) =>
      h("button", { type: "button", class: "btn icon", "data-testid": testid, title, "aria-label": title, onclick: (event) => {
        event.currentTarget.blur();
        this.perform(action);
      } }, text);
    this.controls = h("div", { class: "ve-group sq-frame-controls" },
      button("frame-previous", "◂", "Previous frame (←)", "frame-previous"),
      button("frame-next", "▸", "Next frame (→)", "frame-next"),
      h("button", { type: "button", class: "btn", "data-testid": "copy-previous", title: "Copy the previous frame's mask here (C)",
        onclick: (event) => {
          event.currentTarget.blur();
          this.perform("copy-previous");
        } }, "Copy previous"),
      this.label);
    this.timeline = h("div", { class: "sq-timeline", "data-testid": "timeline" });
  }

  get frameCount() {
    return this.urls.length;
  }

  /** Attach to the loaded view (before the shell mounts it): global tracks, frame 0, the view contract. */
  attach() {
    const editor = this.editor;
    const known = new Set(editor.instances.map((instance) => instance.id));
    for (const track of tracksOfLabel(this.stored)) if (!known.has(track.id)) editor.instances.push(track);
    this.capture();
    editor.keymap = [...MASK_FRAME_BINDINGS, ...editor.keymap];
    const performView = editor.perform.bind(editor);
    editor.perform = (action) => (this.perform(action) ? undefined : performView(action));
    editor.toLabel = () => this.toLabel();
    editor.markSaved = (attributes) => this.markSaved(attributes);
    editor.savedLabel = () => this.stored;
    editor.unsavedLabel = () => this.unsavedLabel();
    editor.rebase = (merged, theirs) => this.rebase(merged, theirs);
    editor.localProblems = (status) => this.localProblems(status);
    editor.anchor = () => ({ track_id: editor.selectedId, frame: this.index });
    editor.draftData = () => this.draftData();
    editor.loadDraftData = (data) => this.loadDraftData(data);
    editor.focusAnchor = (anchor) => this.focusAnchor(anchor);
    const renderSide = editor.renderSide.bind(editor);
    editor.renderSide = () => {
      renderSide();
      this.render();
    };
    editor.root.append(this.timeline);
    new TimelineController(this.timeline, {
      onSeek: (frame) => this.setFrame(frame),
      onSelectTrack: (name) => editor.select(Number(name)),
      frameCount: () => this.frameCount,
    });
    this.render();
  }

  /** Frame actions; false for the others (they go to the segmentation view). */
  perform(action) {
    const handler = {
      ...frameActions({ index: () => this.index, count: () => this.frameCount, setFrame: (frame) => this.setFrame(frame) }),
      "copy-previous": () => this.copyPrevious(),
    }[action];
    if (!handler) return false;
    handler();
    return true;
  }

  /** Keep the view's current frame state. */
  capture() {
    const editor = this.editor;
    Object.assign(this.states[this.index], {
      mask: editor.mask, counts: editor.counts, history: editor.history, maskDirty: editor.maskDirty,
      bitmapUrl: editor.bitmapUrl, imageAttributes: editor.imageAttributes,
    });
  }

  /** The mask of frame `index` (loaded from its stored bitmap on first use, else empty). */
  async maskOf(index) {
    const state = this.states[index];
    if (state.mask) return state.mask;
    const { width, height } = this.editor.mask;
    state.mask = state.bitmapUrl ? await loadBitmap(state.bitmapUrl, width, height) : masks.createMask(width, height);
    state.counts = masks.idCounts(state.mask);
    state.history = new History(500);
    return state.mask;
  }

  /** Show frame `index`: its photo, its mask and its own undo history. */
  async setFrame(index) {
    const target = Math.max(0, Math.min(this.frameCount - 1, index));
    if (target === this.index || this.switching) return;
    this.switching = true;
    const editor = this.editor;
    try {
      this.capture();
      await this.maskOf(target);
      await loadPhoto(editor.photo, this.urls[target]);
      this.index = target;
      const state = this.states[target];
      Object.assign(editor, {
        mask: state.mask, counts: state.counts, history: state.history, maskDirty: state.maskDirty,
        bitmapUrl: state.bitmapUrl, imageAttributes: state.imageAttributes, photoRgba: null, polygon: [],
      });
      editor.renderAll();
      editor.root.dataset.frame = String(target);
    } catch (error) {
      editor.setMessage("error", `Frame ${target + 1} could not be shown: ${error.message}`);
    } finally {
      this.switching = false;
    }
  }

  /** Replace this frame's mask with the previous frame's (one undoable edit; the ids are the same tracks). */
  async copyPrevious() {
    const editor = this.editor;
    if (this.index === 0 || !editor.canWrite) {
      editor.flash(this.index === 0 ? "The first frame has no previous frame." : "Read only.");
      return;
    }
    const previous = await this.maskOf(this.index - 1);
    const change = editor.beginEdit(null);
    const { ids } = editor.mask;
    for (let pixel = 0; pixel < ids.length; pixel += 1) {
      if (ids[pixel] !== previous.ids[pixel]) change.write(editor.mask, pixel, previous.ids[pixel]);
    }
    editor.renderMask(change.isEmpty ? null : change.box);
    editor.finishEdit();
  }

  focusAnchor(anchor) {
    const select = () => {
      if (anchor.track_id !== null && anchor.track_id !== undefined) this.editor.select(anchor.track_id);
    };
    if (Number.isInteger(anchor.frame)) this.setFrame(anchor.frame).then(select);
    else select();
  }

  /** The draft: every changed frame's mask as id PNG (encoded in the mask worker), tracks and attributes. */
  async draftData() {
    this.capture();
    const frames = [];
    for (const [index, state] of this.states.entries()) {
      const png = state.mask && state.maskDirty ? (await encodeInWorker(state.mask)).png : null;
      frames.push({ index, png, imageAttributes: { ...state.imageAttributes } });
    }
    return { instances: this.editor.cloneInstances(), frames };
  }

  /** Restore draftData()'s frames and tracks; the current frame is shown again. */
  async loadDraftData(data) {
    const editor = this.editor;
    for (const frame of data.frames) {
      const state = this.states[frame.index];
      state.imageAttributes = frame.imageAttributes;
      if (!frame.png) continue;
      state.mask = await decodeInWorker(frame.png);
      Object.assign(state, { counts: masks.idCounts(state.mask), history: new History(500), maskDirty: true });
    }
    editor.instances = data.instances;
    const current = this.states[this.index];
    Object.assign(editor, {
      mask: current.mask, counts: current.counts, history: current.history, maskDirty: current.maskDirty,
      imageAttributes: current.imageAttributes,
    });
    editor.markEdited();
    editor.renderAll();
  }

  /** Local checks over every frame shown so far (ids with pixels need a category). */
  localProblems(status) {
    const editor = this.editor;
    this.capture();
    editor.status = status;
    const problems = [];
    this.states.forEach((state, index) => {
      if (!state.counts) return;
      for (const problem of saveProblems(editor.instances, state.counts, editor.categoriesById)) problems.push(`Frame ${index + 1}: ${problem}`);
    });
    if (problems.length) editor.setMessage("error", "Not saved:", problems);
    return problems;
  }

  /** Upload every changed mask, then the sequence label (attributes of every frame). */
  async toLabel() {
    const editor = this.editor;
    this.capture();
    editor.saveStarted = performance.now();
    editor.editsAtSave = editor.editCount;
    editor.setMessage("info", "Saving…");
    const uploaded = [];
    const frames = [];
    for (const [index, state] of this.states.entries()) {
      let url = state.bitmapUrl;
      let present = state.storedIds;
      if (state.mask) {
        present = state.counts;
        if (state.maskDirty || (!url && state.counts.size)) {
          if (state.counts.size) {
            const { png } = await encodeInWorker(state.mask);
            url = (await uploadAsset(new Blob([png], { type: "image/png" }), `frame-${index}.png`, editor.config.csrf_token)).url;
          } else url = null;
        }
      }
      uploaded.push(url);
      const frame = {
        annotations: frameAnnotations(editor.instances, present),
        segmentation_bitmap: url ? { url } : null,
      };
      const imageValues = Object.fromEntries(Object.entries(state.imageAttributes || {}).filter(([, value]) => value !== undefined));
      if (Object.keys(imageValues).length) frame.image_attributes = imageValues;
      frames.push(frame);
    }
    this.pendingUrls = uploaded;
    return { format_version: SEQUENCE_FORMAT_VERSION, frames };
  }

  markSaved(attributes) {
    const editor = this.editor;
    this.stored = attributes;
    const unchanged = editor.editCount === editor.editsAtSave;
    this.states.forEach((state, index) => {
      state.bitmapUrl = this.pendingUrls[index];
      if (unchanged) state.maskDirty = false;
      if (state.counts) state.storedIds = new Set(state.counts.keys());
    });
    editor.bitmapUrl = this.pendingUrls[this.index];
    if (unchanged) Object.assign(editor, { maskDirty: false, unsaved: false });
    editor.timings.saveMs = performance.now() - editor.saveStarted;
    editor.message = null;
    editor.renderSide();
  }

  /** My unsaved sequence label without uploading masks (what "keep both" merges by track id). */
  unsavedLabel() {
    this.capture();
    const frames = this.states.map((state) => {
      const frame = {
        annotations: frameAnnotations(this.editor.instances, state.mask ? state.counts : state.storedIds),
        segmentation_bitmap: state.bitmapUrl ? { url: state.bitmapUrl } : null,
      };
      if (Object.keys(state.imageAttributes || {}).length) frame.image_attributes = { ...state.imageAttributes };
      return frame;
    });
    return { format_version: SEQUENCE_FORMAT_VERSION, frames };
  }

  /**
   * Keep both: their sequence label (`theirs`, now the stored one) with my unsaved pixel changes re-applied
   * frame by frame for the tracks they did not touch (in any frame), and the merged tracks (`merged`).
   */
  async rebase(merged, theirs) {
    const editor = this.editor;
    const base = this.stored;
    const renames = collisionRenames(base, this.unsavedLabel(), theirs);
    const { width, height } = editor.mask;
    const urlOf = (attributes, index) => {
      const frame = storedFrame(attributes, index);
      return frame && frame.segmentation_bitmap ? frame.segmentation_bitmap.url || null : null;
    };
    const maskAt = (url) => (url ? loadBitmap(url, width, height) : Promise.resolve(masks.createMask(width, height)));
    const touched = new Set();
    const pairs = [];
    editor.setBusy(true);
    try {
      for (const [index, state] of this.states.entries()) {
        annotationTouches((storedFrame(base, index) || {}).annotations, (storedFrame(theirs, index) || {}).annotations, touched);
        const baseUrl = urlOf(base, index);
        const theirUrl = urlOf(theirs, index);
        const mineChanged = Boolean(state.mask && state.maskDirty);
        const pair = { theirUrl, mineChanged, base: null, theirs: null };
        if (baseUrl !== theirUrl || mineChanged) {
          [pair.base, pair.theirs] = await Promise.all([maskAt(baseUrl), maskAt(theirUrl)]);
          pixelTouches(pair.base.ids, pair.theirs.ids, touched);
        }
        pairs.push(pair);
      }
      this.states.forEach((state, index) => {
        const { theirUrl, mineChanged, base: baseMask, theirs: theirMask } = pairs[index];
        const frame = storedFrame(merged, index);
        Object.assign(state, {
          bitmapUrl: theirUrl, imageAttributes: { ...((frame && frame.image_attributes) || {}) },
          storedIds: new Set(((storedFrame(theirs, index) || {}).annotations || []).map((annotation) => annotation.track_id ?? annotation.id)),
        });
        if (mineChanged) {
          const { ids } = mergeMaskIds(baseMask.ids, state.mask.ids, theirMask.ids, touched, renames);
          state.mask = { width, height, ids };
          Object.assign(state, { counts: masks.idCounts(state.mask), history: new History(500), maskDirty: true });
        } else {
          Object.assign(state, { mask: theirMask, counts: theirMask && masks.idCounts(theirMask), history: theirMask && new History(500), maskDirty: false });
        }
      });
      await this.maskOf(this.index);
    } finally {
      editor.setBusy(false);
    }
    editor.instances = mergeInstances(tracksOfLabel(merged), tracksOfLabel(theirs), touched);
    editor.selectedId = renames.get(editor.selectedId) ?? editor.selectedId; // my renamed instance stays selected
    if (!editor.instances.some((instance) => instance.id === editor.selectedId)) editor.selectedId = null;
    this.stored = theirs;
    const current = this.states[this.index];
    Object.assign(editor, {
      mask: current.mask, counts: current.counts, history: current.history, maskDirty: current.maskDirty,
      bitmapUrl: current.bitmapUrl, imageAttributes: current.imageAttributes, message: null,
    });
    editor.markEdited();
    editor.renderAll();
  }

  /** Frame label and timeline: one row per track, present where it has pixels. */
  render() {
    const editor = this.editor;
    this.label.textContent = `Frame ${this.index + 1} / ${this.frameCount}`;
    this.label.dataset.frame = String(this.index);
    const tracks = editor.instances.map((instance) => {
      const present = this.states.map((state, index) => {
        const counts = index === this.index ? editor.counts : state.counts;
        return counts ? counts.has(instance.id) : state.storedIds.has(instance.id);
      });
      return {
        trackId: instance.id, categoryId: instance.category_id, removed: [], present,
        keyframes: present.flatMap((isPresent, index) => (isPresent ? [index] : [])),
      };
    }).filter((track) => track.keyframes.length);
    renderTimeline(this.timeline, {
      frameCount: this.frameCount, frameIndex: this.index, tracks, selectedTrackId: editor.selectedId,
      styleOf: (categoryId) => {
        const category = editor.categoriesById.get(categoryId);
        return { color: editor.colorOfCategory(categoryId), name: category ? category.name : `category ${categoryId}` };
      },
    });
  }
}
