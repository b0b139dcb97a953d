// Loading a point-cloud sample's frames for an editor: the clouds the server read (GET
// /samples/{uuid}/pointclouds/, docs/pointclouds.md) and each frame's derived buffer, in frame order.

import { loadPointBuffer } from "../pointcloud/buffer.js";

/**
 * The derived buffers of every frame of a sample (the lidar's: frames without a sensor name), in frame order.
 * @param {string} sampleUuid
 * @param {typeof fetch} fetcher
 * @returns {Promise<import("../pointcloud/buffer.js").PointBuffer[]>}
 * @throws {Error} with a message for the user when a cloud is not read (yet) or cannot be loaded
 */
export async function loadSampleClouds(sampleUuid, fetcher) {
  const response = await fetcher(`/samples/${sampleUuid}/pointclouds/`, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`Loading the point clouds failed: HTTP ${response.status}`);
  const clouds = (await response.json()).filter((cloud) => !cloud.sensor).sort((a, b) => a.frame - b.frame);
  const unread = clouds.find((cloud) => cloud.status !== "READ");
  if (!clouds.length || unread) {
    const why = unread ? `frame ${unread.frame + 1}: ${unread.status.toLowerCase()}${unread.error ? ` (${unread.error})` : ""}` : "no point cloud";
    throw new Error(`The server has not read this sample's point cloud yet (${why}). Reload in a moment.`);
  }
  return Promise.all(clouds.map((cloud) => loadPointBuffer(cloud.buffer, cloud.point_count, { fetch: fetcher })));
}
