// Lidar points projected into a camera image, coloured by depth, drawn into a 2D canvas: the overlay that shows
// at a glance whether a calibration is right (points on the image's edges) or not. Same palette as the
// server's previews (labeling/core/calibration.py, depth_colours).
import { projectPositions } from "./projection.js";

/** Metres: depth of the last colour of the palette (and of the server's previews). */
export const MAX_DEPTH = 80;
const STOPS = [0, 0.33, 0.66, 1];
const PALETTE = [[255, 40, 40], [255, 230, 40], [40, 220, 90], [40, 90, 255]];

/**
 * RGB colour of a depth: red near, through yellow and green, to blue at maxDepth (square-root scale).
 * @param {number} depth metres
 * @param {number} [maxDepth]
 * @returns {number[]} [r, g, b], 0-255 integers
 */
export function depthColour(depth, maxDepth = MAX_DEPTH) {
  const fraction = Math.sqrt(Math.min(Math.max(depth / maxDepth, 0), 1));
  let stop = 0;
  while (stop < STOPS.length - 2 && fraction > STOPS[stop + 1]) stop += 1;
  const t = (fraction - STOPS[stop]) / (STOPS[stop + 1] - STOPS[stop]);
  return [0, 1, 2].map((channel) => Math.floor(PALETTE[stop][channel]
    + t * (PALETTE[stop + 1][channel] - PALETTE[stop][channel])));
}

/**
 * Draw the points of a point cloud that the camera sees onto `context`, over what is already drawn there.
 * Each point is a square of `pointSize` canvas pixels centred on its projection; nearer points are drawn over
 * farther ones; points behind the camera, beyond maxDepth or outside the canvas are left out.
 * @param {CanvasRenderingContext2D} context
 * @param {Float32Array|number[]} positions the point cloud's flat [x0, y0, z0, x1, ...], metres
 * @param {import("./projection.js").Camera} camera from cameraFromAttributes
 * @param {{scale?: number, pointSize?: number, maxDepth?: number}} [options] scale: canvas pixels per image
 *   pixel (the canvas shows the image scaled by it)
 * @returns {number} how many points were drawn
 */
export function drawLidarOverlay(context, positions, camera, { scale = 1, pointSize = 2, maxDepth = MAX_DEPTH } = {}) {
  const { width, height } = context.canvas;
  const { pixels, depths, count } = projectPositions(positions, camera);
  const order = [];
  for (let index = 0; index < count; index += 1) {
    const u = pixels[2 * index] * scale;
    const v = pixels[2 * index + 1] * scale;
    if (depths[index] <= maxDepth && u >= 0 && v >= 0 && u < width && v < height) order.push(index);
  }
  order.sort((first, second) => depths[second] - depths[first]); // far first: near points end up on top
  const image = context.getImageData(0, 0, width, height);
  const data = image.data;
  const half = Math.floor(pointSize / 2);
  for (const index of order) {
    const [red, green, blue] = depthColour(depths[index], maxDepth);
    const column = Math.floor(pixels[2 * index] * scale) - half;
    const row = Math.floor(pixels[2 * index + 1] * scale) - half;
    for (let y = Math.max(row, 0); y < Math.min(row + pointSize, height); y += 1) {
      for (let x = Math.max(column, 0); x < Math.min(column + pointSize, width); x += 1) {
        const offset = 4 * (y * width + x);
        data[offset] = red;
        data[offset + 1] = green;
        data[offset + 2] = blue;
        data[offset + 3] = 255;
      }
    }
  }
  context.putImageData(image, 0, 0);
  return order.length;
}
