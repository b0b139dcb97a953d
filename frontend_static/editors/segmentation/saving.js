// Saving a segmentation label: check locally, encode the mask as the RGBA id PNG and upload it as an asset
// (only when the mask changed since the stored bitmap); the shell then PUTs the label with the version the
// editor started from. The server validates again (format core rules); its refusal is shown with its reasons.
// Also what the shell's drafts and "keep both" need: the unsaved mask as a draft and back, and my unsaved
// changes rebased on their stored label.

import { uploadAsset } from "../../editor-core/api.js";
import { missingMandatory } from "../../editor-core/attributes.js";
import { collisionRenames } from "../../editor-core/merge.js";

import { copyInSlices, decodeInWorker, encodeInWorker } from "./mask-jobs.js";
import { instancesFromLabel, labelAttributes, saveProblems } from "./label.js";
import { loadBitmap } from "./loading.js";
import * as masks from "./mask.js";
import { annotationTouches, mergeInstances, mergeMaskIds, pixelTouches } from "./mask-merge.js";

/** @typedef {import("./segmentation-editor.js").SegmentationEditor} SegmentationEditor */

export const COMPLETE_STATUSES = new Set(["LABELED", "REVIEWED", "VERIFIED"]);

/** Readable reasons why `editor`'s label cannot be saved with `status` (empty = it can). */
export function localProblems(editor, counts, status) {
  if (editor.loadError) return [editor.loadError];
  const problems = saveProblems(editor.instances, counts, editor.categoriesById);
  if (!COMPLETE_STATUSES.has(status)) return problems;
  for (const instance of editor.instances.filter((item) => counts.has(item.id))) {
    const category = editor.categoriesById.get(instance.category_id);
    const missing = category ? missingMandatory(category.attributes, instance.attributes) : [];
    if (missing.length) problems.push(`Instance ${instance.id}: fill in ${missing.join(", ")} to mark it ${status.toLowerCase()}.`);
  }
  const missingImage = missingMandatory(editor.imageDefinitions, editor.imageAttributes);
  if (missingImage.length) problems.push(`Image attributes: fill in ${missingImage.join(", ")}.`);
  return problems;
}

/**
 * The label to store for `editor`'s mask and instances: encodes the mask as the id PNG and uploads it as an
 * asset when it changed since the stored bitmap. Resolves to {attributes, url, counts}; rejects with
 * SaveError (upload) or RangeError (an id beyond 24 bits).
 */
export async function labelToStore(editor) {
  let counts = editor.counts; // kept up to date edit by edit; the worker recounts what it encodes
  let url = editor.bitmapUrl;
  if (editor.maskDirty || !url) {
    const started = performance.now();
    // The ids are copied a slice per task; edits wait for the copy (they would tear the snapshot), not for
    // the encoding, which the worker does on its own copy.
    editor.setBusy(true);
    let ids;
    try {
      ids = await copyInSlices(editor.mask.ids);
    } finally {
      editor.setBusy(false);
    }
    const encoded = await encodeInWorker({ width: editor.mask.width, height: editor.mask.height, ids }, { copy: false });
    const png = encoded.png;
    counts = encoded.counts;
    editor.timings.encodeMs = performance.now() - started;
    const file = await uploadAsset(new Blob([png], { type: "image/png" }), "label.png", editor.config.csrf_token);
    url = file.url;
  }
  const attributes = labelAttributes({
    instances: editor.instances, counts, bitmapUrl: url, imageAttributes: editor.imageAttributes,
    formatVersion: editor.formatVersion, extra: editor.extra,
  });
  return { attributes, url, counts };
}

/**
 * The id mask of stored label attributes: their bitmap, or an empty mask when they have none.
 * @param {SegmentationEditor} editor @param {any} attributes
 */
export async function maskOfLabel(editor, attributes) {
  const url = attributes && attributes.segmentation_bitmap ? attributes.segmentation_bitmap.url : null;
  return url ? loadBitmap(url, editor.mask.width, editor.mask.height) : masks.createMask(editor.mask.width, editor.mask.height);
}

/**
 * Keep both: show their label (`theirs`, now the stored one) with my unsaved pixel changes and instances
 * (`merged`, from editor-core/merge.js) on top, for the instances they did not touch (mask-merge.js).
 * @param {SegmentationEditor} editor @param {any} merged @param {any} theirs
 */
export async function rebase(editor, merged, theirs) {
  const base = editor.savedLabel();
  const renames = collisionRenames(base, editor.unsavedLabel(), theirs);
  editor.setBusy(true);
  try {
    const [baseMask, theirMask] = await Promise.all([editor.maskOfLabel(base), editor.maskOfLabel(theirs)]);
    const touched = pixelTouches(baseMask.ids, theirMask.ids);
    annotationTouches(base && base.annotations, theirs && theirs.annotations, touched);
    const { ids } = mergeMaskIds(baseMask.ids, editor.mask.ids, theirMask.ids, touched, renames);
    const theirInstances = instancesFromLabel(theirs, masks.idCounts(theirMask)).instances;
    editor.mask.ids = ids;
    editor.counts = masks.idCounts(editor.mask);
    editor.instances = mergeInstances(instancesFromLabel(merged).instances, theirInstances, touched);
    editor.imageAttributes = { ...((merged && merged.image_attributes) || {}) };
    editor.bitmapUrl = theirs && theirs.segmentation_bitmap ? theirs.segmentation_bitmap.url : null;
    editor.savedAttributes = theirs;
  } finally {
    editor.setBusy(false);
  }
  editor.selectedId = renames.get(editor.selectedId) ?? editor.selectedId; // my renamed instance stays selected
  if (!editor.instances.some((instance) => instance.id === editor.selectedId)) editor.selectedId = null;
  editor.history.clear();
  editor.maskDirty = true;
  editor.message = null;
  editor.markEdited();
  editor.renderAll();
}

/**
 * The unsaved mask (id PNG encoded in the mask worker), instances and image attributes, for the draft store.
 * @param {SegmentationEditor} editor
 * @returns {Promise<any>}
 */
export async function draftData(editor) {
  editor.setBusy(true); // edits wait for the copy of the ids (they would tear the snapshot)
  let ids;
  try {
    ids = await copyInSlices(editor.mask.ids);
  } finally {
    editor.setBusy(false);
  }
  const { png } = await encodeInWorker({ width: editor.mask.width, height: editor.mask.height, ids }, { copy: false });
  return { png, instances: editor.cloneInstances(), imageAttributes: { ...editor.imageAttributes } };
}

/**
 * Restore a draft from draftData(): the mask, instances and image attributes (not undoable).
 * @param {SegmentationEditor} editor @param {any} data
 */
export async function loadDraftData(editor, data) {
  const mask = await decodeInWorker(data.png);
  if (mask.width !== editor.mask.width || mask.height !== editor.mask.height) return;
  editor.mask.ids = mask.ids;
  Object.assign(editor, { counts: masks.idCounts(editor.mask), instances: data.instances, imageAttributes: data.imageAttributes, maskDirty: true });
  editor.history.clear();
  editor.markEdited();
  editor.renderAll();
}
