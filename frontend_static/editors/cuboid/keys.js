// Key bindings of the cuboid editor (pointcloud-cuboid, pointcloud-cuboid-sequence), added to the shell's.
// The help panel is generated from these tables and docs/editors.md lists them (a node test keeps it in step).

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const CUBOID_BINDINGS = [
  { keys: ["V"], action: "tool-select", group: "Tools", help: "Select and edit: click a box (3D view), drag it, its edges or its yaw handle (top, side, front views)" },
  { keys: ["B"], action: "tool-draw", group: "Tools", help: "Draw a cuboid in the top view: drag corner to corner, or click for the category's default size" },
  { keys: ["1-9"], action: "category", group: "Tools", help: "Choose category (also of the selected cuboid)" },
  { keys: ["F"], action: "fit-to-points", group: "Cuboid", help: "Fit to points: tighten the sides to the object's points above the ground in and around the box (the heading is kept)" },
  { keys: ["G"], action: "on-ground", group: "Cuboid", help: "On the ground: z and height from the points in the footprint" },
  { keys: ["X"], action: "rotate-180", group: "Cuboid", help: "Rotate 180° (flip the heading)" },
  { keys: ["C", "Shift+C"], actions: ["rotate-90", "rotate-90-clockwise"], group: "Cuboid", help: "Rotate 90° counter-clockwise / clockwise (length and width swap)" },
  { keys: ["W", "S"], actions: ["move-forward", "move-backward"], group: "Cuboid", help: "Move 0.1 m forward / backward along the heading" },
  { keys: ["A", "D"], actions: ["move-left", "move-right"], group: "Cuboid", help: "Move 0.1 m left / right" },
  { keys: ["Q", "Z"], actions: ["move-up", "move-down"], group: "Cuboid", help: "Move 0.1 m up / down" },
  { keys: [".", ","], actions: ["yaw-left", "yaw-right"], group: "Cuboid", help: "Turn 1° counter-clockwise / clockwise" },
  { keys: ["]", "["], actions: ["longer", "shorter"], group: "Cuboid", help: "Length +0.1 m / −0.1 m (the back stays)" },
  { keys: ["'", ";"], actions: ["wider", "narrower"], group: "Cuboid", help: "Width +0.1 m / −0.1 m" },
  { keys: ["Y", "H"], actions: ["taller", "lower"], group: "Cuboid", help: "Height +0.1 m / −0.1 m (the bottom stays)" },
  { keys: ["Ctrl+C", "Ctrl+V"], actions: ["copy", "paste"], group: "Cuboid", help: "Copy the selected cuboid / paste it (as a new object, also in another frame)" },
  { keys: ["Delete", "Backspace"], action: "delete", group: "Cuboid", help: "Delete the selected cuboid (in a sequence: its whole track)" },
  { keys: ["Escape"], action: "escape", group: "Cuboid", help: "Cancel drawing, then deselect" },
  { keys: ["I"], action: "color-mode", group: "View", help: "Colour points by height / intensity / category (the box they are in)" },
  { keys: ["Drag"], group: "View", help: "3D view: orbit (left button), pan (right button or Shift), zoom (wheel); the top view follows the pan" },
];

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const CUBOID_SEQUENCE_BINDINGS = [
  { keys: ["ArrowLeft", "ArrowRight"], actions: ["frame-previous", "frame-next"], group: "Frames", help: "Previous / next frame" },
  { keys: ["Shift+ArrowLeft"], action: "keyframe-previous", group: "Frames", help: "Previous keyframe of the selected track (of any track when none is selected)" },
  { keys: ["Shift+ArrowRight"], action: "keyframe-next", group: "Frames", help: "Next keyframe of the selected track (of any track)" },
  { keys: ["Home", "End"], actions: ["frame-first", "frame-last"], group: "Frames", help: "First / last frame" },
  { keys: ["Space"], group: "Frames", help: "Play / pause the frames" },
  { keys: ["M"], action: "merge-frames", group: "Frames", help: "Merge frames: draw the points of the frames around this one too (±N, set next to the toggle; in world coordinates with ego poses), to label static objects once" },
  { keys: ["K"], action: "toggle-keyframe", group: "Tracks and keyframes", help: "Keyframe of the selected track here: add, or remove when it is one; after a track's end, continue it here" },
  { keys: ["E"], action: "end-track", group: "Tracks and keyframes", help: "End the selected track here (remove-keyframe)" },
  { keys: ["P"], action: "propagate", group: "Tracks and keyframes", help: "Propagate: copy the selected cuboid as a keyframe into the next N frames" },
  { keys: ["Shift+Delete"], action: "delete-track", group: "Tracks and keyframes", help: "Delete the whole track, in every frame (asks first)" },
];
