// Zoom and pan: the image (photo, mask canvas, overlay) sits in a "world" element moved by a CSS transform
// translate(x, y) scale(scale). Offsets are kept whole CSS pixels so that pixel edges stay crisp.

export const MIN_SCALE = 0.05;
export const MAX_SCALE = 32;

/** The view that shows the whole image centred in a viewport, never enlarged beyond 100%... unless tiny. */
export function fitView(imageWidth, imageHeight, viewportWidth, viewportHeight, margin = 12) {
  const scale = Math.max(
    MIN_SCALE,
    Math.min((viewportWidth - 2 * margin) / imageWidth, (viewportHeight - 2 * margin) / imageHeight, 4),
  );
  return centredView(scale, imageWidth, imageHeight, viewportWidth, viewportHeight);
}

/** The view at `scale` with the image centred in the viewport. */
export function centredView(scale, imageWidth, imageHeight, viewportWidth, viewportHeight) {
  return {
    scale,
    x: Math.round((viewportWidth - imageWidth * scale) / 2),
    y: Math.round((viewportHeight - imageHeight * scale) / 2),
  };
}

/** Zoom by `factor` keeping the viewport point `anchor` {x, y} over the same image point. */
export function zoomAround(view, factor, anchor) {
  const scale = Math.max(MIN_SCALE, Math.min(MAX_SCALE, view.scale * factor));
  const ratio = scale / view.scale;
  return {
    scale,
    x: Math.round(anchor.x - (anchor.x - view.x) * ratio),
    y: Math.round(anchor.y - (anchor.y - view.y) * ratio),
  };
}

/** CSS transform for the world element. */
export function worldTransform(view) {
  return `translate(${view.x}px, ${view.y}px) scale(${view.scale})`;
}

/** The image pixel [x, y] (integers, maybe outside the image) under viewport point {x, y}. */
export function pixelAt(view, point) {
  return [Math.floor((point.x - view.x) / view.scale), Math.floor((point.y - view.y) / view.scale)];
}
