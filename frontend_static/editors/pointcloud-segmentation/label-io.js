// Point-cloud segmentation labels in and out of the editor's document (pure; no DOM): the stored label
// (`pointcloud-segmentation`: annotations + point_annotations; `-sequence`: frames of those, ids = track ids)
// read into one Uint32Array of instance ids per frame and a list of instances, and written back.

export const SEQUENCE_FORMAT_VERSION = "0.1";

/**
 * @typedef {object} Frame one point cloud of the sample
 * @property {import("../pointcloud/buffer.js").PointBuffer} buffer
 * @property {Uint32Array} ids instance (track) id per point, file order
 * @property {any} extra the stored frame's other keys (timestamp, ...), kept as they were
 * @property {any} egoPose
 * @property {Float64Array|null} world world coordinates, computed when first needed
 * @property {Map<number, number>|null} [counts] points per instance id (null: to count again)
 */

/** @typedef {{id: number, category_id: number|null, attributes?: any}} Instance */

/**
 * Read a stored label into frames and instances. Points carry instance (track) ids: in a sequence an
 * annotation's `id` may differ from its `track_id`, and its points are renumbered to the track id. A frame whose
 * stored ids do not match its point count is left unlabeled and named in `problems`.
 * @param {any} label the stored label attributes, or null
 * @param {{pointCount: number}[]} buffers each frame's cloud (PointBuffer)
 * @param {any[]} egoPoses each frame's ego pose or null
 * @param {boolean} sequence
 * @returns {{frames: Frame[], instances: Instance[], labelExtra: any, problems: string[]}}
 */
export function readSegmentationLabel(label, buffers, egoPoses, sequence) {
  const storedFrames = sequence ? (label && label.frames) || [] : [label || {}];
  /** @type {Map<number, Instance>} */
  const instances = new Map();
  const problems = [];
  const frames = buffers.map((buffer, index) => {
    const { annotations = [], point_annotations: pointIds = null, ...extra } = storedFrames[index] || {};
    const remap = readInstances(annotations, sequence, instances);
    const ids = new Uint32Array(buffer.pointCount);
    if (Array.isArray(pointIds) && pointIds.length) {
      if (pointIds.length !== buffer.pointCount) {
        problems.push(`Frame ${index + 1}: the stored label has ${pointIds.length} ids, the cloud has ${buffer.pointCount} points.`);
      } else {
        for (let i = 0; i < pointIds.length; i += 1) {
          const id = pointIds[i];
          ids[i] = id ? (remap.get(id) ?? id) : 0;
        }
      }
    }
    return { buffer, ids, extra: sequence ? extra : {}, egoPose: egoPoses[index] || null, world: null };
  });
  return { frames: /** @type {Frame[]} */ (frames), instances: [...instances.values()], labelExtra: extraOf(label, sequence), problems };
}

/** Add the frame's annotations to `instances` (by track id); returns annotation id -> track id. */
function readInstances(annotations, sequence, instances) {
  const remap = new Map();
  for (const annotation of annotations) {
    const trackId = sequence ? (annotation.track_id ?? annotation.id) : annotation.id;
    if (!Number.isInteger(trackId) || trackId <= 0) continue;
    remap.set(annotation.id, trackId);
    if (!instances.has(trackId)) {
      const { track_id: _track, is_keyframe: _keyframe, ...rest } = annotation;
      instances.set(trackId, { ...rest, id: trackId });
    }
  }
  return remap;
}

/** The label's keys other than what the editor rewrites (kept as they were). */
function extraOf(label, sequence) {
  if (!label) return {};
  if (sequence) {
    const { frames: _frames, ...rest } = label;
    return rest;
  }
  const { annotations: _annotations, point_annotations: _points, ...rest } = label;
  return rest;
}

/**
 * The label attributes of the document: point_annotations in file point order; annotations = the instances
 * that have points in that frame (sequences: with track_id and is_keyframe).
 * @param {{frames: Frame[], instances: Instance[], labelExtra: any, sequence: boolean,
 *   countsOf: (index: number) => Map<number, number>}} document
 * @returns {any}
 */
export function segmentationLabelAttributes({ frames, instances, labelExtra, sequence, countsOf }) {
  /** @param {Instance} instance */
  const annotationOf = ({ id, category_id: categoryId, attributes }) => ({ id, category_id: categoryId, ...(attributes ? { attributes } : {}) });
  if (!sequence) {
    const counts = countsOf(0);
    return {
      format_version: "0.1", ...labelExtra,
      annotations: instances.filter((instance) => counts.has(instance.id)).map(annotationOf),
      point_annotations: Array.from(frames[0].ids),
    };
  }
  return {
    format_version: SEQUENCE_FORMAT_VERSION, ...labelExtra,
    frames: frames.map((frame, index) => {
      const counts = countsOf(index);
      return {
        ...frame.extra,
        annotations: instances.filter((instance) => counts.has(instance.id))
          .map((instance) => ({ ...annotationOf(instance), track_id: instance.id, is_keyframe: true })),
        point_annotations: Array.from(frame.ids),
      };
    }),
  };
}
