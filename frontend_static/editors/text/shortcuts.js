// The text editor's own key bindings (selection, spans, search); the shell adds save, submit, undo, help...
// (editor-core/keymap.js SHELL_BINDINGS). docs/editors.md lists every one (text-editor.test.mjs checks it).

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const TEXT_BINDINGS = [
  { keys: ["ArrowLeft", "ArrowRight"], actions: ["caret-previous", "caret-next"], group: "Select text", help: "Move the caret to the previous / next token" },
  { keys: ["Shift+ArrowLeft", "Shift+ArrowRight"], actions: ["extend-token-previous", "extend-token-next"], group: "Select text", help: "Extend the selection by one token" },
  { keys: ["Alt+Shift+ArrowLeft", "Alt+Shift+ArrowRight"], actions: ["extend-character-previous", "extend-character-next"], group: "Select text", help: "Extend the selection by one character" },
  { keys: ["Drag"], group: "Select text", help: "Select with the mouse (snaps to whole tokens: half a word becomes the word)" },
  { keys: ["1-9"], action: "category", group: "Spans", help: "Create a span of that category over the selection (or the caret's token); with a span selected: change its category" },
  { keys: ["Click span"], group: "Spans", help: "Select a span (click again where spans overlap: the next one over it)" },
  { keys: ["]", "["], actions: ["span-next", "span-previous"], group: "Spans", help: "Select the next / previous span" },
  { keys: ["Delete", "Backspace"], action: "delete", group: "Spans", help: "Delete the selected span" },
  { keys: ["Escape"], action: "escape", group: "Spans", help: "Deselect the span, then the text" },
  { keys: ["Ctrl+F"], action: "search", group: "Search", help: "Search in the text (Enter: next match, which becomes the selection)" },
];
