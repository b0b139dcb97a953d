// Uploading a file as an asset, the way the SDK's upload_asset does: POST /assets/ {filename} (session
// cookie + CSRF header) returns a File whose presignedPostFields {url, fields} is an S3-style form; the file
// is then POSTed there as multipart (the fields in their order, then a part named "file"), without our
// credentials. The File's `url` is the public URL to put in the label.

import { SaveError } from "../../editor-core/api.js";

export const ASSETS_URL = "/assets/";

async function detailOf(response) {
  try {
    const body = await response.json();
    return typeof body.detail === "string" ? body.detail : null;
  } catch {
    return null;
  }
}

async function send(url, options, what) {
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new SaveError("network", `The server could not be reached while ${what}. Check your connection and save again.`);
  }
  if (!response.ok) {
    const detail = await detailOf(response);
    const kind = { 400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not-found" }[response.status] || "server";
    throw new SaveError(kind, `${what[0].toUpperCase()}${what.slice(1)} failed: ${detail || `${response.status} ${response.statusText}`}`, {
      status: response.status,
    });
  }
  return response;
}

/** Upload `blob` as `filename`; resolves to the File JSON ({uuid, filename, url, ...}); rejects with SaveError. */
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
