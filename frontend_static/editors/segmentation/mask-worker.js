// The mask worker: bucket fills and the id PNG encode/decode of the segmentation editors, off the main thread
// so that a 6000x4000 photo never freezes the page. Messages are {op, ...} with a `job` number; answers carry
// the same `job`. Big arrays travel as transferred buffers (the mask's ids go to the worker and come back).
// fflate (zlib) is loaded by its static URL: import maps do not reach workers.

import { unzlibSync, zlibSync } from "/static/node_modules/fflate/esm/browser.js";

import { decodeRgbaPng, encodeRgbaPng, idsToRgba, rgbaToIds } from "./id-codec.js";
import * as masks from "./mask.js";
import { maskPixels } from "./render.js";

/** The photo pixels of the frames seen so far (key -> RGBA), read once per photo. */
const photos = new Map();

async function photoPixels(key, url) {
  if (url && !photos.has(key)) {
    // Fetched and decoded here, off the main thread; a photo of another site without CORS cannot be read.
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`The photo could not be fetched (${response.status}).`);
    const bitmap = await createImageBitmap(await response.blob());
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(bitmap, 0, 0);
    photos.set(key, context.getImageData(0, 0, bitmap.width, bitmap.height).data);
    bitmap.close();
  }
  return photos.get(key) || null;
}

const handlers = {
  async photo(message) {
    await photoPixels(message.photoKey, message.url);
    return [{ ok: true }, []];
  },
  async fill(message) {
    const mask = { width: message.width, height: message.height, ids: new Uint32Array(message.ids) };
    const change = new masks.MaskChange();
    const canWrite = masks.writeRule({ onlyUnlabeled: message.onlyUnlabeled });
    if (message.mode === "photo") {
      const rgba = await photoPixels(message.photoKey, null);
      if (!rgba) throw new Error("The photo's pixels are not available.");
      masks.fillPhotoRegion(mask, change, rgba, message.x, message.y, message.id, canWrite, message.tolerance);
    } else {
      masks.fillMaskRegion(mask, change, message.x, message.y, message.id, canWrite);
    }
    change.trim();
    // What the page needs next, computed here: the pixel count changes, and the display pixels of the changed
    // box (of the whole mask when the selection changed, so other instances are re-shaded too).
    const delta = new Map();
    for (let k = 0; k < change.length; k += 1) {
      delta.set(change.before[k], (delta.get(change.before[k]) || 0) - 1);
      delta.set(change.after[k], (delta.get(change.after[k]) || 0) + 1);
    }
    delta.delete(0);
    const colors = new Map(message.colors);
    const shown = change.length ? maskPixels(mask, (id) => colors.get(id) || 0, message.renderAll ? null : change.box) : null;
    const answer = {
      ids: mask.ids.buffer, indices: change.indices, before: change.before, after: change.after, length: change.length,
      box: change.box, delta: [...delta], shown,
    };
    const transfer = [mask.ids.buffer, change.indices.buffer, change.before.buffer, change.after.buffer];
    if (shown) transfer.push(shown.pixels.buffer);
    return [answer, transfer];
  },
  encode(message) {
    const mask = { width: message.width, height: message.height, ids: new Uint32Array(message.ids) };
    const png = encodeRgbaPng(mask.width, mask.height, idsToRgba(mask), (data) => zlibSync(data, { level: 1 }));
    return [{ png, counts: [...masks.idCounts(mask)] }, [png.buffer]];
  },
  decode(message) {
    const decoded = decodeRgbaPng(new Uint8Array(message.bytes), (data) => unzlibSync(data));
    if (!decoded) return [{ unsupported: true, bytes: message.bytes }, [message.bytes]];
    const mask = rgbaToIds(decoded.rgba, decoded.width, decoded.height);
    return [{ width: mask.width, height: mask.height, ids: mask.ids.buffer }, [mask.ids.buffer]];
  },
};

self.addEventListener("message", (event) => {
  const message = event.data;
  try {
    Promise.resolve(handlers[message.op](message)).then(
      ([answer, transfer]) => self.postMessage({ job: message.job, ...answer }, transfer),
      (error) => self.postMessage({ job: message.job, error: { name: error.name, rule: error.rule, message: error.message } }),
    );
  } catch (error) {
    self.postMessage({ job: message.job, error: { name: error.name, rule: error.rule, message: error.message } });
  }
});
