// The multi-sensor label and each sensor's share of it, pure functions (no DOM): the per-sensor editor_config a
// sensor's view is built from, the stored label `{"sensors": [{name, task_type, attributes}], "links"}` in the
// sample's sensor order (tests/data/seeds "Multi-sensor sequence"; an empty list means "this sensor is
// unlabeled"), and the links between tracks of different sensors.
//
// Track ids are unique across the sample's sensors (the editor hands out the next id over all of them), so a
// link's `from_id` (the 3D cuboid's track_id) and `to_id` (the camera's 2D track_id) each name one track.

/**
 * @typedef {{from_id: number, to_id: number, attributes?: object, frames?: object[]}} Link
 * @typedef {{name: string, task_type: string, kind: "pointcloud"|"image", frames: object[], ego_poses?: any[],
 *   image_url?: string|null}} SensorSample the editor_config `sample.sensors[i]` (datasets/editors.py)
 */

/** Task types of sensors this editor edits (others are kept as loaded). */
export const EDITED_TASK_TYPES = new Set(["pointcloud-cuboid-sequence", "image-vector-sequence"]);

/**
 * The stored attributes of each sensor of `label` (null when unlabeled: `[]`, absent or not an object), in the
 * sample's order, matched by position as the label format requires.
 * @param {any} labelAttributes the multi-sensor label attributes, or null
 * @param {SensorSample[]} sensors the sample's sensors
 * @returns {(object|null)[]}
 */
export function sensorLabels(labelAttributes, sensors) {
  const stored = Array.isArray(labelAttributes?.sensors) ? labelAttributes.sensors : [];
  return sensors.map((sensor, index) => {
    const entry = stored[index];
    const attributes = entry && entry.name === sensor.name ? entry.attributes : null;
    return attributes && typeof attributes === "object" && !Array.isArray(attributes) ? attributes : null;
  });
}

/**
 * The editor_config a sensor's own view is built from: the page's config with the sensor's task type, its
 * frames as the sample, and its part of the label.
 * @param {any} config the page's editor_config
 * @param {SensorSample} sensor
 * @param {object|null} attributes the sensor's stored label attributes (sensorLabels)
 * @returns {any}
 */
export function sensorConfig(config, sensor, attributes) {
  const label = config.label ? { ...config.label, attributes } : null;
  return {
    ...config,
    dataset: { ...config.dataset, task_type: sensor.task_type },
    sample: { ...config.sample, ...sensor, name: config.sample.name },
    label,
  };
}

/**
 * The links of a label: well-formed ones (integer from_id and to_id) as stored.
 * @param {any} labelAttributes
 * @returns {Link[]}
 */
export function linksOf(labelAttributes) {
  const links = Array.isArray(labelAttributes?.links) ? labelAttributes.links : [];
  return links.filter((link) => Number.isInteger(link?.from_id) && Number.isInteger(link?.to_id)).map((link) => structuredClone(link));
}

/** Whether a sensor label has no object in any frame. */
function isEmptySequence(attributes) {
  const frames = Array.isArray(attributes?.frames) ? attributes.frames : [];
  return frames.every((frame) => !(frame.annotations || []).length && !Object.keys(frame.image_attributes || {}).length);
}

/**
 * The multi-sensor label to store.
 * @param {SensorSample[]} sensors the sample's sensors, in order
 * @param {(object|null)[]} attributes each sensor's current label attributes (null: unlabeled / not edited)
 * @param {Link[]} links
 * @returns {{sensors: {name: string, task_type: string, attributes: object|[]}[], links?: Link[]}}
 */
export function multiSensorLabel(sensors, attributes, links) {
  const label = {
    sensors: sensors.map((sensor, index) => {
      const current = attributes[index];
      return { name: sensor.name, task_type: sensor.task_type, attributes: !current || isEmptySequence(current) ? [] : current };
    }),
  };
  return links.length ? { ...label, links } : label;
}

/**
 * The link of 2D track `toId`, or null (a 2D track links to one cuboid).
 * @param {Link[]} links
 * @param {number} toId
 */
export function linkTo(links, toId) {
  return links.find((link) => link.to_id === toId) || null;
}

/**
 * The links with `fromId` -> `toId` set: an existing link of `toId` to another cuboid is replaced.
 * @param {Link[]} links
 * @param {number} fromId the cuboid's track id
 * @param {number} toId the 2D track id
 * @returns {Link[]}
 */
export function withLink(links, fromId, toId) {
  return [...links.filter((link) => link.to_id !== toId), { from_id: fromId, to_id: toId, attributes: {} }];
}

/**
 * The links without those of tracks that no longer exist.
 * @param {Link[]} links
 * @param {Set<number>} trackIds every track id of every sensor
 * @returns {Link[]}
 */
export function liveLinks(links, trackIds) {
  return links.filter((link) => trackIds.has(link.from_id) && trackIds.has(link.to_id));
}

/**
 * The 2D track ids (of `cameraTrackIds`) linked to cuboid track `fromId`.
 * @param {Link[]} links
 * @param {number|null} fromId
 * @param {Set<number>} cameraTrackIds
 * @returns {number[]}
 */
export function linkedTracks(links, fromId, cameraTrackIds) {
  if (fromId === null) return [];
  return links.filter((link) => link.from_id === fromId && cameraTrackIds.has(link.to_id)).map((link) => link.to_id);
}
