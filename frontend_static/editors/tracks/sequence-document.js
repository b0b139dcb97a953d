// The sequence label being edited, as plain data, and its conversion to and from the stored label
// attributes ("Image sequence - Vector labels", format_version 0.2). Only keyframes are edited and stored;
// the frames between them are computed (interpolation.js here, labeling/core/interpolation.py on the server).
//
// Sequence document: {frames: [frame], extra}
//   frame: {keyframes: [annotation], imageAttributes: {name: value}, removed: [track_id as string], extra}
//     keyframes: {id, track_id, category_id, type, points: [[x, y], ...], attributes?, ...unknown keys};
//                id === track_id (one object per track and frame)
//     removed: remove-keyframes of this frame, stored in image_attributes._removed_track_ids
//     extra: other frame keys of the loaded label (e.g. timestamp), written back unchanged
//   extra: top-level keys of the loaded label we do not edit
// Points are pixels of the frame's original image; a bbox is [[x0, y0], [x1, y1]], upper-left then lower-right.

import { normalizeBox, roundCoordinate } from "../vector/geometry.js";
import { isKeyframe, REMOVED_TRACKS_KEY } from "./interpolation.js";

export const SEQUENCE_FORMAT_VERSION = "0.2";
const KNOWN_LABEL_KEYS = new Set(["format_version", "frames"]);
const KNOWN_FRAME_KEYS = new Set(["annotations", "image_attributes"]);

/** The track an annotation belongs to (its track_id, else its id). */
export function trackIdOf(annotation) {
  return annotation.track_id ?? annotation.id;
}

/**
 * Build the document from stored attributes (null when unlabeled), padded to `frameCount` frames.
 * Computed annotations (is_keyframe: false) are dropped: they are recomputed from the keyframes. The
 * tolerated marker form {"removed": true} becomes a canonical remove-keyframe.
 */
export function sequenceFromLabel(attributes, frameCount, defaultImageAttributes = {}) {
  const source = attributes && typeof attributes === "object" ? attributes : {};
  const extra = {};
  for (const [key, value] of Object.entries(source)) if (!KNOWN_LABEL_KEYS.has(key)) extra[key] = structuredClone(value);
  const storedFrames = Array.isArray(source.frames) ? source.frames : [];
  const count = Math.max(frameCount, storedFrames.length);
  const frames = Array.from({ length: count }, (_, index) => frameFromLabel(storedFrames[index], defaultImageAttributes));
  return { frames, extra };
}

function frameFromLabel(stored, defaultImageAttributes) {
  const frame = { keyframes: [], imageAttributes: structuredClone(defaultImageAttributes), removed: [], extra: {} };
  if (!stored || typeof stored !== "object") return frame;
  for (const [key, value] of Object.entries(stored)) if (!KNOWN_FRAME_KEYS.has(key)) frame.extra[key] = structuredClone(value);
  if (stored.image_attributes && typeof stored.image_attributes === "object") {
    const { [REMOVED_TRACKS_KEY]: removed, ...imageAttributes } = stored.image_attributes;
    frame.imageAttributes = structuredClone(imageAttributes);
    frame.removed = (removed || []).map(String);
  }
  for (const annotation of stored.annotations || []) {
    if (!isKeyframe(annotation)) continue;
    const trackId = trackIdOf(annotation);
    if (annotation.removed) {
      if (!frame.removed.includes(String(trackId))) frame.removed.push(String(trackId));
      continue;
    }
    const { is_keyframe: _flag, ...rest } = structuredClone(annotation);
    frame.keyframes.push({ ...rest, id: trackId, track_id: trackId });
  }
  // A keyframe beats a remove-keyframe of its track in the same frame; the stale entry is dropped on save.
  const kept = new Set(frame.keyframes.map((annotation) => String(trackIdOf(annotation))));
  frame.removed = frame.removed.filter((name) => !kept.has(name));
  return frame;
}

/** The label attributes to store: every frame, with its keyframes (is_keyframe: true) and remove-keyframes. */
export function labelFromSequence(document) {
  return {
    ...structuredClone(document.extra),
    format_version: SEQUENCE_FORMAT_VERSION,
    frames: document.frames.map((frame) => {
      const stored = { ...structuredClone(frame.extra), annotations: frame.keyframes.map(storedKeyframe) };
      const imageAttributes = structuredClone(frame.imageAttributes || {});
      if (frame.removed.length) imageAttributes[REMOVED_TRACKS_KEY] = [...frame.removed];
      if (Object.keys(imageAttributes).length) stored.image_attributes = imageAttributes;
      return stored;
    }),
  };
}

function storedKeyframe(annotation) {
  const { id: _id, track_id: trackId, category_id: categoryId, type, points, attributes, is_keyframe: _flag, index: _index, ...rest } =
    annotation;
  let stored = points.map((point) => [roundCoordinate(point[0]), roundCoordinate(point[1])]);
  if (type === "bbox") stored = normalizeBox(stored[0], stored[1]);
  const result = { ...structuredClone(rest), id: trackId, track_id: trackId, category_id: categoryId, type, points: stored };
  result.is_keyframe = true;
  if (attributes !== undefined) result.attributes = structuredClone(attributes);
  return result;
}

/** The track_id for a new object: one more than the largest in use in any frame (track_ids start at 1). */
export function nextTrackId(document) {
  let largest = 0;
  for (const frame of document.frames) {
    for (const annotation of frame.keyframes) largest = Math.max(largest, Number(trackIdOf(annotation)) || 0);
    for (const name of frame.removed) largest = Math.max(largest, Number(name) || 0);
  }
  return largest + 1;
}

/** The keyframe of `trackId` in frame `frameIndex`, or null. */
export function keyframeAt(document, frameIndex, trackId) {
  const frame = document.frames[frameIndex];
  return (frame && frame.keyframes.find((annotation) => trackIdOf(annotation) === trackId)) || null;
}

/**
 * Make `annotation` (a shown object, keyframe or computed) the keyframe of its track in `frameIndex`:
 * replaces the track's keyframe there, or adds one, and drops a remove-keyframe of the track there.
 */
export function setKeyframe(document, frameIndex, annotation) {
  const trackId = trackIdOf(annotation);
  const { is_keyframe: _flag, index: _index, ...rest } = annotation;
  const keyframe = { ...rest, id: trackId, track_id: trackId };
  const frame = document.frames[frameIndex];
  const position = frame.keyframes.findIndex((existing) => trackIdOf(existing) === trackId);
  if (position >= 0) frame.keyframes[position] = keyframe;
  else frame.keyframes.push(keyframe);
  frame.removed = frame.removed.filter((name) => name !== String(trackId));
}

/** Remove the keyframe (or remove-keyframe) of `trackId` in `frameIndex`; the track stays in other frames. */
export function removeKeyframe(document, frameIndex, trackId) {
  const frame = document.frames[frameIndex];
  frame.keyframes = frame.keyframes.filter((annotation) => trackIdOf(annotation) !== trackId);
  frame.removed = frame.removed.filter((name) => name !== String(trackId));
}

/** End the track at `frameIndex`: a remove-keyframe there (the object is absent until its next keyframe). */
export function endTrack(document, frameIndex, trackId) {
  const frame = document.frames[frameIndex];
  frame.keyframes = frame.keyframes.filter((annotation) => trackIdOf(annotation) !== trackId);
  if (!frame.removed.includes(String(trackId))) frame.removed.push(String(trackId));
}

/** Delete the track from every frame (keyframes and remove-keyframes). */
export function deleteTrack(document, trackId) {
  document.frames.forEach((_, frameIndex) => removeKeyframe(document, frameIndex, trackId));
}

/** Apply `update(annotation) -> annotation` to every keyframe of the track (track-level edits). */
export function updateTrackKeyframes(document, trackId, update) {
  for (const frame of document.frames) {
    frame.keyframes = frame.keyframes.map((annotation) => (trackIdOf(annotation) === trackId ? update(annotation) : annotation));
  }
}

/**
 * Copy track `trackId` of the `source` sequence document (another label set's) into `target` as track
 * `newTrackId`: its keyframes and remove-keyframes in every frame (frames beyond `target`'s are dropped).
 */
export function copyTrack(target, source, trackId, newTrackId) {
  target.frames.forEach((frame, frameIndex) => {
    const from = source.frames[frameIndex];
    if (!from) return;
    const keyframe = from.keyframes.find((annotation) => trackIdOf(annotation) === trackId);
    if (keyframe) frame.keyframes.push({ ...structuredClone(keyframe), id: newTrackId, track_id: newTrackId });
    else if (from.removed.includes(String(trackId))) frame.removed.push(String(newTrackId));
  });
}

/**
 * The timeline's view of a materialised label: one entry per track, in first-keyframe order, with
 * {trackId, categoryId, keyframes: [frame], removed: [frame], present: [bool per frame]}.
 */
export function tracksOf(document, materialized) {
  const tracks = new Map();
  const track = (trackId) => {
    if (!tracks.has(trackId)) {
      tracks.set(trackId, { trackId, categoryId: null, keyframes: [], removed: [], present: new Array(document.frames.length).fill(false) });
    }
    return tracks.get(trackId);
  };
  document.frames.forEach((frame, frameIndex) => {
    for (const annotation of frame.keyframes) {
      const entry = track(trackIdOf(annotation));
      if (entry.categoryId === null) entry.categoryId = annotation.category_id;
      if (!entry.keyframes.includes(frameIndex)) entry.keyframes.push(frameIndex);
    }
  });
  const byName = new Map([...tracks.keys()].map((trackId) => [String(trackId), trackId]));
  document.frames.forEach((frame, frameIndex) => {
    for (const name of frame.removed) if (byName.has(name)) tracks.get(byName.get(name)).removed.push(frameIndex);
  });
  (materialized.frames || []).forEach((frame, frameIndex) => {
    for (const annotation of frame.annotations || []) {
      const entry = tracks.get(trackIdOf(annotation));
      if (entry && !annotation.removed && frameIndex < entry.present.length) entry.present[frameIndex] = true;
    }
  });
  return [...tracks.values()];
}

/**
 * Merge track `mergeId` into track `keepId` (a duplicate drawn after a track "disappeared"): in every frame
 * where `keepId` has no keyframe, `mergeId`'s keyframe becomes one of `keepId` (with `keepId`'s category);
 * remove-keyframes of `mergeId` move over where `keepId` has nothing; then `mergeId` is gone.
 */
export function mergeTracks(document, keepId, mergeId) {
  if (keepId === mergeId) return;
  let categoryId = null;
  for (const frame of document.frames) {
    const kept = frame.keyframes.find((annotation) => trackIdOf(annotation) === keepId);
    if (kept && categoryId === null) categoryId = kept.category_id;
  }
  document.frames.forEach((frame) => {
    const kept = frame.keyframes.find((annotation) => trackIdOf(annotation) === keepId);
    const merged = frame.keyframes.find((annotation) => trackIdOf(annotation) === mergeId);
    const keptRemoved = frame.removed.includes(String(keepId));
    frame.keyframes = frame.keyframes.filter((annotation) => trackIdOf(annotation) !== mergeId);
    if (merged && !kept) {
      const moved = { ...merged, id: keepId, track_id: keepId };
      if (categoryId !== null) moved.category_id = categoryId;
      frame.keyframes.push(moved);
      frame.removed = frame.removed.filter((name) => name !== String(keepId));
    }
    const mergedRemoved = frame.removed.includes(String(mergeId));
    frame.removed = frame.removed.filter((name) => name !== String(mergeId));
    if (mergedRemoved && !kept && !merged && !keptRemoved) frame.removed.push(String(keepId));
  });
}
