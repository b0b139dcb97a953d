// The label bitmap file: an 8-bit RGBA PNG whose pixel (R, G, B) holds the instance id R + 256*G + 65536*B,
// alpha 255 everywhere, 0 = unlabeled (the SDK's bitmap2file / load_label_bitmap_from_url format).
// Encoded and decoded with fast-png, never through a canvas: a canvas may colour-manage or premultiply, and
// one changed bit is a different instance.

import { decode, encode } from "fast-png";

import { BitmapError, idsToRgba, rgbaToIds } from "./id-codec.js";

export { BitmapError } from "./id-codec.js";

/**
 * Decode PNG bytes (ArrayBuffer or Uint8Array) into a mask {width, height, ids: Uint32Array}.
 * Raises BitmapError("rgba_png") for anything but an 8-bit RGBA PNG and BitmapError("alpha") when a pixel's
 * alpha is not 255.
 */
export function decodeIdPng(bytes) {
  let png;
  try {
    png = decode(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  } catch (error) {
    throw new BitmapError("rgba_png", `The label bitmap is not a readable PNG (${error.message}).`);
  }
  if (png.channels !== 4 || png.depth !== 8 || png.palette) {
    const kind = png.palette ? "palette" : `${png.channels}-channel`;
    throw new BitmapError("rgba_png", `The label bitmap must be an 8-bit RGBA PNG, not a ${png.depth}-bit ${kind} PNG.`);
  }
  return rgbaToIds(png.data, png.width, png.height);
}

/** Encode a mask as the RGBA PNG bytes (Uint8Array) of the label format. Raises RangeError for ids > 2**24-1. */
export function encodeIdPng(mask) {
  const { width, height } = mask;
  const rgba = idsToRgba(mask);
  // zlib level 1: label masks are flat regions, so level 1 is nearly as small and several times faster.
  return encode({ width, height, data: rgba, depth: 8, channels: 4 }, { zlib: { level: 1 } });
}
