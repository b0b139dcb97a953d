// The text editor's pure parts: the named-entity overlap message is the server's, and docs/editors.md lists
// every key binding of the text editor (the table its help panel is generated from).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { overlapProblems } from "./label-io.js";
import { TEXT_BINDINGS } from "./shortcuts.js";

test("overlapping named entities get the server's message, at the later annotation of each pair", () => {
  const annotations = [
    { start: 0, end: 5 },
    { start: 30, end: 40 },
    { start: 10, end: 12 },
    { start: 12, end: 20 }, // touching is fine
    { start: 2, end: 4 },
    { start: 35, end: 45 },
  ];
  assert.deepEqual(overlapProblems(annotations), [
    { index: 4, message: "named entities may not overlap: annotations[0] [0, 5) and annotations[4] [2, 4) overlap" },
    { index: 5, message: "named entities may not overlap: annotations[1] [30, 40) and annotations[5] [35, 45) overlap" },
  ]);
  assert.deepEqual(overlapProblems(annotations.slice(1, 4)), []);
});

test("docs/editors.md documents every text editor binding", () => {
  const docs = readFileSync(new URL("../../../docs/editors.md", import.meta.url), "utf8");
  for (const binding of TEXT_BINDINGS) assert.ok(docs.includes(binding.help), `docs/editors.md lacks "${binding.help}"`);
});
