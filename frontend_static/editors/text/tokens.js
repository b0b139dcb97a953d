// Tokens of a sample's text, in the browser's UTF-16 indices, and what the editor does with them: snap a
// selection to whole tokens (half a word becomes the word) and extend a selection from the keyboard by one
// character or one token. Pure functions; convert to the format's code points with offsets.js at the boundary.

/** @typedef {"words" | "characters"} TokenizerMode
 * "words": runs of letters, digits and combining marks (with inner apostrophes, hyphens and periods between
 * letters or digits, as in "don't", "re-engineered", "3.5") are tokens; so are initials ("H.", "U.S."), English
 * clitics written apart ("'s"), each Han, kana or Hangul character (those scripts do not space their words),
 * each emoji with its modifiers, and every other visible character on its own (punctuation); whitespace is no
 * token. "characters": every user-perceived character
 * (grapheme: a letter with its combining marks, an emoji with its modifiers) is a token. */

/** @typedef {{starts: Int32Array, ends: Int32Array, length: number}} Tokens
 * Token i covers text.slice(starts[i], ends[i]); tokens are sorted and do not overlap. */

const CJK = String.raw`\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}`;
const LETTER = String.raw`[^\s\p{P}\p{S}${CJK}]`; // letters, digits, marks of scripts that put spaces between words
const EMOJI = String.raw`\p{Regional_Indicator}{2}|\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F]*(?:\u200D\p{Extended_Pictographic}[\p{Emoji_Modifier}\uFE0F]*)*`;
const WORD = new RegExp(
  [
    String.raw`(?:\p{Lu}\.){1,}(?=\s|$)`, // initials and abbreviations: "H.", "U.S."
    String.raw`['’](?:s|re|ve|ll|d|m|t)(?!\p{L})`, // English clitics written apart: "'s", "'re"
    String.raw`${LETTER}+(?:['’\-.]${LETTER}+|[:,]\d+)*`, // words; inner apostrophes, hyphens; "3.5", "6:30"
    `[${CJK}]\\p{M}*`, // one Han, kana or Hangul character: those scripts do not space their words
    EMOJI,
    String.raw`[^\s]\p{M}*`, // any other visible character (punctuation, symbols) on its own
  ].join("|"),
  "giu",
);

/**
 * Split `text` into tokens.
 * @param {string} text
 * @param {TokenizerMode} [mode]
 * @returns {Tokens}
 */
export function tokenize(text, mode = "words") {
  const starts = [];
  const ends = [];
  if (mode === "characters") {
    const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    for (const { segment, index } of segmenter.segment(text)) {
      if (/^\s+$/u.test(segment)) continue;
      starts.push(index);
      ends.push(index + segment.length);
    }
  } else if (mode === "words") {
    for (const match of text.matchAll(WORD)) {
      starts.push(match.index);
      ends.push(match.index + match[0].length);
    }
  } else {
    throw new Error(`unknown tokenizer mode ${mode}`);
  }
  return { starts: Int32Array.from(starts), ends: Int32Array.from(ends), length: starts.length };
}

/** @param {Int32Array} sorted @param {number} value @returns {number} the first index whose entry is > value */
function upperBound(sorted, value) {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The tokens a range touches: first and last index (inclusive), or null when it touches none.
 * @param {Tokens} tokens @param {number} start @param {number} end UTF-16, end exclusive
 * @returns {{first: number, last: number} | null}
 */
export function tokensIn(tokens, start, end) {
  // First token whose end is after `start`, last token whose start is before `end`.
  const first = upperBound(tokens.ends, start);
  const last = upperBound(tokens.starts, Math.max(start, end - 1)) - 1;
  if (first >= tokens.length || last < first) return null;
  if (end > start && tokens.starts[first] >= end) return null;
  return { first, last };
}

/**
 * Snap a selection to whole tokens: every token it touches is included, so half a word becomes the word; a
 * collapsed selection inside a token becomes that token. Leading and trailing whitespace drop out.
 * @param {Tokens} tokens @param {number} start @param {number} end UTF-16 indices, in either order
 * @returns {{start: number, end: number} | null} null when the selection holds no token (only whitespace)
 */
export function snapToTokens(tokens, start, end) {
  const low = Math.min(start, end);
  const high = Math.max(start, end);
  const range = tokensIn(tokens, low, high === low ? low + 1 : high);
  if (!range) return null;
  if (high === low && tokens.starts[range.first] > low) return null; // a caret in whitespace
  return { start: tokens.starts[range.first], end: tokens.ends[range.last] };
}

/** @typedef {{anchor: number, focus: number}} TextSelection UTF-16 indices; the focus is the end that moves */

/**
 * Move the focus by one character (one code point: a surrogate pair is never split), keeping the anchor.
 * @param {string} text @param {TextSelection} selection @param {1 | -1} direction
 * @returns {TextSelection}
 */
export function extendByCharacter(text, selection, direction) {
  let focus = selection.focus;
  if (direction > 0 && focus < text.length) {
    const code = text.codePointAt(focus);
    focus += code > 0xffff ? 2 : 1;
  } else if (direction < 0 && focus > 0) {
    const low = text.charCodeAt(focus - 1);
    focus -= low >= 0xdc00 && low <= 0xdfff && focus >= 2 ? 2 : 1;
  }
  return { anchor: selection.anchor, focus };
}

/**
 * Move the focus to the end of the next token (forward) or the start of the previous one (backward), keeping
 * the anchor; from a collapsed selection the first step forward selects the token at or after the caret.
 * @param {Tokens} tokens @param {TextSelection} selection @param {1 | -1} direction
 * @returns {TextSelection}
 */
export function extendByToken(tokens, selection, direction) {
  const { focus } = selection;
  if (direction > 0) {
    const next = upperBound(tokens.ends, focus); // first token ending after the focus
    if (next >= tokens.length) return selection;
    const anchor = selection.anchor === focus && tokens.starts[next] > focus ? tokens.starts[next] : selection.anchor;
    return { anchor, focus: tokens.ends[next] };
  }
  const previous = upperBound(tokens.starts, focus - 1) - 1; // last token starting before the focus
  if (previous < 0) return selection;
  return { anchor: selection.anchor, focus: tokens.starts[previous] };
}

/**
 * Move a collapsed caret to the start of the next or previous token (no selection).
 * @param {Tokens} tokens @param {number} caret @param {1 | -1} direction
 * @returns {number}
 */
export function moveByToken(tokens, caret, direction) {
  if (direction > 0) {
    const next = upperBound(tokens.starts, caret);
    return next < tokens.length ? tokens.starts[next] : caret;
  }
  const previous = upperBound(tokens.starts, caret - 1) - 1;
  return previous >= 0 ? tokens.starts[previous] : caret;
}
