// The segmentation editor's undoable edits (segmentation-editor.js): an edit of the mask (a MaskChange) and/or
// of the instance list is one entry of the History {change, instancesBefore?, instancesAfter?}; finishing one
// records it and keeps the pixel counts up to date, undo and redo apply it back.

import * as masks from "./mask.js";

/** @typedef {import("./segmentation-editor.js").SegmentationEditor} SegmentationEditor */

/**
 * Finish the current edit: record it for undo, refresh counts and panels. `done`: what the mask worker
 * already did ({delta: Map id -> pixel count change, rendered: the display is up to date}).
 * @param {SegmentationEditor} editor @param {{delta: Map<number, number>, rendered: boolean}|null} [done]
 */
export function finishEdit(editor, done = null) {
  const edit = editor.edit;
  editor.edit = null;
  if (!edit) return;
  const changed = !edit.change.isEmpty;
  if (!changed && !edit.instancesBefore) return;
  const entry = { change: changed ? edit.change.trim() : null };
  if (edit.instancesBefore) Object.assign(entry, { instancesBefore: edit.instancesBefore, instancesAfter: editor.cloneInstances() });
  editor.history.record(entry);
  if (changed) {
    editor.maskDirty = true;
    if (done) masks.applyDelta(editor.counts, done.delta);
    else masks.updateCounts(editor.counts, entry.change);
  }
  editor.markEdited();
  if (edit.instancesBefore && !(done && done.rendered)) editor.renderMask(); // the selection moved: re-shade
  editor.renderSide();
}

/**
 * Record an instance-list edit (no pixels) for undo: `mutate` changes editor.instances.
 * @param {SegmentationEditor} editor @param {() => void} mutate
 */
export function editInstances(editor, mutate) {
  const before = editor.cloneInstances();
  mutate();
  editor.history.record({ change: null, instancesBefore: before, instancesAfter: editor.cloneInstances() });
  editor.markEdited();
  editor.renderMask();
  editor.renderSide();
}

/**
 * Apply a history entry backwards ("undo") or forwards ("redo"): the mask change and the instance list.
 * @param {SegmentationEditor} editor @param {any} entry the History's entry, or null: nothing to do
 * @param {"undo"|"redo"} direction
 */
export function applyHistory(editor, entry, direction) {
  if (!entry) return;
  if (entry.change) {
    entry.change[direction](editor.mask);
    editor.maskDirty = true;
    masks.updateCounts(editor.counts, entry.change, direction);
  }
  editor.markEdited();
  const instances = direction === "undo" ? entry.instancesBefore : entry.instancesAfter;
  if (instances) {
    editor.instances = instances.map((instance) => ({ ...instance }));
    if (!editor.instances.some((instance) => instance.id === editor.selectedId)) editor.selectedId = null;
  }
  editor.renderMask(entry.change && !instances ? entry.change.box : null);
  editor.renderSide();
}
