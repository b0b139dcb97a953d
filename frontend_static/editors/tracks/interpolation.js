// Keyframe interpolation of sequence labels, in the browser: a port of the server's reference implementation
// (labeling/core/interpolation.py, interpolation_geometry.py, interpolation_output.py; rules in
// docs/interpolation.md). The editor shows what the worker will store, so both must pass the same JSON test
// vectors (tests/core/vectors/interpolation/*.json, run by interpolation.test.js). The formulas keep the
// reference's operation order, so results agree to the last bit or two. No DOM, no state.

/** Frame-level `image_attributes` key listing the track_ids (as strings) removed in that frame. */
export const REMOVED_TRACKS_KEY = "_removed_track_ids";
const CUBOID_TYPES = new Set(["cuboid", "cuboid-sync"]);
// Vector annotation type -> whether its outline is closed.
const VECTOR_TYPES = { bbox: false, polygon: true, polyline: false, point: false };
const TEMPLATE_KEYS = ["id", "track_id", "category_id", "type"];
const TWO_PI = 2.0 * Math.PI;
const SLERP_LERP_THRESHOLD = 0.9995;
const FRACTION_TOLERANCE = 1e-9;

export class InterpolationError extends Error {
  constructor(message) {
    super(message);
    this.name = "InterpolationError";
  }
}

/** Whether an annotation is a keyframe: a missing `is_keyframe` counts as one (pre-labels are never dropped). */
export function isKeyframe(annotation) {
  const flagged = "is_keyframe" in annotation ? Boolean(annotation.is_keyframe) : true;
  return flagged || Boolean(annotation.removed);
}

/** Track_ids (as strings) that have a remove-keyframe in `frame`, read from its `image_attributes`. */
export function removedTrackIds(frame) {
  const imageAttributes = (frame && frame.image_attributes) || {};
  return new Set((imageAttributes[REMOVED_TRACKS_KEY] || []).map(String));
}

/** Annotations to draw for one frame: skips the tolerated `"removed": true` marker form. */
export function visibleAnnotations(frame) {
  return ((frame && frame.annotations) || []).filter((annotation) => !annotation.removed);
}

/**
 * Position of every frame on the interpolation axis (frame_count numbers): the frame index, or the
 * timestamps (numbers or numeric strings such as nanoseconds "1690000000100000000") when there is one
 * for every frame and all are finite and strictly increasing.
 */
export function interpolationPositions(frameCount, timestamps = null) {
  return usableTimestamps(frameCount, timestamps) || Array.from({ length: frameCount }, (_, frame) => frame);
}

/** The first `frameCount` timestamps as numbers when usable (see interpolationPositions), else null. */
export function usableTimestamps(frameCount, timestamps) {
  if (!Array.isArray(timestamps) || timestamps.length < frameCount) return null;
  const values = timestamps.slice(0, frameCount).map(toFloat);
  for (let frame = 0; frame < frameCount; frame += 1) {
    if (!Number.isFinite(values[frame])) return null;
    if (frame > 0 && !(values[frame] - values[frame - 1] > 0)) return null;
  }
  return values;
}

function toFloat(value) {
  if (typeof value === "number" || typeof value === "boolean") return Number(value);
  if (typeof value === "string" && value.trim() !== "") return Number(value.trim());
  return Number.NaN; // Python's float() rejects None, "" and containers: the caller falls back to indexes
}

/**
 * Materialise every frame of a sequence label from its keyframes; returns new attributes (input untouched).
 * `attributes`: {frames: [{annotations, image_attributes?, ...}], ...}. Options: frameCount (default: the
 * label's frames; shorter labels are padded with empty frames), timestamps (one per frame), extrapolate.
 * Computed annotations carry is_keyframe: false and the id, track_id, category_id, type and attributes of
 * the keyframe before them. Throws InterpolationError like the reference.
 */
export function interpolateSequenceLabel(attributes, { frameCount = null, timestamps = null, extrapolate = false } = {}) {
  const frames = attributes && Array.isArray(attributes.frames) ? attributes.frames : null;
  if (!frames || !frames.every((frame) => frame && typeof frame === "object" && !Array.isArray(frame))) {
    throw new InterpolationError("sequence label attributes need a `frames` list of objects");
  }
  const count = frameCount === null ? frames.length : frameCount;
  if (count < frames.length) throw new InterpolationError(`label has ${frames.length} frames, more than frame_count=${count}`);
  const keyframes = readKeyframes(frames);
  const positions = interpolationPositions(count, timestamps);
  const computed = [];
  for (const span of planSpans(keyframes, count, extrapolate)) computed.push(...computeSpan(keyframes, span, positions));
  return assembleLabel(attributes, frames, count, keyframes, computed);
}

// ---- reading keyframes --------------------------------------------------------------------------------

function readKeyframes(frames) {
  const keyframes = { copies: [], trackRanks: new Map(), frame: [], annotation: [], states: [], tracks: [], rank: [] };
  const firsts = []; // per rank: frame -> first keyframe annotation of that track there
  frames.forEach((frame, frameIndex) => {
    for (const annotation of frame.annotations || []) {
      if (!isKeyframe(annotation)) continue;
      const trackId = trackIdOf(annotation, frameIndex);
      if (!keyframes.trackRanks.has(trackId)) keyframes.trackRanks.set(trackId, keyframes.trackRanks.size);
      const rank = keyframes.trackRanks.get(trackId);
      if (rank === firsts.length) firsts.push(new Map());
      if (!firsts[rank].has(frameIndex)) firsts[rank].set(frameIndex, annotation);
      keyframes.copies.push({ frame: frameIndex, rank, annotation });
    }
  });
  const removals = removalsByRank(frames, keyframes.trackRanks);
  firsts.forEach((byFrame, rank) => {
    const merged = new Map(byFrame); // an annotation beats a removal in the same frame
    for (const frame of removals.get(rank) || []) if (!merged.has(frame)) merged.set(frame, null);
    const ordered = [...merged.keys()].sort((a, b) => a - b);
    keyframes.tracks.push(ordered.map((frame) => addKeyframe(keyframes, rank, frame, merged.get(frame))));
  });
  return keyframes;
}

function removalsByRank(frames, trackRanks) {
  const rankOfName = new Map([...trackRanks].map(([trackId, rank]) => [String(trackId), rank]));
  const removals = new Map();
  frames.forEach((frame, frameIndex) => {
    for (const name of removedTrackIds(frame)) {
      if (!rankOfName.has(name)) continue;
      const rank = rankOfName.get(name);
      if (!removals.has(rank)) removals.set(rank, []);
      removals.get(rank).push(frameIndex);
    }
  });
  return removals;
}

function addKeyframe(keyframes, rank, frame, annotation) {
  const removed = annotation === null || Boolean(annotation.removed);
  keyframes.frame.push(frame);
  keyframes.rank.push(rank);
  keyframes.annotation.push(annotation);
  keyframes.states.push(removed ? null : parseState(annotation, frame));
  return keyframes.frame.length - 1;
}

function trackIdOf(annotation, frame) {
  const trackId = "track_id" in annotation ? annotation.track_id : annotation.id;
  if (trackId === undefined || trackId === null) throw new InterpolationError(`frame ${frame}: annotation without track_id or id`);
  return trackId;
}

/** {kind: "cuboid" | vector type, values: 11 numbers | points [[x, y(, z)], ...], hasRotation}. */
function parseState(annotation, frame) {
  const kind = annotation.type;
  try {
    if (CUBOID_TYPES.has(kind)) return parseCuboid(annotation);
    if (kind in VECTOR_TYPES) return parsePoints(annotation);
  } catch (error) {
    throw new InterpolationError(`frame ${frame}, track_id ${annotation.track_id}: malformed ${kind} geometry (${error.message})`);
  }
  throw new InterpolationError(`frame ${frame}: annotation type ${JSON.stringify(kind)} cannot be interpolated`);
}

function number(value) {
  const parsed = toFloat(value);
  if (Number.isNaN(parsed) && typeof value !== "number") throw new Error(`not a number: ${JSON.stringify(value)}`);
  return parsed;
}

function parseCuboid(annotation) {
  const { position, dimensions, rotation } = annotation;
  if (!position || !dimensions || annotation.yaw === undefined) throw new Error("position, dimensions and yaw are required");
  const yaw = number(annotation.yaw);
  const row = [..."xyz"].map((axis) => number(position[axis])).concat([..."xyz"].map((axis) => number(dimensions[axis])), [yaw]);
  let quaternion;
  if (rotation === undefined || rotation === null) quaternion = [0.0, 0.0, Math.sin(yaw / 2.0), Math.cos(yaw / 2.0)];
  else {
    quaternion = ["qx", "qy", "qz", "qw"].map((key) => number(rotation[key]));
    const norm = Math.sqrt(quaternion.reduce((sum, value) => sum + value * value, 0));
    if (!(norm > 0.0)) throw new Error("zero rotation quaternion");
    quaternion = quaternion.map((value) => value / norm);
  }
  return { kind: "cuboid", values: row.concat(quaternion), hasRotation: rotation !== undefined && rotation !== null };
}

function parsePoints(annotation) {
  const points = annotation.points;
  const width = Array.isArray(points) && points.length && Array.isArray(points[0]) ? points[0].length : 0;
  const valid = width === 2 || width === 3;
  if (!valid || !points.every((point) => Array.isArray(point) && point.length === width)) {
    throw new Error("points must be [[x, y], ...] or [[x, y, z], ...]");
  }
  return { kind: annotation.type, values: points.map((point) => point.map(number)), hasRotation: false };
}

// ---- planning spans ------------------------------------------------------------------------------------

/** Runs of computed frames: {left, right, end, interpolate}; right === left when the span holds left's state. */
function planSpans(keyframes, frameCount, extrapolate) {
  const spans = [];
  for (const indexes of keyframes.tracks) {
    indexes.forEach((index, position) => {
      const state = keyframes.states[index];
      if (state === null) return; // remove-keyframe: absent until the next keyframe
      if (position + 1 < indexes.length) {
        const following = indexes[position + 1];
        const smooth = compatible(state, keyframes.states[following]);
        spans.push({ left: index, right: smooth ? following : index, end: keyframes.frame[following], interpolate: smooth });
      } else if (extrapolate) {
        spans.push({ left: index, right: index, end: frameCount, interpolate: false });
      }
    });
  }
  return spans.filter((span) => span.end - keyframes.frame[span.left] > 1);
}

function compatible(state, following) {
  if (following === null || state.kind !== following.kind) return false;
  return state.kind === "cuboid" || state.values[0].length === following.values[0].length;
}

// ---- computing geometry --------------------------------------------------------------------------------

function computeSpan(keyframes, span, positions) {
  const start = keyframes.frame[span.left];
  const left = keyframes.states[span.left];
  const right = keyframes.states[span.right];
  const source = keyframes.annotation[span.left];
  const template = templateOf(source);
  const rank = keyframes.rank[span.left];
  let [startPoints, endPoints] = [null, null];
  if (left.kind !== "cuboid") [startPoints, endPoints] = matchVertices(left.values, right.values, VECTOR_TYPES[left.kind]);
  const results = [];
  for (let frame = start + 1; frame < span.end; frame += 1) {
    const t = span.interpolate ? (positions[frame] - positions[start]) / (positions[span.end] - positions[start]) : 0.0;
    const annotation =
      left.kind === "cuboid"
        ? cuboidAnnotation(template, interpolateCuboidValues(left.values, right.values, t, left.hasRotation || right.hasRotation), left.hasRotation || right.hasRotation)
        : { ...template, points: interpolatePoints(startPoints, endPoints, t) };
    if ("index" in source) annotation.index = frame;
    results.push({ frame, rank, annotation });
  }
  return results;
}

function templateOf(source) {
  const template = {};
  for (const key of TEMPLATE_KEYS) if (key in source) template[key] = source[key];
  template.is_keyframe = false;
  if ("attributes" in source) template.attributes = structuredClone(source.attributes);
  return template;
}

function cuboidAnnotation(template, values, withRotation) {
  const [px, py, pz, dx, dy, dz, yaw, qx, qy, qz, qw] = values;
  const annotation = { ...template, position: { x: px, y: py, z: pz }, dimensions: { x: dx, y: dy, z: dz }, yaw };
  if (withRotation) annotation.rotation = { qx, qy, qz, qw };
  return annotation;
}

/** Wrap an angle (radians) to [-pi, pi): `angle - 2*pi*floor((angle + pi) / (2*pi))`; exactly pi maps to -pi. */
export function wrapYaw(angle) {
  return angle - TWO_PI * Math.floor((angle + Math.PI) / TWO_PI);
}

/** Yaw along the shorter arc: `wrap(start + t * wrap(end - start))`. */
export function interpolateYaw(start, end, t) {
  return wrapYaw(start + t * wrapYaw(end - start));
}

/** Slerp of unit quaternions [qx, qy, qz, qw] along the shorter path; normalised lerp when nearly equal. */
export function slerp(start, end, t) {
  let dot = start[0] * end[0] + start[1] * end[1] + start[2] * end[2] + start[3] * end[3];
  const sign = dot < 0.0 ? -1.0 : 1.0;
  dot = Math.min(dot * sign, 1.0);
  const theta = Math.acos(dot);
  const near = dot > SLERP_LERP_THRESHOLD;
  const sinTheta = near ? 1.0 : Math.sin(theta);
  const startWeight = near ? 1.0 - t : Math.sin((1.0 - t) * theta) / sinTheta;
  const endWeight = (near ? t : Math.sin(t * theta) / sinTheta) * sign;
  const result = start.map((value, index) => startWeight * value + endWeight * end[index]);
  const norm = Math.sqrt(result[0] * result[0] + result[1] * result[1] + result[2] * result[2] + result[3] * result[3]);
  return result.map((value) => value / norm);
}

/** Cuboid state (11 numbers: position, dimensions, yaw, quaternion) at fraction t; t == 0 copies `start`. */
export function interpolateCuboidValues(start, end, t, withRotation) {
  if (t === 0.0) return [...start];
  const result = start.slice(0, 6).map((value, index) => value + t * (end[index] - value));
  const yaw = interpolateYaw(start[6], end[6], t);
  const half = yaw / 2.0;
  const quaternion = withRotation ? slerp(start.slice(7), end.slice(7), t) : [0.0, 0.0, Math.sin(half), Math.cos(half)];
  return [...result, yaw, ...quaternion];
}

/** Vertices `start + t * (end - start)`, per coordinate. */
export function interpolatePoints(start, end, t) {
  return start.map((point, index) => point.map((value, axis) => value + t * (end[index][axis] - value)));
}

/**
 * Give two outlines of one track the same number of corresponding vertices (docs/interpolation.md, "Vertex
 * correspondence"): equal counts are kept; otherwise `end` is aligned to `start` and both are resampled at
 * the union of their arc-length fractions. Returns [startPoints, endPoints].
 */
export function matchVertices(start, end, closed) {
  if (start.length === end.length) return [start, end];
  const aligned = closed ? alignPolygon(start, end) : alignPolyline(start, end);
  const fractions = mergeFractions(arcFractions(start, closed), arcFractions(aligned, closed));
  return [sampleAtFractions(start, closed, fractions), sampleAtFractions(aligned, closed, fractions)];
}

function alignPolygon(start, end) {
  let nearest = 0;
  let best = Infinity;
  end.forEach((point, index) => {
    const squared = point.reduce((sum, value, axis) => sum + (value - start[0][axis]) ** 2, 0);
    if (squared < best) [best, nearest] = [squared, index];
  });
  const rolled = [...end.slice(nearest), ...end.slice(0, nearest)];
  const [a, b] = [newellNormal(start), newellNormal(rolled)];
  if (a[0] * b[0] + a[1] * b[1] + a[2] * b[2] < 0.0) return [rolled[0], ...rolled.slice(1).reverse()];
  return rolled;
}

function newellNormal(points) {
  const padded = points.map((point) => [point[0], point[1], point.length > 2 ? point[2] : 0]);
  const normal = [0, 0, 0];
  padded.forEach((p, index) => {
    const q = padded[(index + 1) % padded.length];
    normal[0] += p[1] * q[2] - p[2] * q[1];
    normal[1] += p[2] * q[0] - p[0] * q[2];
    normal[2] += p[0] * q[1] - p[1] * q[0];
  });
  return normal;
}

function norm(a, b) {
  return Math.sqrt(a.reduce((sum, value, axis) => sum + (value - b[axis]) ** 2, 0));
}

function alignPolyline(start, end) {
  const same = norm(start[0], end[0]) + norm(start.at(-1), end.at(-1));
  const crossed = norm(start[0], end.at(-1)) + norm(start.at(-1), end[0]);
  return crossed < same ? [...end].reverse() : end;
}

function pathOf(points, closed) {
  return closed ? [...points, points[0]] : points;
}

/** Cumulative arc length at each vertex of the path (closed paths end with the total). */
function arcLengths(points, closed) {
  const path = pathOf(points, closed);
  const lengths = [0.0];
  for (let index = 1; index < path.length; index += 1) lengths.push(lengths[index - 1] + norm(path[index], path[index - 1]));
  return lengths;
}

function arcFractions(points, closed) {
  const lengths = arcLengths(points, closed);
  const total = lengths.at(-1);
  const count = points.length;
  if (total === 0.0) return points.map((_, index) => index / (closed ? count : Math.max(count - 1, 1)));
  return lengths.slice(0, count).map((length) => length / total);
}

function mergeFractions(first, second) {
  const merged = [...first, ...second].sort((a, b) => a - b);
  const kept = [merged[0]];
  for (const value of merged.slice(1)) if (value - kept.at(-1) > FRACTION_TOLERANCE) kept.push(value);
  return kept;
}

function sampleAtFractions(points, closed, fractions) {
  const lengths = arcLengths(points, closed);
  const total = lengths.at(-1);
  if (total === 0.0) return fractions.map(() => [...points[0]]);
  const path = pathOf(points, closed);
  return fractions.map((fraction) => {
    const target = fraction * total;
    return points[0].map((_, axis) => interp(target, lengths, path.map((point) => point[axis])));
  });
}

/** numpy.interp for one value: xs increasing (repeats allowed), same edge rules and operation order. */
function interp(x, xs, ys) {
  const last = xs.length - 1;
  if (x < xs[0]) return ys[0];
  if (x >= xs[last]) return ys[last];
  let j = 0;
  while (j + 1 <= last && xs[j + 1] <= x) j += 1; // last j with xs[j] <= x < xs[j + 1]
  if (xs[j] === x) return ys[j];
  const slope = (ys[j + 1] - ys[j]) / (xs[j + 1] - xs[j]);
  return slope * (x - xs[j]) + ys[j];
}

// ---- output --------------------------------------------------------------------------------------------

function assembleLabel(attributes, frames, count, keyframes, computed) {
  const perFrame = Array.from({ length: count }, () => []);
  keyframes.copies.forEach(({ frame, rank, annotation }, order) => {
    perFrame[frame].push({ rank, order, annotation: structuredClone(annotation) });
  });
  computed.forEach(({ frame, rank, annotation }, order) => {
    perFrame[frame].push({ rank, order: keyframes.copies.length + order, annotation });
  });
  const outputFrames = perFrame.map((items, index) => {
    items.sort((a, b) => a.rank - b.rank || a.order - b.order);
    const annotations = items.map((item) => item.annotation);
    return index < frames.length ? replaceKey(frames[index], "annotations", annotations) : { annotations };
  });
  return replaceKey(attributes, "frames", outputFrames);
}

function replaceKey(source, key, value) {
  const result = {};
  for (const [name, item] of Object.entries(source)) result[name] = name === key ? value : structuredClone(item);
  if (!(key in result)) result[key] = value;
  return result;
}
