// Moving the text editor's selection (text-editor.js): the caret and the selection by token or character,
// the next / previous span, the next search match; and showing the selection on the page.

import { isTypingTarget } from "../../editor-core/keymap.js";
import { stepMatch } from "./search.js";
import { extendByCharacter, extendByToken, moveByToken, snapToTokens } from "./tokens.js";

/** @typedef {import("./text-editor.js").TextEditor} TextEditor */

/** The page shows the selection, or the token at a collapsed caret. @param {TextEditor} editor */
export function showSelection(editor) {
  const { anchor, focus } = editor.selection;
  let low = Math.min(anchor, focus);
  let high = Math.max(anchor, focus);
  if (low === high) {
    const token = snapToTokens(editor.tokens, low, low);
    if (!token) {
      window.getSelection()?.removeAllRanges();
      return;
    }
    [low, high] = [token.start, token.end];
  }
  if (isTypingTarget(document.activeElement)) return; // the search box keeps its own selection
  editor.view.showSelection(low, high);
}

/** The caret to the previous (-1) or next (1) token; the span is deselected. @param {TextEditor} editor @param {1|-1} direction */
export function moveCaret(editor, direction) {
  const caret = moveByToken(editor.tokens, editor.selection.focus, direction);
  editor.select(null);
  editor.setSelection({ anchor: caret, focus: caret });
  scrollToCaret(editor);
}

/**
 * Extend the selection by one token or character backwards (-1) or forwards (1).
 * @param {TextEditor} editor @param {1|-1} direction @param {boolean} byCharacter
 */
export function extend(editor, direction, byCharacter) {
  const next = byCharacter
    ? extendByCharacter(editor.text, editor.selection, direction)
    : extendByToken(editor.tokens, editor.selection, direction);
  editor.setSelection(next);
  scrollToCaret(editor);
}

/** Scroll the text so that the page's selection is in sight. @param {TextEditor} editor */
export function scrollToCaret(editor) {
  const selection = window.getSelection();
  if (!selection || !selection.rangeCount) return;
  const rect = selection.getRangeAt(0).getBoundingClientRect();
  const stage = editor.el.stage.getBoundingClientRect();
  if (rect.bottom > stage.bottom || rect.top < stage.top) {
    editor.el.stage.scrollTop += rect.top - stage.top - stage.height / 2;
  }
}

/**
 * Which span of `list` (text order) comes next (1) or before (-1): the neighbour of the selected one
 * (wrapping around), else the first one starting at or after `from` (the last one before it).
 * @param {Array<{id: number, start: number}>} list non-empty
 * @param {number|null} selectedId
 * @param {number} from UTF-16 index: the selected span's start, or the caret
 * @param {number} direction
 * @returns {number} an index into `list`
 */
export function stepSpanIndex(list, selectedId, from, direction) {
  const at = list.findIndex((span) => span.id === selectedId);
  if (at >= 0) return (at + direction + list.length) % list.length;
  if (direction > 0) {
    const next = list.findIndex((span) => span.start >= from);
    return next >= 0 ? next : 0;
  }
  const before = list.filter((span) => span.start < from).length - 1;
  return before >= 0 ? before : list.length - 1;
}

/**
 * Select the next (1) or previous (-1) span in text order, of `categoryId` only when given.
 * @param {TextEditor} editor @param {number} direction @param {number|null} [categoryId]
 */
export function stepSpan(editor, direction, categoryId = null) {
  const list = editor.spanList().filter((span) => categoryId === null || span.category_id === categoryId);
  if (!list.length) return;
  const selected = editor.selectedId === null ? null : editor.spans.get(editor.selectedId);
  const from = selected ? selected.start : editor.selection.focus;
  editor.select(list[stepSpanIndex(list, editor.selectedId, from, direction)].id, { scroll: true });
}

/**
 * Go to the next (or previous) search match: it becomes the selection, ready for a number key.
 * @param {TextEditor} editor @param {number} [direction]
 */
export function nextMatch(editor, direction = 1) {
  if (!editor.matches.length) return;
  editor.matchIndex = stepMatch(editor.matchIndex, direction, editor.matches.length);
  const [start, end] = editor.matches[editor.matchIndex];
  editor.select(null);
  editor.selection = { anchor: start, focus: end };
  editor.view.showSelection(start, end);
  scrollToCaret(editor);
  editor.renderSelectionInfo();
  editor.renderSearchInfo();
}
