/**
 * The dataset page's uploader (uploader.js: Uppy, files and folders, four in parallel, retried). Each file is
 * stored by POST `data-upload-url` (400 with the reason when refused); when every file is done, POST `data-samples-url` turns the stored files into samples and the summary (created / refused and why) is
 * shown in `#upload-summary`.
 */
import { createUploader } from "./uploader.js";

const root = document.getElementById("uploader");
const summaryBox = document.getElementById("upload-summary");
const csrfToken = root.dataset.csrfToken;
const refusedBeforeServer = [];

const { uppy, reasonOf } = createUploader({
  target: root,
  endpoint: root.dataset.uploadUrl,
  csrfToken,
  maxFileBytes: Number(root.dataset.maxFileBytes) || null,
  note: `Images, image folders (one sequence each), .pcd/.bin/.ply/.las point clouds (with poses.json/poses.txt, calib/camera/*.json and camera/<name>/ images) or .txt files; at most ${root.dataset.maxFileLabel} per file.`,
});

const maxFileBytes = Number(root.dataset.maxFileBytes);

// Refused before sending (Uppy's restrictions): the same words as the server's refusal.
uppy.on("restriction-failed", (file, error) => {
  const tooBig = file && file.size > maxFileBytes;
  const reason = tooBig ? `${file.size} bytes is over the limit of ${maxFileBytes} bytes per file` : error.message;
  refusedBeforeServer.push({ name: file?.meta?.relativePath || file?.name || "file", reason });
  render({ created: [], refused: [] });
});

uppy.on("complete", async (result) => {
  const assets = result.successful.map((file) => file.response.body.asset);
  const failed = result.failed.map((file) => ({
    name: file.meta.relativePath || file.name,
    reason: reasonOf(file) || String(file.error || "upload failed"),
  }));
  let summary = { created: [], refused: [] };
  if (assets.length) {
    const response = await fetch(root.dataset.samplesUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify({ assets, text_per_line: /** @type {HTMLInputElement|null} */ (document.getElementById("text-per-line"))?.checked }),
    });
    const body = await response.json();
    summary = response.ok ? body : { created: [], refused: [{ name: "upload", reason: body.detail }] };
  }
  summary.refused = [...refusedBeforeServer.splice(0), ...failed, ...summary.refused];
  render(summary);
  if (summary.created.length) summaryBox.dataset.reload = "true";
});

function render(summary) {
  const refused = [...refusedBeforeServer, ...summary.refused];
  summaryBox.replaceChildren();
  const head = document.createElement("p");
  head.dataset.testid = "upload-result";
  head.textContent = `${summary.created.length} sample(s) created, ${refused.length} file(s) refused.`;
  summaryBox.append(head);
  if (summary.created.length) {
    const reload = document.createElement("a");
    reload.href = window.location.pathname;
    reload.textContent = " Show them";
    head.append(reload);
  }
  const list = document.createElement("ul");
  for (const { name, reason } of refused) {
    const item = document.createElement("li");
    item.className = "refused";
    item.dataset.testid = "upload-refused";
    item.textContent = `${name}: ${reason}`;
    list.append(item);
  }
  summaryBox.append(list);
}
