// Layout of spans for display: overlapping spans go to different levels (stacked underlines), so none hides
// another. Greedy interval colouring in text order: each span takes the lowest level free at its start, which
// uses as many levels as the most spans covering one character (the fewest possible).

/** @typedef {{start: number, end: number}} SpanRange any object with start/end (UTF-16 or code points) */

/**
 * Levels for `spans`: levels[i] is span i's level (0 = nearest the text); `depth` is the number of levels.
 * O(n log n). Ties: at one start the longer span takes the lower level, so a span nests above those it holds.
 * @param {SpanRange[]} spans
 * @returns {{levels: Int32Array, depth: number}}
 */
export function layoutSpans(spans) {
  const order = spans.map((_, index) => index);
  order.sort((a, b) => spans[a].start - spans[b].start || spans[b].end - spans[a].end || a - b);
  const levels = new Int32Array(spans.length);
  /** ends[level] = where the span last put on that level ends */
  const ends = [];
  for (const index of order) {
    const { start, end } = spans[index];
    let level = 0;
    while (level < ends.length && ends[level] > start) level += 1;
    ends[level] = end;
    levels[index] = level;
  }
  return { levels, depth: ends.length };
}

/**
 * Pairs of overlapping spans (i < j), in text order; a named-entity label must have none.
 * @param {SpanRange[]} spans
 * @returns {Array<[number, number]>}
 */
export function overlappingPairs(spans) {
  const order = spans.map((_, index) => index).sort((a, b) => spans[a].start - spans[b].start);
  /** @type {Array<[number, number]>} */
  const pairs = [];
  const open = [];
  for (const index of order) {
    for (let k = open.length - 1; k >= 0; k -= 1) {
      if (spans[open[k]].end <= spans[index].start) open.splice(k, 1);
    }
    for (const other of open) pairs.push(other < index ? [other, index] : [index, other]);
    open.push(index);
  }
  return pairs;
}
