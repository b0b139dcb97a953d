// The vector view's side of "Compare with" (editor-core/reference.js): another label set's label of the sample
// (a model's predictions), read-only, drawn dash-dotted and dimmed under the edited objects. Clicking one in
// Select mode picks it for copying (Shift+click adds); copying puts the picked objects (else the hovered one)
// into the edited document with new ids as one undo step. Of a sequence (the tracks component as provider),
// the reference shows the current frame and copying a track copies all its keyframes.

import { s } from "../../editor-core/dom.js";
import { renderScene } from "./render.js";
import { boundsArea, hitTest } from "./shapes.js";

/**
 * Copy `annotations` of the reference into `doc` through the provider's put/nextId (a single-frame document):
 * each gets the next free id (and track_id, when it had one). Returns the new ids.
 * @param {import("./single-frame-document.js").DocumentProvider} provider
 * @param {any} doc the edited document (mutated)
 * @param {any[]} annotations the reference objects to copy
 * @returns {number[]}
 */
export function copyAnnotations(provider, doc, annotations) {
  return annotations.map((annotation) => {
    const id = provider.nextId(doc);
    const copied = { ...structuredClone(annotation), id };
    if ("track_id" in copied) copied.track_id = id;
    provider.put(doc, copied);
    return id;
  });
}

/** The reference layer of one vector view (composed by editor.js). */
export class ReferenceOverlay {
  /** @param {import("./editor.js").Editor} view */
  constructor(view) {
    this.view = view;
    this.doc = null; // the reference label as the provider's document; null: none shown
    this.labelset = null;
    /** @type {Set<number>} the reference objects picked for copying */
    this.picked = new Set();
    this.hoverId = null;
  }

  /** Show `attributes` of `labelset` (null: hide). */
  show(attributes, labelset) {
    const provider = this.view.provider;
    this.doc = attributes ? provider.documentFrom(attributes) : null;
    this.labelset = labelset;
    this.picked = new Set();
    this.hoverId = null;
    this.view.requestRender({ panels: true });
  }

  /** The reference objects of the frame shown ([] when none). */
  annotations() {
    if (!this.doc) return [];
    const provider = this.view.provider;
    return provider.referenceAnnotations ? provider.referenceAnnotations(this.doc) : provider.annotations(this.doc);
  }

  /** The reference object under `point` (the smallest), or null. */
  at(point, tolerance) {
    const hits = this.annotations().filter((annotation) => hitTest(annotation, point, tolerance));
    hits.sort((a, b) => boundsArea(a) - boundsArea(b));
    return hits[0] || null;
  }

  /** A click where no edited object is: pick the reference object there (Shift adds). True when one was hit. */
  click(point, tolerance, additive) {
    const hit = this.at(point, tolerance);
    if (!hit) {
      if (this.picked.size && !additive) this.setPicked(new Set());
      return false;
    }
    const picked = new Set(additive ? this.picked : []);
    if (additive && picked.has(hit.id)) picked.delete(hit.id);
    else picked.add(hit.id);
    this.setPicked(picked);
    return true;
  }

  setPicked(picked) {
    this.picked = picked;
    this.view.requestRender({ panels: true });
  }

  hover(id) {
    if (id === this.hoverId) return;
    this.hoverId = id;
    this.view.requestRender();
  }

  /**
   * Copy reference objects `ids` (default: the picked ones, else the hovered one) into the edited document as
   * one undo step; the copies get new ids (a sequence: new track ids, with every keyframe of the track).
   * Selects the last copy. Returns how many were copied.
   * @param {number[]} [ids]
   */
  copy(ids) {
    const view = this.view;
    const wanted = ids || (this.picked.size ? [...this.picked] : this.hoverId !== null ? [this.hoverId] : []);
    const annotations = this.annotations().filter((annotation) => wanted.includes(annotation.id));
    if (!annotations.length || !view.canWrite) return 0;
    const provider = view.provider;
    let created = [];
    view.change((doc) => {
      created = provider.copyReference
        ? provider.copyReference(doc, this.doc, annotations.map((annotation) => annotation.id))
        : copyAnnotations(provider, doc, annotations);
    });
    this.picked = new Set();
    if (created.length) view.select(created[created.length - 1]);
    return created.length;
  }

  /** Draw the reference under the edited objects of `svg` (after renderScene). */
  render(svg) {
    const view = this.view;
    const annotations = this.annotations();
    if (!annotations.length || !view.image.loaded) return;
    const scratch = s("svg", {});
    renderScene(scratch, {
      annotations, styleOf: (annotation) => view.styleOf(annotation), selectedId: null, selectedVertex: null,
      hoverId: this.hoverId, errorIds: new Set(), drawing: null,
      scale: view.view.scale, width: view.image.width, height: view.image.height,
    });
    const group = s("g", { class: "ve-reference", "data-testid": "reference-layer", "data-labelset": this.labelset || "" });
    for (const shape of scratch.querySelectorAll(".ve-shape")) {
      const id = Number(shape.getAttribute("data-annotation-id"));
      shape.removeAttribute("data-annotation-id");
      shape.classList.add("ve-reference-shape");
      shape.classList.toggle("is-picked", this.picked.has(id));
      shape.setAttribute("data-testid", "reference-object");
      shape.setAttribute("data-reference-id", String(id));
      group.append(shape);
    }
    svg.prepend(group);
  }

  /** The EditorView contract's referenceObjects(): [{id, name}] shown now. */
  objects() {
    return this.annotations().map((annotation) => ({ id: annotation.id, name: `#${annotation.id} ${this.view.styleOf(annotation).name}` }));
  }
}
