// Run: node --test frontend_static/editors/multisensor/
import assert from "node:assert/strict";
import { test } from "node:test";

import { depthColour, MAX_DEPTH } from "./overlay.js";

test("depth colours run from red near to blue far, as the server's previews", () => {
  assert.deepEqual(depthColour(0), [255, 40, 40]);
  assert.deepEqual(depthColour(MAX_DEPTH), [40, 90, 255]);
  assert.deepEqual(depthColour(10 * MAX_DEPTH), [40, 90, 255]);
  // sqrt(0.33^2 * 80 / 80) = 0.33: exactly the yellow stop
  assert.deepEqual(depthColour(0.33 ** 2 * MAX_DEPTH), [255, 230, 40]);
  const [nearRed] = depthColour(5);
  const [, , farBlue] = depthColour(70);
  assert.ok(nearRed > 200 && farBlue > 200);
});
