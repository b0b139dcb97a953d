import assert from "node:assert/strict";
import { test } from "node:test";

import { canReviewFrom, defaultSaveStatus, describeAnchor, normalizeAnchor, queueOf } from "./shell.js";

test("a plain save keeps in progress until labeled, and never writes a status the user may not", () => {
  assert.equal(defaultSaveStatus(null, false), "LABELING_IN_PROGRESS");
  assert.equal(defaultSaveStatus("PRELABELED", false), "LABELING_IN_PROGRESS");
  assert.equal(defaultSaveStatus("LABELED", false), "LABELED");
  assert.equal(defaultSaveStatus("SKIPPED", false), "SKIPPED");
  assert.equal(defaultSaveStatus("REJECTED", false), "LABELING_IN_PROGRESS"); // a labeler fixing a rejection
  assert.equal(defaultSaveStatus("REVIEWED", false), "LABELING_IN_PROGRESS");
  assert.equal(defaultSaveStatus("REVIEWED", true), "REVIEWED");
});

test("the queue comes from the config, else dataset order; review rights from can_review or the role", () => {
  assert.deepEqual(queueOf({ previous_url: "/a", next_url: "/b" }), { name: null, previousUrl: "/a", nextUrl: "/b", submitNextUrl: null });
  const queue = { name: "labeling", previous_url: null, next_url: "/mine", submit_next_url: "/app/x/next/" };
  assert.deepEqual(queueOf({ previous_url: "/a", next_url: "/b", queue }), { name: "labeling", previousUrl: null, nextUrl: "/mine", submitNextUrl: "/app/x/next/" });
  assert.equal(canReviewFrom({ can_review: false, role: "owner" }), false);
  assert.equal(canReviewFrom({ role: "reviewer" }), true);
  assert.equal(canReviewFrom({ role: "labeler" }), false);
  assert.equal(describeAnchor({ track_id: 3, frame: 4 }), "object #3 · frame 5");
});

test("issue anchors of the wire format become {track_id, frame}", () => {
  assert.deepEqual(normalizeAnchor({ type: "track", trackNumber: 2, frame: 3 }), { track_id: 2, frame: 3 });
  assert.deepEqual(normalizeAnchor({ type: "basic", frame: 0 }), { track_id: null, frame: 0 });
  assert.equal(normalizeAnchor({ type: "basic" }), null);
  assert.equal(normalizeAnchor(null), null);
});
