// node --test: tokenizer, snapping to tokens, keyboard extension, span layout.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { layoutSpans, overlappingPairs } from "./layout.js";
import { OffsetMap } from "./offsets.js";
import { extendByCharacter, extendByToken, moveByToken, snapToTokens, tokenize } from "./tokens.js";

const SENTENCE = "010 is the tenth album from Japanese Punk Techno band The Mad Capsule Markets .";
const words = (text, tokens) => Array.from(tokens.starts, (start, i) => text.slice(start, tokens.ends[i]));

test("words: Wikigold's tokens are the whitespace-separated tokens of the sentence", () => {
  const sentences = readFileSync(new URL("../../../examples/text/wikigold_spans_first300.jsonl", import.meta.url), "utf-8")
    .trim().split("\n").map((line) => JSON.parse(line));
  let same = 0;
  for (const sentence of sentences) {
    const tokens = tokenize(sentence.text);
    if (JSON.stringify(words(sentence.text, tokens)) === JSON.stringify(sentence.tokens)) same += 1;
  }
  // Wikigold splits punctuation off like we do; the rest differ where it keeps e.g. "Osc-Dis" or "(" glued.
  assert.ok(same / sentences.length > 0.9, `${same} of ${sentences.length}`); // abbreviations ("Lt.") differ
  assert.deepEqual(words(SENTENCE, tokenize(SENTENCE)), SENTENCE.split(" "));
});

test("words: punctuation is its own token, inner apostrophes and hyphens stay in the word", () => {
  const text = "Don't re-engineer it, (said Zoe\u0308) — 3.5 km!";
  assert.deepEqual(words(text, tokenize(text)), [
    "Don't", "re-engineer", "it", ",", "(", "said", "Zoe\u0308", ")", "—", "3.5", "km", "!",
  ]);
});

test("words and characters on non-ASCII text: CJK, emoji and combining marks stay whole", () => {
  const { cases } = JSON.parse(readFileSync(new URL("../../../tests/data/text_offsets.json", import.meta.url), "utf-8"));
  const text = cases[0].text;
  const characters = words(text, tokenize(text, "characters"));
  assert.ok(characters.includes("e\u0308"));
  assert.ok(characters.includes("🇫🇷"));
  assert.ok(characters.includes("👩‍🔬"));
  assert.ok(characters.includes("東"));
  assert.deepEqual(words("東京の山田", tokenize("東京の山田")), ["東", "京", "の", "山", "田"]);
  // a selection that stops inside the first and last characters of each span of the shared cases snaps back to
  // the span, and converts to the server's code point offsets
  for (const item of cases) {
    const tokens = tokenize(item.text);
    const map = new OffsetMap(item.text);
    for (const span of item.spans) {
      const at = map.spanToUtf16(span);
      // stop one unit inside the first and last tokens, where they are longer than one unit
      const first = Array.from(tokens.starts).indexOf(at.start);
      const last = Array.from(tokens.ends).indexOf(at.end);
      const inner = [
        at.start + (tokens.ends[first] - at.start > 1 ? 1 : 0),
        at.end - (at.end - tokens.starts[last] > 1 ? 1 : 0),
      ];
      const snapped = snapToTokens(tokens, inner[0], inner[1]);
      assert.deepEqual(snapped, at, span.text);
      assert.deepEqual(map.spanFromUtf16(snapped.start, snapped.end), { start: span.start, end: span.end });
    }
  }
});

test("snapping: half a word becomes the word, a selection across words takes each whole", () => {
  const tokens = tokenize(SENTENCE);
  const capsule = SENTENCE.indexOf("Capsule");
  assert.deepEqual(snapToTokens(tokens, capsule + 2, capsule + 4), { start: capsule, end: capsule + 7 });
  const mad = SENTENCE.indexOf("Mad");
  const markets = SENTENCE.indexOf("Markets");
  assert.deepEqual(snapToTokens(tokens, markets + 3, mad + 1), { start: mad, end: markets + 7 });
  assert.deepEqual(snapToTokens(tokens, mad - 1, mad + 3), { start: mad, end: mad + 3 }, "a leading space drops out");
  assert.equal(snapToTokens(tokens, 3, 4), null, "only whitespace");
  assert.deepEqual(snapToTokens(tokens, mad + 1, mad + 1), { start: mad, end: mad + 3 }, "a caret in a word");
});

test("keyboard: extend by token and by character, surrogate pairs never split", () => {
  const tokens = tokenize(SENTENCE);
  const the = SENTENCE.indexOf("The Mad");
  let selection = { anchor: the, focus: the };
  selection = extendByToken(tokens, selection, 1);
  assert.deepEqual(selection, { anchor: the, focus: the + 3 });
  selection = extendByToken(tokens, extendByToken(tokens, selection, 1), 1);
  assert.equal(SENTENCE.slice(selection.anchor, selection.focus), "The Mad Capsule");
  selection = extendByToken(tokens, selection, -1);
  assert.equal(SENTENCE.slice(selection.anchor, selection.focus), "The Mad ");
  assert.deepEqual(snapToTokens(tokens, selection.anchor, selection.focus), { start: the, end: the + 7 });
  assert.equal(moveByToken(tokens, the, 1), the + 4);
  assert.equal(moveByToken(tokens, the, -1), SENTENCE.indexOf("band"));
  const emoji = "a🎉b";
  assert.deepEqual(extendByCharacter(emoji, { anchor: 1, focus: 1 }, 1), { anchor: 1, focus: 3 });
  assert.deepEqual(extendByCharacter(emoji, { anchor: 1, focus: 3 }, -1), { anchor: 1, focus: 1 });
  assert.deepEqual(extendByCharacter(emoji, { anchor: 0, focus: 4 }, 1), { anchor: 0, focus: 4 });
});

test("layout: overlapping spans take different levels, as few as the deepest overlap", () => {
  const spans = [
    { start: 0, end: 20 }, { start: 5, end: 10 }, { start: 8, end: 30 }, { start: 20, end: 25 }, { start: 40, end: 50 },
  ];
  const { levels, depth } = layoutSpans(spans);
  assert.deepEqual(Array.from(levels), [0, 1, 2, 0, 0]);
  assert.equal(depth, 3);
  for (const [a, b] of overlappingPairs(spans)) assert.notEqual(levels[a], levels[b]);
  assert.deepEqual(overlappingPairs(spans), [[0, 1], [0, 2], [1, 2], [2, 3]]);
  assert.deepEqual(overlappingPairs([{ start: 0, end: 5 }, { start: 5, end: 9 }]), [], "touching is no overlap");
});
