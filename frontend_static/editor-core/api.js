// Talking to the label endpoint: PUT /labels/<sample uuid>/<label set>/ with the session cookie and CSRF.

/**
 * Why a save failed. kind: "invalid" (400, `errors` lists {path, rule, message}), "conflict" (409,
 * `currentVersion` holds the stored version), "unauthenticated" (401), "forbidden" (403), "not-found"
 * (404), "network" (no answer) or "server" (anything else). `message` is safe to show.
 */
export class SaveError extends Error {
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

/**
 * Create or replace the label at `url`. `body` is {attributes, label_status, version}, version being the
 * one the editor loaded (0 = there was no label). Resolves to the stored Label JSON (with its new
 * `version`); rejects with a SaveError.
 */
export async function putLabel(url, csrfToken, body) {
  let response;
  try {
    response = await fetch(url, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SaveError("network", "The server could not be reached. Check your connection and save again.");
  }
  const answer = await readJson(response);
  if (response.ok) return answer;
  throw errorFromResponse(response, answer);
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
