// The text import page: uploads the form to the import API with upload progress, then shows what was created,
// or every refused line with its number (nothing is imported then). A big file is imported by a worker (202):
// its outcome arrives as a `text_import.finished` live event, listened to from the page's start so that none is
// missed.

import { connectDatasetEvents } from "../editor-core/live-events.js";

/** @typedef {{samples_created: number, labels_created: number, entities: Object<string, number>,
 *   categories_added: string[], first_sample: string|null, last_sample: string|null}} ImportSummary */
/** @typedef {{path: string, rule: string, message: string, line?: number}} ImportError */

const form = /** @type {HTMLFormElement} */ (document.getElementById("text-import"));
const progress = /** @type {HTMLProgressElement} */ (document.getElementById("import-progress"));
const state = document.getElementById("import-state");
const result = document.getElementById("import-result");

/**
 * POST `data` to `url`, reporting the upload's progress in percent.
 * @param {string} url @param {FormData} data @param {string} csrfToken
 * @param {(percent: number) => void} onProgress
 * @returns {Promise<{status: number, body: any}>}
 */
function upload(url, data, csrfToken, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("X-CSRFToken", csrfToken);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(Math.round((100 * event.loaded) / event.total));
    });
    request.addEventListener("load", () => {
      let body;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = { detail: request.responseText.slice(0, 300) };
      }
      resolve({ status: request.status, body });
    });
    request.addEventListener("error", () => reject(new Error("network error")));
    request.send(data);
  });
}

/** import_id -> the finished event, or the resolve function of whoever waits for it */
const finished = new Map();
const waiting = new Map();
connectDatasetEvents(form.dataset.dataset, {
  onEvent: (event) => {
    if (event.type === "text_import.progress") {
      if (waiting.has(event.import_id)) state.textContent = `Importing ${event.file_name} in the background…`;
    } else if (event.type === "text_import.finished") {
      const resolve = waiting.get(event.import_id);
      if (resolve) resolve(event);
      else finished.set(event.import_id, event);
    }
  },
});

/** @param {string} importId @returns {Promise<any>} the import's text_import.finished event */
function outcome(importId) {
  if (finished.has(importId)) return Promise.resolve(finished.get(importId));
  return new Promise((resolve) => waiting.set(importId, resolve));
}

/** @param {string} tag @param {string} text @param {Object<string, string>} [attributes] */
function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/** @param {ImportSummary} summary */
function showSummary(summary) {
  result.replaceChildren();
  const created = `Created ${summary.samples_created} samples (${summary.first_sample} … ${summary.last_sample})` +
    ` and ${summary.labels_created} pre-labels.`;
  result.append(element("p", created, { "data-testid": "import-created" }));
  const entities = Object.entries(summary.entities).map(([name, count]) => `${name}: ${count}`).join(", ");
  if (entities) result.append(element("p", `Entities: ${entities}.`, { "data-testid": "import-entities" }));
  if (summary.categories_added.length) {
    result.append(element("p", `New categories: ${summary.categories_added.join(", ")}.`));
  }
  const back = element("a", "Back to the dataset", { href: form.dataset.back || "../" });
  result.append(back);
}

/** @param {string} detail @param {ImportError[]} errors */
function showRefused(detail, errors) {
  result.replaceChildren(element("p", "Nothing was imported.", { class: "error", "data-testid": "import-refused" }));
  if (!errors.length) {
    result.append(element("p", detail));
    return;
  }
  const list = element("ul", "", { class: "import-errors", "data-testid": "import-errors" });
  for (const error of errors) {
    const where = error.line ? `line ${error.line}` : error.path;
    const item = element("li", error.message.startsWith(where) ? error.message : `${where}: ${error.message}`);
    if (error.line) item.dataset.line = String(error.line);
    list.append(item);
  }
  result.append(list);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
  button.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  state.textContent = "Uploading…";
  result.replaceChildren();
  try {
    const { status, body } = await upload(form.dataset.url, new FormData(form), form.dataset.csrf, (percent) => {
      progress.value = percent;
      state.textContent = percent < 100 ? `Uploading… ${percent}%` : "Checking and importing…";
    });
    progress.value = 100;
    if (status === 202) {
      state.textContent = "Queued: a worker imports it…";
      const event = await outcome(body.import_id);
      if (event.summary) {
        state.textContent = "Imported.";
        showSummary(event.summary);
      } else {
        state.textContent = "Refused.";
        showRefused(event.detail, event.errors);
      }
    } else if (status === 201) {
      state.textContent = "Imported.";
      showSummary(body);
    } else {
      state.textContent = `Refused (${status}).`;
      showRefused(body?.detail ?? "", body?.errors ?? []);
    }
  } catch (error) {
    state.textContent = `Upload failed: ${error.message}`;
  } finally {
    button.disabled = false;
  }
});
