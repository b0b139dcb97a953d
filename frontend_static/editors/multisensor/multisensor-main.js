// Entry point of the multi-sensor editor page (templates/datasets/multisensor_editor.html; task type
// multisensor-sequence): reads the embedded configuration, builds one shell, one view per sensor of the sample
// in its order (the cuboid view for the point-cloud sensor, a CameraView per camera; other sensors are kept as
// loaded), composes them into the MultiSensorEditor, wires the frame controls, timeline, pointer focus and the
// big slot, and loads the point-cloud sensor's buffers (GET /samples/{uuid}/pointclouds/, as the cuboid editor).

import { isTypingTarget } from "../../editor-core/keymap.js";
import { h } from "../../editor-core/dom.js";
import { Shell } from "../../editor-core/shell.js";
import { CuboidEditor } from "../cuboid/cuboid-editor.js";
import { pollSampleClouds } from "../pointcloud/cloud-polling.js";
import { TimelineController } from "../tracks/timeline.js";
import { findElements } from "../vector/page.js";
import { CameraView } from "./camera-view.js";
import { MultiSensorEditor } from "./multisensor-editor.js";
import { linksOf, sensorConfig, sensorLabels } from "./sensor-label.js";
import { SharedHistory } from "./shared-history.js";

const LIDAR_IDS = {
  stage: "cb-stage", mainCanvas: "cb-main-canvas", orthoCanvas: "cb-ortho-canvas", orthoSvg: "cb-ortho-svg",
  stageMessage: "cb-stage-message", toast: "cb-toast", categories: "cb-categories", object: "cb-object",
  objects: "cb-objects", objectCount: "cb-object-count", errors: "cb-errors",
  imageAttributesSection: "cb-image-attributes-section", imageAttributes: "cb-image-attributes",
  colorBy: "cb-color-by", pointSize: "cb-point-size", hideGround: "cb-hide-ground", resetView: "cb-reset-view",
  toolSelect: "cb-tool-select", toolDraw: "cb-tool-draw", fit: "cb-fit", ground: "cb-ground",
  rotate180: "cb-rotate-180", rotate90: "cb-rotate-90", timeline: "sq-timeline", frameLabel: "sq-frame-label",
  framePrevious: "sq-frame-previous", frameNext: "sq-frame-next", keyframePrevious: "sq-keyframe-previous",
  keyframeNext: "sq-keyframe-next", propagateCount: "cb-propagate-count", propagate: "cb-propagate",
  mergeFrames: "cb-merge-frames", mergeRadius: "cb-merge-radius",
};

function main() {
  const root = document.getElementById("multisensor-editor");
  const source = document.getElementById("editor-config");
  if (!root || !source) return;
  const config = JSON.parse(source.textContent);
  const shell = new Shell(root, config, { noticesParent: root.querySelector(".ms-body"), toolbarStart: [...root.querySelectorAll("[data-toolbar-start]")] });
  const history = new SharedHistory();
  /** @type {MultiSensorEditor|null} */
  let editor = null;
  const host = { changed: () => editor?.changed(), render: () => editor?.render(), save: (status) => shell.save(status) };
  const places = { sidebars: root.querySelector("#ms-sidebar"), hints: root.querySelector("#ms-hint") };
  const labels = sensorLabels(config.label && config.label.attributes, config.sample.sensors || []);
  let lidarTaken = false;
  const slots = (config.sample.sensors || []).map((sensor, index) => {
    const own = sensorConfig(config, sensor, labels[index]);
    if (sensor.task_type === "pointcloud-cuboid-sequence" && !lidarTaken) {
      lidarTaken = true;
      return lidarSlot(root, sensor, own, host, history, places);
    }
    if (sensor.task_type === "image-vector-sequence") return cameraSlot(index, sensor, own, host, history, places);
    const stored = config.label?.attributes?.sensors?.[index]?.attributes ?? [];
    return { sample: sensor, kind: "other", view: null, panel: null, stored };
  });
  /** @type {Record<string, any>} */
  const el = {
    root, mainSlot: root.querySelector("#ms-main"), strip: root.querySelector("#ms-strip"), focus: root.querySelector("#ms-focus"),
    overlayToggle: root.querySelector("#ms-lidar-overlay"), play: root.querySelector("#sq-play"),
  };
  editor = new MultiSensorEditor(shell, config, { slots, links: linksOf(config.label && config.label.attributes), history, el });
  const composed = editor;
  wireIds(composed);
  composed.enlarge(composed.mainIndex);
  for (const slot of slots) if (slot.view) slot.view.start();
  wireSensors(composed, root);
  wireFrames(composed, root);
  shell.mount(composed);
  composed.setActive(composed.activeIndex);
  composed.showSidebar(composed.activeIndex);
  if (composed.lidar) composed.lidar.setTool("select");
  root.dataset.ready = "true";
  /** @type {any} */ (window).multisensorEditor = composed; // the browser tests and the console read the state through it
  if (composed.lidarSlot) loadClouds(composed, config.sample.uuid);
}

/** The point-cloud sensor: the cuboid view on the page's 3D panel, its history a channel of the shared one. */
function lidarSlot(root, sensor, config, host, history, places) {
  const hint = h("span", { id: "ms-lidar-hint" });
  places.hints.append(hint);
  const elements = { ...findElements(root, /** @type {any} */ (LIDAR_IDS)), hint, play: h("button", {}) };
  const view = new CuboidEditor(elements, config, /** @type {any} */ (host));
  view.history = /** @type {any} */ (history.channel({ snapshot: () => structuredClone(view.document), restore: (document) => view.restore(document) }));
  root.querySelector("#ms-lidar-name").textContent = sensor.name;
  view.timelineTitle = sensor.name;
  root.querySelector("#sq-timeline").dataset.sensor = sensor.name;
  const sidebar = root.querySelector("#ms-lidar-sidebar");
  const setSidebar = (on) => {
    sidebar.hidden = !on;
    hint.hidden = !on;
  };
  return { sample: sensor, kind: "pointcloud", view, panel: root.querySelector("#ms-lidar-panel"), stored: null, setSidebar };
}

/** A camera sensor: a CameraView (vector view + tracks component) whose history is a channel of the shared one. */
function cameraSlot(index, sensor, config, host, history, places) {
  /** @type {CameraView} */
  let view;
  const channel = history.channel({ snapshot: () => structuredClone(view.editor.doc), restore: (doc) => view.editor.restore(doc) });
  view = new CameraView({ index, name: sensor.name, config, shell: host, history: channel }, places);
  return { sample: sensor, kind: "image", view, panel: view.panel, stored: null, setSidebar: (on) => view.setActive(on) };
}

/** Track ids are handed out over every sensor (a link's ids must each name one track). */
function wireIds(editor) {
  if (editor.lidar) editor.lidar.nextId = () => editor.nextTrackId();
  for (const camera of editor.cameras) {
    camera.tracks.nextId = () => editor.nextTrackId();
    const rendered = camera.tracks.rendered.bind(camera.tracks);
    camera.tracks.rendered = () => {
      rendered();
      editor.decorateCamera(camera);
    };
    camera.onImage = () => editor.scheduleOverlays();
  }
}

/** Keyboard focus follows the pointer; a click also shows that sensor's sidebar; ⤢ puts it in the big slot. */
function wireSensors(editor, root) {
  editor.slots.forEach((slot, index) => {
    if (!slot.panel) return;
    slot.panel.addEventListener("pointerenter", () => editor.setActive(index));
    slot.panel.addEventListener("pointerdown", () => {
      editor.setActive(index);
      editor.showSidebar(index);
      revealTimeline(root, slot);
      if (editor.playing) editor.togglePlay(false);
    }, { capture: true });
    slot.panel.querySelector('[data-testid="enlarge"]').addEventListener("click", (event) => {
      /** @type {HTMLElement} */ (event.currentTarget).blur();
      editor.enlarge(index);
    });
  });
  for (const camera of editor.cameras) {
    camera.el.boxFromCuboid.addEventListener("click", () => editor.boxFromCuboid(camera));
    camera.el.link.addEventListener("click", () => editor.linkSelected(camera));
    camera.el.stage.addEventListener("pointerdown", () => {
      if (camera.editor.pointer.spaceDown) camera.tracks.spacePanned = true;
    }, { capture: true });
  }
  window.addEventListener("keyup", (event) => { // capture: before the vector view's own keyup releases Space
    const camera = editor.active && editor.active.kind === "image" ? editor.active : null;
    if (event.key !== " " || !camera || !camera.editor.pointer.spaceDown) return;
    camera.editor.pointer.setSpace(false);
    if (!camera.tracks.spacePanned && !isTypingTarget(event.target)) editor.togglePlay();
  }, true);
  const toggle = root.querySelector("#ms-lidar-overlay");
  toggle.addEventListener("change", () => {
    toggle.blur();
    editor.setLidarOverlay(toggle.checked);
  });
}

/** The toolbar's frame buttons and the timeline drive every sensor's frame. */
function wireFrames(editor, root) {
  const buttons = [["#sq-play", "play"], ["#sq-frame-previous", "frame-previous"], ["#sq-frame-next", "frame-next"]];
  for (const [selector, action] of buttons) {
    root.querySelector(selector).addEventListener("click", (event) => {
      event.currentTarget.blur();
      editor.perform(action);
    });
  }
  for (const [selector, action] of [["#sq-keyframe-previous", "keyframe-previous"], ["#sq-keyframe-next", "keyframe-next"], ["#cb-propagate", "propagate"]]) {
    root.querySelector(selector).addEventListener("click", (event) => {
      event.currentTarget.blur();
      if (!editor.lidar) return;
      editor.lidar.perform(action);
      editor.syncFrom(editor.lidar);
    });
  }
  wireTimelines(editor, root);
}

/**
 * One timeline group per edited sensor, in the sample's order, each titled with the sensor's name: the lidar's
 * cuboid tracks, then each camera's 2D tracks. A click seeks every sensor; a row selects its track in its sensor.
 */
function wireTimelines(editor, root) {
  const timelines = root.querySelector("#ms-timelines");
  root.querySelector("#sq-timeline").hidden = !editor.lidarSlot;
  editor.slots.forEach((slot, index) => {
    const container = slot.kind === "pointcloud" ? root.querySelector("#sq-timeline") : slot.kind === "image" ? slot.view.timeline : null;
    if (!container) return;
    timelines.append(container);
    new TimelineController(container, {
      onSeek: (frame) => editor.setFrame(frame),
      onSelectTrack: (name) => {
        if (slot.kind === "pointcloud") slot.view.selectTrackByName(name);
        else slot.view.tracks.selectTrackByName(name);
        editor.showSidebar(index);
      },
      frameCount: () => editor.frameCount,
    });
  });
}

/** Scroll the timeline to the group of the sensor just clicked (its rows may be far below the lidar's). */
function revealTimeline(root, slot) {
  const container = slot.kind === "pointcloud" ? root.querySelector("#sq-timeline") : slot.kind === "image" ? slot.view.timeline : null;
  const timelines = root.querySelector("#ms-timelines");
  if (container && timelines.contains(container)) timelines.scrollTop = container.offsetTop;
}

/** Load the point-cloud sensor's buffers (the current frame first); wait while the worker is still reading. */
function loadClouds(editor, sampleUuid) {
  const lidar = editor.lidar;
  const name = editor.lidarSlot.sample.name;
  return pollSampleClouds(sampleUuid, {
    keep: (cloud) => cloud.sensor === name,
    loaded: (frame) => Boolean(lidar.buffers[frame]),
    currentFrame: () => editor.frameIndex,
    onBuffer: (frame, buffer) => {
      lidar.setFrameBuffer(frame, buffer);
      editor.scheduleOverlays();
    },
    message: lidar.el.stageMessage,
  });
}

main();
