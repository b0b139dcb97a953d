// The image vector view: owns the selection, tool, view and undo of a document that a provider
// (single-frame-document.js, or the tracks component of an image sequence) holds the rules of; turns user
// actions into document changes (with undo), and re-renders. Mouse gestures live in pointer.js, the side
// panels in panels.js, the stored label format in label-document.js.

import { categoriesOf } from "../../editor-core/categories.js";
import { h, replaceChildren } from "../../editor-core/dom.js";
import { fitView, zoomAround } from "./geometry.js";
import { History } from "../../editor-core/history.js";
import { categoryColor, describeErrorPath, missingMandatory, reconcileAttributes, shapeTypesFor } from "./label-document.js";
import { attributeForm, categoryList, errorList, objectList, objectPanel } from "./panels.js";
import { PointerController } from "./pointer.js";
import { ReferenceOverlay } from "./reference.js";
import { keypointName, skeletonSegments } from "./keypoints.js";
import { renderScene } from "./render.js";
import { canDeleteVertex, createAnnotation, deleteVertex, insertVertex, MIN_VERTICES } from "./shapes.js";
import { VECTOR_BINDINGS } from "./keys.js";
import { TOOLS, toolButton } from "./tools.js";
import { SingleFrameDocument } from "./single-frame-document.js";

const ZOOM_STEP = 1.25;
const UNKNOWN_COLOR = [140, 140, 140];

/**
 * The image vector view: an EditorView (editor-core/shell.js) mounted in the page's stage and sidebar.
 * The shell owns saving, review, the queue and the toolbar; this view owns the drawing and the undo of the
 * document its provider defines (a single frame, or the tracks component's current frame of a sequence).
 */
export class Editor {
  /**
   * @param {Record<string, any>} elements the page's editor elements (see findElements in page.js)
   * @param {any} config editor_config
   * @param {import("../../editor-core/shell.js").Shell} shell
   * @param {import("./single-frame-document.js").DocumentProvider} [provider] the document's rules
   */
  constructor(elements, config, shell, provider = new SingleFrameDocument(config)) {
    this.shell = shell;
    this.provider = provider;
    /** @type {import("../../editor-core/keymap.js").Binding[]} */
    this.bindings = provider.bindings || VECTOR_BINDINGS;
    this.elements = elements;
    this.config = config;
    const known = categoriesOf(config);
    this.categories = known.categories;
    this.categoriesById = known.categoriesById;
    this.imageDefinitions = known.imageDefinitions;
    this.shapeTypes = shapeTypesFor(config.dataset.task_type);
    this.canWrite = config.can_write !== false;
    /** @type {any} the provider's document */
    this.doc = provider.documentFrom(config.label && config.label.attributes);
    this.savedJson = this.serialize();
    this.history = new History();
    this.tool = this.canWrite ? this.shapeTypes[0] : "select";
    this.categoryId = this.categories.length ? this.categories[0].id : null;
    this.selectedId = null;
    this.selectedVertex = null;
    this.hoverId = null;
    this.drawing = null;
    this.view = { scale: 1, x: 0, y: 0 };
    this.autoFit = true;
    this.image = { loaded: false, width: 0, height: 0 };
    this.saveProblem = null; // {message, detail, items, kind}: a refused save, shown on its objects
    this.serverErrorIds = new Set();
    this.frame = 0;
    this.panelsStale = true;
    this.reference = new ReferenceOverlay(this); // "Compare with": another label set, read-only
  }

  /** Attach mouse handling and the tool rail, then draw. The page's other events are wired by the entry module. */
  start() {
    this.pointer = new PointerController(this, this.elements.stage);
    document.addEventListener("keyup", (event) => {
      if (event.key === " ") this.pointer.setSpace(false);
    });
    window.addEventListener("blur", () => this.pointer.setSpace(false));
    this.buildTools();
    this.requestRender({ panels: true });
  }

  /** The photo has loaded: its natural size is the coordinate system of every stored point. */
  imageLoaded(width, height) {
    this.image = { loaded: true, width, height };
    this.elements.imageSize.textContent = `${width} × ${height} px`;
    this.fit();
    this.requestRender({ panels: true });
  }

  // ---- document changes ------------------------------------------------------------------------------

  /** The label attributes to store for the document. */
  storedLabel() {
    return this.provider.labelFrom(this.doc);
  }

  serialize() {
    return JSON.stringify(this.storedLabel());
  }

  isDirty() {
    return this.serialize() !== this.savedJson;
  }

  /** Apply `mutate(doc)` as one undoable step (nothing is recorded when it changes nothing). */
  change(mutate) {
    const before = structuredClone(this.doc);
    const beforeJson = this.serialize();
    mutate(this.doc);
    if (this.serialize() === beforeJson) return;
    this.history.record(before);
    this.afterChange();
  }

  afterChange() {
    if (this.selectedId !== null && !this.provider.has(this.doc, this.selectedId)) this.select(null);
    this.requestRender({ panels: true });
    this.shell.changed();
  }

  /** Drags change the document on every mouse move; beginDrag/endDrag make the whole drag one undo step. */
  beginDrag() {
    this.dragBefore = structuredClone(this.doc);
    this.dragBeforeJson = this.serialize();
  }

  endDrag() {
    if (this.dragBefore && this.serialize() !== this.dragBeforeJson) this.history.record(this.dragBefore);
    this.dragBefore = null;
    this.afterChange();
  }

  replaceAnnotationLive(updated) {
    this.provider.put(this.doc, updated);
    this.requestRender();
  }

  annotationById(id) {
    return id === null ? null : this.currentAnnotations().find((annotation) => annotation.id === id) || null;
  }

  /** The objects shown and hit-tested now (of a sequence: the current frame's). */
  currentAnnotations() {
    return this.provider.annotations(this.doc);
  }

  /** The image attributes shown now. */
  currentImageAttributes() {
    return this.provider.imageAttributes(this.doc);
  }

  selectedAnnotation() {
    return this.annotationById(this.selectedId);
  }

  definitionsFor(categoryId) {
    const category = this.categoriesById.get(categoryId);
    return (category && category.attributes) || [];
  }

  addAnnotation(type, points) {
    if (this.categoryId === null) {
      this.flash("This dataset has no categories: ask a manager to add some.");
      return;
    }
    const id = this.provider.nextId(this.doc);
    const attributes = reconcileAttributes(this.definitionsFor(this.categoryId), undefined);
    const annotation = createAnnotation({ id, categoryId: this.categoryId, type, points, attributes });
    this.change((doc) => this.provider.put(doc, annotation));
    this.drawing = null;
    this.select(id);
  }

  /** Close the polygon / end the polyline being drawn, when it has enough vertices. */
  finishDrawing() {
    const drawing = this.drawing;
    if (!drawing || drawing.type === "bbox") return;
    const minimum = MIN_VERTICES[drawing.type];
    if (drawing.points.length < minimum) {
      const noun = drawing.type === "polygon" ? "A polygon needs at least 3 vertices" : "A polyline needs at least 2 points";
      this.flash(`${noun}.`);
      return;
    }
    this.addAnnotation(drawing.type, drawing.points);
  }

  deleteSelection() {
    if (this.drawing) {
      this.drawing.points.pop();
      if (!this.drawing.points.length) this.drawing = null;
      this.requestRender();
      return;
    }
    const selected = this.selectedAnnotation();
    if (selected && this.selectedVertex !== null && (selected.type === "polygon" || selected.type === "polyline")) {
      this.deleteVertex(selected.id, this.selectedVertex);
      return;
    }
    const id = this.selectedId;
    if (id === null || (!selected && !this.provider.refuseRemove)) return;
    const refusal = this.provider.refuseRemove ? this.provider.refuseRemove(this.doc, id) : null;
    if (refusal) {
      this.flash(refusal);
      return;
    }
    this.change((doc) => this.provider.remove(doc, id));
  }

  deleteVertex(id, index) {
    const annotation = this.annotationById(id);
    if (!annotation) return;
    if (!canDeleteVertex(annotation)) {
      this.flash(`A ${annotation.type} keeps at least ${MIN_VERTICES[annotation.type]} vertices.`);
      return;
    }
    this.change((doc) => this.replaceIn(doc, deleteVertex(annotation, index)));
    this.select(id);
  }

  insertVertex(id, afterIndex, point) {
    const annotation = this.annotationById(id);
    this.change((doc) => this.replaceIn(doc, insertVertex(annotation, afterIndex, point)));
    this.select(id, afterIndex + 1);
  }

  /** Write a shown object into `doc` (of a sequence: a keyframe in the current frame). */
  replaceIn(doc, updated) {
    this.provider.put(doc, updated);
  }

  /** Category belongs to the object (of a sequence: to the track, so it changes in every keyframe). */
  setAnnotationCategory(id, categoryId) {
    if (!this.categoriesById.has(categoryId) || !this.provider.has(this.doc, id)) return;
    const definitions = this.definitionsFor(categoryId);
    this.change((doc) =>
      this.provider.updateAll(doc, id, (annotation) => {
        const attributes = reconcileAttributes(definitions, annotation.attributes);
        const updated = { ...annotation, category_id: categoryId };
        if (attributes === undefined) delete updated.attributes;
        else updated.attributes = attributes;
        return updated;
      }),
    );
  }

  /** Track-level attributes (is_track_level) change wherever the object is stored; the others where shown. */
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
    if (definition && definition.is_track_level) this.change((doc) => this.provider.updateAll(doc, id, apply));
    else this.change((doc) => this.replaceIn(doc, apply(annotation)));
  }

  setImageAttribute(name, value) {
    this.change((doc) => {
      const attributes = this.provider.imageAttributes(doc);
      if (value === undefined) delete attributes[name];
      else attributes[name] = value;
    });
  }

  undo() {
    if (this.drawing) {
      this.deleteSelection(); // while drawing, undo takes back the last vertex
      return;
    }
    const previous = this.history.undo(structuredClone(this.doc));
    if (previous) this.restore(previous);
  }

  redo() {
    const next = this.history.redo(structuredClone(this.doc));
    if (next) this.restore(next);
  }

  restore(doc) {
    this.doc = doc;
    this.selectedVertex = null;
    this.afterChange();
  }

  // ---- selection, tools, categories ------------------------------------------------------------------

  select(id, vertex = null) {
    const changed = id !== this.selectedId || vertex !== this.selectedVertex;
    this.selectedId = id;
    this.selectedVertex = id === null ? null : vertex;
    if (changed) this.requestRender({ panels: true });
  }

  setTool(tool) {
    if (tool !== "select" && (!this.canWrite || !this.shapeTypes.includes(tool))) return;
    this.drawing = null;
    this.tool = tool;
    this.pointer.gesture = null;
    for (const button of this.elements.tools.querySelectorAll("button")) {
      button.classList.toggle("is-active", button.dataset.tool === tool);
      button.setAttribute("aria-pressed", button.dataset.tool === tool ? "true" : "false");
    }
    this.elements.stage.dataset.tool = tool;
    this.elements.stage.style.cursor = tool === "select" ? "default" : "crosshair";
    this.elements.hint.textContent = TOOLS[tool].hint;
    this.requestRender();
  }

  /** Choose the category for new objects; in Select mode it also re-categorises the selected object. */
  pickCategory(categoryId) {
    this.categoryId = categoryId;
    if (this.tool === "select" && this.selectedId !== null && this.canWrite) {
      this.setAnnotationCategory(this.selectedId, categoryId);
    }
    this.requestRender({ panels: true });
  }

  /** The keypoint name of a point of a keypoint category, else null (docs/keypoints.md). */
  keypointOf(annotation) {
    return keypointName(annotation, this.categoriesById.get(annotation.category_id));
  }

  styleOf(annotationOrCategoryId) {
    const categoryId =
      typeof annotationOrCategoryId === "object" ? annotationOrCategoryId.category_id : annotationOrCategoryId;
    const category = this.categoriesById.get(categoryId);
    if (!category) return { color: UNKNOWN_COLOR, name: `category ${categoryId}` };
    return { color: categoryColor(category, this.categories.indexOf(category)), name: category.name };
  }

  // ---- view ------------------------------------------------------------------------------------------

  setView(view, { auto = false } = {}) {
    this.view = view;
    this.autoFit = auto;
    this.requestRender();
  }

  zoomBy(factor, anchor = null) {
    const rect = this.elements.stage.getBoundingClientRect();
    this.setView(zoomAround(this.view, factor, anchor || [rect.width / 2, rect.height / 2]));
  }

  fit() {
    if (!this.image.loaded) return;
    const rect = this.elements.stage.getBoundingClientRect();
    this.setView(fitView(this.image.width, this.image.height, rect.width, rect.height), { auto: true });
  }

  setCursor(point) {
    this.elements.cursor.textContent = point ? `x ${point[0].toFixed(1)}  y ${point[1].toFixed(1)}` : "";
  }

  flash(message) {
    const toast = this.elements.toast;
    toast.textContent = message;
    toast.hidden = false;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => {
      toast.hidden = true;
    }, 3500);
  }

  // ---- saving and navigation -------------------------------------------------------------------------

  /** Save the label, with `status` or the shell's default one. Resolves to true when it was stored. */
  save(status = null) {
    return this.shell.save(status);
  }

  // ---- the EditorView contract (editor-core/shell.js) ----------------------------------------------------

  get canUndo() {
    return this.history.canUndo || Boolean(this.drawing);
  }

  get canRedo() {
    return this.history.canRedo;
  }

  get keymap() {
    return this.bindings;
  }

  toLabel() {
    return this.storedLabel();
  }

  draft() {
    return this.storedLabel();
  }

  savedLabel() {
    return JSON.parse(this.savedJson);
  }

  markSaved(attributes) {
    this.savedJson = JSON.stringify(attributes);
    this.requestRender({ panels: true });
  }

  /** Replace the document (a restored draft); one undoable step. */
  loadLabel(attributes) {
    this.change((doc) => Object.assign(doc, this.documentFrom(attributes)));
  }

  /** Show `attributes` (theirs with my changes on top) over `stored` (theirs), for "keep both". */
  rebase(attributes, stored) {
    this.doc = this.documentFrom(stored);
    this.savedJson = this.serialize();
    this.history.clear();
    this.change((doc) => Object.assign(doc, this.documentFrom(attributes)));
  }

  /**
   * The document of stored label attributes.
   * @param {any} attributes
   * @returns {any}
   */
  documentFrom(attributes) {
    return this.provider.documentFrom(attributes);
  }

  /** The selected object (its track id) and the frame shown, for a review issue's anchor. */
  anchor() {
    return { track_id: this.selectedId, frame: this.provider.currentFrame ? this.provider.currentFrame() : null };
  }

  focusAnchor(anchor) {
    if (this.provider.focusFrame && Number.isInteger(anchor.frame)) this.provider.focusFrame(anchor.frame);
    if (anchor.track_id !== null && anchor.track_id !== undefined) this.select(anchor.track_id);
  }

  clearSaveError() {
    this.saveProblem = null;
    this.serverErrorIds = new Set();
    this.requestRender({ panels: true });
  }

  showSaveError(error, sentLabel) {
    const items = error.errors.map((issue) => ({
      ...describeErrorPath(issue.path, sentLabel, this.categoriesById),
      message: issue.message,
    }));
    this.serverErrorIds = new Set(items.map((item) => item.annotationId).filter((id) => id !== null));
    this.saveProblem = { kind: error.kind, detail: error.message, items, currentVersion: error.currentVersion };
    this.revealErrors = true;
    const firstProblem = items.find((item) => item.annotationId !== null);
    if (firstProblem && this.selectedId === null) this.select(firstProblem.annotationId);
    this.requestRender({ panels: true });
  }

  firstErrorMessage() {
    return this.saveProblem && this.saveProblem.items.length ? this.saveProblem.items[0].message : "";
  }

  /** Draw another label set's label (null: hide it) under the edited one, read-only. */
  showReference(attributes, labelset) {
    this.reference.show(attributes, labelset);
  }

  referenceObjects() {
    return this.reference.objects();
  }

  /** Copy reference objects (default: the clicked ones) with new ids, as one undo step; returns the count. */
  copyFromReference(ids) {
    return this.reference.copy(ids);
  }

  /** Space held pans (the view's own key). */
  onKeyDown(event) {
    if (event.key !== " ") return false;
    event.preventDefault(); // no page scroll, no click on a focused button: Space is for panning
    if (this.provider.spaceDown) this.provider.spaceDown(event);
    this.pointer.setSpace(true);
    return true;
  }

  // ---- keyboard --------------------------------------------------------------------------------------

  perform(action) {
    if (this.provider.perform && this.provider.perform(action)) return;
    if (action.startsWith("tool:")) this.setTool(action.slice(5));
    else if (action.startsWith("category:")) {
      const category = this.categories[Number(action.slice(9)) - 1];
      if (category) this.pickCategory(category.id);
    } else {
      const handler = {
        finish: () => this.finishDrawing(),
        escape: () => this.escape(),
        delete: () => this.canWrite && this.deleteSelection(),
        undo: () => this.undo(),
        redo: () => this.redo(),
        "zoom-in": () => this.zoomBy(ZOOM_STEP),
        "zoom-out": () => this.zoomBy(1 / ZOOM_STEP),
        fit: () => this.fit(),
      }[action];
      if (handler) handler();
    }
  }

  escape() {
    if (this.drawing) {
      this.drawing = null;
      this.requestRender();
    } else if (this.selectedVertex !== null) this.select(this.selectedId);
    else this.select(null);
  }

  // ---- wiring ----------------------------------------------------------------------------------------

  buildTools() {
    const available = ["select", ...this.shapeTypes];
    replaceChildren(
      this.elements.tools,
      available.map((tool) => toolButton(tool, { disabled: tool !== "select" && !this.canWrite }, () => this.setTool(tool))),
    );
    this.setTool(this.tool);
  }

  // ---- rendering -------------------------------------------------------------------------------------

  requestRender({ panels = false } = {}) {
    if (panels) this.panelsStale = true;
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  render() {
    const el = this.elements;
    const { scale, x, y } = this.view;
    el.world.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
    el.world.classList.toggle("is-pixelated", scale >= 3);
    el.zoomLevel.textContent = `${Math.round(scale * 100)}%`;
    if (this.image.loaded) {
      renderScene(el.svg, {
        annotations: this.currentAnnotations(),
        styleOf: (annotation) => this.styleOf(annotation),
        selectedId: this.selectedId,
        selectedVertex: this.selectedVertex,
        hoverId: this.hoverId,
        errorIds: this.serverErrorIds, // missing fields show in the panels; the outline marks rejected objects
        drawing: this.drawing,
        skeleton: skeletonSegments(this.currentAnnotations(), this.categoriesById),
        scale,
        width: this.image.width,
        height: this.image.height,
      });
      this.reference.render(el.svg);
    }
    this.renderChrome();
    if (this.panelsStale) {
      this.panelsStale = false;
      this.renderPanels();
    }
    if (this.provider.rendered) this.provider.rendered();
  }

  renderChrome() {
    this.shell.render();
  }

  /** Objects the labeler should look at: server errors, or mandatory attributes left empty. */
  problemIds() {
    const ids = new Set(this.serverErrorIds);
    for (const annotation of this.currentAnnotations()) {
      if (missingMandatory(this.definitionsFor(annotation.category_id), annotation.attributes).length) ids.add(annotation.id);
    }
    return ids;
  }

  renderPanels() {
    const el = this.elements;
    const focused = /** @type {HTMLElement|null} */ (document.activeElement);
    const focusedTestId = focused && el.sidebar.contains(focused) ? focused.dataset.testid : null;
    const styleOf = (value) => this.styleOf(value);
    replaceChildren(el.categories, categoryList(this.categories, this.categoryId, styleOf, (id) => this.pickCategory(id)));
    replaceChildren(el.object, this.selectedObjectPanel());
    el.imageAttributesSection.hidden = !this.imageDefinitions.length;
    replaceChildren(
      el.imageAttributes,
      attributeForm(this.imageDefinitions, this.currentImageAttributes(), (name, value) => this.setImageAttribute(name, value), {
        testidPrefix: "image-attribute",
        missing: missingMandatory(this.imageDefinitions, this.currentImageAttributes()),
        readOnly: !this.canWrite,
      }),
    );
    el.objectCount.textContent = String(this.currentAnnotations().length);
    replaceChildren(
      el.objects,
      objectList(
        this.currentAnnotations(),
        { selectedId: this.selectedId, styleOf, problemIds: this.problemIds(), keypointOf: (a) => this.keypointOf(a) },
        (id) => this.select(id),
      ),
    );
    const problem = this.saveProblem;
    el.errors.hidden = !problem || problem.kind === "conflict";
    replaceChildren(el.errors, problem ? errorList(problem.detail, problem.items, (id) => this.select(id)) : null);
    if (this.revealErrors) {
      this.revealErrors = false;
      el.sidebar.scrollTop = 0;
    }
    if (focusedTestId) el.sidebar.querySelector(`[data-testid="${CSS.escape(focusedTestId)}"]`)?.focus();
  }

  /** The selected object's panel (the provider may wrap it, e.g. with a track's controls). */
  selectedObjectPanel() {
    return this.provider.objectPanel ? this.provider.objectPanel(() => this.objectPanel()) : this.objectPanel();
  }

  objectPanel() {
    const annotation = this.selectedAnnotation();
    if (!annotation) {
      return h("p", { class: "muted ve-empty" }, "Select an object to change its category and attributes.");
    }
    const definitions = this.definitionsFor(annotation.category_id);
    const errors = (this.saveProblem ? this.saveProblem.items : [])
      .filter((item) => item.annotationId === annotation.id)
      .map((item) => item.message);
    return objectPanel(
      annotation,
      {
        categories: this.categories, definitions, errors, readOnly: !this.canWrite,
        missing: missingMandatory(definitions, annotation.attributes), keypoint: this.keypointOf(annotation),
      },
      {
        onCategory: (categoryId) => this.setAnnotationCategory(annotation.id, categoryId),
        onAttribute: (name, value) => this.setAnnotationAttribute(annotation.id, name, value),
        onDelete: () => {
          this.select(annotation.id);
          this.deleteSelection();
        },
      },
    );
  }
}
