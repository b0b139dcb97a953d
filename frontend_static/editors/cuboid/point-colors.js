// Colour by category: the points inside a cuboid take its category's colour, the others keep their height
// colour, dimmed. Works on a three.js BufferGeometry's own position and color attributes (draw order), so the
// viewport's draw order (interleaved for big clouds) does not matter.

import { pointsInCuboid } from "../pointcloud/cuboid.js";

const DIMMED = 0.35;

/**
 * Repaint `geometry`'s colours for `cuboids`.
 * @param {any} geometry a BufferGeometry with `position` and `color` attributes
 * @param {any[]} cuboids
 * @param {{colorOf: (cuboid: any) => number[], useRotation: boolean, heightColors: () => ArrayLike<number>,
 *   cache: {positions?: any, heights?: Float32Array}}} options heightColors: recolour the geometry by height
 *   and return its colour array (called once per point set; `cache` keeps the result)
 */
export function paintCategoryColors(geometry, cuboids, options) {
  const positions = geometry.attributes.position && geometry.attributes.position.array;
  if (!positions) return;
  const cache = options.cache;
  if (cache.positions !== positions) {
    cache.heights = Float32Array.from(options.heightColors());
    cache.positions = positions;
  }
  const colors = geometry.attributes.color.array;
  for (let i = 0; i < colors.length; i += 1) colors[i] = cache.heights[i] * DIMMED;
  for (const cuboid of cuboids) {
    const [r, g, b] = options.colorOf(cuboid).map((channel) => channel / 255);
    for (const index of pointsInCuboid(positions, cuboid, { useRotation: options.useRotation })) {
      colors[3 * index] = r;
      colors[3 * index + 1] = g;
      colors[3 * index + 2] = b;
    }
  }
  geometry.attributes.color.needsUpdate = true;
}
