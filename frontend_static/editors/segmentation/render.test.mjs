// The overlay of the segmentation editor (render.js): the polygon being drawn and the brush outline.
import assert from "node:assert/strict";
import { test } from "node:test";

import { overlayMarkup } from "./render.js";

test("the polygon is drawn through pixel centres, its first vertex 4 screen pixels wide", () => {
  const markup = overlayMarkup([[1, 2], [5, 2], [5, 6]], null, { tool: "polygon", brushSize: 12 }, 2);
  assert.equal(
    markup,
    '<polyline points="1.5,2.5 5.5,2.5 5.5,6.5" class="seg-polygon" vector-effect="non-scaling-stroke"/>' +
      '<circle cx="1.5" cy="2.5" r="2" class="seg-polygon-start"/>',
  );
});

test("the brush outline follows the pointer for the brush and the eraser only", () => {
  const brush = '<circle cx="10.5" cy="20.5" r="6" class="seg-cursor" vector-effect="non-scaling-stroke"/>';
  assert.equal(overlayMarkup([], [10, 20], { tool: "brush", brushSize: 12 }, 1), brush);
  assert.equal(overlayMarkup([], [10, 20], { tool: "eraser", brushSize: 12 }, 1), brush);
  assert.equal(overlayMarkup([], [10, 20], { tool: "fill", brushSize: 12 }, 1), "");
  assert.equal(overlayMarkup([], null, { tool: "brush", brushSize: 12 }, 1), "");
});
