// node --test: the browser's UTF-16 indices and the format's code point offsets agree on the same non-ASCII
// texts the Python API tests store (tests/data/text_offsets.json).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { OffsetMap, codePointLength } from "./offsets.js";

const { cases } = JSON.parse(
  readFileSync(new URL("../../../tests/data/text_offsets.json", import.meta.url), "utf-8"),
);

test("lengths: code points as Python counts them, UTF-16 units as the browser does", () => {
  for (const item of cases) {
    assert.equal(codePointLength(item.text), item.code_points);
    assert.equal(item.text.length, item.utf16_units);
    assert.equal([...item.text].length, item.code_points);
  }
});

test("a word found by the browser converts to the server's offsets and back", () => {
  for (const item of cases) {
    const map = new OffsetMap(item.text);
    let cursor = 0;
    for (const span of item.spans) {
      const start16 = item.text.indexOf(span.text, cursor);
      const end16 = start16 + span.text.length;
      cursor = end16;
      assert.deepEqual(map.spanFromUtf16(start16, end16), { start: span.start, end: span.end }, span.text);
      const back = map.spanToUtf16(span);
      assert.equal(item.text.slice(back.start, back.end), span.text);
    }
  }
});

test("every code point offset maps to a UTF-16 index and back", () => {
  for (const item of cases) {
    const map = new OffsetMap(item.text);
    const characters = [...item.text];
    for (let offset = 0; offset <= characters.length; offset += 1) {
      const index = map.toUtf16(offset);
      assert.equal(index, characters.slice(0, offset).join("").length);
      assert.equal(map.toCodePoint(index), offset);
    }
  }
});

test("an index inside a surrogate pair snaps to the character's start, or its end for a span's end", () => {
  const map = new OffsetMap("a🎉b");
  assert.equal(map.toCodePoint(2), 1);
  assert.equal(map.toCodePoint(2, { roundUp: true }), 2);
  assert.deepEqual(map.spanFromUtf16(2, 2), { start: 1, end: 2 });
  assert.equal(map.toCodePoint(99), 3);
  assert.equal(map.toUtf16(99), 4);
  assert.equal(map.toCodePoint(-1), 0);
});
