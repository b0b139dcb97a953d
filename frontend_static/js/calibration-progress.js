// The calibration check page while a worker ranks the 48 candidates: polls the ranking's status (the
// `data-status-url` JSON endpoint, datasets.views_calibration.calibration_status), shows how many candidates are
// scored, and reloads the page once the ranking is done or failed (the server then renders the previews, best
// first, or the reason).

const POLL_INTERVAL_MS = 1000;

/** @typedef {{status: "PENDING" | "RANKING" | "DONE" | "FAILED" | "MISSING", scored: number, total: number, error: string}} RankingStatus */

const line = /** @type {HTMLElement} */ (document.querySelector('[data-testid="calibration-progress"]'));
const bar = /** @type {HTMLProgressElement} */ (line.querySelector("progress"));
const scored = /** @type {HTMLElement} */ (line.querySelector('[data-field="scored"]'));

/**
 * Read the status once; show its progress, reload when the ranking is over, else poll again.
 * @returns {Promise<void>}
 */
async function poll() {
  try {
    const response = await fetch(line.dataset.statusUrl ?? "", { headers: { Accept: "application/json" } });
    if (response.ok) {
      const status = /** @type {RankingStatus} */ (await response.json());
      if (status.status === "DONE" || status.status === "FAILED" || status.status === "MISSING") {
        window.location.reload();
        return;
      }
      bar.value = status.scored;
      scored.textContent = String(status.scored);
    }
  } catch {
    // the server is briefly unreachable: try again next round
  }
  window.setTimeout(poll, POLL_INTERVAL_MS);
}

window.setTimeout(poll, POLL_INTERVAL_MS);
