// Keyboard shortcuts of the sequence editor: the image editor's (frontend_static/editor-core/keymap.js) plus
// frames, keyframes and tracks. The help table and the key mapping live side by side so they cannot drift.

import { actionForKey } from "../../editor-core/keymap.js";

/** What the help panel lists, grouped (the format of SHORTCUT_GROUPS in editor/keyboard.js). */
export const SEQUENCE_SHORTCUT_GROUPS = [
  {
    title: "Frames",
    items: [
      [["←", "→"], "Previous / next frame"],
      [["Shift", "←"], "Previous keyframe of the selected track (of any track when none is selected)"],
      [["Shift", "→"], "Next keyframe of the selected track (of any track)"],
      [["Home", "End"], "First / last frame"],
      [["Space"], "Play / pause (hold Space and drag to pan)"],
      [["Click", "Drag"], "On the timeline: jump to a frame, scrub; a row selects its track"],
    ],
  },
  {
    title: "Tracks and keyframes",
    items: [
      [["K"], "Keyframe of the selected track here: add, or remove when it is one"],
      [["E"], "End the selected track here (remove-keyframe)"],
      [["Delete"], "Delete the selected vertex, else the track's keyframe here (the track stays)"],
      [["Shift", "Delete"], "Delete the whole track, in every frame (asks first)"],
      [["Drag"], "Moving or reshaping an object makes this frame a keyframe"],
    ],
  },
  {
    title: "Tools",
    items: [
      [["V"], "Select and edit"],
      [["B"], "Bounding box: press, drag, release"],
      [["P"], "Polygon: click vertices, Enter or first vertex closes"],
      [["L"], "Polyline: click points, Enter or double-click ends"],
      [["N"], "Keypoint: click"],
      [["1", "…", "9"], "Choose category (in Select mode: also of the selected track)"],
      [["Backspace"], "Remove the last vertex while drawing"],
      [["Esc"], "Cancel drawing, then deselect"],
    ],
  },
  {
    title: "View and sample",
    items: [
      [["+", "−"], "Zoom in / out (the mouse wheel zooms around the cursor)"],
      [["0"], "Fit the image to the screen"],
      [["Ctrl", "Z"], "Undo (Ctrl+Shift+Z or Ctrl+Y: redo)"],
      [["Ctrl", "S"], "Save"],
      [["Shift", "L"], "Mark labeled and save"],
      [["Shift", "S"], "Skip and save"],
      [["?"], "Show or hide this help"],
    ],
  },
];

const SEQUENCE_KEYS = {
  arrowleft: "frame-previous",
  arrowright: "frame-next",
  home: "frame-first",
  end: "frame-last",
  k: "toggle-keyframe",
  e: "end-track",
  n: "tool:point",
};

/**
 * The action for a keydown event, or null: the sequence actions (frame-*, keyframe-previous,
 * keyframe-next, toggle-keyframe, end-track, delete-track) or one of editor/keyboard.js's actions.
 * The image editor's sample keys (← → A D) move between frames here; samples change with the toolbar.
 */
export function sequenceActionForKey(event) {
  const key = (event.key || "").toLowerCase();
  if (event.ctrlKey || event.metaKey) return actionForKey(event);
  if (event.altKey) return null;
  if (event.shiftKey && key === "arrowleft") return "keyframe-previous";
  if (event.shiftKey && key === "arrowright") return "keyframe-next";
  if (event.shiftKey && key === "delete") return "delete-track";
  if (!event.shiftKey && SEQUENCE_KEYS[key]) return SEQUENCE_KEYS[key];
  if (key === "a" || key === "d") return null;
  return actionForKey(event);
}
