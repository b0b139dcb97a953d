// Run: node --test frontend_static/editors/tracks/
import assert from "node:assert/strict";
import { test } from "node:test";

import { interpolateSequenceLabel } from "./interpolation.js";
import { mergeTracks } from "./sequence-document.js";
import {
  copyTrack, deleteTrack, endTrack, labelFromSequence, nextTrackId, removeKeyframe, sequenceFromLabel, setKeyframe, tracksOf,
} from "./sequence-document.js";

const box = (trackId, points, extra = {}) => ({ id: trackId, track_id: trackId, category_id: 1, type: "bbox", points, ...extra });

test("loading drops computed annotations and keeps keyframes and remove-keyframes", () => {
  const stored = {
    format_version: "0.2",
    frames: [
      { annotations: [box(1, [[0, 0], [10, 10]], { is_keyframe: true })] },
      { annotations: [box(1, [[5, 0], [15, 10]], { is_keyframe: false })] },
      { annotations: [], image_attributes: { _removed_track_ids: ["1"], weather: "rain" } },
    ],
  };
  const document = sequenceFromLabel(stored, 4);
  assert.equal(document.frames.length, 4);
  assert.equal(document.frames[1].keyframes.length, 0);
  assert.deepEqual(document.frames[2].removed, ["1"]);
  assert.deepEqual(document.frames[2].imageAttributes, { weather: "rain" });
  const label = labelFromSequence(document);
  assert.deepEqual(label.frames[0].annotations, [box(1, [[0, 0], [10, 10]], { is_keyframe: true })]);
  assert.deepEqual(label.frames[2].image_attributes, { weather: "rain", _removed_track_ids: ["1"] });
  assert.deepEqual(label.frames[3], { annotations: [] });
});

test("a keyframe on a frame drops the track's remove-keyframe there; removing it keeps the track", () => {
  const document = sequenceFromLabel(null, 3);
  setKeyframe(document, 0, box(1, [[0, 0], [10, 10]]));
  endTrack(document, 2, 1);
  assert.deepEqual(document.frames[2].removed, ["1"]);
  setKeyframe(document, 2, { ...box(1, [[2, 0], [12, 10]]), is_keyframe: false });
  assert.deepEqual(document.frames[2].removed, []);
  assert.equal(labelFromSequence(document).frames[2].annotations[0].is_keyframe, true);
  removeKeyframe(document, 2, 1);
  assert.equal(document.frames[0].keyframes.length, 1);
  assert.equal(nextTrackId(document), 2);
  deleteTrack(document, 1);
  assert.equal(nextTrackId(document), 1);
});

test("the timeline shows keyframes, remove-keyframes and where the object is present", () => {
  const document = sequenceFromLabel(null, 6);
  setKeyframe(document, 1, box(7, [[0, 0], [10, 10]]));
  setKeyframe(document, 3, box(7, [[4, 0], [14, 10]]));
  endTrack(document, 4, 7);
  const materialized = interpolateSequenceLabel(labelFromSequence(document));
  const [track] = tracksOf(document, materialized);
  assert.equal(track.trackId, 7);
  assert.deepEqual(track.keyframes, [1, 3]);
  assert.deepEqual(track.removed, [4]);
  assert.deepEqual(track.present, [false, true, true, true, false, false]);
  assert.deepEqual(materialized.frames[2].annotations[0].points, [[2, 0], [12, 10]]);
});

test("merging a duplicate track moves its keyframes into the kept track", () => {
  const box = (id, category, x) => ({ id, track_id: id, category_id: category, type: "bbox", points: [[x, 0], [x + 5, 5]] });
  const doc = {
    extra: {},
    frames: [
      { keyframes: [box(1, 1, 0)], removed: [], imageAttributes: {}, extra: {} },
      { keyframes: [], removed: ["1"], imageAttributes: {}, extra: {} },
      { keyframes: [box(2, 2, 9)], removed: [], imageAttributes: {}, extra: {} },
      { keyframes: [], removed: ["2"], imageAttributes: {}, extra: {} },
    ],
  };
  mergeTracks(doc, 1, 2);
  assert.deepEqual(doc.frames[2].keyframes, [box(1, 1, 9)]);
  assert.deepEqual(doc.frames[3].removed, ["1"]);
  assert.deepEqual(doc.frames[1].removed, ["1"]);
  assert.equal(JSON.stringify(doc).includes('"track_id":2'), false);
});

test("copying a track of another label set copies its keyframes and remove-keyframes under a new track id", () => {
  const predictions = sequenceFromLabel({
    format_version: "0.2",
    frames: [
      { annotations: [box(1, [[0, 0], [10, 10]], { is_keyframe: true }), box(2, [[1, 1], [2, 2]], { is_keyframe: true })] },
      { annotations: [] },
      { annotations: [box(1, [[20, 0], [30, 10]], { is_keyframe: true })] },
      { annotations: [], image_attributes: { _removed_track_ids: ["1"] } },
    ],
  }, 4);
  const edited = sequenceFromLabel({ format_version: "0.2", frames: [{ annotations: [box(1, [[5, 5], [6, 6]], { is_keyframe: true })] }] }, 4);
  const before = structuredClone(predictions);
  const newId = nextTrackId(edited);
  copyTrack(edited, predictions, 1, newId);
  assert.equal(newId, 2);
  assert.deepEqual(edited.frames[0].keyframes.map((annotation) => annotation.track_id), [1, 2]);
  assert.deepEqual(edited.frames[2].keyframes, [{ ...box(2, [[20, 0], [30, 10]]) }]);
  assert.deepEqual(edited.frames[3].removed, ["2"]);
  assert.deepEqual(predictions, before); // the source is not changed
});
