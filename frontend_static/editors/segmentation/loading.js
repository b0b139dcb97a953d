// Loading what the editor shows: the photo and the stored label bitmap. Problems come back as BitmapError
// with a message that can be shown as is.

import { BitmapError } from "./id-codec.js";
import { decodeInWorker } from "./mask-jobs.js";

/** Load `url` into the <img> `image`; resolves to it when decoded, rejects when it cannot be loaded. */
export function loadPhoto(image, url) {
  return new Promise((resolve, reject) => {
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`The photo could not be loaded from ${url}.`));
    image.src = url;
  });
}

/**
 * Fetch and decode the label bitmap at `url` into a mask; it must be `width` x `height` (the photo's size).
 * Raises BitmapError (rules fetch, rgba_png, alpha, image_size).
 */
export async function loadBitmap(url, width, height) {
  let response;
  try {
    response = await fetch(url, { credentials: "same-origin" });
  } catch {
    throw new BitmapError("fetch", "The label bitmap could not be fetched (network error).");
  }
  if (!response.ok) throw new BitmapError("fetch", `The label bitmap could not be fetched (${response.status}).`);
  const mask = await decodeInWorker(await response.arrayBuffer());
  if (mask.width !== width || mask.height !== height) {
    throw new BitmapError("image_size", `The label bitmap is ${mask.width}x${mask.height} but the image is ${width}x${height}.`);
  }
  return mask;
}

/** The photo's RGBA pixels, for bucket fill by colour (ids never go through a canvas). */
export function photoPixels(image, width, height) {
  const canvas = document.createElement("canvas");
  Object.assign(canvas, { width, height });
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(image, 0, 0);
  return context.getImageData(0, 0, width, height).data;
}
