// The label bitmap's pixels <-> instance ids, and the PNG container of an 8-bit RGBA image, with the zlib
// step passed in (fflate in the browser and its worker, the same in node tests). Pure: no DOM, no imports
// of npm packages, so the mask worker can load it (import maps do not reach workers).
//
// Pixel (R, G, B) holds the instance id R + 256*G + 65536*B, alpha 255 everywhere, 0 = unlabeled (the SDK's
// bitmap2file / load_label_bitmap_from_url format).

import { MAX_ID } from "./mask.js";

/** A problem with a bitmap file; `rule` matches the server's rule names (rgba_png, alpha, image_size). */
export class BitmapError extends Error {
  /** @param {string} rule @param {string} message */
  constructor(rule, message) {
    super(message);
    this.name = "BitmapError";
    this.rule = rule;
  }
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** RGBA bytes of an id mask {width, height, ids}; RangeError for an id beyond 24 bits. */
export function idsToRgba(mask) {
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
  return rgba;
}

/** The id mask of RGBA bytes; BitmapError("alpha") when a pixel's alpha is not 255. */
export function rgbaToIds(rgba, width, height) {
  const ids = new Uint32Array(width * height);
  let badAlpha = 0;
  for (let index = 0, offset = 0; index < ids.length; index += 1, offset += 4) {
    ids[index] = rgba[offset] | (rgba[offset + 1] << 8) | (rgba[offset + 2] << 16);
    if (rgba[offset + 3] !== 255) badAlpha += 1;
  }
  if (badAlpha) throw new BitmapError("alpha", `The label bitmap's alpha must be 255 everywhere; ${badAlpha} pixel(s) differ.`);
  return { width, height, ids };
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes, start, end) {
  let c = 0xffffffff;
  for (let i = start; i < end; i += 1) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i += 1) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/**
 * An 8-bit RGBA PNG (non-interlaced, filter 0 on every row) of `rgba`; `deflate(bytes) -> zlib bytes`.
 * @param {number} width @param {number} height @param {Uint8Array} rgba
 * @param {(data: Uint8Array) => Uint8Array} deflate
 */
export function encodeRgbaPng(width, height, rgba, deflate) {
  const stride = width * 4;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y += 1) raw.set(rgba.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // depth 8, RGBA, deflate, adaptive filtering, no interlace
  const parts = [Uint8Array.from(SIGNATURE), chunk("IHDR", header), chunk("IDAT", deflate(raw)), chunk("IEND", new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Decode a non-interlaced 8-bit RGBA PNG into {width, height, rgba}; `inflate(zlib bytes) -> bytes`.
 * Returns null for any other PNG (palette, 16-bit, interlaced...): the caller decodes those with fast-png,
 * which also names the problem. Raises BitmapError("rgba_png") for bytes that are not a PNG.
 * @param {Uint8Array} bytes
 * @param {(data: Uint8Array) => Uint8Array} inflate
 */
export function decodeRgbaPng(bytes, inflate) {
  if (bytes.length < 8 || SIGNATURE.some((value, index) => bytes[index] !== value)) {
    throw new BitmapError("rgba_png", "The label bitmap is not a readable PNG (no PNG signature).");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat = [];
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      const [depth, colorType, , , interlace] = data.subarray(8, 13);
      if (depth !== 8 || colorType !== 6 || interlace !== 0) return null;
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  const compressed = new Uint8Array(idat.reduce((total, part) => total + part.length, 0));
  let position = 0;
  for (const part of idat) {
    compressed.set(part, position);
    position += part.length;
  }
  const raw = inflate(compressed);
  const stride = width * 4;
  if (raw.length < (stride + 1) * height) throw new BitmapError("rgba_png", "The label bitmap's image data is truncated.");
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    const source = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x += 1) {
      const a = x >= 4 ? rgba[row + x - 4] : 0;
      const b = y > 0 ? rgba[row - stride + x] : 0;
      const c = x >= 4 && y > 0 ? rgba[row - stride + x - 4] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >>> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      rgba[row + x] = (raw[source + x] + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}
