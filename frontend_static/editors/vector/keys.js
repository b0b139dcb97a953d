// The vector view's own key bindings (tools, drawing, editing); the shell adds save, review, sample, undo and
// view bindings (editor-core/keymap.js SHELL_BINDINGS). Documented with the others in docs/editors.md.

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const VECTOR_BINDINGS = [
  { keys: ["V"], action: "tool:select", group: "Tools", help: "Select and edit" },
  { keys: ["B"], action: "tool:bbox", group: "Tools", help: "Bounding box: press, drag, release" },
  { keys: ["P"], action: "tool:polygon", group: "Tools", help: "Polygon: click vertices" },
  { keys: ["L"], action: "tool:polyline", group: "Tools", help: "Polyline: click points" },
  { keys: ["N"], action: "tool:point", group: "Tools", help: "Keypoint: click" },
  { keys: ["1-9"], action: "category", group: "Tools", help: "Choose category (in Select mode: also of the selected object)" },
  { keys: ["Enter"], action: "finish", group: "Drawing", help: "Finish polygon (3+ vertices) / polyline (2+ points)" },
  { keys: ["Click first vertex"], group: "Drawing", help: "Close the polygon" },
  { keys: ["Double-click"], group: "Drawing", help: "Finish the polyline or polygon" },
  { keys: ["Backspace"], action: "delete", group: "Drawing", help: "Remove the last vertex while drawing" },
  { keys: ["Escape"], action: "escape", group: "Drawing", help: "Cancel drawing, then deselect" },
  { keys: ["Drag"], group: "Editing", help: "Move an object, a vertex or a bbox corner (Select mode)" },
  { keys: ["Double-click edge"], group: "Editing", help: "Add a vertex to the selected polygon / polyline" },
  { keys: ["Alt", "Click vertex"], group: "Editing", help: "Delete that vertex" },
  { keys: ["Delete"], action: "delete", group: "Editing", help: "Delete the selected vertex, else the selected object" },
];
