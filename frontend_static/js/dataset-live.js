// The dataset page, live: label status and assignees of the listed samples change as events arrive, and the
// progress counts are re-read from the server shortly after (the counts cover every page of samples, so the
// server, not this page, knows them). A manager's "Imports:" line follows import jobs as they are queued, run
// and finish, and a successful import re-reads the counts. After a dropped connection the page re-reads
// everything it shows.

import { connectDatasetEvents } from "../editor-core/live-events.js";

const COUNTS_REFRESH_DELAY_MS = 300;
const UNLABELED = "UNLABELED";
// The dataset page lists this many latest imports (datasets.views.dataset_page).
const IMPORTS_SHOWN = 5;

const indicator = document.getElementById("live-status");
const fullName = indicator.dataset.dataset;
const labelset = indicator.dataset.labelset;
let refreshTimer = null;
// Only managers have the line (hidden while the dataset has no import yet).
const importsLine = /** @type {HTMLElement|null} */ (document.querySelector('[data-testid="dataset-imports"]'));

function rowOf(sampleUuid) {
  return document.querySelector(`tr[data-sample-uuid="${CSS.escape(sampleUuid)}"]`);
}

function showStatus(row, status, savedBy) {
  const badge = row.querySelector('[data-testid="label-status"]');
  badge.className = `status status-${status}`;
  badge.textContent = status.toLowerCase();
  badge.title = savedBy ? `saved by ${savedBy}` : "";
  flash(row);
}

function showAssignees(row, labeler, reviewer) {
  row.querySelector('[data-field="assigned-labeler"]').textContent = labeler || "—";
  row.querySelector('[data-field="assigned-reviewer"]').textContent = reviewer || "—";
  flash(row);
}

function flash(row) {
  row.animate([{ backgroundColor: "#fff3d6" }, { backgroundColor: "transparent" }], { duration: 1200 });
}

/**
 * Show an `import.progress` / `import.finished` event on the imports line, adding the job when it is new.
 * @param {{import_id: string, kind: string, status: string, done?: number, total?: number,
 *   report?: {created?: Object<string, number>}}} event
 */
function showImport(event) {
  if (!importsLine) return;
  let entry = importsLine.querySelector(`[data-import="${CSS.escape(event.import_id)}"]`);
  if (!entry) {
    entry = importEntry(event.import_id, event.kind);
    importsLine.insertBefore(entry, importsLine.querySelector("[data-import]"));
    for (const old of [...importsLine.querySelectorAll("[data-import]")].slice(IMPORTS_SHOWN)) old.remove();
    importsLine.hidden = false;
  }
  const status = entry.querySelector('[data-field="import-status"]');
  status.className = `status status-${event.status}`;
  status.textContent = `${event.kind} ${event.status.toLowerCase()}`;
  const running = event.status === "RUNNING" && event.total;
  const progress = entry.querySelector('[data-field="import-progress"]');
  progress.textContent = running ? ` ${event.done}/${event.total}` : "";
  if (event.status === "SUCCEEDED" && (event.report?.created?.samples ?? 0) > 0) {
    // The sample list is the server's page (filters, sort, paging, selection boxes): offer to re-read it.
    const reload = Object.assign(document.createElement("a"), { href: window.location.href, textContent: "list the new samples" });
    reload.dataset.testid = "import-list-samples";
    progress.append(" · ", reload);
  }
}

/** The markup the template gives one job: a link to the import page, its status and its progress.
 * @param {string} importId @param {string} kind */
function importEntry(importId, kind) {
  const entry = document.createElement("span");
  entry.dataset.import = importId;
  const link = document.createElement("a");
  link.href = `${importsLine.dataset.importUrl}?kind=${encodeURIComponent(kind)}`;
  const status = document.createElement("span");
  status.dataset.field = "import-status";
  const progress = document.createElement("span");
  progress.dataset.field = "import-progress";
  link.append(status);
  entry.append(link, progress, " ");
  return entry;
}

const handlers = {
  // A label of another label set changes only the counts (the "Label sets" panel counts every label set).
  "label.saved": (event, row) => {
    if (row && event.labelset === labelset) showStatus(row, event.label_status, event.updated_by);
    return true;
  },
  "label.deleted": (event, row) => {
    if (row && event.labelset === labelset) showStatus(row, UNLABELED, event.deleted_by);
    return true;
  },
  "sample.assigned": (event, row) => {
    if (row) showAssignees(row, event.assigned_labeler, event.assigned_reviewer);
    return false;
  },
  "sample.created": () => true,
  "samples.imported": () => true,
  "sample.deleted": (event, row) => {
    if (row) row.remove();
    return true;
  },
  "import.progress": (event) => {
    showImport(event);
    return false;
  },
  "import.finished": (event) => {
    showImport(event);
    return event.status === "SUCCEEDED"; // new samples and labels: the counts changed
  },
};

function onEvent(event) {
  const handler = handlers[event.type];
  if (!handler) return; // release and interpolation events: nothing on this page shows them yet
  const row = event.sample_uuid ? rowOf(event.sample_uuid) : null;
  if (handler(event, row)) scheduleRefresh();
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refreshFromServer(), COUNTS_REFRESH_DELAY_MS);
}

// Re-read this very page and take over its progress counts and the status and assignees of listed rows (and,
// after a dropped connection, the imports line: its events may have been missed).
async function refreshFromServer({ imports: withImports = false } = {}) {
  let html;
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    html = await response.text();
  } catch {
    return; // offline: the next event or reconnection tries again
  }
  const fresh = new DOMParser().parseFromString(html, "text/html");
  const progress = fresh.querySelector('[data-testid="progress"]');
  if (progress) document.querySelector('[data-testid="progress"]').innerHTML = progress.innerHTML;
  const statistics = fresh.getElementById("label-statistics");
  if (statistics) {
    document.dispatchEvent(new CustomEvent("label-statistics", { detail: JSON.parse(statistics.textContent) }));
  }
  const imports = /** @type {HTMLElement|null} */ (fresh.querySelector('[data-testid="dataset-imports"]'));
  if (withImports && imports && importsLine) {
    importsLine.innerHTML = imports.innerHTML;
    importsLine.hidden = imports.hidden;
  }
  const labelsets = fresh.querySelector('[data-testid="labelsets"]');
  const shownLabelsets = document.querySelector('[data-testid="labelsets"]');
  if (labelsets && shownLabelsets) shownLabelsets.innerHTML = labelsets.innerHTML;
  const people = fresh.querySelector('[data-testid="people-counts"]');
  const shownPeople = document.querySelector('[data-testid="people-counts"]');
  if (people && shownPeople) shownPeople.innerHTML = people.innerHTML;
  for (const freshRow of /** @type {NodeListOf<HTMLElement>} */ (fresh.querySelectorAll("tr[data-sample-uuid]"))) {
    const row = rowOf(freshRow.dataset.sampleUuid);
    if (!row) continue;
    for (const selector of ['[data-testid="label-status"]', '[data-field="assigned-labeler"]',
      '[data-field="assigned-reviewer"]', '[data-field="labeled-by"]', '[data-field="reviewed-by"]']) {
      const source = freshRow.querySelector(selector);
      const target = row.querySelector(selector);
      if (source && target) {
        target.className = source.className;
        target.textContent = source.textContent;
      }
    }
  }
}

function onStatus(status, details) {
  indicator.dataset.state = status;
  indicator.textContent = status === "open" ? "● live" : status === "closed" ? "○ reconnecting…" : "";
  if (status === "open" && details.reconnected) refreshFromServer({ imports: true });
}

connectDatasetEvents(fullName, { onEvent, onStatus });
