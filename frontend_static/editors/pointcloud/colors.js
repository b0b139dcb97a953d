// Point colours for the 3D viewport: by height (z) or by intensity, as linear RGB floats in [0, 1] that
// three.js takes as a `color` attribute. Ranges are robust percentiles, so a few outliers (a bird, a
// reflection) do not wash out the scale.

/** A blue -> cyan -> green -> yellow -> red ramp, 5 stops. */
const RAMP = [
  [0.15, 0.25, 0.9],
  [0.1, 0.8, 0.9],
  [0.2, 0.85, 0.25],
  [0.95, 0.85, 0.15],
  [0.9, 0.2, 0.15],
];

/**
 * The ramp colour of t in [0, 1] (clamped), written at out[offset..offset+2].
 * @param {number} t
 * @param {Float32Array} out
 * @param {number} offset
 */
export function rampColor(t, out, offset) {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const position = clamped * (RAMP.length - 1);
  const stop = Math.min(RAMP.length - 2, Math.floor(position));
  const f = position - stop;
  for (let channel = 0; channel < 3; channel += 1) {
    out[offset + channel] = RAMP[stop][channel] * (1 - f) + RAMP[stop + 1][channel] * f;
  }
}

/**
 * The [low, high] percentiles of every `stride`-th value starting at `offset` (at most ~65k samples are
 * sorted, so it stays fast on a million points).
 * @param {Float32Array} values
 * @param {number} count how many values (points)
 * @param {{stride?: number, offset?: number, low?: number, high?: number}} [options] percentiles as fractions
 *   (default 0.02 and 0.98)
 * @returns {[number, number]}
 */
export function robustRange(values, count, options = {}) {
  const stride = options.stride ?? 1;
  const offset = options.offset ?? 0;
  const step = Math.max(1, Math.floor(count / 65536));
  const sample = [];
  for (let i = 0; i < count; i += step) {
    const value = values[i * stride + offset];
    if (Number.isFinite(value)) sample.push(value);
  }
  if (sample.length === 0) return [0, 1];
  sample.sort((a, b) => a - b);
  const pick = (fraction) => sample[Math.min(sample.length - 1, Math.floor(fraction * sample.length))];
  const low = pick(options.low ?? 0.02);
  const high = pick(options.high ?? 0.98);
  return high > low ? [low, high] : [low, low + 1];
}

/**
 * Colours by height: z of each point mapped through the ramp between `range` (default: robust z range).
 * @param {Float32Array} positions x y z per point
 * @param {number} count points
 * @param {[number, number]} [range]
 * @returns {Float32Array} 3 * count RGB values
 */
export function heightColors(positions, count, range = robustRange(positions, count, { stride: 3, offset: 2 })) {
  const [low, high] = range;
  const colors = new Float32Array(3 * count);
  const scale = 1 / (high - low);
  for (let i = 0; i < count; i += 1) rampColor((positions[3 * i + 2] - low) * scale, colors, 3 * i);
  return colors;
}

/**
 * Colours by intensity, mapped through the ramp between `range` (default: robust intensity range).
 * @param {Float32Array} intensity one value per point
 * @param {number} count points
 * @param {[number, number]} [range]
 * @returns {Float32Array} 3 * count RGB values
 */
export function intensityColors(intensity, count, range = robustRange(intensity, count)) {
  const [low, high] = range;
  const colors = new Float32Array(3 * count);
  const scale = 1 / (high - low);
  for (let i = 0; i < count; i += 1) rampColor((intensity[i] - low) * scale, colors, 3 * i);
  return colors;
}
