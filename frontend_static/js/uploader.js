/**
 * The uploader of the dataset and import pages: Uppy's Dashboard (drag-and-drop of files and folders, a
 * progress bar per file and overall) with its XHR upload plugin, four files in parallel, each retried on
 * network and server errors (a 4xx refusal is final). Every file keeps the path it was dropped with
 * (`relativePath`: "run1/0001.png"; a file dropped alone: its name).
 */
import { Dashboard, Uppy, XHRUpload } from "uppy";

/**
 * @param {{target: string|HTMLElement, endpoint: string, csrfToken: string, maxFileBytes: number|null,
 *   allowedFileTypes?: string[]|null, note: string, height?: number}} options
 * @returns {{uppy: Uppy, reasonOf: (file: any) => string|undefined}} the Uppy instance, and the server's
 *   reason for a file it refused (Uppy reports any non-2xx answer as a network error)
 */
export function createUploader({ target, endpoint, csrfToken, maxFileBytes, allowedFileTypes = null, note, height = 280 }) {
  const uppy = new Uppy({ autoProceed: true, restrictions: { maxFileSize: maxFileBytes, allowedFileTypes } });
  uppy.use(Dashboard, {
    inline: true,
    target,
    height,
    width: "100%",
    fileManagerSelectionType: "both",
    proudlyDisplayPoweredByUppy: false,
    note,
  });
  uppy.use(XHRUpload, {
    endpoint,
    fieldName: "file",
    formData: true,
    limit: 4,
    headers: { "X-CSRFToken": csrfToken },
    allowedMetaFields: ["relativePath"],
    shouldRetry: (xhr) => xhr.status === 0 || xhr.status === 429 || xhr.status >= 500,
  });
  uppy.on("file-added", (file) => {
    if (!file.meta.relativePath) uppy.setFileMeta(file.id, { relativePath: file.name });
  });
  const reasons = new Map();
  uppy.on("upload-error", (file, error, request) => {
    let reason = error?.message || "upload failed";
    try {
      const body = JSON.parse(/** @type {{responseText?: string}} */ (request)?.responseText || "");
      reason = body.reason || body.detail || reason;
    } catch {
      /* not JSON: keep Uppy's message */
    }
    if (file) reasons.set(file.id, reason);
  });
  return { uppy, reasonOf: (file) => reasons.get(file.id) };
}
