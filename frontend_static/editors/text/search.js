// Search in the sample's text (pure; no DOM): the matches of a query, and which one comes next.

/** At most this many matches are kept (the search line then says "10000+"). */
export const MAX_MATCHES = 10_000;

/**
 * Every occurrence of `query` in `text`, case-insensitive, not overlapping, in text order.
 * toLocaleLowerCase may change lengths for a few characters; then the indices are only approximate.
 * @param {string} text
 * @param {string} query
 * @param {number} [max] at most this many
 * @returns {Array<[number, number]>} [start, end) UTF-16; none for an empty query
 */
export function findMatches(text, query, max = MAX_MATCHES) {
  /** @type {Array<[number, number]>} */
  const matches = [];
  const needle = query.toLocaleLowerCase();
  if (!needle) return matches;
  const haystack = text.toLocaleLowerCase();
  let at = haystack.indexOf(needle);
  while (at !== -1 && matches.length < max) {
    matches.push([at, at + needle.length]);
    at = haystack.indexOf(needle, at + Math.max(1, needle.length));
  }
  return matches;
}

/**
 * The match after (direction 1) or before (-1) `index`, wrapping around; from none (-1) backwards: the last.
 * @param {number} index the current match, -1: none @param {number} direction @param {number} count > 0
 * @returns {number}
 */
export function stepMatch(index, direction, count) {
  return index < 0 && direction < 0 ? count - 1 : (index + direction + count) % count;
}
