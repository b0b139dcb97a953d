// The keymap of the 3D vector editor (pointcloud-vector, pointcloud-vector-sequence); the help panel and
// docs/editors.md are generated from / checked against this table.

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const POINTCLOUD_VECTOR_BINDINGS = [
  { keys: ["V"], action: "tool-select", group: "Tools", help: "Select and edit: drag a vertex onto another point; drag elsewhere to orbit" },
  { keys: ["P"], action: "tool-polygon", group: "Tools", help: "3D polygon: click vertices on points (or the ground)" },
  { keys: ["L"], action: "tool-polyline", group: "Tools", help: "3D polyline: click vertices on points (or the ground)" },
  { keys: ["N"], action: "tool-point", group: "Tools", help: "3D keypoint: click a point (or the ground)" },
  { keys: ["1-9"], action: "category", group: "Tools", help: "Choose category (in Select mode: also of the selected object)" },
  { keys: ["Click"], group: "Drawing", help: "A click snaps to the nearest point within 10 pixels, else to the fitted ground plane" },
  { keys: ["Enter"], action: "finish", group: "Drawing", help: "Finish the 3D polygon (3+ vertices) / polyline (2+ vertices)" },
  { keys: ["Backspace"], action: "remove-last", group: "Drawing", help: "Remove the last vertex while drawing" },
  { keys: ["Escape"], action: "escape", group: "Drawing", help: "Cancel drawing, then deselect" },
  { keys: ["Alt", "Click vertex"], group: "Editing", help: "Delete that vertex of the selected object" },
  { keys: ["Delete"], action: "delete", group: "Editing", help: "Delete the selected object (in a sequence: its whole track)" },
  { keys: ["T"], action: "top-view", group: "View", help: "Top-down view of the 3D scene" },
];

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const POINTCLOUD_VECTOR_FRAME_BINDINGS = [
  { keys: ["ArrowLeft", "ArrowRight"], actions: ["frame-previous", "frame-next"], group: "Frames", help: "Previous / next frame of the 3D sequence" },
  { keys: ["Home", "End"], actions: ["frame-first", "frame-last"], group: "Frames", help: "First / last frame of the 3D sequence" },
  { keys: ["K"], action: "toggle-keyframe", group: "Frames", help: "Keyframe of the selected object here: add (continues its track after its last keyframe), or remove" },
];
