// Run: node --test frontend_static/editor-core/
import assert from "node:assert/strict";
import { test } from "node:test";

import { otherLabelsets, supportsReference } from "./reference.js";

test("the label sets to compare with are the dataset's others; a view without showReference cannot", () => {
  const config = {
    labelset: "ground-truth",
    labelsets: [{ name: "ground-truth", url: "/labels/u/ground-truth/" }, { name: "predictions", url: "/labels/u/predictions/" }],
  };
  assert.deepEqual(otherLabelsets(config), [{ name: "predictions", url: "/labels/u/predictions/" }]);
  assert.deepEqual(otherLabelsets({ labelset: "ground-truth" }), []);
  assert.equal(supportsReference({ showReference() {}, copyFromReference() {} }), true);
  assert.equal(supportsReference({ perform() {} }), false);
  assert.equal(supportsReference(null), false);
});
