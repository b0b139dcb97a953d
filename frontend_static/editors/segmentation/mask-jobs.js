// Running the mask worker's jobs from the editor: bucket fill, id PNG encode and decode off the main thread.
// Each call resolves when the worker answers; without Worker support (node tests) the same code runs inline.

import { BitmapError } from "./id-codec.js";
import { decodeIdPng, encodeIdPng } from "./id-png.js";
import * as masks from "./mask.js";

let worker = null;
let nextJob = 1;
const pending = new Map();

function theWorker() {
  if (worker || typeof Worker === "undefined") return worker;
  worker = new Worker(new URL("./mask-worker.js", import.meta.url), { type: "module" });
  worker.addEventListener("message", (event) => {
    const { job, error, ...answer } = event.data;
    const waiting = pending.get(job);
    pending.delete(job);
    if (!waiting) return;
    if (error) {
      const failure = error.rule ? new BitmapError(error.rule, error.message) : new Error(error.message);
      waiting.reject(failure);
    } else waiting.resolve(answer);
  });
  worker.addEventListener("error", (event) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`The mask worker failed: ${event.message}`));
    pending.clear();
  });
  return worker;
}

const COPY_SLICE = 1 << 22; // ids per slice: a few milliseconds of copying each

/** A copy of `ids`, made a slice per task so that no single task blocks the page for long. */
export async function copyInSlices(ids) {
  const copy = new Uint32Array(ids.length);
  for (let start = 0; start < ids.length; start += COPY_SLICE) {
    copy.set(ids.subarray(start, start + COPY_SLICE), start);
    if (start + COPY_SLICE < ids.length) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return copy;
}

function run(message, transfer = []) {
  const job = nextJob++;
  return new Promise((resolve, reject) => {
    pending.set(job, { resolve, reject });
    theWorker().postMessage({ ...message, job }, transfer);
  });
}

/**
 * Have the worker fetch and decode the photo at `url` (once per url) for fills by photo colour; rejects when
 * its pixels cannot be read (another site without CORS).
 */
export async function sendPhoto(url) {
  if (!theWorker()) return;
  if (sentPhotos.has(url)) return sentPhotos.get(url);
  const sending = run({ op: "photo", photoKey: url, url });
  sentPhotos.set(url, sending);
  sending.catch(() => sentPhotos.delete(url));
  return sending;
}

const sentPhotos = new Map();

/**
 * Bucket fill `mask` from pixel (x, y) with `id`, in the worker: the mask's ids are lent to the worker and
 * come back filled (the caller must not touch the mask until this resolves). Writes the changed pixels into
 * `change` (a MaskChange). `options`: {mode: "mask"|"photo", tolerance, onlyUnlabeled, photoKey (sent with
 * sendPhoto first), rgba (the photo's pixels, only used without a worker)}.
 */
export async function fillInWorker(mask, change, x, y, id, options) {
  if (!theWorker()) {
    const canWrite = masks.writeRule({ onlyUnlabeled: options.onlyUnlabeled });
    if (options.mode === "photo") masks.fillPhotoRegion(mask, change, options.rgba, x, y, id, canWrite, options.tolerance);
    else masks.fillMaskRegion(mask, change, x, y, id, canWrite);
    return;
  }
  const transfer = [mask.ids.buffer];
  const answer = await run({
    op: "fill", width: mask.width, height: mask.height, ids: mask.ids.buffer, x, y, id, mode: options.mode,
    tolerance: options.tolerance, onlyUnlabeled: options.onlyUnlabeled, photoKey: options.photoKey,
    colors: options.colors ? [...options.colors] : [], renderAll: Boolean(options.renderAll),
  }, transfer);
  mask.ids = new Uint32Array(answer.ids);
  Object.assign(change, { indices: answer.indices, before: answer.before, after: answer.after, length: answer.length, box: answer.box });
  return { delta: new Map(answer.delta), shown: answer.shown };
}

/**
 * The id PNG bytes of `mask` and its pixel counts per id ({png, counts: Map}), encoded in the worker from a
 * copy of its ids (editing may go on meanwhile); with `copy: false` the mask's own ids are handed over.
 */
export async function encodeInWorker(mask, { copy = true } = {}) {
  if (!theWorker()) return { png: encodeIdPng(mask), counts: masks.idCounts(mask) };
  const ids = copy ? await copyInSlices(mask.ids) : mask.ids; // without copy, the ids are given to the worker
  const answer = await run({ op: "encode", width: mask.width, height: mask.height, ids: ids.buffer }, [ids.buffer]);
  return { png: answer.png, counts: new Map(answer.counts) };
}

/** The mask of id PNG bytes, decoded in the worker (other PNG kinds fall back to fast-png, which names them). */
export async function decodeInWorker(bytes) {
  if (!theWorker()) return decodeIdPng(bytes);
  const buffer = bytes instanceof ArrayBuffer ? bytes : bytes.slice().buffer;
  const answer = await run({ op: "decode", bytes: buffer }, [buffer]);
  if (answer.unsupported) return decodeIdPng(answer.bytes);
  return { width: answer.width, height: answer.height, ids: new Uint32Array(answer.ids) };
}
