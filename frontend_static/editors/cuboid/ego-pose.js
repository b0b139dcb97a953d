// Sensor -> world coordinates of a point-cloud frame with an ego pose (sample attributes `ego_pose`:
// {position {x, y, z}, heading {qx, qy, qz, qw}}, the sensor's pose in the world). Cuboids of such samples live
// in world coordinates (the SDK's convention), so the editor shows, fits and draws on the points in world
// coordinates: world = R(heading) * point + position. Pure; tested with `node --test`.

import { parsePointBuffer } from "../pointcloud/buffer.js";

/**
 * @typedef {{position: {x: number, y: number, z: number}, heading: {qx: number, qy: number, qz: number, qw: number}}} EgoPose
 */

/**
 * Whether `pose` is a usable ego pose (finite position, a non-zero quaternion).
 * @param {any} pose
 * @returns {pose is EgoPose}
 */
export function isEgoPose(pose) {
  if (!pose || typeof pose !== "object" || !pose.position || !pose.heading) return false;
  const { x, y, z } = pose.position;
  const { qx, qy, qz, qw } = pose.heading;
  return [x, y, z, qx, qy, qz, qw].every(Number.isFinite) && Math.hypot(qx, qy, qz, qw) > 1e-9;
}

/**
 * A point buffer with every point in world coordinates (NaN points stay NaN, the order and the intensity are
 * kept); the buffer itself when `pose` is not an ego pose.
 * @param {import("../pointcloud/buffer.js").PointBuffer} buffer
 * @param {any} pose
 * @returns {import("../pointcloud/buffer.js").PointBuffer}
 */
export function toWorld(buffer, pose) {
  if (!isEgoPose(pose)) return buffer;
  const length = Math.hypot(pose.heading.qx, pose.heading.qy, pose.heading.qz, pose.heading.qw);
  const [x, y, z, w] = [pose.heading.qx, pose.heading.qy, pose.heading.qz, pose.heading.qw].map((value) => value / length);
  const r = [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
  const { x: tx, y: ty, z: tz } = pose.position;
  const count = buffer.pointCount;
  const floats = new Float32Array(count * (buffer.intensity ? 4 : 3));
  const source = buffer.xyz;
  for (let i = 0; i < count; i += 1) {
    const px = source[3 * i];
    const py = source[3 * i + 1];
    const pz = source[3 * i + 2];
    floats[3 * i] = r[0] * px + r[1] * py + r[2] * pz + tx;
    floats[3 * i + 1] = r[3] * px + r[4] * py + r[5] * pz + ty;
    floats[3 * i + 2] = r[6] * px + r[7] * py + r[8] * pz + tz;
  }
  if (buffer.intensity) floats.set(buffer.intensity, 3 * count);
  return parsePointBuffer(floats.buffer, count);
}
