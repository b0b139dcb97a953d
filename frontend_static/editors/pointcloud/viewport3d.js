// The 3D perspective viewport of the point-cloud editors, on three.js (npm `three`, served from node_modules
// through the page's import map: "three" -> three/build/three.module.js, "three/examples/jsm/" ->
// three/examples/jsm/). Lidar frames are z-up, metres, ego vehicle at the origin.
//
// Points are one THREE.Points over a BufferGeometry of the frame's finite points (buffer.js); colour by height
// or intensity (colors.js), point size in pixels, a ground grid, orbit / pan / zoom with three's OrbitControls.
// Frames render on demand (a camera change, a setting), never in a busy loop. While the camera moves, at most
// `pointBudget` points are drawn: the render order is interleaved (every k-th point first), so the first
// `pointBudget` points are an even subsample; when the camera stops, every point is drawn again.
// The geometry of every buffer shown is kept (with its GPU buffers, in every renderer that drew it), least
// recently shown first out, up to `cachedPoints` points in all: showing a frame again (a frame switch) swaps the
// geometry instead of re-filling and re-uploading its arrays.

import * as THREE from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";

import { heightColors, intensityColors } from "./colors.js";

/**
 * @typedef {import("./buffer.js").PointBuffer} PointBuffer
 * @typedef {"height"|"intensity"} ColorMode
 * @typedef {object} ViewportOptions
 * @property {number} [pointSize] pixels (default 2)
 * @property {ColorMode} [colorBy] default "height" ("intensity" falls back to height without intensity)
 * @property {number} [pointBudget] points drawn while the camera moves (default 400,000; Infinity = all)
 * @property {number} [background] clear colour as 0xRRGGBB (default 0x111418)
 * @property {number} [gridSize] metres (default 200), one line every 5 m
 * @property {number} [cachedPoints] points of the geometries kept for buffers shown before (default 2,000,000;
 *   each point costs 24 bytes of GPU memory per renderer drawing it, 12-24 bytes of memory)
 * @typedef {object} RenderInfo
 * @property {number} drawn points drawn in this frame
 * @property {boolean} moving whether the camera was moving (point budget applied)
 */

/** Points drawn while the camera moves, unless the options say otherwise. */
export const DEFAULT_BUDGET = 400_000;
/** Points of the geometries kept for buffers shown before, unless the options say otherwise. */
export const DEFAULT_CACHED_POINTS = 2_000_000;
const HOME = { position: new THREE.Vector3(-30, -30, 35), target: new THREE.Vector3(0, 0, 0) };

/**
 * The order in which points are drawn: every k-th point first (k = ceil(count / budget)), then the rest, so any
 * prefix of `budget` points covers the whole cloud. Identity when count <= budget.
 * @param {number} count
 * @param {number} budget
 * @returns {Uint32Array|null} draw slot -> render slot, or null for the identity
 */
export function interleavedOrder(count, budget) {
  if (!(count > budget)) return null;
  const stride = Math.ceil(count / budget);
  const order = new Uint32Array(count);
  let slot = 0;
  for (let offset = 0; offset < stride; offset += 1) {
    for (let i = offset; i < count; i += stride) order[slot++] = i;
  }
  return order;
}

/** Draw order stride of `count` points under `budget` (1: file order). */
function strideOf(count, budget) {
  return count > budget ? Math.ceil(count / budget) : 1;
}

function reorder(values, itemSize, order) {
  if (!order) return values;
  const out = new Float32Array(order.length * itemSize);
  for (let slot = 0; slot < order.length; slot += 1) {
    const from = order[slot] * itemSize;
    for (let k = 0; k < itemSize; k += 1) out[slot * itemSize + k] = values[from + k];
  }
  return out;
}

/** @type {WeakMap<THREE.WebGLRenderer, THREE.WebGLRenderTarget>} */
const uploadTargets = new WeakMap();

/**
 * Upload `geometry`'s attributes to `renderer`'s GPU buffers without drawing anything on its canvas: a render of
 * no vertices into a 1x1 target (three.js uploads what a render would use).
 * @param {THREE.WebGLRenderer} renderer
 * @param {THREE.BufferGeometry} geometry
 * @param {THREE.Material} material the material it will be drawn with
 */
export function uploadGeometry(renderer, geometry, material) {
  if (!uploadTargets.has(renderer)) uploadTargets.set(renderer, new THREE.WebGLRenderTarget(1, 1));
  const scene = new THREE.Scene();
  const points = new THREE.Points(geometry, material);
  points.frustumCulled = false;
  scene.add(points);
  const { start, count } = geometry.drawRange;
  geometry.setDrawRange(0, 0);
  const previous = renderer.getRenderTarget();
  renderer.setRenderTarget(uploadTargets.get(renderer));
  renderer.render(scene, new THREE.Camera());
  renderer.setRenderTarget(previous);
  geometry.setDrawRange(start, count);
  scene.remove(points);
}

/**
 * Create a viewport drawing into `canvas` (its CSS size is the drawing size; call `resize` when it changes).
 * @param {HTMLCanvasElement} canvas
 * @param {ViewportOptions} [options]
 */
export function createViewport(canvas, options = {}) {
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: false, preserveDrawingBuffer: true });
  renderer.setPixelRatio(1);
  renderer.setClearColor(options.background ?? 0x111418, 1);
  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(60, 1, 0.1, 2000);
  camera.up.set(0, 0, 1);
  const controls = new OrbitControls(camera, canvas);
  controls.screenSpacePanning = true;
  const grid = new THREE.GridHelper(options.gridSize ?? 200, (options.gridSize ?? 200) / 5, 0x3a4450, 0x262d35);
  grid.rotation.x = Math.PI / 2; // GridHelper lies in x-z; lidar ground is x-y
  scene.add(grid);
  const material = new THREE.PointsMaterial({ size: options.pointSize ?? 2, sizeAttenuation: false, vertexColors: true });
  const points = new THREE.Points(new THREE.BufferGeometry(), material);
  points.frustumCulled = false;
  scene.add(points);

  const state = {
    buffer: /** @type {PointBuffer|null} */ (null),
    order: /** @type {Uint32Array|null} */ (null),
    colorBy: /** @type {ColorMode} */ (options.colorBy ?? "height"),
    budget: options.pointBudget ?? DEFAULT_BUDGET,
    moving: false,
    pending: 0,
    held: 0, // batch() depth: renders wait for the outermost batch to end
    deferred: /** @type {{progressive: boolean}|null} */ (null),
    cachedPoints: options.cachedPoints ?? DEFAULT_CACHED_POINTS,
    listeners: /** @type {Array<(info: RenderInfo) => void>} */ ([]),
  };

  /** @type {WeakMap<PointBuffer, {height?: Float32Array, intensity?: Float32Array}>} colours per buffer and mode */
  const colorCache = new WeakMap();
  /**
   * @typedef {object} Shown a buffer's geometry (positions and colours in draw order)
   * @property {THREE.BufferGeometry} geometry
   * @property {Uint32Array|null} order draw slot -> render slot
   * @property {number} stride of `order`
   * @property {string} mode the colour mode its colours were filled in
   * @property {number} version its colour attribute's version then (editors paint the array in place)
   * @type {Map<PointBuffer, Shown>} least recently shown first
   */
  const shownCache = new Map();

  /** The colour mode of `buffer`: intensity falls back to height without intensity. */
  function colorMode(buffer) {
    return state.colorBy === "intensity" && buffer.renderIntensity ? "intensity" : "height";
  }

  /**
   * The colours of the buffer's points in render order: computed once per buffer and mode (a frame shown again
   * costs at most a copy into its colour attribute).
   */
  function sourceColors(buffer, mode) {
    if (!colorCache.has(buffer)) colorCache.set(buffer, {});
    const cached = colorCache.get(buffer);
    if (!cached[mode]) {
      cached[mode] = mode === "intensity"
        ? intensityColors(buffer.renderIntensity, buffer.renderCount)
        : heightColors(buffer.renderPositions, buffer.renderCount);
    }
    return cached[mode];
  }

  /** Fill `buffer`'s geometry's colours for the colour mode (copied: editors paint the array in place). */
  function fillColors(shown, buffer) {
    const mode = colorMode(buffer);
    const source = sourceColors(buffer, mode);
    const attribute = shown.geometry.getAttribute("color");
    if (shown.order) {
      const { order } = shown;
      const target = attribute.array;
      for (let slot = 0; slot < order.length; slot += 1) {
        const from = 3 * order[slot];
        target[3 * slot] = source[from];
        target[3 * slot + 1] = source[from + 1];
        target[3 * slot + 2] = source[from + 2];
      }
    } else attribute.array.set(source);
    attribute.needsUpdate = true;
    shown.mode = mode;
    shown.version = attribute.version;
  }

  /** `buffer`'s geometry: the kept one (colours refreshed when painted or the mode changed), or a new one. */
  function shownGeometry(buffer) {
    const stride = strideOf(buffer.renderCount, state.budget);
    let shown = shownCache.get(buffer);
    if (shown && shown.stride !== stride) {
      shown.geometry.dispose();
      shown = undefined;
    }
    if (!shown) {
      const order = interleavedOrder(buffer.renderCount, state.budget);
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute("position", new THREE.BufferAttribute(reorder(buffer.renderPositions, 3, order), 3));
      geometry.setAttribute("color", new THREE.BufferAttribute(new Float32Array(3 * buffer.renderCount), 3));
      geometry.computeBoundingSphere();
      shown = { geometry, order, stride, mode: "", version: -1 };
    }
    if (shown.mode !== colorMode(buffer) || shown.version !== shown.geometry.getAttribute("color").version) fillColors(shown, buffer);
    shownCache.delete(buffer);
    shownCache.set(buffer, shown);
    evict();
    return shown;
  }

  /** Drop the least recently shown geometries (never the current one) beyond `cachedPoints` points in all. */
  function evict() {
    let total = 0;
    for (const key of shownCache.keys()) total += key.renderCount;
    for (const [key, shown] of shownCache) {
      if (total <= state.cachedPoints) break;
      if (key === state.buffer) continue;
      shown.geometry.dispose(); // frees its GPU buffers in every renderer that drew it
      shownCache.delete(key);
      total -= key.renderCount;
    }
  }

  function render() {
    state.pending = 0;
    const total = state.buffer ? state.buffer.renderCount : 0;
    const drawn = state.moving ? Math.min(total, state.budget) : total;
    if (state.held) {
      state.deferred = state.deferred || { progressive: false };
      return { drawn, moving: state.moving };
    }
    points.geometry.setDrawRange(0, drawn);
    renderer.render(scene, camera);
    renderer.getContext().flush(); // the GPU starts drawing now, while the page does the rest of its work
    const info = { drawn, moving: state.moving };
    for (const listener of state.listeners) listener(info);
    return info;
  }

  function requestRender() {
    if (!state.pending) state.pending = requestAnimationFrame(render);
  }

  /** The first frame of a new big cloud: at most the point budget (an even subsample), every point next frame. */
  function progressiveRender() {
    if (state.held) {
      state.deferred = { progressive: true };
      return { drawn: Math.min(state.buffer.renderCount, state.budget), moving: true };
    }
    const moving = state.moving;
    state.moving = true;
    const first = render();
    state.moving = moving;
    requestRender();
    return first;
  }

  controls.addEventListener("change", requestRender);
  controls.addEventListener("start", () => {
    state.moving = true;
  });
  controls.addEventListener("end", () => {
    state.moving = false;
    requestRender();
  });

  const viewport = {
    renderer,
    scene,
    camera,
    controls,
    /**
     * Show a frame's points (replaces the previous ones) and render. With `progressive`, the first frame draws
     * at most the point budget (an even subsample) and every point follows on the next animation frame, so a
     * big cloud shows at once.
     * @param {PointBuffer} buffer
     * @param {{progressive?: boolean, budget?: number}} [options] budget: a new point budget (points drawn
     *   while the camera moves) from these points on
     * @returns {RenderInfo} what the first frame drew
     */
    setPoints(buffer, options = {}) {
      state.buffer = buffer;
      if (options.budget !== undefined) state.budget = options.budget;
      const shown = shownGeometry(buffer);
      state.order = shown.order;
      points.geometry = shown.geometry;
      if (!options.progressive || buffer.renderCount <= state.budget) return render();
      return progressiveRender();
    },
    /**
     * Run `fn` with rendering held: the renders it asks for (setPoints, setColorMode, render, ...) are merged
     * into one when it returns (a progressive one if any was), so a frame switch that changes the points, the
     * colours and the boxes draws every point once, not once per change (each full draw costs ~1 us per point
     * under a software GL). Nests. The RenderInfo the held calls return is what the merged render draws.
     * @template T
     * @param {() => T} fn
     * @returns {T}
     */
    batch(fn) {
      state.held += 1;
      try {
        return fn();
      } finally {
        state.held -= 1;
        const deferred = state.deferred;
        if (!state.held && deferred) {
          state.deferred = null;
          if (deferred.progressive && state.buffer && state.buffer.renderCount > state.budget) progressiveRender();
          else render();
        }
      }
    },
    /**
     * Build `buffer`'s geometry ahead and upload it to the GPU (nothing is drawn), kept as if it had been shown:
     * showing it later (the next frame) only swaps geometries. For idle time.
     * @param {PointBuffer} buffer
     * @returns {THREE.BufferGeometry} its geometry (e.g. for the orthographic views' `prepare`)
     */
    prepare(buffer) {
      const { geometry } = shownGeometry(buffer);
      uploadGeometry(renderer, geometry, material);
      return geometry;
    },
    /**
     * The file point index of a draw slot (e.g. a raycast hit's `index`).
     * @param {number} slot
     * @returns {number}
     */
    pointIndexOfDrawSlot(slot) {
      const renderSlot = state.order ? state.order[slot] : slot;
      return state.buffer.renderIndex ? state.buffer.renderIndex[renderSlot] : renderSlot;
    },
    /** @param {ColorMode} mode */
    setColorMode(mode) {
      state.colorBy = mode;
      if (state.buffer) fillColors(shownCache.get(state.buffer), state.buffer);
      return render();
    },
    /** @param {number} pixels */
    setPointSize(pixels) {
      material.size = pixels;
      return render();
    },
    /** @param {number} budget points drawn while the camera moves (Infinity: all) */
    setPointBudget(budget) {
      state.budget = budget;
      if (state.buffer) viewport.setPoints(state.buffer);
    },
    /** @param {boolean} moving draw at most the point budget (as during a drag) */
    setMoving(moving) {
      state.moving = moving;
    },
    /**
     * Orbit the camera about the target by `azimuth` radians (as a horizontal drag does) and render now.
     * @param {number} azimuth
     */
    orbitBy(azimuth) {
      const offset = camera.position.clone().sub(controls.target);
      offset.applyAxisAngle(new THREE.Vector3(0, 0, 1), azimuth);
      camera.position.copy(controls.target).add(offset);
      camera.lookAt(controls.target);
      controls.update();
      return render();
    },
    /**
     * Put the camera at `position` looking at `target` (metres, lidar frame), with field of view `fov` (degrees,
     * unchanged when omitted), and render now.
     * @param {{position: number[], target: number[], fov?: number|null}} view
     */
    lookFrom({ position, target, fov = null }) {
      if (fov) {
        camera.fov = fov;
        camera.updateProjectionMatrix();
      }
      camera.position.set(position[0], position[1], position[2]);
      controls.target.set(target[0], target[1], target[2]);
      camera.lookAt(controls.target);
      controls.update();
      return render();
    },
    /**
     * Keep the drawing size equal to `element`'s size (CSS pixels, at least 1), now and whenever the window
     * resizes; `onResize` runs after each resize.
     * @param {HTMLElement} element
     * @param {() => void} [onResize]
     */
    followSize(element, onResize = () => {}) {
      const fit = () => {
        const rect = element.getBoundingClientRect();
        viewport.resize(Math.max(1, Math.round(rect.width)), Math.max(1, Math.round(rect.height)));
        onResize();
      };
      window.addEventListener("resize", fit);
      fit();
    },
    /** Back to the overview of the ego vehicle's surroundings. */
    resetView() {
      camera.position.copy(HOME.position);
      controls.target.copy(HOME.target);
      controls.update();
      return render();
    },
    /** @param {number} width CSS pixels @param {number} height CSS pixels */
    resize(width, height) {
      renderer.setSize(width, height, false);
      camera.aspect = width / height;
      camera.updateProjectionMatrix();
      return render();
    },
    render,
    /** @param {(info: RenderInfo) => void} listener called after every rendered frame */
    onRender(listener) {
      state.listeners.push(listener);
    },
    dispose() {
      controls.dispose();
      for (const shown of shownCache.values()) shown.geometry.dispose();
      shownCache.clear();
      points.geometry.dispose();
      material.dispose();
      renderer.dispose();
    },
  };
  camera.position.copy(HOME.position);
  controls.target.copy(HOME.target);
  controls.update();
  viewport.resize(canvas.clientWidth || canvas.width, canvas.clientHeight || canvas.height);
  return viewport;
}
