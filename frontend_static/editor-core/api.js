// The HTTP calls every editor makes, with the session cookie and the CSRF header: store a label (PUT, with an
// Idempotency-Key so that a retried save is recognised), review it, list and resolve a sample's issues, claim
// the next sample of my queue, and upload a file as an asset (the way the SDK's upload_asset does).

/**
 * Why a call failed. kind: "invalid" (400, `errors` lists {path, rule, message}), "conflict" (409,
 * `currentVersion` holds the stored version), "unauthenticated" (401), "forbidden" (403), "not-found"
 * (404), "network" (no answer) or "server" (anything else). `message` is safe to show.
 */
export class SaveError extends Error {
  /**
   * @param {string} kind
   * @param {string} message
   * @param {{status?: number, errors?: Array<{path: string, rule?: string, message: string}>, currentVersion?: number|null}} [details]
   */
  constructor(kind, message, { status = 0, errors = [], currentVersion = null } = {}) {
    super(message);
    this.name = "SaveError";
    this.kind = kind;
    this.status = status;
    this.errors = errors;
    this.currentVersion = currentVersion;
  }
}

const KIND_BY_STATUS = { 400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not-found", 409: "conflict" };
/** How often a save whose answer was lost is sent again (with the same Idempotency-Key). */
export const SAVE_ATTEMPTS = 3;
const RETRY_DELAY_MS = 400;

/** A fresh client save id (a UUID, at most 64 characters as the server requires). */
export function newSaveId() {
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === "function") return globalThis.crypto.randomUUID();
  return `${Date.now().toString(16)}-${Math.random().toString(16).slice(2)}`;
}

/**
 * One JSON request. Resolves to the parsed answer; rejects with SaveError (kind "network" when no answer).
 * @param {string} url
 * @param {{method?: string, csrfToken?: string, body?: unknown, headers?: Record<string, string>}} [options]
 * @returns {Promise<any>}
 */
export async function requestJson(url, { method = "GET", csrfToken = "", body = undefined, headers = {} } = {}) {
  /** @type {Record<string, string>} */
  const allHeaders = { Accept: "application/json", ...headers };
  if (body !== undefined) allHeaders["Content-Type"] = "application/json";
  if (method !== "GET") allHeaders["X-CSRFToken"] = csrfToken;
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: allHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new SaveError("network", "The server could not be reached. Check your connection and try again.");
  }
  const answer = await readJson(response);
  if (response.ok) return answer;
  throw errorFromResponse(response, answer);
}

/**
 * Create or replace the label at `url`. `body` is {attributes, label_status, version}, version being the
 * one the editor loaded (0 = there was no label). `saveId` is sent as the Idempotency-Key header; when the
 * answer is lost (network error) the same request is sent again with the same key, up to SAVE_ATTEMPTS
 * times, so that the server answers the stored label instead of a conflict with ourselves.
 * Resolves to the stored Label JSON (with its new `version`); rejects with a SaveError.
 * @param {string} url
 * @param {string} csrfToken
 * @param {{attributes: unknown, label_status: string, version: number|null}} body
 * @param {{saveId?: string, attempts?: number, retryDelayMs?: number}} [options]
 */
export async function putLabel(url, csrfToken, body, { saveId = newSaveId(), attempts = SAVE_ATTEMPTS, retryDelayMs = RETRY_DELAY_MS } = {}) {
  let lastError = null;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
    try {
      return await requestJson(url, { method: "PUT", csrfToken, body, headers: { "Idempotency-Key": saveId } });
    } catch (error) {
      lastError = error;
      if (!(error instanceof SaveError) || error.kind !== "network") throw error;
    }
  }
  throw new SaveError("network", "The server could not be reached. Check your connection and save again.", {
    status: lastError ? lastError.status : 0,
  });
}

/** GET the stored label (null when there is none). */
export async function getLabel(url) {
  try {
    return await requestJson(url);
  } catch (error) {
    if (error instanceof SaveError && error.kind === "not-found") return null;
    throw error;
  }
}

/**
 * Review the label: POST {decision, reason, anchor, version} to `reviewUrl`; resolves to
 * {label, issue, next_url} (see docs/editors.md, "Review").
 * @param {string} reviewUrl
 * @param {string} csrfToken
 * @param {{decision: "accept"|"reject", reason?: string, anchor?: {track_id: number|null, frame: number|null}|null, version: number|null}} review
 */
export function postReview(reviewUrl, csrfToken, { decision, reason = "", anchor = null, version }) {
  return requestJson(reviewUrl, { method: "POST", csrfToken, body: { decision, reason, anchor, version } });
}

/** The sample's issues (list of IssueOut: uuid, description, status, anchor, created_by, ...). */
export async function listIssues(issuesUrl) {
  const answer = await requestJson(issuesUrl);
  return Array.isArray(answer) ? answer : (answer && answer.items) || [];
}

/** Close an issue (the labeler resolves it). */
export function resolveIssue(issueUuid, csrfToken) {
  return requestJson(`/issues/${encodeURIComponent(issueUuid)}/`, { method: "PATCH", csrfToken, body: { status: "CLOSED" } });
}

/** Claim my next sample of the queue: resolves to {url: string|null, message?: string}. */
export function claimNext(submitNextUrl, csrfToken) {
  return requestJson(submitNextUrl, { method: "POST", csrfToken, body: {} });
}

async function readJson(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function errorFromResponse(response, answer) {
  const kind = KIND_BY_STATUS[response.status] || "server";
  const detail = answer && typeof answer.detail === "string" ? answer.detail : null;
  const fallback =
    kind === "unauthenticated"
      ? "You are logged out. Log in again in another tab, then save."
      : `The server answered ${response.status} ${response.statusText}`.trim();
  return new SaveError(kind, detail || fallback, {
    status: response.status,
    errors: (answer && Array.isArray(answer.errors) && answer.errors) || [],
    currentVersion: answer && Number.isInteger(answer.current_version) ? answer.current_version : null,
  });
}

export const ASSETS_URL = "/assets/";

async function send(url, options, what) {
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new SaveError("network", `The server could not be reached while ${what}. Check your connection and save again.`);
  }
  if (!response.ok) {
    const answer = await readJson(response);
    const detail = answer && typeof answer.detail === "string" ? answer.detail : null;
    const kind = KIND_BY_STATUS[response.status] || "server";
    throw new SaveError(kind, `${what[0].toUpperCase()}${what.slice(1)} failed: ${detail || `${response.status} ${response.statusText}`}`, {
      status: response.status,
    });
  }
  return response;
}

/**
 * Upload `blob` as `filename`: POST /assets/ {filename} returns a File whose presignedPostFields {url, fields}
 * is an S3-style form; the file is then POSTed there as multipart (the fields in their order, then "file"),
 * without our credentials. Resolves to the File JSON ({uuid, filename, url, ...}); rejects with SaveError.
 * @param {Blob} blob
 * @param {string} filename
 * @param {string} csrfToken
 */
export async function uploadAsset(blob, filename, csrfToken) {
  const created = await send(
    ASSETS_URL,
    {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify({ filename }),
    },
    "creating the mask asset",
  );
  const file = await created.json();
  const target = file.presignedPostFields;
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields || {})) form.append(name, value);
  form.append("file", blob, filename);
  await send(target.url, { method: "POST", credentials: "omit", body: form }, "uploading the mask");
  return file;
}
