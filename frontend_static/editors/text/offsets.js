// Offsets between the browser and the label format.
//
// The label format counts `start`/`end` in Unicode code points (Python `str` indices, see docs/text.md); the
// browser's strings, Selection and Range offsets count UTF-16 code units. They differ as soon as the text holds a
// character outside the Basic Multilingual Plane (emoji, some CJK): "🎉" is 1 code point and 2 UTF-16 units.
// Accents and combining marks are 1 unit and 1 code point each, so they agree there.
//
// Every index that leaves or enters the browser goes through an OffsetMap made once per text.

/**
 * Converts between UTF-16 indices and code point offsets of one text, in O(log n) per conversion after an O(n)
 * scan; a text without surrogate pairs (the common case) converts in O(1) with no tables.
 */
export class OffsetMap {
  /** @param {string} text the sample's text */
  constructor(text) {
    /** @type {string} */
    this.text = text;
    /** @type {number} length in UTF-16 code units */
    this.utf16Length = text.length;
    // utf16 indices of the second unit of every surrogate pair, ascending: each one makes the UTF-16 index run
    // one ahead of the code point offset from there on.
    /** @type {Int32Array} */
    this.pairs = surrogatePairEnds(text);
    /** @type {number} length in code points, what the format's `end` may reach */
    this.length = text.length - this.pairs.length;
  }

  /**
   * UTF-16 index -> code point offset. An index inside a surrogate pair moves to the start of its character
   * (`roundUp` moves it past the character instead, as a span's end wants).
   * @param {number} index UTF-16 index in [0, text.length]
   * @param {{roundUp?: boolean}} [options]
   * @returns {number} code point offset in [0, this.length]
   */
  toCodePoint(index, { roundUp = false } = {}) {
    const clamped = Math.max(0, Math.min(this.utf16Length, index));
    if (this.pairs.length === 0) return clamped;
    const offset = clamped - countAtMost(this.pairs, clamped); // minus the pairs wholly before `clamped`
    if (!this.#splitsPair(clamped)) return offset;
    return roundUp ? offset : offset - 1;
  }

  /**
   * Code point offset -> UTF-16 index.
   * @param {number} offset code point offset in [0, this.length]
   * @returns {number} UTF-16 index in [0, text.length], never inside a surrogate pair
   */
  toUtf16(offset) {
    const clamped = Math.max(0, Math.min(this.length, offset));
    if (this.pairs.length === 0) return clamped;
    // The k-th pair (0-based) ends at UTF-16 index pairs[k], which is code point offset pairs[k] - k - 1.
    let low = 0;
    let high = this.pairs.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.pairs[middle] - middle - 1 <= clamped) low = middle + 1;
      else high = middle;
    }
    return clamped + low;
  }

  /**
   * A span in UTF-16 indices (e.g. from a DOM Selection) -> the format's span; the span grows to whole characters.
   * @param {number} start UTF-16 index
   * @param {number} end UTF-16 index, exclusive
   * @returns {{start: number, end: number}}
   */
  spanFromUtf16(start, end) {
    return { start: this.toCodePoint(start), end: this.toCodePoint(end, { roundUp: true }) };
  }

  /**
   * The format's span -> UTF-16 indices for `text.slice` and DOM Ranges.
   * @param {{start: number, end: number}} span code point offsets
   * @returns {{start: number, end: number}}
   */
  spanToUtf16(span) {
    return { start: this.toUtf16(span.start), end: this.toUtf16(span.end) };
  }

  /** @param {number} index @returns {boolean} true when `index` falls between the two units of a pair */
  #splitsPair(index) {
    if (index <= 0 || index >= this.utf16Length) return false;
    const code = this.text.charCodeAt(index);
    const previous = this.text.charCodeAt(index - 1);
    return isLowSurrogate(code) && isHighSurrogate(previous);
  }
}

/** @param {number} code */
function isHighSurrogate(code) {
  return code >= 0xd800 && code <= 0xdbff;
}

/** @param {number} code */
function isLowSurrogate(code) {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** @param {string} text @returns {Int32Array} UTF-16 index just after each surrogate pair, ascending */
function surrogatePairEnds(text) {
  const ends = [];
  for (let index = 0; index < text.length - 1; index += 1) {
    if (isHighSurrogate(text.charCodeAt(index)) && isLowSurrogate(text.charCodeAt(index + 1))) {
      ends.push(index + 2);
      index += 1;
    }
  }
  return Int32Array.from(ends);
}

/** @param {Int32Array} sorted @param {number} value @returns {number} how many entries are <= value */
function countAtMost(sorted, value) {
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
 * Length of `text` in code points, the unit of the format's offsets.
 * @param {string} text
 * @returns {number}
 */
export function codePointLength(text) {
  return new OffsetMap(text).length;
}
