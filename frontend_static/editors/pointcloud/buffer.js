// The derived point-cloud buffer the server stores for every frame (docs/pointclouds.md):
//   N x 12 bytes  little-endian float32 x, y, z of every point, in file order (NaN points included)
//   N x  4 bytes  little-endian float32 intensity, in file order (only when the file has intensity)
// Point indices are the contract of `point_annotations`, so they never change; NaN points (organized clouds'
// points without a return) are only left out of what is rendered, through `renderIndex`.

/**
 * @typedef {object} PointBuffer
 * @property {number} pointCount        points in the file, NaN points included (what point_annotations matches)
 * @property {Float32Array} xyz         3 * pointCount values, x y z per point in file order (a view, no copy)
 * @property {Float32Array|null} intensity  pointCount values as stored (e.g. 0-255), or null
 * @property {number} renderCount       points with finite coordinates
 * @property {Float32Array} renderPositions  3 * renderCount values: the finite points (xyz itself when all are)
 * @property {Float32Array|null} renderIntensity  renderCount values, or null
 * @property {Uint32Array|null} renderIndex  render slot -> file point index; null when every point is finite
 *                                           (slot i is then point i)
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Read a derived buffer into typed-array views.
 * @param {ArrayBuffer} bytes the whole file
 * @param {number} pointCount the frame's point count (from GET /samples/{uuid}/pointclouds/)
 * @returns {PointBuffer}
 * @throws {Error} when the size is neither 12 * pointCount nor 16 * pointCount bytes
 */
export function parsePointBuffer(bytes, pointCount) {
  if (!Number.isInteger(pointCount) || pointCount < 0) throw new Error(`invalid point count ${pointCount}`);
  const size = bytes.byteLength;
  if (size !== 12 * pointCount && size !== 16 * pointCount) {
    throw new Error(`point buffer of ${size} bytes fits neither 12 nor 16 bytes per point for ${pointCount} points`);
  }
  const floats = LITTLE_ENDIAN ? new Float32Array(bytes) : swappedFloats(bytes);
  const xyz = floats.subarray(0, 3 * pointCount);
  const intensity = size === 16 * pointCount ? floats.subarray(3 * pointCount) : null;
  return { pointCount, xyz, intensity, ...renderable(xyz, intensity, pointCount) };
}

function swappedFloats(bytes) {
  const view = new DataView(bytes);
  const floats = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < floats.length; i += 1) floats[i] = view.getFloat32(4 * i, true);
  return floats;
}

function renderable(xyz, intensity, pointCount) {
  let finite = 0;
  for (let i = 0; i < pointCount; i += 1) {
    if (Number.isFinite(xyz[3 * i]) && Number.isFinite(xyz[3 * i + 1]) && Number.isFinite(xyz[3 * i + 2])) finite += 1;
  }
  if (finite === pointCount) {
    return { renderCount: pointCount, renderPositions: xyz, renderIntensity: intensity, renderIndex: null };
  }
  const renderIndex = new Uint32Array(finite);
  const renderPositions = new Float32Array(3 * finite);
  const renderIntensity = intensity ? new Float32Array(finite) : null;
  let slot = 0;
  for (let i = 0; i < pointCount; i += 1) {
    const x = xyz[3 * i];
    const y = xyz[3 * i + 1];
    const z = xyz[3 * i + 2];
    if (!(Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(z))) continue;
    renderIndex[slot] = i;
    renderPositions[3 * slot] = x;
    renderPositions[3 * slot + 1] = y;
    renderPositions[3 * slot + 2] = z;
    if (renderIntensity) renderIntensity[slot] = intensity[i];
    slot += 1;
  }
  return { renderCount: finite, renderPositions, renderIntensity, renderIndex };
}

/**
 * Fetch a frame's derived buffer (one request) and read it.
 * @param {string} url the frame's `buffer` URL
 * @param {number} pointCount the frame's point count
 * @param {{fetch?: typeof fetch, signal?: AbortSignal}} [options]
 * @returns {Promise<PointBuffer>}
 * @throws {Error} on an HTTP error or a buffer whose size does not fit the count
 */
export async function loadPointBuffer(url, pointCount, options = {}) {
  const fetcher = options.fetch ?? globalThis.fetch;
  const response = await fetcher(url, { signal: options.signal });
  if (!response.ok) throw new Error(`loading the point cloud failed: HTTP ${response.status}`);
  return parsePointBuffer(await response.arrayBuffer(), pointCount);
}

/**
 * The file point index of a render slot (what a pick in the viewport returns).
 * @param {PointBuffer} buffer
 * @param {number} slot
 * @returns {number}
 */
export function pointIndexOfSlot(buffer, slot) {
  return buffer.renderIndex ? buffer.renderIndex[slot] : slot;
}
