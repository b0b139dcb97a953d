// Live events of one dataset over a websocket (/ws/datasets/<owner>/<name>/), reconnecting with backoff.
// The payloads are documented in docs/realtime.md and typed in datasets/realtime.py; every one has a `type`
// ("label.saved", "label.deleted", "sample.assigned", "sample.created", "sample.deleted", "release.progress",
// "release.finished", "interpolation.finished", "issue.changed", "import.progress", ...) and most a
// `sample_uuid`.

const FIRST_RETRY_MS = 500;
const LONGEST_RETRY_MS = 30_000;

/**
 * The websocket URL of the dataset `fullName` ("owner/name") on the page's own host.
 * @param {string} fullName
 * @param {{protocol: string, host: string}} [location]
 */
export function datasetEventsUrl(fullName, location = window.location) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const [owner, name] = fullName.split("/");
  return `${scheme}//${location.host}/ws/datasets/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/`;
}

/** Delay before reconnection attempt `attempt` (0-based): doubling from 0.5 s up to 30 s, with ±20 % jitter
 * so that a restarted server is not hit by every page at the same moment. */
export function retryDelayMs(attempt, random = Math.random) {
  const base = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * Subscribe to the live events of dataset `fullName` ("owner/name") with the page's session cookie.
 *
 * onEvent(event): called with each parsed event object.
 * onStatus(status, details): "connecting", "open" (details.reconnected is true after a drop: events may
 *   have been missed meanwhile, so reload what you show), "closed" (details.retryInMs: next attempt) or
 *   "stopped" (after close()).
 * sampleUuid: when set, only events about that sample (and dataset-wide ones without `sample_uuid`) are
 *   passed on.
 *
 * Returns {close()}. A refused connection (no access) is retried like a dropped one, at the slowest pace.
 */
/**
 * @param {string} fullName
 * @param {{onEvent?: (event: any) => void, onStatus?: (status: string, details: any) => void,
 *   sampleUuid?: string|null, url?: string}} [options]
 */
export function connectDatasetEvents(fullName, { onEvent = () => {}, onStatus = () => {}, sampleUuid = null,
                                                 url = datasetEventsUrl(fullName) } = {}) {
  let socket = null;
  let attempt = 0;
  let everOpened = false;
  let stopped = false;
  let retryTimer = null;

  function open() {
    onStatus("connecting", { attempt });
    socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      onStatus("open", { reconnected: everOpened });
      everOpened = true;
      attempt = 0;
    });
    socket.addEventListener("message", (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return; // not ours: every event is a JSON object
      }
      if (sampleUuid && event.sample_uuid && event.sample_uuid !== sampleUuid) return;
      onEvent(event);
    });
    socket.addEventListener("close", () => {
      socket = null;
      if (stopped) return;
      const retryInMs = retryDelayMs(attempt);
      attempt += 1;
      onStatus("closed", { retryInMs });
      retryTimer = setTimeout(open, retryInMs);
    });
  }

  open();
  return {
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      if (socket) socket.close();
      onStatus("stopped", {});
    },
  };
}
