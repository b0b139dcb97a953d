// A multi-sensor sample's sensors and, per frame, the calibrated cameras the editor projects into: pure
// functions over the sample attributes of tests/data/specs/segments-api.md section 6
// (`{"sensors": [{name, task_type, attributes}]}`; a point-cloud sensor's frames carry the calibrated `images`,
// matched to camera sensors by name).
import { calibrationIssues, cameraFromAttributes } from "./projection.js";

const POINTCLOUD_TASK_TYPES = new Set([
  "pointcloud-cuboid-sequence", "pointcloud-vector-sequence", "pointcloud-segmentation-sequence",
]);
const IMAGE_TASK_TYPES = new Set(["image-vector-sequence", "image-segmentation-sequence"]);

/**
 * @typedef {object} Sensor
 * @property {number} index position in the sample (the label's sensors must follow it)
 * @property {string} name
 * @property {string} taskType
 * @property {"pointcloud"|"image"} kind
 * @property {number} frameCount
 */

/**
 * The sample's sensors in its order.
 * @param {{sensors: {name: string, task_type: string, attributes: {frames?: object[]}}[]}} sampleAttributes
 * @returns {Sensor[]}
 */
export function sensorsOf(sampleAttributes) {
  return (sampleAttributes?.sensors ?? []).map((sensor, index) => ({
    index,
    name: sensor.name,
    taskType: sensor.task_type,
    kind: /** @type {"pointcloud"|"image"} */ (POINTCLOUD_TASK_TYPES.has(sensor.task_type) ? "pointcloud" : "image"),
    frameCount: sensor.attributes?.frames?.length ?? 0,
  })).filter((sensor) => POINTCLOUD_TASK_TYPES.has(sensor.taskType) || IMAGE_TASK_TYPES.has(sensor.taskType));
}

/**
 * The calibration of each camera sensor at a frame, from the first point-cloud sensor's frame `frameIndex`:
 * `camera` is ready to project, or null with `issues` (field paths from the sample attributes) when the
 * calibration is missing or unusable, so the editor can say so instead of drawing wrong projections.
 * @param {object} sampleAttributes
 * @param {number} frameIndex
 * @returns {Map<string, {camera: import("./projection.js").Camera|null,
 *   issues: {path: string, rule: string, message: string}[]}>} by camera sensor name
 */
export function cameraCalibrations(sampleAttributes, frameIndex) {
  const sensors = sensorsOf(sampleAttributes);
  const lidar = sensors.find((sensor) => sensor.kind === "pointcloud");
  const result = new Map();
  for (const sensor of sensors.filter((each) => each.kind === "image")) {
    const framePath = lidar ? `sensors[${lidar.index}].attributes.frames[${frameIndex}]` : "sensors";
    const images = lidar ? sampleAttributes.sensors[lidar.index].attributes?.frames?.[frameIndex]?.images ?? [] : [];
    const imageIndex = images.findIndex((image) => image?.name === sensor.name);
    if (imageIndex < 0) {
      result.set(sensor.name, {
        camera: null,
        issues: [{ path: `${framePath}.images`, rule: "calibration_missing",
          message: `no calibrated image named ${JSON.stringify(sensor.name)} in this frame` }],
      });
      continue;
    }
    const path = `${framePath}.images[${imageIndex}]`;
    const issues = calibrationIssues(images[imageIndex], path);
    result.set(sensor.name, { camera: issues.length ? null : cameraFromAttributes(images[imageIndex]), issues });
  }
  return result;
}
