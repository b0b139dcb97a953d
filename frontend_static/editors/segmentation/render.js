// Drawing the mask for the eye: a display canvas the size of the image, coloured per instance with its
// category colour, opacity and visibility. Display only; ids are never read back from it.

/** Pack [r, g, b] and an opacity in 0..1 into the 32-bit little-endian RGBA word ImageData uses. */
export function packColor([r, g, b], opacity) {
  const alpha = Math.round(Math.max(0, Math.min(1, opacity)) * 255);
  return ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/**
 * Repaint the box {x0, y0, x1, y1} (inclusive pixel bounds; the whole image when omitted) of `canvas` from
 * `mask`. `colorOf(id)` returns the packed colour word of an instance (0 = transparent).
 */
export function renderMask(canvas, mask, colorOf, box = null) {
  const { width, ids } = mask;
  const x0 = box ? Math.max(0, box.x0) : 0;
  const y0 = box ? Math.max(0, box.y0) : 0;
  const x1 = box ? Math.min(width - 1, box.x1) : width - 1;
  const y1 = box ? Math.min(mask.height - 1, box.y1) : mask.height - 1;
  if (x1 < x0 || y1 < y0) return;
  const boxWidth = x1 - x0 + 1;
  const image = new ImageData(boxWidth, y1 - y0 + 1);
  const words = new Uint32Array(image.data.buffer);
  let lastId = 0;
  let lastColor = 0;
  for (let y = y0, out = 0; y <= y1; y += 1) {
    let index = y * width + x0;
    for (let x = 0; x < boxWidth; x += 1, index += 1, out += 1) {
      const id = ids[index];
      if (id === 0) continue;
      if (id !== lastId) {
        lastId = id;
        lastColor = colorOf(id);
      }
      words[out] = lastColor;
    }
  }
  canvas.getContext("2d").putImageData(image, x0, y0);
}
