// One keymap per editor: a table of bindings that both maps key presses to actions and generates the help
// panel, so the two cannot drift apart. The shell's bindings (sample, review, edit, view) are the same in
// every editor; an editor adds its tool bindings. The whole table is documented in docs/editors.md.

/**
 * One row of the keymap. `keys`: key specs such as "Ctrl+Shift+Z", "Alt+ArrowRight", "Shift+L", "?", "1-9"
 * (digits 1 to 9: action "<action>:<digit>"); every spec triggers `action`, or with `actions` the action at
 * the same position (["ArrowLeft", "ArrowRight"] -> ["frame-previous", "frame-next"]). A row without `action` is a mouse
 * gesture listed in the help only (its keys are shown as written). `help`: the help panel's description.
 * @typedef {{keys: string[], action?: string, actions?: string[], group: string, help: string}} Binding
 */

/**
 * @typedef {{key: string, ctrlKey?: boolean, metaKey?: boolean, altKey?: boolean, shiftKey?: boolean}} KeyLike
 */

const NAMED_DISPLAY = {
  arrowleft: "←", arrowright: "→", arrowup: "↑", arrowdown: "↓", escape: "Esc", delete: "Delete",
  backspace: "Backspace", enter: "Enter", home: "Home", end: "End", "-": "−", " ": "Space",
};

/**
 * Parse "Ctrl+Shift+Z" into {ctrl, shift, alt, key (lower case)}; "+" alone is the plus key.
 * @param {string} spec
 */
export function parseKeySpec(spec) {
  const parts = spec === "+" ? ["+"] : spec.endsWith("++") ? [...spec.slice(0, -2).split("+"), "+"] : spec.split("+");
  const key = parts.pop().toLowerCase();
  const modifiers = new Set(parts.map((part) => part.toLowerCase()));
  return { ctrl: modifiers.has("ctrl"), shift: modifiers.has("shift"), alt: modifiers.has("alt"), key };
}

/** Whether Shift is part of the character itself ("?", "+", "!"): then it is not compared. */
function shiftIsImplied(key) {
  return key.length === 1 && !/[a-z0-9]/.test(key);
}

/**
 * The action a keydown event means in `bindings`, or null. Ctrl and Cmd count the same.
 * @param {KeyLike} event
 * @param {Binding[]} bindings
 * @returns {string|null}
 */
export function actionForKey(event, bindings) {
  const key = (event.key || "").toLowerCase();
  const ctrl = Boolean(event.ctrlKey || event.metaKey);
  const alt = Boolean(event.altKey);
  const shift = Boolean(event.shiftKey);
  for (const binding of bindings) {
    if (!binding.action && !binding.actions) continue;
    for (const [index, spec] of binding.keys.entries()) {
      const action = binding.actions ? binding.actions[index] : binding.action;
      const wanted = parseKeySpec(spec);
      if (wanted.ctrl !== ctrl || wanted.alt !== alt) continue;
      if (wanted.key === "1-9") {
        if (/^[1-9]$/.test(key) && !shift) return `${action}:${key}`;
        continue;
      }
      if (wanted.key !== key) continue;
      if (!shiftIsImplied(key) && wanted.shift !== shift) continue;
      return action;
    }
  }
  return null;
}

/** How a key spec is shown: ["Ctrl", "Shift", "Z"]. */
export function displayKeys(spec) {
  if (spec === "1-9") return ["1", "…", "9"];
  const { ctrl, shift, alt, key } = parseKeySpec(spec);
  const name = NAMED_DISPLAY[key] || (key.length === 1 ? key.toUpperCase() : spec.split("+").pop());
  return [ctrl && "Ctrl", alt && "Alt", shift && "Shift", name].filter(Boolean);
}

/**
 * The help panel's groups, in first-appearance order: [{title, items: [[keys], help]}]; a row with several
 * specs lists them separated by "/".
 * @param {Binding[]} bindings
 * @returns {Array<{title: string, items: Array<[string[], string]>}>}
 */
export function helpGroups(bindings) {
  /** @type {Map<string, Array<[string[], string]>>} */
  const groups = new Map();
  for (const binding of bindings) {
    if (!groups.has(binding.group)) groups.set(binding.group, []);
    const keys = binding.action || binding.actions
      ? binding.keys.flatMap((spec, index) => (index ? ["/", ...displayKeys(spec)] : displayKeys(spec)))
      : binding.keys;
    groups.get(binding.group).push([keys, binding.help]);
  }
  return [...groups.entries()].map(([title, items]) => ({ title, items }));
}

/**
 * The bindings of the shell, the same in every editor: sample (save, submit, skip, next/previous), review,
 * edit (undo/redo) and view (zoom, fit, help).
 * @type {Binding[]}
 */
export const SHELL_BINDINGS = [
  { keys: ["Ctrl+S"], action: "save", group: "Sample", help: "Save (keeps the status: in progress until labeled)" },
  { keys: ["Shift+L"], action: "mark-labeled", group: "Sample", help: "Mark labeled and save" },
  { keys: ["Shift+Enter"], action: "submit", group: "Sample", help: "Submit: mark labeled, save and go to my next sample" },
  { keys: ["Shift+S"], action: "mark-skipped", group: "Sample", help: "Skip: save as skipped and go to my next sample" },
  { keys: ["Alt+ArrowRight"], action: "next", group: "Sample", help: "Next sample of my queue" },
  { keys: ["Alt+ArrowLeft"], action: "previous", group: "Sample", help: "Previous sample of my queue" },
  { keys: ["Shift+A"], action: "review-accept", group: "Review (reviewers)", help: "Accept the label and go to the next sample to review" },
  { keys: ["Shift+R"], action: "review-reject", group: "Review (reviewers)", help: "Reject the label, with a reason (anchored to the selected object)" },
  { keys: ["Alt+R"], action: "reference-toggle", group: "Compare", help: "Show or hide the other label set chosen in Compare with (drawn dashed, read-only)" },
  { keys: ["Alt+C"], action: "reference-copy", group: "Compare", help: "Copy the clicked object(s) of the other label set into this label (new ids; one undo step)" },
  { keys: ["Ctrl+Z"], action: "undo", group: "Edit", help: "Undo" },
  { keys: ["Ctrl+Shift+Z", "Ctrl+Y"], action: "redo", group: "Edit", help: "Redo" },
  { keys: ["+", "="], action: "zoom-in", group: "View", help: "Zoom in (the mouse wheel zooms around the cursor)" },
  { keys: ["-"], action: "zoom-out", group: "View", help: "Zoom out" },
  { keys: ["0"], action: "fit", group: "View", help: "Fit the image to the screen" },
  { keys: ["Space", "Drag"], group: "View", help: "Pan (or drag with the middle mouse button)" },
  { keys: ["?"], action: "help", group: "View", help: "Show or hide this help" },
];

/** Whether keys typed into this element belong to it (form fields) rather than to the editor. */
export function isTypingTarget(element) {
  if (!element) return false;
  if (element.isContentEditable) return true;
  const tag = element.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag !== "INPUT") return false;
  return !["checkbox", "radio", "button", "submit", "reset", "range"].includes(element.type);
}
