// The document provider of the vector task types (vector, bboxes, keypoints): one frame, its objects and image
// attributes (label-document.js). The vector view (editor.js) asks its provider for the document; the tracks
// component (../tracks/tracks-component.js) is the other provider, for image-vector-sequence.

import { documentFromLabel, labelFromDocument, nextAnnotationId } from "./label-document.js";

/**
 * What the vector view asks of the document it edits. `doc` is the provider's own document; the view keeps
 * it (for undo snapshots and saving) and passes it back. The optional members are the sequence's additions.
 * @typedef {object} DocumentProvider
 * @property {(attributes: any) => any} documentFrom the document of stored label attributes
 * @property {(doc: any) => any} labelFrom the label attributes to store for the document
 * @property {(doc: any) => any[]} annotations the objects shown and hit-tested now (their `id` selects them)
 * @property {(doc: any) => Record<string, any>} imageAttributes the image attributes shown now (mutable in doc)
 * @property {(doc: any, annotation: any) => void} put write a shown object (added when new)
 * @property {(doc: any) => number} nextId the id of a new object
 * @property {(doc: any, id: number) => boolean} has whether the object (or track) exists anywhere
 * @property {(doc: any, id: number, update: (annotation: any) => any) => void} updateAll change the object in
 *   every place it is stored (a track: every keyframe)
 * @property {(doc: any, id: number) => void} remove delete the object here
 * @property {(doc: any, id: number) => (string|null)} [refuseRemove] why the object cannot be deleted here
 * @property {import("../../editor-core/keymap.js").Binding[]} [bindings] the keymap when not the vector one
 * @property {(action: string) => boolean} [perform] handle a keymap action (true when handled)
 * @property {(event: KeyboardEvent) => void} [spaceDown] Space went down (before the view pans)
 * @property {() => (number|null)} [currentFrame] the frame shown, for a review issue's anchor
 * @property {(frame: number) => void} [focusFrame] show a review issue's frame
 * @property {() => void} [rendered] the view has drawn: draw what the provider adds
 * @property {(panel: () => HTMLElement) => HTMLElement} [objectPanel] the selected-object panel, given the view's
 * @property {(referenceDoc: any) => any[]} [referenceAnnotations] "Compare with": the objects of another label set's
 *   document (documentFrom of its label) shown now (default: annotations(referenceDoc))
 * @property {(doc: any, referenceDoc: any, ids: number[]) => number[]} [copyReference] copy those reference objects
 *   into `doc` with new ids, returning them (default: put with nextId; a sequence copies whole tracks)
 */

/**
 * The single-frame document of the vector task types.
 * @implements {DocumentProvider}
 */
export class SingleFrameDocument {
  /** @param {any} config editor_config */
  constructor(config) {
    this.taskAttributes = config.dataset.task_attributes || {};
  }

  documentFrom(attributes) {
    return documentFromLabel(attributes, this.taskAttributes);
  }

  labelFrom(doc) {
    return labelFromDocument(doc);
  }

  annotations(doc) {
    return doc.annotations;
  }

  imageAttributes(doc) {
    return doc.imageAttributes;
  }

  put(doc, updated) {
    const index = doc.annotations.findIndex((annotation) => annotation.id === updated.id);
    if (index < 0) doc.annotations.push(updated);
    else doc.annotations[index] = updated;
  }

  nextId(doc) {
    return nextAnnotationId(doc.annotations);
  }

  has(doc, id) {
    return doc.annotations.some((annotation) => annotation.id === id);
  }

  updateAll(doc, id, update) {
    doc.annotations = doc.annotations.map((annotation) => (annotation.id === id ? update(annotation) : annotation));
  }

  remove(doc, id) {
    doc.annotations = doc.annotations.filter((annotation) => annotation.id !== id);
  }
}
