// The label bitmap file: an 8-bit RGBA PNG whose pixel (R, G, B) holds the instance id R + 256*G + 65536*B,
// alpha 255 everywhere, 0 = unlabeled (the SDK's bitmap2file / load_label_bitmap_from_url format).
// Encoded and decoded with fast-png, never through a canvas: a canvas may colour-manage or premultiply, and
// one changed bit is a different instance.

import { decode, encode } from "fast-png";

import { MAX_ID } from "./mask.js";

/** A problem with a bitmap file; `rule` matches the server's rule names (rgba_png, alpha, image_size). */
export class BitmapError extends Error {
  constructor(rule, message) {
    super(message);
    this.name = "BitmapError";
    this.rule = rule;
  }
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

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
  const { width, height } = png;
  const data = png.data;
  const ids = new Uint32Array(width * height);
  let badAlpha = 0;
  for (let index = 0, offset = 0; index < ids.length; index += 1, offset += 4) {
    ids[index] = data[offset] | (data[offset + 1] << 8) | (data[offset + 2] << 16);
    if (data[offset + 3] !== 255) badAlpha += 1;
  }
  if (badAlpha) throw new BitmapError("alpha", `The label bitmap's alpha must be 255 everywhere; ${badAlpha} pixel(s) differ.`);
  return { width, height, ids };
}

/** Encode a mask as the RGBA PNG bytes (Uint8Array) of the label format. Raises RangeError for ids > 2**24-1. */
export function encodeIdPng(mask) {
  const { width, height, ids } = mask;
  const rgba = new Uint8Array(width * height * 4);
  if (LITTLE_ENDIAN) {
    const words = new Uint32Array(rgba.buffer);
    for (let index = 0; index < ids.length; index += 1) {
      const id = ids[index];
      if (id > MAX_ID) throw new RangeError(`id ${id} does not fit in 24 bits`);
      words[index] = (id | 0xff000000) >>> 0; // bytes R, G, B, A=255 in memory order
    }
  } else {
    for (let index = 0, offset = 0; index < ids.length; index += 1, offset += 4) {
      const id = ids[index];
      if (id > MAX_ID) throw new RangeError(`id ${id} does not fit in 24 bits`);
      rgba[offset] = id & 0xff;
      rgba[offset + 1] = (id >>> 8) & 0xff;
      rgba[offset + 2] = (id >>> 16) & 0xff;
      rgba[offset + 3] = 255;
    }
  }
  // zlib level 1: label masks are flat regions, so level 1 is nearly as small and several times faster.
  return encode({ width, height, data: rgba, depth: 8, channels: 4 }, { zlib: { level: 1 } });
}
