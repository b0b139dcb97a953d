// Projection of 3D points and cuboids from a point cloud's frame into a calibrated camera image.
// The same computation as labeling/core/projection.py (the server's); both run the shared vectors in
// tests/core/vectors/projection/. Calibration as in tests/data/specs/segments-api.md section 6:
// extrinsics are the camera's pose in the point cloud's frame (camera -> lidar: p_lidar = R p_camera + t),
// camera_convention "OpenGL" (default: x right, y up, looking along -z) or "OpenCV" (x right, y down, +z),
// distortion "brown-conrady" (OpenCV rational model) or "fisheye" (OpenCV equidistant), then K.

/** @typedef {{x: number, y: number, z: number}} XYZ */
/** @typedef {{qx: number, qy: number, qz: number, qw: number}} Quaternion */
/**
 * @typedef {object} CalibratedImage
 * @property {{intrinsic_matrix: number[][]}} intrinsics
 * @property {{translation: XYZ, rotation: Quaternion}} extrinsics
 * @property {{model: "fisheye"|"brown-conrady", coefficients: Object<string, number>}} [distortion]
 * @property {"OpenGL"|"OpenCV"} [camera_convention]
 * @property {string} [name]
 */
/**
 * @typedef {object} Camera
 * @property {number[][]} intrinsicMatrix 3x3 K, pixels
 * @property {number[][]} rotation 3x3 camera -> point-cloud rotation of OpenCV camera axes
 * @property {number[]} translation camera centre in the point cloud's frame, metres
 * @property {null|"fisheye"|"brown-conrady"} distortionModel
 * @property {number[]} distortionCoefficients k1 k2 p1 p2 k3 k4 k5 k6, or k1..k4 for fisheye
 * @property {number} maxRadius normalized radius beyond which the lens model stops increasing: points farther
 *   off-axis are not projected (a polynomial model folds them back into the image)
 */
/**
 * @typedef {object} Cuboid
 * @property {XYZ} position metres
 * @property {XYZ} dimensions metres
 * @property {number} [yaw] radians, counter-clockwise about +z
 * @property {Quaternion} [rotation] overrides yaw when given
 */

/** Metres: points closer to the camera plane than this are behind it (or too close to draw). */
export const NEAR = 0.1;
/** Largest normalized radius (tan of the angle off the optical axis, about 84 degrees) a distorted camera draws. */
export const MAX_DISTORTED_RADIUS = 10;
/** Pieces each clipped cuboid edge is cut into, so distortion bends it like the lens does. */
export const EDGE_STEPS = 16;
/** How far |q| may be from 1 before a calibration rotation is refused. */
export const QUATERNION_TOLERANCE = 1e-3;
/** Corner index pairs of the 12 edges; corner i has signs (x: bit 2, y: bit 1, z: bit 0). */
export const CUBOID_EDGES = [
  [0, 1], [1, 3], [3, 2], [2, 0], [4, 5], [5, 7], [7, 6], [6, 4], [0, 4], [1, 5], [2, 6], [3, 7],
];

/** A calibration the projection refuses, with the field path and rule (as the server's LabelFormatError). */
export class CalibrationError extends Error {
  /** @param {{path: string, rule: string, message: string}[]} issues */
  constructor(issues) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "));
    this.issues = issues;
  }
}

/**
 * 3x3 rotation matrix of a quaternion (Hamilton, scalar last), normalised first.
 * @param {Quaternion} q
 * @returns {number[][]}
 */
export function quaternionToMatrix({ qx, qy, qz, qw }) {
  const norm = Math.hypot(qx, qy, qz, qw);
  const [x, y, z, w] = [qx / norm, qy / norm, qz / norm, qw / norm];
  return [
    [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
    [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
    [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
  ];
}

/**
 * Issues that make a calibrated image unusable for projection (empty when usable).
 * @param {CalibratedImage} image
 * @param {string} [path]
 * @returns {{path: string, rule: string, message: string}[]}
 */
export function calibrationIssues(image, path = "") {
  const join = (base, key) => (base ? `${base}.${key}` : key);
  const issues = [];
  if (!image || typeof image !== "object") return [{ path, rule: "calibration_missing", message: "no calibration" }];
  for (const key of ["intrinsics", "extrinsics"]) {
    if (!image[key] || typeof image[key] !== "object") {
      issues.push({ path: join(path, key), rule: "calibration_missing", message: `${key} are needed to project` });
    }
  }
  const rotation = image.extrinsics?.rotation;
  if (rotation) {
    const norm = Math.hypot(rotation.qx, rotation.qy, rotation.qz, rotation.qw);
    if (!(Math.abs(norm - 1) <= QUATERNION_TOLERANCE)) {
      issues.push({
        path: join(join(path, "extrinsics"), "rotation"), rule: "quaternion_not_unit",
        message: `rotation quaternion has length ${norm}, a rotation needs length 1`,
      });
    }
  }
  const convention = image.camera_convention;
  if (convention !== undefined && convention !== null && convention !== "OpenGL" && convention !== "OpenCV") {
    issues.push({
      path: join(path, "camera_convention"), rule: "one_of",
      message: "camera_convention must be OpenGL or OpenCV",
    });
  }
  const k = image.intrinsics?.intrinsic_matrix;
  if (image.intrinsics) {
    const shaped = Array.isArray(k) && k.length === 3 && k.every((row) => Array.isArray(row) && row.length === 3
      && row.every(Number.isFinite));
    const usable = shaped && k[0][0] > 0 && k[1][1] > 0 && k[1][0] === 0 && Math.abs(k[2][0]) < 1e-8
      && Math.abs(k[2][1]) < 1e-8 && Math.abs(k[2][2] - 1) < 1e-8;
    if (!usable) {
      issues.push({
        path: join(join(path, "intrinsics"), "intrinsic_matrix"), rule: "intrinsics_not_invertible",
        message: "intrinsic_matrix must be [[fx, s, cx], [0, fy, cy], [0, 0, 1]] with fx > 0 and fy > 0",
      });
    }
  }
  return issues;
}

/**
 * The Camera of a calibrated image; throws CalibrationError (with field paths) when it is unusable.
 * @param {CalibratedImage} image
 * @returns {Camera}
 */
export function cameraFromAttributes(image) {
  const issues = calibrationIssues(image);
  if (issues.length) throw new CalibrationError(issues);
  const { translation, rotation } = image.extrinsics;
  let matrix = quaternionToMatrix(rotation);
  if ((image.camera_convention ?? "OpenGL") === "OpenGL") {
    // OpenGL camera axes (y up, -z forward) -> OpenCV ones (y down, +z forward): negate columns y and z.
    matrix = matrix.map(([a, b, c]) => [a, -b, -c]);
  }
  let distortionModel = null;
  let distortionCoefficients = [];
  if (image.distortion) {
    distortionModel = image.distortion.model;
    const keys = distortionModel === "fisheye" ? ["k1", "k2", "k3", "k4"]
      : ["k1", "k2", "p1", "p2", "k3", "k4", "k5", "k6"];
    distortionCoefficients = keys.map((key) => image.distortion.coefficients[key] ?? 0);
  }
  return {
    intrinsicMatrix: image.intrinsics.intrinsic_matrix,
    rotation: matrix,
    translation: [translation.x, translation.y, translation.z],
    distortionModel,
    distortionCoefficients,
    maxRadius: distortionLimit(distortionModel, distortionCoefficients),
  };
}

/**
 * Distorted radius of an undistorted normalized radius (tangential terms left out), by the lens model.
 * @param {null|"fisheye"|"brown-conrady"} model
 * @param {number[]} c coefficients as in Camera
 * @param {number} radius
 * @returns {number}
 */
export function radialMapping(model, c, radius) {
  if (model === "fisheye") {
    const theta = Math.atan(radius);
    const t2 = theta * theta;
    return theta * (1 + c[0] * t2 + c[1] * t2 ** 2 + c[2] * t2 ** 3 + c[3] * t2 ** 4);
  }
  if (model === "brown-conrady") {
    const r2 = radius * radius;
    return (radius * (1 + c[0] * r2 + c[1] * r2 ** 2 + c[4] * r2 ** 3)) / (1 + c[5] * r2 + c[6] * r2 ** 2 + c[7] * r2 ** 3);
  }
  return radius;
}

/**
 * The normalized radius up to which the lens model's radial mapping keeps increasing (sampled every 0.001 up to
 * MAX_DISTORTED_RADIUS); Infinity without distortion.
 * @param {null|"fisheye"|"brown-conrady"} model
 * @param {number[]} coefficients
 * @returns {number}
 */
export function distortionLimit(model, coefficients) {
  if (!model) return Infinity;
  let previous = 0;
  for (let step = 1; step <= 10000; step += 1) {
    const radius = (step * MAX_DISTORTED_RADIUS) / 10000;
    const current = radialMapping(model, coefficients, radius);
    if (!(current > previous)) return ((step - 1) * MAX_DISTORTED_RADIUS) / 10000;
    previous = current;
  }
  return MAX_DISTORTED_RADIUS;
}

/**
 * A point of the point cloud's frame in OpenCV camera axes (z = depth, metres).
 * @param {number[]} point [x, y, z]
 * @param {Camera} camera
 * @returns {number[]}
 */
export function toCameraFrame(point, camera) {
  const d = [point[0] - camera.translation[0], point[1] - camera.translation[1], point[2] - camera.translation[2]];
  const r = camera.rotation;
  // R^T d: the camera axes are the columns of R.
  return [0, 1, 2].map((column) => r[0][column] * d[0] + r[1][column] * d[1] + r[2][column] * d[2]);
}

/**
 * Normalized image coordinates (x/z, y/z) -> distorted ones, by the camera's model.
 * @param {number} x
 * @param {number} y
 * @param {Camera} camera
 * @returns {number[]}
 */
export function distort(x, y, camera) {
  const c = camera.distortionCoefficients;
  const r2 = x * x + y * y;
  if (camera.distortionModel === "fisheye") {
    const r = Math.sqrt(r2);
    if (r <= 1e-12) return [x, y];
    const theta = Math.atan(r);
    const t2 = theta * theta;
    const thetaD = theta * (1 + c[0] * t2 + c[1] * t2 ** 2 + c[2] * t2 ** 3 + c[3] * t2 ** 4);
    return [(x * thetaD) / r, (y * thetaD) / r];
  }
  if (camera.distortionModel === "brown-conrady") {
    const [k1, k2, p1, p2, k3, k4, k5, k6] = c;
    const radial = (1 + k1 * r2 + k2 * r2 ** 2 + k3 * r2 ** 3) / (1 + k4 * r2 + k5 * r2 ** 2 + k6 * r2 ** 3);
    return [x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x), y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y];
  }
  return [x, y];
}

/**
 * Pixel [u, v] of an OpenCV camera-frame point, or null when it is behind the near plane.
 * @param {number[]} cameraPoint
 * @param {Camera} camera
 * @param {number} [near]
 * @returns {number[]|null}
 */
export function projectCameraPoint(cameraPoint, camera, near = NEAR) {
  const depth = cameraPoint[2];
  if (!(depth >= near)) return null;
  const [ux, uy] = [cameraPoint[0] / depth, cameraPoint[1] / depth];
  if (ux * ux + uy * uy > camera.maxRadius ** 2) return null;
  const [x, y] = distort(ux, uy, camera);
  const k = camera.intrinsicMatrix;
  return [k[0][0] * x + k[0][1] * y + k[0][2], k[1][1] * y + k[1][2]];
}

/**
 * Pixel [u, v] (u right, v down) of a point of the point cloud's frame, or null when it is behind the camera.
 * @param {number[]} point [x, y, z] metres
 * @param {Camera} camera
 * @param {number} [near]
 * @returns {number[]|null}
 */
export function projectPoint(point, camera, near = NEAR) {
  return projectCameraPoint(toCameraFrame(point, camera), camera, near);
}

/**
 * Project many points at once (a point cloud's flat [x0, y0, z0, x1, ...] array) for drawing.
 * @param {Float32Array|number[]} positions flat xyz, metres
 * @param {Camera} camera
 * @param {number} [near]
 * @returns {{pixels: Float32Array, depths: Float32Array, count: number}} pixels flat uv, depth per point;
 *   only the points in front of the camera, `count` of them
 */
export function projectPositions(positions, camera, near = NEAR) {
  const total = Math.floor(positions.length / 3);
  const pixels = new Float32Array(total * 2);
  const depths = new Float32Array(total);
  const [tx, ty, tz] = camera.translation;
  const r = camera.rotation;
  const k = camera.intrinsicMatrix;
  const limit = camera.maxRadius ** 2;
  let count = 0;
  for (let index = 0; index < total; index += 1) {
    const dx = positions[3 * index] - tx;
    const dy = positions[3 * index + 1] - ty;
    const dz = positions[3 * index + 2] - tz;
    const depth = r[0][2] * dx + r[1][2] * dy + r[2][2] * dz;
    if (!(depth >= near)) continue;
    const cx = r[0][0] * dx + r[1][0] * dy + r[2][0] * dz;
    const cy = r[0][1] * dx + r[1][1] * dy + r[2][1] * dz;
    if ((cx * cx + cy * cy) / (depth * depth) > limit) continue;
    const [x, y] = distort(cx / depth, cy / depth, camera);
    pixels[2 * count] = k[0][0] * x + k[0][1] * y + k[0][2];
    pixels[2 * count + 1] = k[1][1] * y + k[1][2];
    depths[count] = depth;
    count += 1;
  }
  return { pixels, depths, count };
}

/**
 * 3x3 rotation of a cuboid: its rotation quaternion when given, else yaw about +z.
 * @param {Cuboid} cuboid
 * @returns {number[][]}
 */
export function cuboidRotation(cuboid) {
  if (cuboid.rotation) return quaternionToMatrix(cuboid.rotation);
  const yaw = cuboid.yaw ?? 0;
  const [cos, sin] = [Math.cos(yaw), Math.sin(yaw)];
  return [[cos, -sin, 0], [sin, cos, 0], [0, 0, 1]];
}

/**
 * The 8 corners of a cuboid in the point cloud's frame; corner i has signs (x: bit 2, y: bit 1, z: bit 0).
 * @param {Cuboid} cuboid
 * @returns {number[][]}
 */
export function cuboidCorners(cuboid) {
  const r = cuboidRotation(cuboid);
  const { position: p, dimensions: d } = cuboid;
  const corners = [];
  for (let i = 0; i < 8; i += 1) {
    const half = [(((i >> 2) & 1) - 0.5) * d.x, (((i >> 1) & 1) - 0.5) * d.y, ((i & 1) - 0.5) * d.z];
    corners.push([p.x, p.y, p.z].map((base, row) => base + r[row][0] * half[0] + r[row][1] * half[1]
      + r[row][2] * half[2]));
  }
  return corners;
}

/**
 * The part of a camera-frame segment with depth >= near, or null when none is.
 * @param {number[]} start
 * @param {number[]} end
 * @param {number} [near]
 * @returns {number[][]|null}
 */
export function clipSegment(start, end, near = NEAR) {
  if (start[2] < near && end[2] < near) return null;
  if (start[2] >= near && end[2] >= near) return [start, end];
  const fraction = (near - start[2]) / (end[2] - start[2]);
  const crossing = start.map((value, axis) => value + fraction * (end[axis] - value));
  crossing[2] = near;
  return start[2] < near ? [crossing, end] : [start, crossing];
}

/**
 * Polylines, in pixels, of a cuboid's edges in the camera: one list of steps + 1 [u, v] per edge at least
 * partly in front of the near plane, clipped there (edges wholly behind the camera are left out). Points
 * beyond the lens model's maxRadius are null: draw the runs between them.
 * @param {Cuboid} cuboid
 * @param {Camera} camera
 * @param {{near?: number, steps?: number}} [options]
 * @returns {(number[]|null)[][]}
 */
export function projectCuboidEdges(cuboid, camera, { near = NEAR, steps = EDGE_STEPS } = {}) {
  const corners = cuboidCorners(cuboid).map((corner) => toCameraFrame(corner, camera));
  const polylines = [];
  for (const [startIndex, endIndex] of CUBOID_EDGES) {
    const clipped = clipSegment(corners[startIndex], corners[endIndex], near);
    if (!clipped) continue;
    const [start, end] = clipped;
    const line = [];
    for (let step = 0; step <= steps; step += 1) {
      const fraction = step / steps;
      const point = start.map((value, axis) => value + fraction * (end[axis] - value));
      line.push(projectCameraPoint(point, camera, near));
    }
    polylines.push(line);
  }
  return polylines;
}

/**
 * The image box [[x0, y0], [x1, y1]] (pixels, a bbox annotation's points) around the cuboid's projected edges,
 * cut to an image of width x height; null when nothing of the cuboid shows in the image.
 * @param {Cuboid} cuboid
 * @param {Camera} camera
 * @param {number} width image pixels
 * @param {number} height image pixels
 * @param {{near?: number, steps?: number}} [options]
 * @returns {number[][]|null}
 */
export function projectedBoundingBox(cuboid, camera, width, height, options = {}) {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const line of projectCuboidEdges(cuboid, camera, options)) {
    for (const point of line) {
      if (!point) continue;
      x0 = Math.min(x0, point[0]);
      y0 = Math.min(y0, point[1]);
      x1 = Math.max(x1, point[0]);
      y1 = Math.max(y1, point[1]);
    }
  }
  [x0, y0, x1, y1] = [Math.max(x0, 0), Math.max(y0, 0), Math.min(x1, width), Math.min(y1, height)];
  return x1 > x0 && y1 > y0 ? [[x0, y0], [x1, y1]] : null;
}
