// Key bindings of the tracks component (frames, keyframes, tracks), added to the per-frame view's bindings
// and the shell's. Documented with the others in docs/editors.md.

import { actionForKey, SHELL_BINDINGS } from "../../editor-core/keymap.js";
import { VECTOR_BINDINGS } from "../vector/keys.js";

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const TRACK_BINDINGS = [
  { keys: ["ArrowLeft", "ArrowRight"], actions: ["frame-previous", "frame-next"], group: "Frames", help: "Previous / next frame" },
  { keys: ["Shift+ArrowLeft"], action: "keyframe-previous", group: "Frames", help: "Previous keyframe of the selected track (of any track when none is selected)" },
  { keys: ["Shift+ArrowRight"], action: "keyframe-next", group: "Frames", help: "Next keyframe of the selected track (of any track)" },
  { keys: ["Home", "End"], actions: ["frame-first", "frame-last"], group: "Frames", help: "First / last frame" },
  { keys: ["Space"], group: "Frames", help: "Play / pause (hold Space and drag to pan)" },
  { keys: ["Click", "Drag"], group: "Frames", help: "On the timeline: jump to a frame, scrub; a row selects its track" },
  { keys: ["K"], action: "toggle-keyframe", group: "Tracks and keyframes", help: "Keyframe of the selected track here: add, or remove when it is one; after a track's end, continue it here" },
  { keys: ["E"], action: "end-track", group: "Tracks and keyframes", help: "End the selected track here (remove-keyframe)" },
  { keys: ["M"], action: "merge-tracks", group: "Tracks and keyframes", help: "Merge another track into the selected one (asks which)" },
  { keys: ["Shift+Delete"], action: "delete-track", group: "Tracks and keyframes", help: "Delete the whole track, in every frame (asks first)" },
  { keys: ["Drag"], group: "Tracks and keyframes", help: "Moving or reshaping an object makes this frame a keyframe" },
];

/** The sequence vector editor's whole table: tracks, then the vector view's tools. */
export const SEQUENCE_BINDINGS = [...TRACK_BINDINGS, ...VECTOR_BINDINGS];

/**
 * The action for a keydown event in the sequence vector editor (tracks, vector tools, then the shell).
 * @param {import("../../editor-core/keymap.js").KeyLike} event
 */
export function sequenceActionForKey(event) {
  return actionForKey(event, [...SEQUENCE_BINDINGS, ...SHELL_BINDINGS]);
}
