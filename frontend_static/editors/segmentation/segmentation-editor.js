// The segmentation-bitmap label editor. Reads the page's editor config (json_script "editor-config": sample,
// dataset {task_type, task_attributes}, label {attributes, label_status, version} | null, label_url,
// csrf_token, can_write, previous_url, next_url), loads the photo and the label bitmap, and saves the mask
// as an RGBA PNG asset plus the label JSON.
//
// The id mask (mask.js) is the single source of truth; the canvas only displays it.
//
// The class keeps the state and thin methods; the work is in functions taking the editor: tools.js (brush,
// polygon, fill, pick), edits.js (undoable edits, undo/redo), side-panel.js (toolbar and side panel, built
// with panels.js), render.js (mask and overlay), saving.js (saving, drafts, "keep both"), input.js (events).

import { h, replaceChildren } from "../../editor-core/dom.js";
import { categoriesOf } from "../../editor-core/categories.js";
import { attachReference } from "./reference.js";
import { Shell } from "../../editor-core/shell.js";
import { categoryColor, reconcileAttributes } from "../../editor-core/attributes.js";

import { History } from "../../editor-core/history.js";
import { bindInput, perform } from "./input.js";
import { initialStatus, instancesFromLabel, labelAttributes, nextInstanceId } from "./label.js";
import { loadBitmap, loadPhoto, photoPixels } from "./loading.js";
import * as masks from "./mask.js";
import { overlayMarkup, packColor, renderMask } from "./render.js";
import * as saving from "./saving.js";
import { SEGMENTATION_BINDINGS } from "./shortcuts.js";
import { drawSide, drawToolbar } from "./side-panel.js";
import * as tools from "./tools.js";
import * as edits from "./edits.js";
import { centredView, fitView, pixelAt, worldTransform, zoomAround } from "./view.js";

const DEFAULT_OPACITY = 0.6;
const SELECTED_OPACITY_BOOST = 0.25;
const UNKNOWN_COLOR = [128, 128, 128];

export class SegmentationEditor {
  /**
   * @param {HTMLElement} root
   * @param {any} config editor_config
   * @param {{toolbarStart?: Node[], beforeMount?: (editor: SegmentationEditor) => void}} [options] what a
   *   composing page adds: toolbar controls, and a hook run before the shell mounts the view (e.g. the
   *   frames component of the image-segmentation-sequence editor)
   */
  constructor(root, config, options = {}) {
    this.root = root;
    this.config = config;
    this.options = options;
    const known = categoriesOf(config);
    this.categories = known.categories;
    this.categoriesById = known.categoriesById;
    this.imageDefinitions = known.imageDefinitions;
    this.canWrite = Boolean(config.can_write);
    this.tool = { tool: "brush", brushSize: 12, onlyUnlabeled: false, fillMode: "mask", tolerance: 24 };
    this.history = new History(500);
    this.looks = new Map(); // instance id -> {visible, opacity}
    this.selectedId = null;
    this.currentCategoryId = this.categories.length ? this.categories[0].id : null;
    this.polygon = [];
    this.view = { scale: 1, x: 0, y: 0 };
    this.message = null;
    this.keymap = SEGMENTATION_BINDINGS;
    /** @type {Record<string, any>} */
    this.imageAttributes = {};
    /** @type {string|undefined} the stored label's format_version */
    this.formatVersion = undefined;
    /** @type {Record<string, any>} stored label keys the editor does not know, kept as loaded */
    this.extra = {};
    /** @type {any} the label attributes as last stored (null: none), the base of "keep both" */
    this.savedAttributes = null;
    /** @type {number[]|null} the pixel under the pointer */
    this.cursor = null;
    /** @type {(() => any)|undefined} set by a composing component (the frames of a sequence) */
    this.anchor = undefined;
    /** @type {((anchor: any) => void)|undefined} */
    this.focusAnchor = undefined;
    this.maskDirty = false; // the mask differs from the stored bitmap: saving must upload a new one
    this.unsaved = false; // anything (mask, instances, attributes) changed since the last save
    this.editCount = 0; // bumped by every change, so a save only clears "unsaved" if nothing changed meanwhile
    this.loadError = null;
    this.timings = {};
    this.spaceHeld = false;
    /** @type {{change: any, id: number, last: number[], offsets: any, canWrite: any}|null} the brush stroke going on (tools.js) */
    this.stroke = null;
  }

  // ---- loading -------------------------------------------------------------------------------------------

  /** Load photo and bitmap, build the page; resolves when the canvas is editable. */
  async load() {
    const started = performance.now();
    this.buildLayout();
    const label = this.config.label;
    let image;
    try {
      image = await loadPhoto(this.photo, this.config.sample.image_url);
    } catch (error) {
      this.showFatal(error.message);
      throw error;
    }
    this.timings.photoMs = performance.now() - started;
    const parsed = instancesFromLabel(label && label.attributes);
    let mask = masks.createMask(image.naturalWidth, image.naturalHeight);
    if (parsed.bitmapUrl) {
      try {
        mask = await loadBitmap(parsed.bitmapUrl, mask.width, mask.height);
      } catch (error) {
        this.loadError = `${error.message} Saving is disabled so the stored label is not overwritten.`;
      }
    }
    this.timings.bitmapMs = performance.now() - started - this.timings.photoMs;
    this.mask = mask;
    this.counts = parsed.bitmapUrl ? masks.idCounts(mask) : new Map(); // a new mask has no pixels
    const loaded = instancesFromLabel(label && label.attributes, this.counts);
    Object.assign(this, {
      instances: loaded.instances, imageAttributes: loaded.imageAttributes, bitmapUrl: parsed.bitmapUrl,
      formatVersion: loaded.formatVersion, extra: loaded.extra,
    });
    if (this.loadError) {
      this.message = { kind: "error", text: this.loadError };
    } else if (loaded.orphanIds.length) {
      this.message = { kind: "error", text: `The stored bitmap has ids without annotation: ${loaded.orphanIds.join(", ")}. Give them a category or delete them before saving.` };
    }
    this.status = initialStatus(label);
    this.savedAttributes = label ? label.attributes : null; // the base of "keep both"
    if (this.loadError) this.shell.canWrite = false; // never overwrite a stored label we could not read
    this.setupCanvas();
    this.renderAll();
    this.fit();
    bindInput(this);
    if (this.options.beforeMount) await this.options.beforeMount(this);
    this.shell.mount(this);
    this.timings.readyMs = performance.now() - started;
    document.body.dataset.editorReady = "true";
  }

  // ---- layout and rendering --------------------------------------------------------------------------------

  buildLayout() {
    this.photo = h("img", { class: "seg-photo", alt: this.config.sample.name, draggable: "false" });
    this.canvas = h("canvas", { class: "seg-mask", "data-testid": "mask-canvas" });
    this.overlay = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    this.overlay.classList.add("seg-overlay");
    this.world = h("div", { class: "seg-world" }, this.photo, this.canvas, this.overlay);
    this.stage = h("div", { class: "seg-stage", "data-testid": "stage", tabindex: "0" }, this.world);
    this.toolbarSlot = h("div", { class: "seg-toolbar" });
    this.side = h("aside", { class: "seg-side" });
    this.body = h("div", { class: "seg-body" }, this.stage, this.side);
    replaceChildren(this.root, this.toolbarSlot, this.body);
    this.shell = new Shell(this.root, this.config, { noticesParent: this.body, toolbarStart: this.options.toolbarStart || [] });
  }

  setupCanvas() {
    const { width, height } = this.mask;
    Object.assign(this.canvas, { width, height });
    for (const element of [this.world, this.photo, this.canvas, this.overlay]) {
      element.style.width = `${width}px`;
      element.style.height = `${height}px`;
    }
    this.overlay.setAttribute("viewBox", `0 0 ${width} ${height}`);
  }

  showFatal(text) {
    replaceChildren(this.root, h("div", { class: "seg-fatal", role: "alert" }, text));
  }

  colorOfCategory(categoryId) {
    const index = this.categories.findIndex((category) => category.id === categoryId);
    return index < 0 ? UNKNOWN_COLOR : categoryColor(this.categories[index], index);
  }

  look(id) {
    if (!this.looks.has(id)) this.looks.set(id, { visible: true, opacity: DEFAULT_OPACITY });
    return this.looks.get(id);
  }

  /** Packed display colour of instance `id` (transparent when hidden). */
  packedColor(id) {
    const look = this.look(id);
    if (!look.visible) return 0;
    const instance = this.instances.find((item) => item.id === id);
    // The selected instance shows stronger, so instances of one category can be told apart.
    const opacity = id === this.selectedId ? Math.min(1, look.opacity + SELECTED_OPACITY_BOOST) : look.opacity;
    return packColor(this.colorOfCategory(instance ? instance.category_id : null), opacity);
  }

  renderMask(box = null) {
    if (!box && this.counts && this.counts.size === 0) {
      this.canvas.getContext("2d").clearRect(0, 0, this.mask.width, this.mask.height); // nothing to colour
      return;
    }
    const cache = new Map();
    const colorOf = (id) => {
      if (!cache.has(id)) cache.set(id, this.packedColor(id));
      return cache.get(id);
    };
    if (!box) this.canvas.getContext("2d").clearRect(0, 0, this.mask.width, this.mask.height);
    renderMask(this.canvas, this.mask, colorOf, box);
  }

  renderAll() {
    this.renderMask();
    this.renderToolbar();
    this.renderSide();
    this.renderOverlay();
  }
  renderToolbar() {
    drawToolbar(this);
  }

  renderSide() {
    drawSide(this);
  }

  renderOverlay(cursor = this.cursor) {
    this.overlay.innerHTML = overlayMarkup(this.polygon, cursor, this.tool, this.view.scale);
  }

  // ---- view ------------------------------------------------------------------------------------------------

  applyView() {
    this.world.style.transform = worldTransform(this.view);
    this.shell.el.zoomLevel.textContent = `${Math.round(this.view.scale * 100)}%`;
    this.canvas.classList.toggle("is-magnified", this.view.scale >= 2);
    this.renderOverlay();
  }

  fit() {
    const rect = this.stage.getBoundingClientRect();
    this.view = fitView(this.mask.width, this.mask.height, rect.width, rect.height);
    this.applyView();
  }

  actualSize() {
    const rect = this.stage.getBoundingClientRect();
    this.view = centredView(1, this.mask.width, this.mask.height, rect.width, rect.height);
    this.applyView();
  }

  zoom(factor, anchor = null) {
    const rect = this.stage.getBoundingClientRect();
    this.view = zoomAround(this.view, factor, anchor || { x: rect.width / 2, y: rect.height / 2 });
    this.applyView();
  }

  stagePoint(event) {
    const rect = this.stage.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  /** The image pixel [x, y] under a client (viewport) point. */
  pixelAtClient(clientX, clientY) {
    return pixelAt(this.view, this.stagePoint({ clientX, clientY }));
  }

  /** The client point of the centre of image pixel (x, y): for tests and scripted input. */
  clientPointOf(x, y) {
    const rect = this.stage.getBoundingClientRect();
    return { x: rect.left + this.view.x + (x + 0.5) * this.view.scale, y: rect.top + this.view.y + (y + 0.5) * this.view.scale };
  }

  // ---- tools -----------------------------------------------------------------------------------------------

  setTool(tool) {
    this.tool.tool = tool;
    if (tool !== "polygon") this.polygon = [];
    this.stage.dataset.tool = tool;
    this.renderToolbar();
    this.renderOverlay();
  }

  setBrushSize(size) {
    this.tool.brushSize = Math.max(1, Math.min(200, Math.round(size)));
    this.renderToolbar();
    this.renderOverlay();
  }

  writeRule() {
    return masks.writeRule({ onlyUnlabeled: this.tool.onlyUnlabeled });
  }

  /** The id to paint with, or null (tools.js). @returns {{id: number, instancesBefore?: any[]}|null} */
  paintTarget() {
    return tools.paintTarget(this);
  }

  addInstance(categoryId) {
    const category = this.categoriesById.get(categoryId);
    const id = nextInstanceId(this.instances, this.counts);
    const instance = { id, category_id: categoryId };
    const attributes = reconcileAttributes(category && category.attributes, {});
    if (attributes) instance.attributes = attributes;
    this.instances.push(instance);
    this.selectedId = id;
    return id;
  }

  /** Start an edit; returns the change to write into. */
  beginEdit(target) {
    this.edit = { change: new masks.MaskChange(), instancesBefore: target && target.instancesBefore };
    return this.edit.change;
  }

  /**
   * Finish the current edit: record it for undo, refresh counts and panels. `done`: what the mask worker
   * already did ({delta: Map id -> pixel count change, rendered: the display is up to date}).
   */
  finishEdit(done = null) {
    edits.finishEdit(this, done);
  }

  markEdited() {
    this.unsaved = true;
    this.editCount += 1;
    if (this.shell.view) this.shell.changed();
  }

  cloneInstances() {
    return this.instances.map((instance) => ({ ...instance, ...(instance.attributes ? { attributes: { ...instance.attributes } } : {}) }));
  }

  /** Record an instance-list edit (no pixels) for undo: `mutate` changes this.instances. */
  editInstances(mutate) {
    edits.editInstances(this, mutate);
  }

  strokeTo(pixel) {
    tools.strokeTo(this, pixel);
  }

  startStroke(pixel) {
    tools.startStroke(this, pixel);
  }

  endStroke() {
    tools.endStroke(this);
  }

  clickPolygon(pixel) {
    tools.clickPolygon(this, pixel);
  }

  closePolygon() {
    tools.closePolygon(this);
  }

  /** Bucket fill at `pixel`, in the mask worker (the page stays responsive on big photos). */
  async fillAt(pixel) {
    if (this.busy) return;
    this.setBusy(true); // input waits until the worker gives the mask back (the root says data-busy)
    try {
      await this.fillInWorker(pixel);
    } finally {
      this.setBusy(false);
    }
  }

  setBusy(busy) {
    this.busy = busy;
    if (busy) this.root.dataset.busy = "true";
    else delete this.root.dataset.busy;
  }

  async fillInWorker(pixel) {
    await tools.fillRegion(this, pixel);
  }

  photoPixels() {
    if (!this.photoRgba) this.photoRgba = photoPixels(this.photo, this.mask.width, this.mask.height);
    return this.photoRgba;
  }

  pickAt(pixel) {
    tools.pickAt(this, pixel);
  }

  // ---- instances -----------------------------------------------------------------------------------------

  select(id) {
    const previous = this.selectedId;
    this.selectedId = id;
    if (previous !== id) this.renderMask();
    const instance = this.instances.find((item) => item.id === id);
    if (instance && instance.category_id !== null) this.currentCategoryId = instance.category_id;
    this.renderSide();
  }

  pickCategory(categoryId) {
    this.currentCategoryId = categoryId;
    const category = this.categoriesById.get(categoryId);
    // A category without instances ("stuff") has a single instance per image: keep painting into it.
    const shared = category && category.has_instances === false
      ? this.instances.find((instance) => instance.category_id === categoryId)
      : null;
    const previous = this.selectedId;
    this.selectedId = shared ? shared.id : null;
    if (previous !== this.selectedId) this.renderMask();
    this.renderSide();
  }

  newInstance() {
    if (this.currentCategoryId === null || !this.canWrite) return;
    this.editInstances(() => this.addInstance(this.currentCategoryId));
  }

  setInstanceCategory(id, categoryId) {
    const category = this.categoriesById.get(categoryId);
    this.editInstances(() => {
      const instance = this.instances.find((item) => item.id === id);
      instance.category_id = categoryId;
      const attributes = reconcileAttributes(category && category.attributes, instance.attributes);
      if (attributes) instance.attributes = attributes;
      else delete instance.attributes;
    });
    this.currentCategoryId = categoryId;
    this.renderSide();
  }

  setInstanceAttribute(id, name, value) {
    this.editInstances(() => {
      const instance = this.instances.find((item) => item.id === id);
      instance.attributes = { ...(instance.attributes || {}), [name]: value };
      if (value === undefined) delete instance.attributes[name];
    });
  }

  deleteInstance(id) {
    if (id === null || !this.canWrite) return;
    const change = this.beginEdit({ instancesBefore: this.cloneInstances() });
    masks.replaceId(this.mask, change, id, 0);
    this.instances = this.instances.filter((instance) => instance.id !== id);
    if (this.selectedId === id) this.selectedId = null;
    this.renderMask(change.box);
    this.finishEdit();
  }

  undo() {
    this.applyHistory(this.history.undo(), "undo");
  }

  redo() {
    this.applyHistory(this.history.redo(), "redo");
  }

  /** Apply an undo or redo `entry` of the history (edits.js). */
  applyHistory(entry, direction) {
    edits.applyHistory(this, entry, direction);
  }

  // ---- saving --------------------------------------------------------------------------------------------

  setMessage(kind, text, items = []) {
    this.message = { kind, text, items };
    this.renderSide();
  }

  // ---- the EditorView contract (editor-core/shell.js) ----------------------------------------------------

  get canUndo() {
    return this.history.canUndo;
  }

  get canRedo() {
    return this.history.canRedo;
  }

  isDirty() {
    return this.unsaved;
  }

  /** Why the label cannot be saved with `status` (shown in the side panel); empty when it can. */
  localProblems(status) {
    this.status = status;
    const problems = saving.localProblems(this, this.counts, status);
    if (problems.length) this.setMessage("error", "Not saved:", problems);
    return problems;
  }

  /** Encode and upload the mask when it changed (as an asset), and return the label attributes to store. */
  async toLabel() {
    this.saveStarted = performance.now();
    this.editsAtSave = this.editCount;
    this.setMessage("info", "Saving…");
    this.pendingSave = await saving.labelToStore(this);
    return this.pendingSave.attributes;
  }

  markSaved(attributes) {
    const saved = this.pendingSave;
    this.savedAttributes = attributes;
    this.bitmapUrl = saved.url;
    if (this.editCount === this.editsAtSave) Object.assign(this, { maskDirty: false, unsaved: false, counts: saved.counts });
    this.timings.saveMs = performance.now() - this.saveStarted;
    this.message = null;
    this.renderSide();
  }

  clearSaveError() {
    this.message = null;
  }

  showSaveError(error) {
    const items = (error.errors || []).map((issue) => `${issue.path}: ${issue.message}`);
    this.setMessage("error", error.kind === "conflict"
      ? "Someone else saved this label meanwhile: keep both, or load their version (your changes are not saved)."
      : `Not saved: ${error.message}`, items);
  }

  /** The label attributes as last stored (null: none), the base of "keep both". */
  savedLabel() {
    return this.savedAttributes;
  }

  /** My unsaved label attributes without uploading the mask (the annotations are what "keep both" merges). */
  unsavedLabel() {
    return labelAttributes({
      instances: this.instances, counts: this.counts, bitmapUrl: this.bitmapUrl, imageAttributes: this.imageAttributes,
      formatVersion: this.formatVersion, extra: this.extra,
    });
  }

  /** The id mask of stored label attributes: their bitmap, or an empty mask when they have none. */
  async maskOfLabel(attributes) {
    return saving.maskOfLabel(this, attributes);
  }

  /** Keep both: their stored label with my unsaved changes on top (saving.js). */
  async rebase(merged, theirs) {
    await saving.rebase(this, merged, theirs);
  }

  /** The unsaved mask, instances and image attributes, for the draft store. @returns {Promise<any>} */
  async draftData() {
    return saving.draftData(this);
  }

  /** Restore a draft from draftData() (not undoable). */
  async loadDraftData(data) {
    await saving.loadDraftData(this, data);
  }

  /** Space held pans. */
  onKeyDown(event) {
    if (event.code !== "Space") return false;
    this.spaceHeld = true;
    event.preventDefault();
    return true;
  }

  /** Shell actions that reach the view: tools, instances, polygon, zoom, undo/redo. */
  perform(action) {
    perform(this, action);
  }

  save(status = null) {
    return this.shell.save(status);
  }

  flash(text) {
    this.setMessage("info", text);
  }

  // ---- small actions for shortcuts ------------------------------------------------------------------------

  setOnlyUnlabeled(value) {
    this.tool.onlyUnlabeled = value;
    this.renderToolbar();
  }

  toggleVisibility(id) {
    if (id === null) return;
    const look = this.look(id);
    look.visible = !look.visible;
    this.renderMask();
    this.renderSide();
  }

  cancelPolygon() {
    this.polygon = [];
    this.renderOverlay();
  }

  removeLastVertex() {
    this.polygon.pop();
    this.renderOverlay();
  }

}

/** Start the editor on the page: the config is the json_script "editor-config". */
export async function start() {
  const config = JSON.parse(document.getElementById("editor-config").textContent);
  const editor = new SegmentationEditor(document.getElementById("segmentation-editor"), config);
  attachReference(editor); // "Compare with" another label set's mask (single images; not the frames of a sequence)
  window.segmentationEditor = editor;
  await editor.load();
  return editor;
}
