// Drawing the mask for the eye: a display canvas the size of the image, coloured per instance with its
// category colour, opacity and visibility. Display only; ids are never read back from it.

/** Pack [r, g, b] and an opacity in 0..1 into the 32-bit little-endian RGBA word ImageData uses. */
export function packColor([r, g, b], opacity) {
  const alpha = Math.round(Math.max(0, Math.min(1, opacity)) * 255);
  return ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

/**
 * The display pixels (RGBA bytes, row-major) of the box {x0, y0, x1, y1} (inclusive, clamped to the mask) of
 * `mask`, with `colorOf(id)` -> packed colour word. Pure (the mask worker uses it too). Returns
 * {x0, y0, width, height, pixels: Uint8ClampedArray} or null for an empty box.
 */
export function maskPixels(mask, colorOf, box = null) {
  const { width, ids } = mask;
  const x0 = box ? Math.max(0, box.x0) : 0;
  const y0 = box ? Math.max(0, box.y0) : 0;
  const x1 = box ? Math.min(width - 1, box.x1) : width - 1;
  const y1 = box ? Math.min(mask.height - 1, box.y1) : mask.height - 1;
  if (x1 < x0 || y1 < y0) return null;
  const boxWidth = x1 - x0 + 1;
  const pixels = new Uint8ClampedArray(boxWidth * (y1 - y0 + 1) * 4);
  const words = new Uint32Array(pixels.buffer);
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
  return { x0, y0, width: boxWidth, height: y1 - y0 + 1, pixels };
}

/** Rows per putImageData slice when painting big boxes: each slice stays a short main-thread task. */
const SLICE_PIXELS = 1 << 21;

/**
 * Paint display pixels (from maskPixels, here or in the worker) onto `canvas`, in row slices of about 2 M
 * pixels, one slice per animation frame, so that a 6000x4000 repaint never blocks the page for long.
 * Resolves when painted.
 */
export function paintPixels(canvas, { x0, y0, width, height, pixels }) {
  const context = canvas.getContext("2d");
  const image = new ImageData(pixels, width, height);
  const rows = Math.max(1, Math.floor(SLICE_PIXELS / width));
  if (rows >= height) {
    context.putImageData(image, x0, y0);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let top = 0;
    const slice = () => {
      context.putImageData(image, x0, y0, 0, top, width, Math.min(rows, height - top));
      top += rows;
      if (top < height) requestAnimationFrame(slice);
      else resolve();
    };
    slice();
  });
}

/**
 * Repaint the box {x0, y0, x1, y1} (inclusive pixel bounds; the whole image when omitted) of `canvas` from
 * `mask`. `colorOf(id)` returns the packed colour word of an instance (0 = transparent).
 */
export function renderMask(canvas, mask, colorOf, box = null) {
  const shown = maskPixels(mask, colorOf, box);
  if (shown) canvas.getContext("2d").putImageData(new ImageData(shown.pixels, shown.width, shown.height), shown.x0, shown.y0);
}

/**
 * The SVG markup of the overlay (in image pixels): the polygon being drawn with its first vertex, and the
 * brush outline at the pointer for the brush and eraser tools.
 * @param {number[][]} polygon vertices [x, y] so far
 * @param {number[]|null} cursor the pixel [x, y] under the pointer, or null
 * @param {{tool: string, brushSize: number}} tool the editor's tool state
 * @param {number} scale screen pixels per image pixel (the first vertex keeps 4 screen pixels)
 * @returns {string}
 */
export function overlayMarkup(polygon, cursor, tool, scale) {
  const parts = [];
  if (polygon.length) {
    const points = polygon.map(([x, y]) => `${x + 0.5},${y + 0.5}`).join(" ");
    parts.push(`<polyline points="${points}" class="seg-polygon" vector-effect="non-scaling-stroke"/>`);
    const [x, y] = polygon[0];
    parts.push(`<circle cx="${x + 0.5}" cy="${y + 0.5}" r="${4 / scale}" class="seg-polygon-start"/>`);
  }
  if (cursor && (tool.tool === "brush" || tool.tool === "eraser")) {
    const radius = Math.max(1, tool.brushSize) / 2;
    parts.push(`<circle cx="${cursor[0] + 0.5}" cy="${cursor[1] + 0.5}" r="${radius}" class="seg-cursor" vector-effect="non-scaling-stroke"/>`);
  }
  return parts.join("");
}
