// Interpolation of a sequence label, track by track, remembering each track's frames: an edit changes one
// track (a drag changes one keyframe), so only that track is interpolated again and the frames are put
// together from what the others gave last time. The result equals interpolateSequenceLabel's (interpolation.js,
// the port of the server's reference; interpolation-cache.test.js checks it on every shared test vector and on
// random labels): each track interpolates on its own there too, and a frame lists the tracks in the order of
// their first keyframe.
//
// The annotations returned are shared between calls: read them, never edit them in place.

import { InterpolationError, REMOVED_TRACKS_KEY, interpolateSequenceLabel, isKeyframe, removedTrackIds } from "./interpolation.js";

/** @typedef {{frameCount?: number|null, timestamps?: any[]|null, extrapolate?: boolean}} InterpolationOptions */

export class InterpolationCache {
  constructor() {
    /** @type {Map<string, {key: string, frames: any[][]}>} track -> its keyframes (as JSON) and its frames */
    this.tracks = new Map();
    this.optionsKey = "";
    this.stats = { computed: 0, reused: 0 };
  }

  /**
   * Every frame of `attributes` materialised from its keyframes, as interpolateSequenceLabel(attributes,
   * options) returns it. Throws InterpolationError like it.
   * @param {any} attributes {frames: [{annotations, image_attributes?, ...}], ...}
   * @param {InterpolationOptions} [options]
   * @returns {any}
   */
  interpolate(attributes, options = {}) {
    const frames = attributes && Array.isArray(attributes.frames) ? attributes.frames : null;
    const grouped = frames && groupByTrack(frames);
    if (!grouped) return interpolateSequenceLabel(attributes, options); // malformed: let it say why
    const count = options.frameCount ?? frames.length;
    if (count < frames.length) throw new InterpolationError(`label has ${frames.length} frames, more than frame_count=${count}`);
    const optionsKey = JSON.stringify([count, options.timestamps ?? null, Boolean(options.extrapolate)]);
    if (optionsKey !== this.optionsKey) this.tracks.clear();
    this.optionsKey = optionsKey;
    const perTrack = [...grouped.entries()].map(([name, track]) => this.trackFrames(name, track, frames.length, options));
    for (const name of [...this.tracks.keys()]) if (!grouped.has(name)) this.tracks.delete(name);
    const outputFrames = Array.from({ length: count }, (_, index) => {
      const annotations = [];
      for (const trackFrames of perTrack) if (trackFrames[index]) annotations.push(...trackFrames[index]);
      return index < frames.length ? { ...frames[index], annotations } : { annotations };
    });
    return { ...attributes, frames: outputFrames };
  }

  /** The track's annotations per frame (cached while its keyframes and removals stay the same). */
  trackFrames(name, track, labelFrames, options) {
    const key = JSON.stringify(track);
    const cached = this.tracks.get(name);
    if (cached && cached.key === key) {
      this.stats.reused += 1;
      return cached.frames;
    }
    /** @type {{annotations: any[], image_attributes?: any}[]} */
    const subFrames = Array.from({ length: labelFrames }, () => ({ annotations: [] }));
    for (const [frame, annotation] of track.keyframes) subFrames[frame].annotations.push(annotation);
    for (const frame of track.removals) subFrames[frame].image_attributes = { [REMOVED_TRACKS_KEY]: [name] };
    const result = interpolateSequenceLabel({ frames: subFrames }, options);
    const trackFrames = result.frames.map((frame) => (frame.annotations.length ? frame.annotations : null));
    this.tracks.set(name, { key, frames: trackFrames });
    this.stats.computed += 1;
    return trackFrames;
  }
}

/**
 * The label's keyframes and remove-keyframes per track, in the order of each track's first keyframe (the
 * reference's track order); null when a track id is missing or two ids read the same as text, which
 * interpolateSequenceLabel then reports or resolves itself.
 * @returns {Map<string, {keyframes: [number, any][], removals: number[]}>|null}
 */
function groupByTrack(frames) {
  /** @type {Map<string, {keyframes: [number, any][], removals: number[]}>} */
  const tracks = new Map();
  const ids = new Map();
  for (let index = 0; index < frames.length; index += 1) {
    const frame = frames[index];
    if (!frame || typeof frame !== "object" || Array.isArray(frame)) return null;
    for (const annotation of frame.annotations || []) {
      if (!isKeyframe(annotation)) continue;
      const trackId = "track_id" in annotation ? annotation.track_id : annotation.id;
      if (trackId === undefined || trackId === null) return null;
      const name = String(trackId);
      if (ids.has(name) && ids.get(name) !== trackId) return null;
      ids.set(name, trackId);
      if (!tracks.has(name)) tracks.set(name, { keyframes: [], removals: [] });
      tracks.get(name)?.keyframes.push([index, annotation]);
    }
  }
  frames.forEach((frame, index) => {
    for (const name of removedTrackIds(frame)) tracks.get(name)?.removals.push(index);
  });
  return tracks;
}
