// The keymap of the point-cloud segmentation editor (and of its frames component for sequences); the help
// panel and docs/editors.md are generated from / checked against these tables.

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const POINTCLOUD_SEGMENTATION_BINDINGS = [
  { keys: ["V"], action: "tool-view", group: "Tools", help: "View: drag to orbit, right-drag to pan, wheel to zoom (in every tool)" },
  { keys: ["L"], action: "tool-lasso", group: "Tools", help: "Lasso: drag around points to select them" },
  { keys: ["X"], action: "tool-box", group: "Tools", help: "Box: drag a rectangle to select the points in it" },
  { keys: ["B"], action: "tool-brush", group: "Tools", help: "Brush: drag over points to select them" },
  { keys: ["I"], action: "tool-pick", group: "Tools", help: "Pick: click a point to select its instance" },
  { keys: ["[", "]"], actions: ["brush-smaller", "brush-larger"], group: "Tools", help: "Brush smaller / larger" },
  { keys: ["Shift", "Drag"], group: "Selection", help: "Add to the selection (lasso, box, brush)" },
  { keys: ["Alt", "Drag"], group: "Selection", help: "Subtract from the selection (lasso, box, brush)" },
  { keys: ["G"], action: "select-ground", group: "Selection", help: "Select the ground: fit a plane to the lowest points, select the points near it" },
  { keys: ["C"], action: "select-cuboid", group: "Selection", help: "Select every point inside the cuboid around the selection" },
  { keys: ["U"], action: "toggle-only-unlabeled", group: "Selection", help: "Only unlabeled points on / off (selecting and assigning skip labeled points)" },
  { keys: ["Escape"], action: "escape", group: "Selection", help: "Clear the selection, then deselect the instance" },
  { keys: ["1-9"], action: "category", group: "Instances", help: "Choose category (the next assignment makes a new instance of it)" },
  { keys: ["Enter"], action: "assign", group: "Instances", help: "Assign the selection to the selected instance (else to a new instance of the category)" },
  { keys: ["N"], action: "assign-new", group: "Instances", help: "Assign the selection to a new instance of the category" },
  { keys: ["Delete", "Backspace"], action: "unlabel", group: "Instances", help: "Unlabel the selected points" },
  { keys: ["Shift+Delete"], action: "delete-instance", group: "Instances", help: "Delete the selected instance (its points become unlabeled)" },
  { keys: ["H"], action: "toggle-instance", group: "Instances", help: "Hide / show the selected instance" },
  { keys: ["Shift+H"], action: "labeled-mode", group: "Instances", help: "Labeled points: shown, dimmed, hidden (unlabeled points stand out)" },
  { keys: ["T"], action: "top-view", group: "View", help: "Top-down view" },
];

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const POINTCLOUD_FRAME_BINDINGS = [
  { keys: ["ArrowLeft", "ArrowRight"], actions: ["frame-previous", "frame-next"], group: "Frames", help: "Previous / next frame" },
  { keys: ["Home", "End"], actions: ["frame-first", "frame-last"], group: "Frames", help: "First / last frame" },
  { keys: ["P"], action: "propagate", group: "Frames", help: "Propagate the selected instance to the next frame (nearest neighbours in world coordinates)" },
];
