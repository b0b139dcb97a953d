// Per-point computation of the point-cloud segmentation editor, on typed arrays only (a million points stay
// fluid: no JS Map/Set per point, no per-point objects). Pure functions, tested with `node --test`.
//
// - ids: one Uint32Array of instance ids per frame, in file point order (0 = unlabeled): what is saved as
//   `point_annotations`.
// - Screen projection: every point through the camera's view-projection matrix into canvas pixels (x right,
//   y down), NaN for points behind the camera or outside the near/far planes; selection tools (lasso
//   polygon, box, brush circle) test these screen positions in tight loops.
// - Selection: a Uint8Array of flags (1 = selected) changed by replace / add / subtract.
// - Edits: an assignment is stored as a compact diff (the changed point indices and their previous ids), never
//   as a copy of the ids array; undo/redo replays it.

/**
 * @typedef {object} IdsDiff a reversible change of an ids array
 * @property {Uint32Array} indices the points whose id changed (ascending)
 * @property {Uint32Array} before their ids before the change
 * @property {number} after the id they all got
 */

/**
 * Project every point into canvas pixels with a column-major 4x4 view-projection matrix (three.js
 * `camera.projectionMatrix x camera.matrixWorldInverse`, `.elements`).
 * @param {Float32Array} xyz 3 * count coordinates (file order, NaN points allowed)
 * @param {number} count
 * @param {number[]|Float32Array|Float64Array} m 16 matrix elements, column-major
 * @param {number} width canvas width in CSS pixels
 * @param {number} height canvas height in CSS pixels
 * @param {Float32Array} [out] 2 * count values to reuse
 * @returns {Float32Array} x, y per point; NaN when the point is not in front of the camera (clip w <= 0,
 *   or beyond the near/far planes)
 */
export function projectToScreen(xyz, count, m, width, height, out = new Float32Array(2 * count)) {
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14, m15] = m;
  const hw = width / 2;
  const hh = height / 2;
  for (let i = 0, j = 0, k = 0; i < count; i += 1, j += 3, k += 2) {
    const x = xyz[j];
    const y = xyz[j + 1];
    const z = xyz[j + 2];
    const w = m3 * x + m7 * y + m11 * z + m15;
    const cz = m2 * x + m6 * y + m10 * z + m14;
    if (!(w > 0) || cz < -w || cz > w) {
      out[k] = NaN;
      out[k + 1] = NaN;
      continue;
    }
    out[k] = ((m0 * x + m4 * y + m8 * z + m12) / w + 1) * hw;
    out[k + 1] = (1 - (m1 * x + m5 * y + m9 * z + m13) / w) * hh;
  }
  return out;
}

/** @param {Uint32Array} buffer @param {number} length */
function trimmed(buffer, length) {
  return buffer.slice(0, length);
}

/**
 * Indices of the points whose screen position lies inside `polygon` (even-odd rule), in ascending order.
 * @param {Float32Array} screen projectToScreen's output
 * @param {number} count
 * @param {Array<[number, number]>} polygon vertices in canvas pixels (closed implicitly)
 * @param {Uint8Array|null} [eligible] 1 = may be selected (null: every point)
 * @returns {Uint32Array}
 */
export function selectInPolygon(screen, count, polygon, eligible = null) {
  const n = polygon.length;
  if (n < 3) return new Uint32Array(0);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let v = 0; v < n; v += 1) {
    xs[v] = polygon[v][0];
    ys[v] = polygon[v][1];
    minX = Math.min(minX, xs[v]);
    maxX = Math.max(maxX, xs[v]);
    minY = Math.min(minY, ys[v]);
    maxY = Math.max(maxY, ys[v]);
  }
  const out = new Uint32Array(count);
  let found = 0;
  for (let i = 0; i < count; i += 1) {
    const px = screen[2 * i];
    const py = screen[2 * i + 1];
    // NaN fails every comparison: points behind the camera are never inside
    if (!(px >= minX && px <= maxX && py >= minY && py <= maxY)) continue;
    if (eligible && !eligible[i]) continue;
    let inside = false;
    for (let a = 0, b = n - 1; a < n; b = a, a += 1) {
      const ya = ys[a];
      const yb = ys[b];
      if (ya > py !== yb > py && px < ((xs[b] - xs[a]) * (py - ya)) / (yb - ya) + xs[a]) inside = !inside;
    }
    if (inside) out[found++] = i;
  }
  return trimmed(out, found);
}

/**
 * Indices of the points whose screen position lies in the box spanned by two corners (any order).
 * @param {Float32Array} screen
 * @param {number} count
 * @param {[number, number]} a @param {[number, number]} b corners in canvas pixels
 * @param {Uint8Array|null} [eligible]
 * @returns {Uint32Array}
 */
export function selectInBox(screen, count, a, b, eligible = null) {
  const x0 = Math.min(a[0], b[0]);
  const x1 = Math.max(a[0], b[0]);
  const y0 = Math.min(a[1], b[1]);
  const y1 = Math.max(a[1], b[1]);
  const out = new Uint32Array(count);
  let found = 0;
  for (let i = 0; i < count; i += 1) {
    const px = screen[2 * i];
    const py = screen[2 * i + 1];
    if (px >= x0 && px <= x1 && py >= y0 && py <= y1 && (!eligible || eligible[i])) out[found++] = i;
  }
  return trimmed(out, found);
}

/**
 * Indices of the points whose screen position lies within `radius` pixels of (cx, cy) (the brush).
 * @param {Float32Array} screen
 * @param {number} count
 * @param {number} cx @param {number} cy @param {number} radius canvas pixels
 * @param {Uint8Array|null} [eligible]
 * @returns {Uint32Array}
 */
export function selectInCircle(screen, count, cx, cy, radius, eligible = null) {
  const r2 = radius * radius;
  const out = new Uint32Array(count);
  let found = 0;
  for (let i = 0; i < count; i += 1) {
    const dx = screen[2 * i] - cx;
    const dy = screen[2 * i + 1] - cy;
    if (dx * dx + dy * dy <= r2 && (!eligible || eligible[i])) out[found++] = i;
  }
  return trimmed(out, found);
}

/**
 * Change the selection flags with `indices`: "replace" (only these), "add" or "subtract".
 * @param {Uint8Array} flags 1 = selected, one per point
 * @param {Uint32Array} indices
 * @param {"replace"|"add"|"subtract"} mode
 * @param {number} [selected] how many points are selected before (counted when omitted)
 * @returns {number} how many points are selected afterwards
 */
export function applySelection(flags, indices, mode, selected = undefined) {
  let count = selected;
  if (mode === "replace") {
    flags.fill(0);
    count = 0;
  } else if (count === undefined) {
    count = 0;
    for (let i = 0; i < flags.length; i += 1) count += flags[i];
  }
  const value = mode === "subtract" ? 0 : 1;
  for (let k = 0; k < indices.length; k += 1) {
    const i = indices[k];
    if (flags[i] !== value) {
      flags[i] = value;
      count += value ? 1 : -1;
    }
  }
  return count;
}

/**
 * @typedef {object} ScreenGrid the projected points bucketed into square screen cells (a counting sort), so the
 *   brush visits only the points near it
 * @property {number} cell cell size in pixels
 * @property {number} columns @property {number} rows
 * @property {Uint32Array} start per cell (plus one): where its points begin in `points`
 * @property {Uint32Array} points point indices, cell by cell
 */

/**
 * Bucket the on-screen points into `cell`-pixel cells (points off the canvas or NaN are left out).
 * @param {Float32Array} screen @param {number} count @param {number} width @param {number} height
 * @param {number} [cell] pixels (default 32)
 * @returns {ScreenGrid}
 */
export function buildScreenGrid(screen, count, width, height, cell = 32) {
  const columns = Math.max(1, Math.ceil(width / cell));
  const rows = Math.max(1, Math.ceil(height / cell));
  const cellOf = new Int32Array(count);
  const start = new Uint32Array(columns * rows + 1);
  for (let i = 0; i < count; i += 1) {
    const x = screen[2 * i];
    const y = screen[2 * i + 1];
    if (!(x >= 0 && x < width && y >= 0 && y < height)) {
      cellOf[i] = -1;
      continue;
    }
    const c = Math.floor(y / cell) * columns + Math.floor(x / cell);
    cellOf[i] = c;
    start[c + 1] += 1;
  }
  for (let c = 0; c < columns * rows; c += 1) start[c + 1] += start[c];
  const fill = start.slice(0, columns * rows);
  const points = new Uint32Array(start[columns * rows]);
  for (let i = 0; i < count; i += 1) if (cellOf[i] >= 0) points[fill[cellOf[i]]++] = i;
  return { cell, columns, rows, start, points };
}

/**
 * Indices of the points within `radius` pixels of the segment a-b (a brush stroke between two pointer positions;
 * a = b for the press), ascending. Visits only the grid cells around the segment.
 * @param {ScreenGrid} grid @param {Float32Array} screen
 * @param {[number, number]} a @param {[number, number]} b @param {number} radius pixels
 * @param {Uint8Array|null} [eligible]
 * @returns {Uint32Array}
 */
export function selectNearSegment(grid, screen, a, b, radius, eligible = null) {
  const [ax, ay] = a;
  const dx = b[0] - ax;
  const dy = b[1] - ay;
  const length2 = dx * dx + dy * dy;
  const r2 = radius * radius;
  const { cell, columns, rows, start, points } = grid;
  const c0 = Math.max(0, Math.floor((Math.min(ax, b[0]) - radius) / cell));
  const c1 = Math.min(columns - 1, Math.floor((Math.max(ax, b[0]) + radius) / cell));
  const r0 = Math.max(0, Math.floor((Math.min(ay, b[1]) - radius) / cell));
  const r1 = Math.min(rows - 1, Math.floor((Math.max(ay, b[1]) + radius) / cell));
  const found = [];
  for (let row = r0; row <= r1; row += 1) {
    for (let column = c0; column <= c1; column += 1) {
      const c = row * columns + column;
      for (let k = start[c]; k < start[c + 1]; k += 1) {
        const i = points[k];
        const px = screen[2 * i];
        const py = screen[2 * i + 1];
        let t = length2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / length2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = px - (ax + t * dx);
        const ey = py - (ay + t * dy);
        if (ex * ex + ey * ey <= r2 && (!eligible || eligible[i])) found.push(i);
      }
    }
  }
  return Uint32Array.from(found).sort();
}

/** The indices of the flagged points, ascending. @param {Uint8Array} flags @returns {Uint32Array} */
export function flaggedIndices(flags) {
  const out = new Uint32Array(flags.length);
  let found = 0;
  for (let i = 0; i < flags.length; i += 1) if (flags[i]) out[found++] = i;
  return trimmed(out, found);
}

/**
 * Give the points `indices` the id `id` (0 = unlabel); with `onlyUnlabeled`, points that already have an id
 * keep it. Returns the diff (only the points that changed) for undo, or null when nothing changed.
 * @param {Uint32Array} ids
 * @param {Uint32Array} indices ascending
 * @param {number} id
 * @param {{onlyUnlabeled?: boolean}} [options]
 * @returns {IdsDiff|null}
 */
export function assignIds(ids, indices, id, options = {}) {
  const changed = new Uint32Array(indices.length);
  const before = new Uint32Array(indices.length);
  let found = 0;
  for (let k = 0; k < indices.length; k += 1) {
    const i = indices[k];
    const old = ids[i];
    if (old === id || (options.onlyUnlabeled && old !== 0)) continue;
    changed[found] = i;
    before[found] = old;
    ids[i] = id;
    found += 1;
  }
  if (!found) return null;
  return { indices: changed.slice(0, found), before: before.slice(0, found), after: id };
}

/** Undo a diff. @param {Uint32Array} ids @param {IdsDiff} diff */
export function revertDiff(ids, diff) {
  for (let k = 0; k < diff.indices.length; k += 1) ids[diff.indices[k]] = diff.before[k];
}

/** Redo a diff. @param {Uint32Array} ids @param {IdsDiff} diff */
export function reapplyDiff(ids, diff) {
  for (let k = 0; k < diff.indices.length; k += 1) ids[diff.indices[k]] = diff.after;
}

/**
 * Points per id: a plain object {id: count} built in one pass (ids are few; points are many).
 * @param {Uint32Array} ids
 * @returns {Map<number, number>} id (not 0) -> points
 */
export function idCounts(ids) {
  /** @type {Map<number, number>} */
  const counts = new Map();
  let last = 0;
  let run = 0;
  const flush = () => {
    if (last !== 0 && run) counts.set(last, (counts.get(last) || 0) + run);
  };
  for (let i = 0; i < ids.length; i += 1) {
    const id = ids[i];
    if (id === last) {
      run += 1;
      continue;
    }
    flush();
    last = id;
    run = 1;
  }
  flush();
  return counts;
}

/**
 * The indices of the points with id `id`, ascending.
 * @param {Uint32Array} ids @param {number} id @returns {Uint32Array}
 */
export function indicesOfId(ids, id) {
  const out = new Uint32Array(ids.length);
  let found = 0;
  for (let i = 0; i < ids.length; i += 1) if (ids[i] === id) out[found++] = i;
  return trimmed(out, found);
}

/**
 * @typedef {object} GroundPlane z = a x + b y + c (metres), fitted to the lowest points
 * @property {number} a @property {number} b @property {number} c
 * @property {number} support how many lowest points the final fit used
 */

/**
 * Fit the ground plane: the lowest point of every `cellSize` x `cellSize` metre column (a grid over x, y),
 * then least squares z = a x + b y + c, refitted `iterations` times without the lowest points that lie more than
 * `tolerance` metres off the plane (kerbs, cars' roofs in cells without ground).
 * @param {Float32Array} xyz
 * @param {number} count
 * @param {{cellSize?: number, tolerance?: number, iterations?: number, maxRange?: number}} [options]
 *   defaults 2 m, 0.2 m, 3, and 60 m (points farther from the sensor in x or y are not used)
 * @returns {GroundPlane|null} null when fewer than 3 cells have points
 */
export function fitGroundPlane(xyz, count, options = {}) {
  const cellSize = options.cellSize ?? 2;
  const tolerance = options.tolerance ?? 0.2;
  const iterations = options.iterations ?? 3;
  const maxRange = options.maxRange ?? 60;
  const side = Math.ceil((2 * maxRange) / cellSize);
  const lowest = new Float32Array(side * side).fill(Infinity);
  const lowestIndex = new Int32Array(side * side).fill(-1);
  for (let i = 0; i < count; i += 1) {
    const x = xyz[3 * i];
    const y = xyz[3 * i + 1];
    const z = xyz[3 * i + 2];
    if (!(Math.abs(x) < maxRange && Math.abs(y) < maxRange) || !Number.isFinite(z)) continue;
    const cell = Math.floor((y + maxRange) / cellSize) * side + Math.floor((x + maxRange) / cellSize);
    if (z < lowest[cell]) {
      lowest[cell] = z;
      lowestIndex[cell] = i;
    }
  }
  const candidates = [];
  for (const index of lowestIndex) if (index >= 0) candidates.push(index);
  if (candidates.length < 3) return null;
  // start from the lower half of the column minima: the ground is below whatever else fills a column
  const zs = candidates.map((index) => xyz[3 * index + 2]).sort((p, q) => p - q);
  const median = zs[Math.floor(zs.length / 2)];
  let used = candidates.filter((index) => xyz[3 * index + 2] <= median + tolerance);
  let plane = leastSquaresPlane(xyz, used);
  for (let round = 0; round < iterations && plane; round += 1) {
    const fitted = plane;
    const kept = candidates.filter((index) => Math.abs(planeResidual(fitted, xyz, index)) <= tolerance);
    if (kept.length < 3) break;
    used = kept;
    plane = leastSquaresPlane(xyz, used) || plane;
  }
  return plane ? { ...plane, support: used.length } : null;
}

function planeResidual(plane, xyz, index) {
  return xyz[3 * index + 2] - (plane.a * xyz[3 * index] + plane.b * xyz[3 * index + 1] + plane.c);
}

function leastSquaresPlane(xyz, indices) {
  // normal equations of z = a x + b y + c
  let sxx = 0, sxy = 0, sx = 0, syy = 0, sy = 0, sxz = 0, syz = 0, sz = 0;
  const n = indices.length;
  for (const index of indices) {
    const x = xyz[3 * index];
    const y = xyz[3 * index + 1];
    const z = xyz[3 * index + 2];
    sxx += x * x; sxy += x * y; sx += x; syy += y * y; sy += y; sxz += x * z; syz += y * z; sz += z;
  }
  const det = sxx * (syy * n - sy * sy) - sxy * (sxy * n - sy * sx) + sx * (sxy * sy - syy * sx);
  if (!(Math.abs(det) > 1e-9)) return null;
  const a = (sxz * (syy * n - sy * sy) - sxy * (syz * n - sy * sz) + sx * (syz * sy - syy * sz)) / det;
  const b = (sxx * (syz * n - sz * sy) - sxz * (sxy * n - sy * sx) + sx * (sxy * sz - syz * sx)) / det;
  const c = (sxx * (syy * sz - sy * syz) - sxy * (sxy * sz - sx * syz) + sxz * (sxy * sy - syy * sx)) / det;
  return { a, b, c };
}

/**
 * Indices of the points within `tolerance` metres (vertically) of the plane.
 * @param {Float32Array} xyz @param {number} count @param {GroundPlane} plane @param {number} tolerance metres
 * @param {Uint8Array|null} [eligible]
 * @returns {Uint32Array}
 */
export function pointsNearPlane(xyz, count, plane, tolerance, eligible = null) {
  const out = new Uint32Array(count);
  let found = 0;
  for (let i = 0; i < count; i += 1) {
    const residual = xyz[3 * i + 2] - (plane.a * xyz[3 * i] + plane.b * xyz[3 * i + 1] + plane.c);
    if (Math.abs(residual) <= tolerance && (!eligible || eligible[i])) out[found++] = i;
  }
  return trimmed(out, found);
}

/**
 * An ego pose: the sensor frame's position and heading (unit quaternion) in world coordinates.
 * @typedef {{position: {x: number, y: number, z: number}, heading: {qx: number, qy: number, qz: number, qw: number}}} EgoPose
 */

/**
 * The points in world coordinates (world = R(heading) p + position); a copy of `xyz` without a pose.
 * @param {Float32Array} xyz @param {number} count @param {EgoPose|null|undefined} pose
 * @returns {Float64Array}
 */
export function worldPoints(xyz, count, pose) {
  const out = new Float64Array(3 * count);
  if (!pose || !pose.position || !pose.heading) {
    for (let k = 0; k < 3 * count; k += 1) out[k] = xyz[k];
    return out;
  }
  const { qx, qy, qz, qw } = pose.heading;
  const { x: tx, y: ty, z: tz } = pose.position;
  const r00 = 1 - 2 * (qy * qy + qz * qz), r01 = 2 * (qx * qy - qz * qw), r02 = 2 * (qx * qz + qy * qw);
  const r10 = 2 * (qx * qy + qz * qw), r11 = 1 - 2 * (qx * qx + qz * qz), r12 = 2 * (qy * qz - qx * qw);
  const r20 = 2 * (qx * qz - qy * qw), r21 = 2 * (qy * qz + qx * qw), r22 = 1 - 2 * (qx * qx + qy * qy);
  for (let i = 0; i < count; i += 1) {
    const x = xyz[3 * i];
    const y = xyz[3 * i + 1];
    const z = xyz[3 * i + 2];
    out[3 * i] = r00 * x + r01 * y + r02 * z + tx;
    out[3 * i + 1] = r10 * x + r11 * y + r12 * z + ty;
    out[3 * i + 2] = r20 * x + r21 * y + r22 * z + tz;
  }
  return out;
}

/**
 * Nearest-neighbour propagation: the indices of the `target` points whose nearest `source` point is at most
 * `radius` metres away (both in the same, world, coordinates). The source points (an instance's points, few)
 * go into a voxel grid of `radius`-sized cells, so each target point checks its 27 neighbouring cells only.
 * @param {Float64Array|Float32Array} source 3 * sourceCount coordinates
 * @param {number} sourceCount
 * @param {Float64Array|Float32Array} target 3 * targetCount coordinates
 * @param {number} targetCount
 * @param {number} radius metres (> 0)
 * @returns {Uint32Array} target indices, ascending
 */
export function nearSourcePoints(source, sourceCount, target, targetCount, radius) {
  const out = new Uint32Array(targetCount);
  if (!sourceCount || !(radius > 0)) return out.slice(0, 0);
  const cell = (v) => Math.floor(v / radius);
  const keyOf = (ix, iy, iz) => `${ix},${iy},${iz}`;
  /** @type {Map<string, number[]>} the source points per cell (one entry per occupied cell, not per point) */
  const grid = new Map();
  for (let s = 0; s < sourceCount; s += 1) {
    const x = source[3 * s];
    const y = source[3 * s + 1];
    const z = source[3 * s + 2];
    if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) continue;
    const key = keyOf(cell(x), cell(y), cell(z));
    const bucket = grid.get(key);
    if (bucket) bucket.push(s);
    else grid.set(key, [s]);
  }
  const r2 = radius * radius;
  let found = 0;
  for (let t = 0; t < targetCount; t += 1) {
    const x = target[3 * t];
    const y = target[3 * t + 1];
    const z = target[3 * t + 2];
    if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) continue;
    const ix = cell(x);
    const iy = cell(y);
    const iz = cell(z);
    let near = false;
    for (let dx = -1; dx <= 1 && !near; dx += 1) {
      for (let dy = -1; dy <= 1 && !near; dy += 1) {
        for (let dz = -1; dz <= 1 && !near; dz += 1) {
          const bucket = grid.get(keyOf(ix + dx, iy + dy, iz + dz));
          if (!bucket) continue;
          for (const s of bucket) {
            const ex = source[3 * s] - x;
            const ey = source[3 * s + 1] - y;
            const ez = source[3 * s + 2] - z;
            if (ex * ex + ey * ey + ez * ez <= r2) {
              near = true;
              break;
            }
          }
        }
      }
    }
    if (near) out[found++] = t;
  }
  return out.slice(0, found);
}

/**
 * The nearest point to a screen position among the projected points, within `maxPixels` (snapping).
 * @param {Float32Array} screen @param {number} count @param {number} x @param {number} y
 * @param {number} maxPixels
 * @param {Uint8Array|null} [eligible]
 * @returns {number} the point index, or -1
 */
export function nearestOnScreen(screen, count, x, y, maxPixels, eligible = null) {
  let best = -1;
  let bestD = maxPixels * maxPixels;
  for (let i = 0; i < count; i += 1) {
    const dx = screen[2 * i] - x;
    const dy = screen[2 * i + 1] - y;
    const d = dx * dx + dy * dy;
    if (d <= bestD && (!eligible || eligible[i])) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
