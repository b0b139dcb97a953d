// "Merge frames" of a point-cloud sequence: the points of a window of frames around the current one drawn
// together, to label static objects (parked cars, signs) once. The frames' buffers are already in world
// coordinates when the sample has ego poses (ego-pose.js toWorld), so static objects line up; without ego
// poses they are merged as they are. Only the rendered (finite) points are merged, and at most `limit` of them
// (an even subsample of every frame when the window holds more), so the view stays fluid. Pure; tested with
// `node --test`.

/** Frames on each side of the current one by default, and the largest window the control allows. */
export const DEFAULT_MERGE_RADIUS = 2;
export const MAX_MERGE_RADIUS = 10;
/** Points drawn at most for a merged window (the viewport's own budget still applies while the camera moves). */
export const MERGE_POINT_LIMIT = 2_000_000;

/**
 * The frame indices of the window of `radius` frames on each side of `frame`, clipped to [0, frameCount).
 * @param {number} frame
 * @param {number} radius
 * @param {number} frameCount
 * @returns {number[]}
 */
export function frameWindow(frame, radius, frameCount) {
  const r = Math.max(0, Math.min(MAX_MERGE_RADIUS, Math.floor(Number(radius) || 0)));
  const frames = [];
  for (let index = Math.max(0, frame - r); index <= Math.min(frameCount - 1, frame + r); index += 1) frames.push(index);
  return frames;
}

/**
 * One render-only point buffer of the finite points of `buffers` (in order), every frame subsampled evenly
 * (every k-th point) when their sum exceeds `limit`. Intensity is kept when every buffer has it. Its
 * `pointCount` equals `renderCount` (it has no file order: labels never index it) and `renderIndex` is null.
 * @param {import("../pointcloud/buffer.js").PointBuffer[]} buffers
 * @param {number} [limit]
 * @returns {import("../pointcloud/buffer.js").PointBuffer & {stride: number}}
 */
export function mergeBuffers(buffers, limit = MERGE_POINT_LIMIT) {
  const total = buffers.reduce((sum, buffer) => sum + buffer.renderCount, 0);
  const stride = total > limit ? Math.ceil(total / limit) : 1;
  const counts = buffers.map((buffer) => Math.ceil(buffer.renderCount / stride));
  const count = counts.reduce((sum, value) => sum + value, 0);
  const withIntensity = buffers.length > 0 && buffers.every((buffer) => buffer.renderIntensity);
  const positions = new Float32Array(3 * count);
  const intensity = withIntensity ? new Float32Array(count) : null;
  let slot = 0;
  for (const buffer of buffers) {
    const source = buffer.renderPositions;
    if (stride === 1) {
      positions.set(source.subarray(0, 3 * buffer.renderCount), 3 * slot);
      if (intensity) intensity.set(buffer.renderIntensity.subarray(0, buffer.renderCount), slot);
      slot += buffer.renderCount;
      continue;
    }
    for (let i = 0; i < buffer.renderCount; i += stride) {
      positions[3 * slot] = source[3 * i];
      positions[3 * slot + 1] = source[3 * i + 1];
      positions[3 * slot + 2] = source[3 * i + 2];
      if (intensity) intensity[slot] = buffer.renderIntensity[i];
      slot += 1;
    }
  }
  return {
    pointCount: count, xyz: positions, intensity, renderCount: count, renderPositions: positions,
    renderIntensity: intensity, renderIndex: null, stride,
  };
}
