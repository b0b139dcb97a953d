// Saving a segmentation label: check locally, encode the mask as the RGBA id PNG and upload it as an asset
// (only when the mask changed since the stored bitmap); the shell then PUTs the label with the version the
// editor started from. The server validates again (format core rules); its refusal is shown with its reasons.

import { uploadAsset } from "../../editor-core/api.js";
import { missingMandatory } from "../../editor-core/attributes.js";

import { copyInSlices, encodeInWorker } from "./mask-jobs.js";
import { labelAttributes, saveProblems } from "./label.js";

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
