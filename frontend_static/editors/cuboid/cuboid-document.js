// The cuboid label being edited, as plain data, and its conversion to and from the stored label attributes
// (tests/data/seeds/002_*.txt, "3D point cloud - Cuboid label" and "3D point cloud sequence - Cuboid label",
// format_version 0.2). No DOM, no three.js: tested with `node --test`.
//
// Frame document (pointcloud-cuboid): {annotations: [cuboid annotation], imageAttributes, links, extra}
// Sequence document (pointcloud-cuboid-sequence): the tracks component's document (tracks/sequence-document.js:
//   {frames: [{keyframes, imageAttributes, removed, extra}], extra}); only keyframes are edited and stored, the
//   frames between them are computed by the shared interpolation (tracks/interpolation.js, the server's port).
// A cuboid annotation: {id, track_id, category_id, type: "cuboid", position {x, y, z} (centre, metres),
//   dimensions {x: length along the heading, y: width, z: height} (> 0), yaw (radians in [-pi, pi],
//   counter-clockwise about +z), rotation {qx, qy, qz, qw} only when the dataset enables 3D cuboid rotation,
//   attributes?, ...keys we do not know (kept as loaded)}.

import { quaternionFromYaw, wrapAngle, yawOfQuaternion } from "../pointcloud/cuboid.js";
import { interpolateSequenceLabel } from "../tracks/interpolation.js";
import { sequenceFromLabel, setKeyframe, trackIdOf } from "../tracks/sequence-document.js";

export const CUBOID_FORMAT_VERSION = "0.2";
const KNOWN_FRAME_KEYS = new Set(["format_version", "annotations", "image_attributes", "links"]);
const CUBOID_KEYS = new Set(["id", "track_id", "category_id", "type", "position", "dimensions", "yaw", "rotation", "attributes", "is_keyframe", "index"]);

/**
 * @typedef {{x: number, y: number, z: number}} Vector3
 * @typedef {{qx: number, qy: number, qz: number, qw: number}} Quaternion
 * @typedef {{id: number, track_id: number, category_id: number, type: string, position: Vector3,
 *   dimensions: Vector3, yaw: number, rotation?: Quaternion, attributes?: Record<string, any>}} CuboidAnnotation
 * @typedef {{annotations: CuboidAnnotation[], imageAttributes: Record<string, any>, links: any[], extra: Record<string, any>}} FrameDocument
 * @typedef {{useRotation?: boolean}} StoreOptions  useRotation: the dataset enables 3D cuboid rotation
 */

/**
 * The frame document of stored single-frame attributes (null when unlabeled).
 * @param {any} attributes
 * @returns {FrameDocument}
 */
export function frameFromLabel(attributes) {
  const source = attributes && typeof attributes === "object" ? attributes : {};
  const extra = {};
  for (const [key, value] of Object.entries(source)) if (!KNOWN_FRAME_KEYS.has(key)) extra[key] = structuredClone(value);
  const annotations = (Array.isArray(source.annotations) ? source.annotations : []).map((annotation) => {
    const copy = structuredClone(annotation);
    const trackId = copy.track_id ?? copy.id;
    return { ...copy, id: trackId, track_id: trackId };
  });
  return {
    annotations,
    imageAttributes: source.image_attributes && typeof source.image_attributes === "object" ? structuredClone(source.image_attributes) : {},
    links: Array.isArray(source.links) ? structuredClone(source.links) : [],
    extra,
  };
}

/**
 * One cuboid as stored: yaw wrapped to [-pi, pi]; with useRotation a unit `rotation` (from the yaw when the
 * cuboid has none), without it no `rotation`; unknown keys kept.
 * @param {any} annotation
 * @param {StoreOptions & {keyframe?: boolean}} [options] keyframe: add is_keyframe: true (sequences)
 */
export function storedCuboid(annotation, options = {}) {
  const trackId = trackIdOf(annotation);
  const rest = {};
  for (const [key, value] of Object.entries(annotation)) if (!CUBOID_KEYS.has(key)) rest[key] = structuredClone(value);
  const { position: p, dimensions: d } = annotation;
  /** @type {Record<string, any>} */
  const stored = {
    ...rest,
    id: trackId,
    track_id: trackId,
    category_id: annotation.category_id,
    type: annotation.type || "cuboid",
    position: { x: p.x, y: p.y, z: p.z },
    dimensions: { x: d.x, y: d.y, z: d.z },
    yaw: wrapAngle(annotation.yaw),
  };
  if (options.useRotation) stored.rotation = annotation.rotation ? normalized(annotation.rotation) : quaternionFromYaw(stored.yaw);
  if (options.keyframe) stored.is_keyframe = true;
  if (annotation.attributes !== undefined) stored.attributes = structuredClone(annotation.attributes);
  return stored;
}

function normalized(q) {
  const length = Math.hypot(q.qx, q.qy, q.qz, q.qw) || 1;
  return { qx: q.qx / length, qy: q.qy / length, qz: q.qz / length, qw: q.qw / length };
}

/**
 * The single-frame attributes to store.
 * @param {FrameDocument} frame
 * @param {StoreOptions} [options]
 */
export function labelFromFrame(frame, options = {}) {
  /** @type {Record<string, any>} */
  const label = {
    ...structuredClone(frame.extra),
    format_version: CUBOID_FORMAT_VERSION,
    annotations: frame.annotations.map((annotation) => storedCuboid(annotation, options)),
  };
  if (Object.keys(frame.imageAttributes || {}).length) label.image_attributes = structuredClone(frame.imageAttributes);
  if (frame.links && frame.links.length) label.links = structuredClone(frame.links);
  return label;
}

/**
 * The sequence document of stored sequence attributes, padded to `frameCount` frames.
 * @param {any} attributes
 * @param {number} frameCount
 */
export function sequenceFromCuboidLabel(attributes, frameCount) {
  return sequenceFromLabel(attributes, frameCount);
}

/**
 * The sequence attributes to store: every frame with its keyframes (is_keyframe: true) and remove-keyframes.
 * @param {any} document sequence document
 * @param {StoreOptions} [options]
 */
export function labelFromCuboidSequence(document, options = {}) {
  return {
    ...structuredClone(document.extra),
    format_version: CUBOID_FORMAT_VERSION,
    frames: document.frames.map((frame) => {
      const stored = {
        ...structuredClone(frame.extra),
        annotations: frame.keyframes.map((annotation) => storedCuboid(annotation, { ...options, keyframe: true })),
      };
      const imageAttributes = structuredClone(frame.imageAttributes || {});
      if (frame.removed.length) imageAttributes._removed_track_ids = [...frame.removed];
      if (Object.keys(imageAttributes).length) stored.image_attributes = imageAttributes;
      return stored;
    }),
  };
}

/**
 * Every frame of a sequence document materialised (keyframes and computed cuboids), as the worker stores it.
 * @param {any} document
 * @param {StoreOptions & {extrapolate?: boolean, timestamps?: any[]|null,
 *   cache?: import("../tracks/interpolation-cache.js").InterpolationCache}} [options] with `cache`, only the tracks
 *   changed since its last use are interpolated again (its annotations are shared: never edit them in place)
 * @returns {any} {frames: [{annotations: [...]}, ...], ...} as interpolateSequenceLabel returns it
 */
export function materializeSequence(document, options = {}) {
  const interpolate = options.cache ? options.cache.interpolate.bind(options.cache) : interpolateSequenceLabel;
  return interpolate(labelFromCuboidSequence(document, options), {
    frameCount: document.frames.length,
    extrapolate: Boolean(options.extrapolate),
    timestamps: options.timestamps ?? null,
  });
}

/**
 * "Propagate to the next N frames": make `cuboid` (a shown object) the keyframe of its track in frames
 * fromFrame + 1 ... fromFrame + count (those past the last frame are ignored). Returns the frames written.
 * @param {any} document sequence document (changed in place)
 * @param {number} fromFrame
 * @param {any} cuboid
 * @param {number} count
 * @returns {number[]}
 */
export function propagateCuboid(document, fromFrame, cuboid, count) {
  const written = [];
  for (let frame = fromFrame + 1; frame <= fromFrame + count && frame < document.frames.length; frame += 1) {
    setKeyframe(document, frame, structuredClone(cuboid));
    written.push(frame);
  }
  return written;
}

/**
 * A copy of `cuboid` for pasting: the new track id, the same geometry, category and attributes.
 * @param {any} cuboid
 * @param {number} trackId
 */
export function pastedCuboid(cuboid, trackId) {
  const { is_keyframe: _flag, index: _index, ...rest } = structuredClone(cuboid);
  return { ...rest, id: trackId, track_id: trackId };
}

/**
 * The yaw a cuboid is edited with: its `yaw`, or with useRotation and a quaternion, the quaternion's heading.
 * @param {any} cuboid
 * @param {StoreOptions} [options]
 */
export function headingOf(cuboid, options = {}) {
  return options.useRotation && cuboid.rotation ? yawOfQuaternion(cuboid.rotation) : cuboid.yaw;
}

/**
 * Default dimensions of a new cuboid of `category`: its `dimensions` {x, y, z} when the task attributes give
 * them, else a typical size for common names (car, truck, bus, pedestrian, cyclist), else 1 m.
 * @param {any} category
 * @returns {Vector3}
 */
export function defaultDimensions(category) {
  const given = category && category.dimensions;
  if (given && [given.x, given.y, given.z].every((value) => Number.isFinite(value) && value > 0)) return { ...given };
  const name = String((category && category.name) || "").toLowerCase();
  /** @type {Array<[RegExp, Vector3]>} */
  const table = [
    [/car|van|vehicle/, { x: 4.5, y: 1.9, z: 1.6 }],
    [/truck/, { x: 8, y: 2.5, z: 3.2 }],
    [/bus/, { x: 11, y: 2.6, z: 3.2 }],
    [/pedestrian|person|walker/, { x: 0.7, y: 0.7, z: 1.75 }],
    [/rider|cyclist|bicycle|bike|motor/, { x: 1.8, y: 0.8, z: 1.6 }],
  ];
  const typical = table.find(([pattern]) => pattern.test(name));
  return typical ? { ...typical[1] } : { x: 1, y: 1, z: 1 };
}
