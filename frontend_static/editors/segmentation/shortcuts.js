// Keyboard shortcuts of the segmentation editor: the help table and the key-to-action map side by side, so
// they cannot drift apart.

export const SHORTCUT_GROUPS = [
  {
    title: "Tools",
    items: [
      [["B"], "Brush: drag to paint the selected instance"],
      [["E"], "Eraser: drag to clear pixels"],
      [["P"], "Polygon fill: click vertices, click the first one (or Enter) to fill"],
      [["F"], "Bucket fill: click a region (of the mask, or of similar photo colour)"],
      [["I"], "Pick: click a pixel to select its instance (Alt+click in any tool)"],
      [["[", "]"], "Brush / eraser smaller / larger"],
      [["U"], "Paint only unlabeled pixels on / off"],
    ],
  },
  {
    title: "Instances",
    items: [
      [["1", "…", "9"], "Choose category (the next stroke starts a new instance of it)"],
      [["N"], "New instance of the current category"],
      [["Delete"], "Delete the selected instance"],
      [["H"], "Hide / show the selected instance"],
      [["Esc"], "Cancel the polygon, then deselect"],
    ],
  },
  {
    title: "Edit and view",
    items: [
      [["Ctrl", "Z"], "Undo"],
      [["Ctrl", "Shift", "Z"], "Redo (also Ctrl+Y)"],
      [["+", "−"], "Zoom in / out (the mouse wheel zooms around the cursor)"],
      [["0"], "Fit the image to the screen"],
      [["R"], "Actual size (100%)"],
      [["Space", "Drag"], "Pan (or drag with the middle mouse button)"],
    ],
  },
  {
    title: "Sample",
    items: [
      [["Ctrl", "S"], "Save"],
      [["Shift", "L"], "Mark labeled and save"],
      [["Alt", "→"], "Save and go to the next sample"],
      [["Alt", "←"], "Previous sample"],
      [["?"], "Show or hide this help"],
    ],
  },
];

const PLAIN_KEYS = {
  b: "tool:brush", e: "tool:eraser", p: "tool:polygon", f: "tool:fill", i: "tool:pick",
  "[": "brush:smaller", "]": "brush:larger", u: "toggle-only-unlabeled", n: "new-instance",
  delete: "delete-instance", backspace: "polygon:back", h: "toggle-visibility", escape: "escape",
  enter: "polygon:close", "+": "zoom:in", "=": "zoom:in", "-": "zoom:out", 0: "zoom:fit", r: "zoom:actual",
  "?": "help",
};

/** The action name for a keydown event, or null. Digits 1-9 give "category:<n>". */
export function actionForKey(event) {
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key.toLowerCase();
  const control = event.ctrlKey || event.metaKey;
  if (control && key === "z") return event.shiftKey ? "redo" : "undo";
  if (control && key === "y") return "redo";
  if (control && key === "s") return "save";
  if (control) return null;
  if (event.altKey && key === "arrowright") return "next";
  if (event.altKey && key === "arrowleft") return "previous";
  if (event.altKey) return null;
  if (event.shiftKey && key === "l") return "mark-labeled";
  if (/^[1-9]$/.test(key)) return `category:${key}`;
  return PLAIN_KEYS[key] || null;
}

/** Whether keys typed in `element` belong to it (a text field), not to the editor. */
export function isTypingTarget(element) {
  if (!element) return false;
  if (element.isContentEditable) return true;
  if (element.tagName === "TEXTAREA" || element.tagName === "SELECT") return true;
  return element.tagName === "INPUT" && !["checkbox", "radio", "range", "button"].includes(element.type);
}
