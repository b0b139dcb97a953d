// The id mask and every paint operation on it. Pure: no DOM, no canvas.
//
// A mask is {width, height, ids: Uint32Array(width * height)}, row-major; ids[y * width + x] is the
// instance id of pixel (x, y) (0 = unlabeled, at most 2**24 - 1). It is the source of truth of the editor:
// tools write ids here with integer arithmetic only, never through a canvas (anti-aliasing and premultiplied
// alpha would invent ids). Coordinates are integer pixel indices: pixel (x, y) covers [x, x+1) x [y, y+1).
//
// Every operation records what it changed in a MaskChange, which is both the undo diff and the dirty box
// to repaint.

export const MAX_ID = 2 ** 24 - 1;

/** A blank (all-unlabeled) mask. */
export function createMask(width, height) {
  return { width, height, ids: new Uint32Array(width * height) };
}

/**
 * The pixels one edit changed: parallel typed arrays of pixel index, id before and id after, plus the
 * bounding box of the changed pixels (inclusive). Memory: 12 bytes per changed pixel.
 */
export class MaskChange {
  constructor() {
    this.length = 0;
    this.indices = new Int32Array(256);
    this.before = new Uint32Array(256);
    this.after = new Uint32Array(256);
    this.box = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
  }

  /** Write `id` at pixel `index` of `mask` (if it differs) and remember the old value. */
  write(mask, index, id) {
    const old = mask.ids[index];
    if (old === id) return;
    if (this.length === this.indices.length) this.grow();
    this.indices[this.length] = index;
    this.before[this.length] = old;
    this.after[this.length] = id;
    this.length += 1;
    mask.ids[index] = id;
    const x = index % mask.width;
    const y = (index - x) / mask.width;
    const box = this.box;
    if (x < box.x0) box.x0 = x;
    if (x > box.x1) box.x1 = x;
    if (y < box.y0) box.y0 = y;
    if (y > box.y1) box.y1 = y;
  }

  grow() {
    const size = this.indices.length * 2;
    for (const name of ["indices", "before", "after"]) {
      const bigger = new this[name].constructor(size);
      bigger.set(this[name]);
      this[name] = bigger;
    }
  }

  get isEmpty() {
    return this.length === 0;
  }

  /** Put back the ids from before the change (latest write first, so repeated writes unwind correctly). */
  undo(mask) {
    for (let k = this.length - 1; k >= 0; k -= 1) mask.ids[this.indices[k]] = this.before[k];
  }

  redo(mask) {
    for (let k = 0; k < this.length; k += 1) mask.ids[this.indices[k]] = this.after[k];
  }

  /** Give back the unused part of the arrays once the edit is finished. */
  trim() {
    if (this.indices.length === this.length) return this; // already exact (a change made in the mask worker)
    this.indices = this.indices.slice(0, this.length);
    this.before = this.before.slice(0, this.length);
    this.after = this.after.slice(0, this.length);
    return this;
  }
}

/**
 * Which pixels a paint operation may overwrite. `onlyUnlabeled`: only pixels whose id is 0 (or already the
 * painted id), so existing instances are never painted over.
 */
export function writeRule({ onlyUnlabeled = false } = {}) {
  return onlyUnlabeled ? (old, id) => old === 0 || old === id : () => true;
}

/**
 * Integer offsets [dx, dy] of a round brush `size` pixels across: every (dx, dy) with dx² + dy² <= (size/2)².
 * Size 1 is a single pixel.
 */
export function brushOffsets(size) {
  const radius = Math.max(1, Math.floor(size)) / 2;
  const reach = Math.floor(radius);
  const offsets = [];
  for (let dy = -reach; dy <= reach; dy += 1) {
    for (let dx = -reach; dx <= reach; dx += 1) {
      if (dx * dx + dy * dy <= radius * radius) offsets.push(dx, dy);
    }
  }
  return Int32Array.from(offsets);
}

/** Stamp the brush `offsets` centred on pixel (x, y), writing `id` where `canWrite(old, id)` allows. */
export function stamp(mask, change, x, y, offsets, id, canWrite) {
  const { width, height, ids } = mask;
  for (let k = 0; k < offsets.length; k += 2) {
    const px = x + offsets[k];
    const py = y + offsets[k + 1];
    if (px < 0 || py < 0 || px >= width || py >= height) continue;
    const index = py * width + px;
    if (canWrite(ids[index], id)) change.write(mask, index, id);
  }
}

/**
 * The integer pixels of the straight segment from (x0, y0) to (x1, y1), both included: one per step along
 * the longer axis, the other coordinate rounded half up. Calls visit(x, y) for each.
 */
export function segmentPixels(x0, y0, x1, y1, visit) {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const steps = Math.max(Math.abs(dx), Math.abs(dy));
  if (steps === 0) {
    visit(x0, y0);
    return;
  }
  for (let i = 0; i <= steps; i += 1) {
    // floor((2*d*i + steps) / (2*steps)) = round-half-up of d*i/steps, exactly, in integers.
    visit(x0 + Math.floor((2 * dx * i + steps) / (2 * steps)), y0 + Math.floor((2 * dy * i + steps) / (2 * steps)));
  }
}

/** Paint a brush (or, with id 0, eraser) stroke segment: the brush stamped at every pixel of the segment. */
export function paintSegment(mask, change, from, to, offsets, id, canWrite) {
  segmentPixels(from[0], from[1], to[0], to[1], (x, y) => stamp(mask, change, x, y, offsets, id, canWrite));
}

/**
 * Fill the polygon with integer pixel vertices [[x, y], ...] (closed implicitly): every pixel whose centre
 * lies inside (even-odd rule, scanline with half-open edges), plus the pixels of its outline so the
 * clicked vertices themselves are always painted.
 */
export function fillPolygon(mask, change, vertices, id, canWrite) {
  const { width, height, ids } = mask;
  const count = vertices.length;
  if (count < 3) return;
  const ys = vertices.map((vertex) => vertex[1]);
  const top = Math.max(0, Math.min(...ys));
  const bottom = Math.min(height - 1, Math.max(...ys));
  for (let y = top; y <= bottom; y += 1) {
    const crossings = [];
    for (let k = 0; k < count; k += 1) {
      const [ax, ay] = vertices[k];
      const [bx, by] = vertices[(k + 1) % count];
      if ((ay <= y && y < by) || (by <= y && y < ay)) crossings.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
    }
    crossings.sort((a, b) => a - b);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const start = Math.max(0, Math.ceil(crossings[k]));
      const end = Math.min(width - 1, Math.floor(crossings[k + 1]));
      for (let x = start; x <= end; x += 1) {
        const index = y * width + x;
        if (canWrite(ids[index], id)) change.write(mask, index, id);
      }
    }
  }
  const single = Int32Array.of(0, 0);
  for (let k = 0; k < count; k += 1) paintSegment(mask, change, vertices[k], vertices[(k + 1) % count], single, id, canWrite);
}

/**
 * Flood fill from pixel (x, y): the 4-connected region of pixels for which `inRegion(index)` holds
 * (evaluated once per pixel) gets `id` where `canWrite` allows.
 */
function floodFill(mask, change, x, y, id, canWrite, inRegion) {
  const { width, height, ids } = mask;
  if (x < 0 || y < 0 || x >= width || y >= height) return;
  const seen = new Uint8Array(width * height);
  let stack = new Int32Array(1024);
  let top = 0;
  const push = (next) => {
    if (seen[next]) return top;
    seen[next] = 1;
    if (top === stack.length) {
      const bigger = new Int32Array(stack.length * 2);
      bigger.set(stack);
      stack = bigger;
    }
    stack[top] = next;
    return top + 1;
  };
  top = push(y * width + x);
  while (top > 0) {
    const index = stack[--top];
    if (!inRegion(index)) continue;
    if (canWrite(ids[index], id)) change.write(mask, index, id);
    const px = index % width;
    if (px > 0) top = push(index - 1);
    if (px < width - 1) top = push(index + 1);
    if (index >= width) top = push(index - width);
    if (index < (height - 1) * width) top = push(index + width);
  }
}

/** Bucket fill of a mask region: the 4-connected pixels sharing the clicked pixel's id become `id`. */
export function fillMaskRegion(mask, change, x, y, id, canWrite) {
  if (x < 0 || y < 0 || x >= mask.width || y >= mask.height) return;
  const seed = mask.ids[y * mask.width + x];
  if (seed === id) return;
  // Compare against a snapshot-free rule: pixels already written in this fill carry `id`, not `seed`.
  floodFill(mask, change, x, y, id, canWrite, (index) => mask.ids[index] === seed);
}

/**
 * Bucket fill by photo colour: the 4-connected pixels whose RGB differs from the clicked pixel's by at most
 * `tolerance` on every channel become `id`. `rgba` is the photo's pixels (Uint8ClampedArray, same size).
 */
export function fillPhotoRegion(mask, change, rgba, x, y, id, canWrite, tolerance) {
  if (x < 0 || y < 0 || x >= mask.width || y >= mask.height) return;
  const seed = (y * mask.width + x) * 4;
  const [r, g, b] = [rgba[seed], rgba[seed + 1], rgba[seed + 2]];
  const similar = (index) => {
    const offset = index * 4;
    return (
      Math.abs(rgba[offset] - r) <= tolerance &&
      Math.abs(rgba[offset + 1] - g) <= tolerance &&
      Math.abs(rgba[offset + 2] - b) <= tolerance
    );
  };
  floodFill(mask, change, x, y, id, canWrite, similar);
}

/** Replace every pixel of instance `fromId` by `toId` (delete an instance: toId 0). */
export function replaceId(mask, change, fromId, toId) {
  const ids = mask.ids;
  for (let index = 0; index < ids.length; index += 1) {
    if (ids[index] === fromId) change.write(mask, index, toId);
  }
}

/**
 * Update `counts` (Map id -> pixel count, as idCounts returns) for `change` applied in `direction`
 * ("redo" = as recorded, "undo" = reverted), in time proportional to the change, not the image.
 */
export function updateCounts(counts, change, direction = "redo") {
  const [removed, added] = direction === "undo" ? [change.after, change.before] : [change.before, change.after];
  const bump = (id, delta) => {
    if (id === 0) return;
    const count = (counts.get(id) || 0) + delta;
    if (count > 0) counts.set(id, count);
    else counts.delete(id);
  };
  for (let k = 0; k < change.length; k += 1) {
    bump(removed[k], -1);
    bump(added[k], 1);
  }
  return counts;
}

/**
 * Apply pixel count changes (id -> delta, from the mask worker) to `counts`, dropping ids left without pixels.
 * @param {Map<number, number>} counts id -> pixel count, changed in place
 * @param {Map<number, number>} delta id -> change in pixels
 */
export function applyDelta(counts, delta) {
  for (const [id, change] of delta) {
    const count = (counts.get(id) || 0) + change;
    if (count > 0) counts.set(id, count);
    else counts.delete(id);
  }
}

/** Pixel count per id present in the mask (id 0 excluded), as a Map. */
export function idCounts(mask) {
  const counts = new Map();
  const ids = mask.ids;
  let previous = 0;
  let run = 0;
  // Runs of equal ids are the common case in masks; counting runs keeps Map lookups rare.
  for (let index = 0; index < ids.length; index += 1) {
    const id = ids[index];
    if (id === previous) {
      run += 1;
      continue;
    }
    if (previous !== 0) counts.set(previous, (counts.get(previous) || 0) + run);
    previous = id;
    run = 1;
  }
  if (previous !== 0 && run) counts.set(previous, (counts.get(previous) || 0) + run);
  return counts;
}
