// The segmentation view's own key bindings (tools, brush, instances); the shell adds save, review, sample,
// undo and view bindings (editor-core/keymap.js SHELL_BINDINGS). Documented in docs/editors.md.

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const SEGMENTATION_BINDINGS = [
  { keys: ["B"], action: "tool:brush", group: "Tools", help: "Brush: drag to paint the selected instance" },
  { keys: ["E"], action: "tool:eraser", group: "Tools", help: "Eraser: drag to clear pixels" },
  { keys: ["P"], action: "tool:polygon", group: "Tools", help: "Polygon fill: click vertices, click the first one (or Enter) to fill" },
  { keys: ["F"], action: "tool:fill", group: "Tools", help: "Bucket fill: click a region (of the mask, or of similar photo colour)" },
  { keys: ["I"], action: "tool:pick", group: "Tools", help: "Pick: click a pixel to select its instance (Alt+click in any tool)" },
  { keys: ["["], action: "brush:smaller", group: "Tools", help: "Brush / eraser smaller" },
  { keys: ["]"], action: "brush:larger", group: "Tools", help: "Brush / eraser larger" },
  { keys: ["U"], action: "toggle-only-unlabeled", group: "Tools", help: "Paint only unlabeled pixels on / off" },
  { keys: ["1-9"], action: "category", group: "Instances", help: "Choose category (the next stroke starts a new instance of it)" },
  { keys: ["N"], action: "new-instance", group: "Instances", help: "New instance of the current category" },
  { keys: ["Delete", "Backspace"], action: "delete", group: "Instances", help: "Remove the last polygon vertex while drawing, else delete the selected instance" },
  { keys: ["H"], action: "toggle-visibility", group: "Instances", help: "Hide / show the selected instance" },
  { keys: ["Enter"], action: "finish", group: "Instances", help: "Fill the polygon being drawn" },
  { keys: ["Escape"], action: "escape", group: "Instances", help: "Cancel the polygon, then deselect" },
  { keys: ["R"], action: "actual-size", group: "View", help: "Actual size (100%)" },
];
