// Loading a sample's point clouds into an editor while the server's worker may still be reading them:
// GET /samples/{uuid}/pointclouds/ (docs/pointclouds.md) polled until no frame is PENDING, each READ frame's
// derived buffer loaded once, the frame shown first; what cannot be read is said in the stage's message.

import { loadPointBuffer } from "./buffer.js";

const POLL_MS = 1000;
const POLL_LIMIT = 120;

/**
 * @param {string} sampleUuid
 * @param {{keep?: (cloud: any) => boolean, loaded: (frame: number) => boolean, currentFrame: () => number,
 *   onBuffer: (frame: number, buffer: import("./buffer.js").PointBuffer) => void, message: HTMLElement}} options
 *   keep: which listed clouds are this editor's (default: all); loaded(frame): whether it has that frame's buffer;
 *   onBuffer: a frame's buffer arrived; message: the stage's message element
 * @returns {Promise<void>} when every kept frame is loaded or failed (or after about two minutes of waiting)
 */
export async function pollSampleClouds(sampleUuid, { keep = () => true, loaded, currentFrame, onBuffer, message }) {
  for (let attempt = 0; attempt < POLL_LIMIT; attempt += 1) {
    let frames;
    try {
      const response = await fetch(`/samples/${sampleUuid}/pointclouds/`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      frames = (await response.json()).filter(keep);
    } catch (error) {
      showCloudError(message, `The point clouds could not be listed: ${error.message}`);
      return;
    }
    const failed = frames.find((frame) => frame.status === "FAILED");
    if (failed) showCloudError(message, `Frame ${failed.frame + 1} could not be read: ${failed.error}`);
    const ready = frames.filter((frame) => frame.status === "READ" && frame.buffer && !loaded(frame.frame));
    ready.sort((a, b) => Math.abs(a.frame - currentFrame()) - Math.abs(b.frame - currentFrame()));
    for (const frame of ready) {
      try {
        onBuffer(frame.frame, await loadPointBuffer(frame.buffer, frame.point_count));
      } catch (error) {
        showCloudError(message, `The points of frame ${frame.frame + 1} could not be loaded: ${error.message}`);
      }
    }
    if (!frames.some((frame) => frame.status === "PENDING") && frames.length) return;
    if (!frames.length) message.textContent = "The server has not read this sample's point cloud yet…";
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Show `text` as the stage's error (data-testid pointcloud-error). */
export function showCloudError(message, text) {
  message.hidden = false;
  message.textContent = text;
  message.classList.add("is-error");
  message.dataset.testid = "pointcloud-error";
}
