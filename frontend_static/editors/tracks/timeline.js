// The timeline under the frame: a ruler with the playhead, then one row per track with its category
// colour, the span of frames where the object is present, keyframe diamonds and remove-keyframe crosses.
// Built fresh from plain data; pointer input (click to jump, drag to scrub, click a row to select its
// track) is reported through callbacks by `TimelineController`, which listens on the persistent container.

import { cssColor, h } from "../../editor-core/dom.js";

const LABEL_WIDTH = 168; // px; keep in step with .sq-row grid-template-columns in sequence.css

/**
 * Fill `container`. `view`: {frameCount, frameIndex, tracks (sequence-document.js tracksOf), selectedTrackId,
 * styleOf(categoryId) -> {color, name}, title?: string (before the track count: the multi-sensor editor's
 * sensor name)}.
 */
export function renderTimeline(container, view) {
  const { frameCount, frameIndex } = view;
  const percent = (frame) => `${(100 * frame) / frameCount}%`;
  const ruler = h(
    "div",
    { class: "sq-row sq-ruler" },
    h("div", { class: "sq-track-name muted", "data-testid": "timeline-title" },
      view.title ? h("strong", { class: "sq-title" }, `${view.title} · `) : null, `${view.tracks.length} track${view.tracks.length === 1 ? "" : "s"}`),
    h("div", { class: "sq-lane", "data-testid": "timeline-ruler" }, rulerTicks(frameCount, percent)),
  );
  const rows = view.tracks.map((track) => trackRow(track, view, percent));
  const playhead = h("div", {
    class: "sq-playhead",
    "data-testid": "playhead",
    "data-frame": frameIndex,
    style: `left: calc(${LABEL_WIDTH}px + (100% - ${LABEL_WIDTH}px) * ${(frameIndex + 0.5) / frameCount})`,
  });
  const empty = view.tracks.length ? null : h("p", { class: "muted sq-empty" }, "No tracks yet: draw an object to start one.");
  container.replaceChildren(ruler, h("div", { class: "sq-rows" }, rows, empty), playhead);
}

function rulerTicks(frameCount, percent) {
  const step = frameCount > 200 ? 50 : frameCount > 60 ? 10 : 5;
  const ticks = [];
  for (let frame = 0; frame < frameCount; frame += step) {
    ticks.push(h("span", { class: "sq-tick", style: `left: ${percent(frame)}` }, String(frame + 1)));
  }
  return ticks;
}

function trackRow(track, view, percent) {
  const { color, name } = view.styleOf(track.categoryId);
  const width = `${100 / view.frameCount}%`;
  const runs = presentRuns(track.present).map(([start, end]) =>
    h("div", {
      class: "sq-span",
      style: `left: ${percent(start)}; width: ${percent(end - start + 1)}; background: ${cssColor(color, 0.35)}; border-color: ${cssColor(color)}`,
    }),
  );
  const marks = [
    ...track.keyframes.map((frame) =>
      h("div", { class: "sq-keyframe", "data-testid": "keyframe-marker", "data-frame": frame, title: `Keyframe, frame ${frame + 1}`, style: `left: ${percent(frame)}; width: ${width}; --mark-color: ${cssColor(color)}` }),
    ),
    ...track.removed.map((frame) =>
      h("div", { class: "sq-removed", "data-testid": "remove-marker", "data-frame": frame, title: `Track ends, frame ${frame + 1}`, style: `left: ${percent(frame)}; width: ${width}` }, "×"),
    ),
  ];
  const selected = track.trackId === view.selectedTrackId;
  return h(
    "div",
    { class: `sq-row sq-track${selected ? " is-selected" : ""}`, "data-testid": "track-row", "data-track-id": track.trackId },
    h(
      "div",
      { class: "sq-track-name", title: `Track ${track.trackId}: ${name}` },
      h("span", { class: "ve-swatch", style: `background: ${cssColor(color)}` }),
      h("span", {}, `#${track.trackId} ${name}`),
    ),
    h("div", { class: "sq-lane" }, runs, marks),
  );
}

/** [[start, end], ...] inclusive runs of true values. */
export function presentRuns(present) {
  const runs = [];
  present.forEach((value, frame) => {
    if (!value) return;
    if (runs.length && runs.at(-1)[1] === frame - 1) runs.at(-1)[1] = frame;
    else runs.push([frame, frame]);
  });
  return runs;
}

/** Pointer input on the timeline: press or drag over the lanes to seek; a press on a row also selects it. */
export class TimelineController {
  /** `callbacks`: onSeek(frame), onSelectTrack(trackId), frameCount() -> number. */
  constructor(container, callbacks) {
    this.container = container;
    this.callbacks = callbacks;
    this.scrubbing = false;
    container.addEventListener("pointerdown", (event) => this.onDown(event));
    container.addEventListener("pointermove", (event) => this.scrubbing && this.seek(event));
    const stop = (event) => {
      this.scrubbing = false;
      if (container.hasPointerCapture(event.pointerId)) container.releasePointerCapture(event.pointerId);
    };
    container.addEventListener("pointerup", stop);
    container.addEventListener("pointercancel", stop);
  }

  onDown(event) {
    if (event.button !== 0) return;
    const row = event.target.closest("[data-track-id]");
    if (row) this.callbacks.onSelectTrack(row.dataset.trackId);
    if (!event.target.closest(".sq-lane")) return;
    event.preventDefault();
    this.scrubbing = true;
    this.container.setPointerCapture(event.pointerId);
    this.seek(event);
  }

  seek(event) {
    const lane = this.container.querySelector(".sq-ruler .sq-lane");
    if (!lane) return;
    const rect = lane.getBoundingClientRect();
    const count = this.callbacks.frameCount();
    const fraction = (event.clientX - rect.left) / rect.width;
    this.callbacks.onSeek(Math.max(0, Math.min(count - 1, Math.floor(fraction * count))));
  }
}
