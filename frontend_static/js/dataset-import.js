/**
 * The import page: Uppy's Dashboard uploads the dropped files and folders (four at a time, each retried on
 * network and server errors, refused ones listed with the server's reason) to `data-files-url`; "Start import"
 * posts the stored files and the options form to `data-start-url`, then the job's progress and report arrive
 * as `import.progress` / `import.finished` live events of the dataset (with a poll of the job as a fallback,
 * so a dropped websocket never leaves the page waiting). The "Recent imports" table follows every job of the
 * dataset from the same events: a running job's row changes in place, and the table is re-read from the server
 * when a job is new or finishes (its result cell is the server's summary).
 */
import { connectDatasetEvents } from "../editor-core/live-events.js";
import { createUploader } from "./uploader.js";

/** @typedef {{path: string, rule: string, message: string}} ImportError */
/** @typedef {{created: Object<string, number>, created_order?: string[], refused: {name: string, reason: string}[], refused_count: number,
 *   notes: string[]}} ImportReport */
/** @typedef {{uuid: string, kind: string, status: string, done: number, total: number, message: string,
 *   report: ImportReport, errors: ImportError[]}} ImportJob */

const POLL_MS = 1500;
const TABLE_REFRESH_DELAY_MS = 300;

const panel = /** @type {HTMLElement} */ (document.getElementById("import-panel"));
const csrfToken = panel.dataset.csrfToken || "";
const startButton = /** @type {HTMLButtonElement} */ (document.getElementById("start-import"));
const filesState = /** @type {HTMLElement} */ (document.getElementById("import-files-state"));
const progressBar = /** @type {HTMLProgressElement} */ (document.getElementById("import-progress"));
const state = /** @type {HTMLElement} */ (document.getElementById("import-state"));
const reportBox = /** @type {HTMLElement} */ (document.getElementById("import-report"));
const maxFileBytes = Number(panel.dataset.maxFileBytes) || null;

/** @type {Map<string, string>} file id -> stored asset uuid */
const stored = new Map();
/** @type {{name: string, reason: string}[]} */
const refusedFiles = [];
/** @type {string|null} */
let currentImport = null;
let finished = false;

const { uppy, reasonOf } = createUploader({
  target: "#import-uploader",
  endpoint: panel.dataset.filesUrl || "",
  csrfToken,
  maxFileBytes,
  allowedFileTypes: (panel.dataset.accept || "").split(",").filter(Boolean),
  note: `Accepted: ${(panel.dataset.accept || "").replaceAll(",", " ")}`,
  height: 260,
});

uppy.on("file-added", () => showFiles());
uppy.on("file-removed", (file) => {
  stored.delete(file.id);
  showFiles();
});
uppy.on("upload-success", (file, response) => {
  if (file) stored.set(file.id, response.body?.asset);
  showFiles();
});
uppy.on("upload-error", (file) => {
  if (file) refusedFiles.push({ name: String(file.meta.relativePath || file.name), reason: reasonOf(file) || "upload failed" });
  showFiles();
});
uppy.on("restriction-failed", (file, error) => {
  refusedFiles.push({ name: String(file?.meta?.relativePath || file?.name || "file"), reason: error.message });
  showFiles();
});

function uploading() {
  return uppy.getFiles().some((file) => !file.progress?.uploadComplete && !file.error);
}

function showFiles() {
  const count = stored.size;
  const refused = refusedFiles.length ? `, ${refusedFiles.length} refused` : "";
  filesState.textContent = uploading()
    ? `Uploading… ${count} file(s) stored${refused}.`
    : `${count} file(s) ready${refused}.`;
  startButton.disabled = count === 0 || uploading() || (currentImport !== null && !finished);
  startButton.title = count ? "" : "Upload the files first";
  renderRefusedFiles();
}

function renderRefusedFiles() {
  let list = document.getElementById("import-refused-files");
  if (!refusedFiles.length) return list?.remove();
  if (!list) {
    list = document.createElement("ul");
    list.id = "import-refused-files";
    filesState.after(list);
  }
  list.replaceChildren(...refusedFiles.map(({ name, reason }) => item(`${name}: ${reason}`, "import-refused-file")));
}

/** The options form as {name: value}, numbers as numbers, empty numbers left out. */
function options() {
  /** @type {Object<string, any>} */
  const values = {};
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("[data-option]"))) {
    const name = input.dataset.option || "";
    const kind = input.dataset.kind;
    if (kind === "checkbox") values[name] = input.checked;
    else if (kind === "integer" || kind === "number") {
      if (input.value !== "") values[name] = Number(input.value);
    } else values[name] = input.value;
  }
  return values;
}

startButton.addEventListener("click", async () => {
  startButton.disabled = true;
  finished = false;
  reportBox.replaceChildren();
  state.textContent = "Starting…";
  const response = await fetch(panel.dataset.startUrl || "", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
    body: JSON.stringify({ assets: [...stored.values()], options: options() }),
  });
  const body = await response.json().catch(() => ({ detail: `HTTP ${response.status}` }));
  if (!response.ok) {
    finished = true;
    showFailure(body.errors?.length ? body.errors : [{ path: "", rule: "", message: body.detail }]);
    showFiles();
    return;
  }
  currentImport = body.import;
  progressBar.hidden = false;
  state.textContent = "Queued…";
  poll(body.status_url);
});

/** @param {string} url */
async function poll(url) {
  while (!finished) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (finished) return;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    if (response.ok) show(await response.json());
  }
}

/** @param {ImportJob} job */
function show(job) {
  if (job.uuid !== currentImport || finished) return;
  if (job.status === "SUCCEEDED" || job.status === "FAILED") return showOutcome(job);
  progressBar.max = Math.max(1, job.total);
  progressBar.value = job.done;
  state.textContent = `${job.status.toLowerCase()}: ${job.message} ${job.total ? `(${job.done} / ${job.total})` : ""}`;
}

/** @param {ImportJob} job */
function showOutcome(job) {
  finished = true;
  progressBar.max = 1;
  progressBar.value = 1;
  if (job.status === "FAILED") showFailure(job.errors);
  else showReport(job.report);
  showFiles();
}

/** Kinds whose singular is not the plural less its "s". @type {Record<string, string>} */
const SINGULARS = { boxes: "box", categories: "category" };

/** "1 box", "2 boxes": a count and the kind's plural, in the singular for 1 (as the server's summary).
 * @param {number} count @param {string} plural */
function countOf(count, plural) {
  if (count !== 1) return `${count} ${plural}`;
  return `${count} ${SINGULARS[plural] ?? plural.replace(/s$/, "")}`;
}

/** @param {ImportReport} report */
function showReport(report) {
  state.textContent = "Import done.";
  const counts = report.created || {};
  const names = (report.created_order || Object.keys(counts)).filter((name) => name in counts);
  const created = names.map((name) => countOf(counts[name], name)).join(", ");
  const head = item(`Imported: ${created || "nothing"}.`, "import-created");
  const status = document.createElement("span");
  status.dataset.testid = "import-status";
  status.className = "status status-SUCCEEDED";
  status.textContent = "succeeded";
  head.prepend(status, " ");
  const back = document.createElement("a");
  back.href = panel.dataset.datasetUrl || "..";
  back.textContent = " Open the dataset";
  back.dataset.testid = "import-open-dataset";
  head.append(back);
  const refused = (report.refused || []).map(({ name, reason }) => item(`${name}: ${reason}`, "import-refused"));
  const more = report.refused_count > refused.length ? [item(`…and ${report.refused_count - refused.length} more`, "")] : [];
  const notes = (report.notes || []).map((note) => item(note, "import-note"));
  reportBox.replaceChildren(head, list([...refused, ...more]), list(notes));
}

/** @param {ImportError[]} errors */
function showFailure(errors) {
  state.textContent = "The import was refused; nothing was imported.";
  const head = item(`Refused (${errors.length} problem${errors.length === 1 ? "" : "s"}):`, "import-failed");
  const status = document.createElement("span");
  status.dataset.testid = "import-status";
  status.className = "status status-REJECTED";
  status.textContent = "failed";
  head.prepend(status, " ");
  const lines = errors.map((error) => item(`${error.path ? `${error.path}: ` : ""}${error.message}`, "import-error"));
  reportBox.replaceChildren(head, list(lines));
}

/** @param {string} text @param {string} testid */
function item(text, testid) {
  const element = document.createElement(testid === "import-created" || testid === "import-failed" ? "p" : "li");
  element.textContent = text;
  if (testid) element.dataset.testid = testid;
  if (testid === "import-refused" || testid === "import-error" || testid === "import-refused-file") element.className = "refused";
  return element;
}

/** @param {HTMLElement[]} items */
function list(items) {
  const element = document.createElement("ul");
  element.append(...items);
  return element;
}

let tableTimer = 0;

/** Show an import event of any job in the "Recent imports" table.
 * @param {{type: string, import_id: string, status: string, done?: number, total?: number, message?: string}} event */
function showInTable(event) {
  const selector = `[data-testid="recent-imports"] tr[data-import="${CSS.escape(event.import_id)}"]`;
  const row = /** @type {HTMLTableRowElement|null} */ (document.querySelector(selector));
  if (!row || event.type === "import.finished") {
    clearTimeout(tableTimer);
    tableTimer = window.setTimeout(refreshTable, TABLE_REFRESH_DELAY_MS);
    return;
  }
  const [, , status, progress, result] = row.cells;
  status.replaceChildren(Object.assign(document.createElement("span"), {
    className: `status status-${event.status}`, textContent: event.status.toLowerCase(),
  }));
  progress.textContent = `${event.done} / ${event.total}`;
  result.textContent = event.message || "";
}

/** The "Recent imports" start times in the browser's time zone and locale ("5 Dec 2026, 20:54"); the server
 * writes them in UTC. */
function showLocalTimes() {
  for (const time of document.querySelectorAll('[data-testid="recent-imports"] time[datetime]')) {
    if (!(time instanceof HTMLElement)) continue;
    const when = new Date(time.getAttribute("datetime") || "");
    if (Number.isNaN(when.getTime())) continue;
    time.textContent = when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    time.title = when.toISOString();
  }
}

/** Take over the server's "Recent imports" table (this very page, fetched again). */
async function refreshTable() {
  try {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const table = fresh.querySelector('[data-testid="recent-imports"]');
    const shown = document.querySelector('[data-testid="recent-imports"]');
    if (table && shown) shown.innerHTML = table.innerHTML;
    showLocalTimes();
  } catch {
    /* offline: the next event tries again */
  }
}

showLocalTimes();
connectDatasetEvents(panel.dataset.dataset || "", {
  onEvent(event) {
    if (event.type !== "import.progress" && event.type !== "import.finished") return;
    showInTable(event);
    if (event.import_id !== currentImport) return;
    if (event.type === "import.progress") show({ ...event, uuid: event.import_id });
    else showOutcome({ ...event, uuid: event.import_id });
  },
});
