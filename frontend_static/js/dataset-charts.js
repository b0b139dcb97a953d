// The dataset page's label-status charts: samples per status in each label set, and ground-truth annotations
// per category by the status of their label. Data: the server's #label-statistics JSON; drawn with Chart.js
// (its UMD build, loaded before this module, defines the global `Chart`).

const STATUS_COLORS = {
  UNLABELED: "#cfd4da",
  LABELING_IN_PROGRESS: "#f4a261",
  PRELABELED: "#a8c5e0",
  LABELED: "#457b9d",
  REVIEWING_IN_PROGRESS: "#e9c46a",
  REVIEWED: "#2a9d8f",
  REJECTED: "#e63946",
  SKIPPED: "#8d99ae",
  VERIFIED: "#1d3557",
};

function stackedBars(canvas, rows, statuses, unit) {
  const used = statuses.filter((status) => rows.some((row) => row.counts[status]));
  const datasets = used.map((status) => ({
    label: status.toLowerCase().replaceAll("_", " "),
    data: rows.map((row) => row.counts[status] || 0),
    backgroundColor: STATUS_COLORS[status] || "#999",
  }));
  return new window.Chart(canvas, {
    type: "bar",
    data: { labels: rows.map((row) => row.name), datasets },
    options: {
      indexAxis: "y",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { title: { display: true, text: unit }, legend: { position: "bottom" } },
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
    },
  });
}

function statusesOf(statistics) {
  return ["UNLABELED", ...statistics.statuses.filter((status) => status !== "UNLABELED")];
}

// Replace a chart's bars with those of fresh `rows` (same shape as stackedBars draws).
function redraw(chart, rows, statuses) {
  const used = statuses.filter((status) => rows.some((row) => row.counts[status]));
  chart.data.labels = rows.map((row) => row.name);
  chart.data.datasets = used.map((status) => ({
    label: status.toLowerCase().replaceAll("_", " "),
    data: rows.map((row) => row.counts[status] || 0),
    backgroundColor: STATUS_COLORS[status] || "#999",
  }));
  chart.update();
}

const statistics = JSON.parse(document.getElementById("label-statistics").textContent);
if (window.Chart) {
  const statuses = statusesOf(statistics);
  const labelsets = stackedBars(document.getElementById("labelset-chart"), statistics.labelsets, statuses, "Samples per label set");
  const categories = stackedBars(document.getElementById("category-chart"), statistics.categories, statuses, "Annotations per category");
  // dataset-live.js re-reads the page after live events and hands over its fresh statistics.
  document.addEventListener("label-statistics", (event) => {
    const fresh = /** @type {CustomEvent} */ (event).detail;
    redraw(labelsets, fresh.labelsets, statusesOf(fresh));
    redraw(categories, fresh.categories, statusesOf(fresh));
  });
}
