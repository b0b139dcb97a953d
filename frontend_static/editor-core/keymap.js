// Keyboard shortcuts: the table shown in the help panel and the key-to-action mapping, side by side so
// they cannot drift apart.

/** What the help panel lists, grouped. Mouse gestures are listed too, because they are shortcuts as well. */
export const SHORTCUT_GROUPS = [
  {
    title: "Tools",
    items: [
      [["V"], "Select and edit"],
      [["B"], "Bounding box: press, drag, release"],
      [["P"], "Polygon: click vertices"],
      [["L"], "Polyline: click points"],
      [["K"], "Keypoint: click"],
      [["1", "…", "9"], "Choose category (in Select mode: also of the selected object)"],
    ],
  },
  {
    title: "Drawing",
    items: [
      [["Enter"], "Finish polygon (3+ vertices) / polyline (2+ points)"],
      [["Click first vertex"], "Close the polygon"],
      [["Double-click"], "Finish the polyline or polygon"],
      [["Backspace"], "Remove the last vertex while drawing"],
      [["Esc"], "Cancel drawing, then deselect"],
    ],
  },
  {
    title: "Editing",
    items: [
      [["Drag"], "Move an object, a vertex or a bbox corner (Select mode)"],
      [["Double-click edge"], "Add a vertex to the selected polygon / polyline"],
      [["Alt", "Click vertex"], "Delete that vertex"],
      [["Delete"], "Delete the selected vertex, else the selected object"],
      [["Ctrl", "Z"], "Undo"],
      [["Ctrl", "Shift", "Z"], "Redo (also Ctrl+Y)"],
    ],
  },
  {
    title: "View",
    items: [
      [["+", "−"], "Zoom in / out (the mouse wheel zooms around the cursor)"],
      [["0"], "Fit the image to the screen"],
      [["Space", "Drag"], "Pan (or drag with the middle mouse button)"],
    ],
  },
  {
    title: "Sample",
    items: [
      [["Ctrl", "S"], "Save"],
      [["Shift", "L"], "Mark labeled and save"],
      [["Shift", "S"], "Skip and save"],
      [["←"], "Previous sample (also A)"],
      [["→"], "Next sample (also D)"],
      [["?"], "Show or hide this help"],
    ],
  },
];

const PLAIN_KEYS = {
  v: "tool:select",
  b: "tool:bbox",
  p: "tool:polygon",
  l: "tool:polyline",
  k: "tool:point",
  enter: "finish",
  escape: "escape",
  delete: "delete",
  backspace: "delete",
  "+": "zoom-in",
  "=": "zoom-in",
  "-": "zoom-out",
  "0": "fit",
  arrowleft: "previous",
  a: "previous",
  arrowright: "next",
  d: "next",
  "?": "help",
};

/**
 * The editor action for a keydown event, or null. Actions: tool:<type>, category:<1-9>, finish, escape,
 * delete, undo, redo, save, zoom-in, zoom-out, fit, previous, next, mark-labeled, mark-skipped, help.
 */
export function actionForKey(event) {
  const key = (event.key || "").toLowerCase();
  if (event.ctrlKey || event.metaKey) {
    if (key === "z") return event.shiftKey ? "redo" : "undo";
    if (key === "y") return "redo";
    if (key === "s") return "save";
    return null;
  }
  if (event.altKey) return null;
  if (event.shiftKey && key === "l") return "mark-labeled";
  if (event.shiftKey && key === "s") return "mark-skipped";
  if (/^[1-9]$/.test(key)) return `category:${key}`;
  if (event.shiftKey && /^[a-z]$/.test(key)) return null;
  return PLAIN_KEYS[key] || null;
}

/** Whether keys typed into this element belong to it (form fields) rather than to the editor. */
export function isTypingTarget(element) {
  if (!element) return false;
  if (element.isContentEditable) return true;
  const tag = element.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  return !["checkbox", "radio", "button", "submit", "reset"].includes(element.type);
}
