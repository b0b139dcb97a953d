import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";

import { connectDatasetEvents, datasetEventsUrl, retryDelayMs } from "./live-events.js";

class FakeWebSocket extends EventTarget {
  static opened = [];
  constructor(url) {
    super();
    this.url = url;
    FakeWebSocket.opened.push(this);
  }
  open() { this.dispatchEvent(new Event("open")); }
  deliver(data) { this.dispatchEvent(Object.assign(new Event("message"), { data })); }
  drop() { this.dispatchEvent(new Event("close")); }
  close() { this.drop(); }
}

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
let timers;
beforeEach(() => {
  FakeWebSocket.opened = [];
  globalThis.WebSocket = /** @type {any} */ (FakeWebSocket);
  timers = [];
  globalThis.setTimeout = /** @type {any} */ ((callback, delay) => timers.push({ callback, delay }) - 1);
  globalThis.clearTimeout = (index) => { if (timers[index]) timers[index].callback = () => {}; };
});
afterEach(() => {
  delete globalThis.WebSocket;
  globalThis.setTimeout = realSetTimeout;
  globalThis.clearTimeout = realClearTimeout;
});

test("the URL follows the page's scheme and host and escapes the names", () => {
  assert.equal(datasetEventsUrl("alice/my photos", { protocol: "https:", host: "x.org" }),
    "wss://x.org/ws/datasets/alice/my%20photos/");
  assert.equal(datasetEventsUrl("alice/photos", { protocol: "http:", host: "127.0.0.1:8000" }),
    "ws://127.0.0.1:8000/ws/datasets/alice/photos/");
});

test("retries back off from half a second to thirty seconds, with jitter", () => {
  assert.deepEqual([0, 1, 2, 10].map((attempt) => retryDelayMs(attempt, () => 0.5)), [500, 1000, 2000, 30000]);
  assert.equal(retryDelayMs(0, () => 0), 400);
  assert.equal(retryDelayMs(0, () => 1), 600);
});

test("events are parsed, filtered by sample, and a dropped connection comes back and says so", () => {
  const events = [];
  const statuses = [];
  const subscription = connectDatasetEvents("alice/photos", {
    url: "ws://test/ws/datasets/alice/photos/",
    sampleUuid: "s1",
    onEvent: (event) => events.push(event),
    onStatus: (status, details) => statuses.push([status, details]),
  });
  const first = FakeWebSocket.opened[0];
  first.open();
  first.deliver(JSON.stringify({ type: "label.saved", sample_uuid: "s1", version: 2 }));
  first.deliver(JSON.stringify({ type: "label.saved", sample_uuid: "s2", version: 1 }));
  first.deliver(JSON.stringify({ type: "release.finished", name: "v1" }));
  first.deliver("not json");
  first.drop();
  assert.equal(timers.length, 1);
  timers[0].callback();
  FakeWebSocket.opened[1].open();
  subscription.close();

  assert.deepEqual(events.map((event) => event.type), ["label.saved", "release.finished"]);
  assert.deepEqual(statuses.map(([status]) => status), ["connecting", "open", "closed", "connecting", "open", "stopped"]);
  assert.equal(statuses[1][1].reconnected, false);
  assert.equal(statuses[4][1].reconnected, true);
  assert.equal(timers.length, 1, "no retry after close()");
});
