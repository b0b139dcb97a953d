// The text view: a sample's text with its spans, drawn as stacked underlines (one level per overlap, see
// layout.js) so that overlapping spans stay visible and clickable. Made for long documents: the text is cut
// into chunks at whitespace, and adding, changing or removing a span redraws only the chunks it touches (and
// those whose spans changed level), never the whole text.
//
// Each line of the text is a block (a paragraph), so that a redraw lays out one paragraph, not the document.
//
// Everything here counts in the browser's UTF-16 indices; the editor converts to and from the format's code
// points with offsets.js (OffsetMap) when it reads or writes a label.

import { layoutSpans } from "./layout.js";

/**
 * @typedef {{id: number|string, start: number, end: number, category_id: number, reference?: string}} ViewSpan
 *   UTF-16, end exclusive; `reference`: the label set of a read-only span of another label set (drawn dashed)
 */
/** @typedef {{id: number, name: string, color?: number[]}} Category */

const LINE_PX = 3; // thickness of one underline
const LEVEL_PX = 4; // distance between two stacked underlines
const CHUNK_UNITS = 512; // a chunk ends at the first whitespace after this many UTF-16 units
const PALETTE = [[230, 57, 70], [42, 157, 143], [69, 123, 157], [244, 162, 97], [131, 56, 236], [106, 153, 78]];

export class TextView {
  /**
   * @param {HTMLElement} container emptied and filled with the text
   * @param {{text: string, spans?: ViewSpan[], categories?: Category[], onSpanClick?: (span: ViewSpan|null,
   *   event: MouseEvent) => void, chunkUnits?: number}} options
   */
  constructor(container, { text, spans = [], categories = [], onSpanClick = () => {}, chunkUnits = CHUNK_UNITS }) {
    this.container = container;
    this.text = text;
    /** @type {Map<number|string, ViewSpan>} */
    this.spans = new Map(spans.map((span) => [span.id, { ...span }]));
    this.colors = new Map(categories.map((c, i) => [c.id, c.color ?? PALETTE[i % PALETTE.length]]));
    this.names = new Map(categories.map((c) => [c.id, c.name]));
    this.selectedId = null;
    this.onSpanClick = onSpanClick;
    this.chunks = chunkBounds(text, chunkUnits);
    /** @type {HTMLElement[]} */
    this.chunkElements = [];
    /** @type {Map<number|string, number>} level of each span */
    this.levels = new Map();
    this.depth = 0;
    container.classList.add("text-view");
    container.addEventListener("click", (event) => this.#click(event));
    this.render();
  }

  /** Draw everything (once at the start; later changes redraw only their chunks). */
  render() {
    this.#layout();
    const fragment = document.createDocumentFragment();
    let paragraph = null;
    this.chunkElements = this.chunks.map(([start, end, paragraphIndex], index) => {
      if (index === 0 || this.chunks[index - 1][2] !== paragraphIndex) {
        // A paragraph (a line of the text) is a block of its own: redrawing a chunk lays out its paragraph only.
        paragraph = document.createElement("div");
        paragraph.className = "text-paragraph";
        paragraph.dataset.start = String(start);
        fragment.append(paragraph);
      }
      paragraph.dataset.end = String(end);
      const element = document.createElement("span");
      element.className = "text-chunk";
      element.dataset.start = String(start);
      element.dataset.end = String(end);
      paragraph.append(element);
      return element;
    });
    const byChunk = this.#spansByChunk();
    this.chunkElements.forEach((element, index) => this.#drawChunk(element, index, byChunk[index]));
    this.container.replaceChildren(fragment);
  }

  /** @param {ViewSpan} span add it (its id must be new) and redraw what it touches */
  addSpan(span) {
    this.spans.set(span.id, { ...span });
    this.#place(span);
    this.#redrawChunks(this.#chunksOf([span]));
  }

  /** @param {number|string} id @param {Partial<ViewSpan>} changes */
  updateSpan(id, changes) {
    const before = this.spans.get(id);
    if (!before) return;
    const after = { ...before, ...changes, id };
    this.spans.set(id, after);
    this.levels.delete(id);
    this.#place(after);
    this.#redrawChunks(this.#chunksOf([before, after]));
  }

  /** @param {number|string} id */
  removeSpan(id) {
    const span = this.spans.get(id);
    if (!span) return;
    this.spans.delete(id);
    this.levels.delete(id);
    if (this.selectedId === id) this.selectedId = null;
    this.#redrawChunks(this.#chunksOf([span]));
  }

  /** @param {number|string|null} id mark this span as selected (null: none) */
  select(id) {
    const previous = this.selectedId === null ? null : this.spans.get(this.selectedId);
    this.selectedId = id;
    const touched = [previous, id === null ? null : this.spans.get(id)].filter(Boolean);
    this.#redrawChunks(this.#chunksOf(touched));
  }

  /** @returns {ViewSpan[]} the spans in text order */
  spanList() {
    return [...this.spans.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  }

  /**
   * A DOM position (a Selection's anchor or focus) as a UTF-16 index into the text, or null outside the view.
   * @param {Node} node @param {number} offset
   * @returns {number | null}
   */
  offsetFromDom(node, offset) {
    if (!this.container.contains(node)) return null;
    if (node.nodeType === Node.TEXT_NODE) {
      const owner = /** @type {HTMLElement} */ (node.parentElement);
      return Number(owner.dataset.start) + offset;
    }
    const element = /** @type {HTMLElement} */ (node);
    if (element === this.container) {
      const paragraph = /** @type {HTMLElement|undefined} */ (element.children[offset]);
      return paragraph ? Number(paragraph.dataset.start) : this.text.length;
    }
    const child = /** @type {HTMLElement|undefined} */ (element.childNodes[offset]);
    if (child?.dataset?.start !== undefined) return Number(child.dataset.start);
    return Number(element.dataset.end ?? element.dataset.start);
  }

  /** @returns {{anchor: number, focus: number} | null} the page's selection inside the view, UTF-16 */
  domSelection() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return null;
    const anchor = this.offsetFromDom(selection.anchorNode, selection.anchorOffset);
    const focus = this.offsetFromDom(selection.focusNode, selection.focusOffset);
    return anchor === null || focus === null ? null : { anchor, focus };
  }

  /** Show `start`..`end` (UTF-16) as the page's selection. */
  showSelection(start, end) {
    const range = document.createRange();
    const [startNode, startOffset] = this.#domPosition(start);
    const [endNode, endOffset] = this.#domPosition(end);
    range.setStart(/** @type {Node} */ (startNode), /** @type {number} */ (startOffset));
    range.setEnd(/** @type {Node} */ (endNode), /** @type {number} */ (endOffset));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  #domPosition(index) {
    // Only the segments of the chunk holding `index` (and the one before, whose end it may be): a selection
    // shown after every keystroke must not walk the whole document.
    const chunk = chunkIndex(this.chunks, index);
    const segments = [chunk, chunk - 1].flatMap((k) => (this.chunkElements[k] ? [...this.chunkElements[k].children] : []));
    for (const segment of /** @type {HTMLElement[]} */ (segments)) {
      const start = Number(segment.dataset.start);
      const end = start + segment.textContent.length;
      if (index >= start && index <= end && segment.firstChild) return [segment.firstChild, index - start];
    }
    return [this.container, this.container.childNodes.length];
  }

  #layout() {
    const list = [...this.spans.values()];
    const { levels, depth } = layoutSpans(list);
    this.levels = new Map(list.map((span, index) => [span.id, levels[index]]));
    this.depth = depth;
    this.container.style.setProperty("--text-depth", String(depth));
  }

  /** Give one new or changed span the lowest level free over its range; the others keep theirs, so an edit
   * redraws only the chunks it touches (render() lays everything out again, as few levels as possible). */
  #place(span) {
    const taken = new Set();
    for (const other of this.spans.values()) {
      if (other.id !== span.id && other.start < span.end && span.start < other.end) taken.add(this.levels.get(other.id));
    }
    let level = 0;
    while (taken.has(level)) level += 1;
    this.levels.set(span.id, level);
    if (level + 1 > this.depth) {
      this.depth = level + 1;
      this.container.style.setProperty("--text-depth", String(this.depth));
    }
  }

  #redrawChunks(indexes) {
    if (!indexes.size) return;
    const byChunk = this.#spansByChunk(indexes);
    for (const index of indexes) this.#drawChunk(this.chunkElements[index], index, byChunk[index]);
  }

  /** @param {ViewSpan[]} spans @returns {Set<number>} indexes of the chunks these spans touch */
  #chunksOf(spans) {
    const indexes = new Set();
    for (const span of spans) {
      const first = chunkIndex(this.chunks, span.start);
      const last = chunkIndex(this.chunks, Math.max(span.start, span.end - 1));
      for (let index = first; index <= last; index += 1) indexes.add(index);
    }
    return indexes;
  }

  /** Spans per chunk index, for all chunks or only `only`. */
  #spansByChunk(only = null) {
    const byChunk = only ? {} : this.chunks.map(() => []);
    for (const index of only ?? []) byChunk[index] = [];
    for (const span of this.spans.values()) {
      const first = chunkIndex(this.chunks, span.start);
      const last = chunkIndex(this.chunks, Math.max(span.start, span.end - 1));
      for (let index = first; index <= last; index += 1) byChunk[index]?.push(span);
    }
    return byChunk;
  }

  /** Draw one chunk: its text cut at every span boundary inside it, each piece styled by the spans over it. */
  #drawChunk(element, index, spans) {
    const [chunkStart, chunkEnd] = this.chunks[index];
    const cuts = new Set([chunkStart, chunkEnd]);
    for (const span of spans) {
      if (span.start > chunkStart && span.start < chunkEnd) cuts.add(span.start);
      if (span.end > chunkStart && span.end < chunkEnd) cuts.add(span.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const pieces = [];
    for (let k = 0; k + 1 < points.length; k += 1) {
      const start = points[k];
      const end = points[k + 1];
      const over = spans.filter((span) => span.start < end && span.end > start);
      pieces.push(this.#segment(start, end, over));
    }
    element.replaceChildren(...pieces);
  }

  #segment(start, end, over) {
    const segment = document.createElement("span");
    segment.className = "text-segment";
    segment.dataset.start = String(start);
    segment.textContent = this.text.slice(start, end);
    if (!over.length) return segment;
    segment.classList.add("in-span");
    const layers = [];
    const positions = [];
    const ids = [];
    const names = [];
    for (const span of over) {
      const [r, g, b] = this.colors.get(span.category_id) ?? [120, 120, 120];
      const level = this.levels.get(span.id) ?? 0;
      const alpha = span.id === this.selectedId ? 1 : 0.85;
      const color = `rgba(${r},${g},${b},${span.reference && span.id !== this.selectedId ? 0.55 : alpha})`;
      // A span of another label set ("Compare with", reference.js) is a dashed underline.
      layers.push(span.reference
        ? `repeating-linear-gradient(90deg, ${color} 0 5px, transparent 5px 8px)`
        : `linear-gradient(${color}, ${color})`);
      positions.push(`0 calc(100% - ${level * LEVEL_PX}px)`);
      ids.push(span.id);
      const name = this.names.get(span.category_id) ?? String(span.category_id);
      names.push(span.reference ? `${name} (${span.reference})` : name);
      if (span.id === this.selectedId) segment.classList.add("selected");
    }
    segment.style.backgroundImage = layers.join(",");
    segment.style.backgroundPosition = positions.join(",");
    segment.style.backgroundSize = `100% ${LINE_PX}px`;
    segment.dataset.spans = ids.join(" ");
    segment.title = names.join(", ");
    return segment;
  }

  #click(event) {
    const segment = /** @type {HTMLElement|null} */ (/** @type {HTMLElement} */ (event.target).closest?.(".text-segment"));
    if (!segment || !window.getSelection()?.isCollapsed) return; // a drag that selected text is no click
    const ids = (segment.dataset.spans ?? "").split(" ").filter(Boolean);
    const over = ids.map((id) => this.#spanById(id)).filter(Boolean);
    if (!over.length) {
      this.onSpanClick(null, event);
      return;
    }
    // Innermost first; clicking again on the same place moves to the next span over it.
    over.sort((a, b) => a.end - a.start - (b.end - b.start));
    const current = over.findIndex((span) => span.id === this.selectedId);
    this.onSpanClick(over[(current + 1) % over.length], event);
  }

  #spanById(text) {
    for (const span of this.spans.values()) if (String(span.id) === text) return span;
    return null;
  }
}

/**
 * Chunk bounds: [start, end, paragraph] triples in text order. Paragraphs are the text's lines (the newline
 * itself belongs to no chunk: the paragraph's block ends the line); a line longer than `units` is cut into
 * several chunks, each ending after a whitespace at or after `units`.
 * @param {string} text @param {number} units
 * @returns {Array<[number, number, number]>}
 */
export function chunkBounds(text, units) {
  /** @type {Array<[number, number, number]>} */
  const bounds = [];
  let lineStart = 0;
  let paragraph = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let start = lineStart;
    do {
      let end = Math.min(lineEnd, start + units);
      while (end < lineEnd && !/\s/.test(text[end])) end += 1;
      end = Math.min(lineEnd, end + 1); // the whitespace stays with the chunk before it
      bounds.push([start, end, paragraph]);
      start = end;
    } while (start < lineEnd);
    paragraph += 1;
    if (lineEnd === text.length) break;
    lineStart = lineEnd + 1;
  }
  return bounds;
}

/** @param {Array<[number, number, number]>} chunks @param {number} index @returns {number} the chunk holding it */
function chunkIndex(chunks, index) {
  let low = 0;
  let high = chunks.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (chunks[middle][0] <= index) low = middle;
    else high = middle - 1;
  }
  return low;
}
