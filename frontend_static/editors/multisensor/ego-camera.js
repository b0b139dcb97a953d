// A camera of a point-cloud frame with an ego pose, in world coordinates: the calibration's extrinsics are the
// camera's pose in the point cloud's (sensor) frame, while the cuboids and points of a posed frame live in world
// coordinates (cuboid/ego-pose.js). Pure; tested with `node --test`.
import { quaternionToMatrix } from "./projection.js";

/**
 * The camera seen from the world: rotation R_ego R_camera, centre R_ego t_camera + p_ego. Without a pose
 * (null) the camera itself.
 * @param {import("./projection.js").Camera} camera
 * @param {{position: {x: number, y: number, z: number}, heading: import("./projection.js").Quaternion}|null} pose
 * @returns {import("./projection.js").Camera}
 */
export function cameraInWorld(camera, pose) {
  if (!pose) return camera;
  const ego = quaternionToMatrix(pose.heading);
  const times = (matrix, vector) => matrix.map((row) => row[0] * vector[0] + row[1] * vector[1] + row[2] * vector[2]);
  const rotation = ego.map((row) => [0, 1, 2].map((column) => row[0] * camera.rotation[0][column]
    + row[1] * camera.rotation[1][column] + row[2] * camera.rotation[2][column]));
  const moved = times(ego, camera.translation);
  const translation = [moved[0] + pose.position.x, moved[1] + pose.position.y, moved[2] + pose.position.z];
  return { ...camera, rotation, translation };
}
