// Entry point of the cuboid editor page (templates/datasets/cuboid_editor.html; task types pointcloud-cuboid
// and pointcloud-cuboid-sequence): reads the embedded configuration, builds the shell (editor-core/shell.js),
// mounts the cuboid view, and loads every frame's point buffer (the server's derived buffers listed by
// GET /samples/{uuid}/pointclouds/; the current frame first). A frame the server could not read shows why.

import { Shell } from "../../editor-core/shell.js";
import { TimelineController } from "../tracks/timeline.js";
import { pollSampleClouds } from "../pointcloud/cloud-polling.js";
import { findElements } from "../vector/page.js";
import { CuboidEditor } from "./cuboid-editor.js";

const ELEMENT_IDS = {
  stage: "cb-stage", mainCanvas: "cb-main-canvas", orthoCanvas: "cb-ortho-canvas", orthoSvg: "cb-ortho-svg",
  stageMessage: "cb-stage-message", toast: "ve-toast", hint: "ve-hint", categories: "ve-categories",
  object: "ve-object", objects: "ve-objects", objectCount: "ve-object-count", errors: "ve-errors",
  imageAttributesSection: "ve-image-attributes-section", imageAttributes: "ve-image-attributes",
  colorBy: "cb-color-by", pointSize: "cb-point-size", hideGround: "cb-hide-ground", resetView: "cb-reset-view", toolSelect: "cb-tool-select",
  toolDraw: "cb-tool-draw", fit: "cb-fit", ground: "cb-ground", rotate180: "cb-rotate-180", rotate90: "cb-rotate-90",
};
const SEQUENCE_ELEMENT_IDS = {
  timeline: "sq-timeline", frameLabel: "sq-frame-label", play: "sq-play", framePrevious: "sq-frame-previous",
  frameNext: "sq-frame-next", keyframePrevious: "sq-keyframe-previous", keyframeNext: "sq-keyframe-next",
  propagateCount: "cb-propagate-count", propagate: "cb-propagate", mergeFrames: "cb-merge-frames", mergeRadius: "cb-merge-radius",
};

function main() {
  const root = document.getElementById("cuboid-editor");
  const source = document.getElementById("editor-config");
  if (!root || !source) return;
  const config = JSON.parse(source.textContent);
  const sequence = config.dataset.task_type === "pointcloud-cuboid-sequence";
  const controls = [...root.querySelectorAll("[data-toolbar-start]")];
  const shell = new Shell(root, config, { noticesParent: root.querySelector(".cb-body"), toolbarStart: controls });
  const ids = /** @type {any} */ (sequence ? { ...ELEMENT_IDS, ...SEQUENCE_ELEMENT_IDS } : ELEMENT_IDS);
  const elements = findElements(root, ids);
  const editor = new CuboidEditor(elements, config, shell);
  editor.start();
  shell.mount(editor);
  editor.setTool("select");
  if (sequence) wireSequence(editor, elements);
  root.dataset.ready = "true";
  /** @type {any} */ (window).cuboidEditor = editor; // the browser tests and the console read the editor's state through it
  loadClouds(editor, elements, config.sample.uuid);
}

function wireSequence(editor, el) {
  for (const [element, action] of [
    [el.play, "play"], [el.framePrevious, "frame-previous"], [el.frameNext, "frame-next"],
    [el.keyframePrevious, "keyframe-previous"], [el.keyframeNext, "keyframe-next"], [el.propagate, "propagate"],
  ]) {
    element.addEventListener("click", (event) => {
      event.currentTarget.blur();
      editor.perform(action);
    });
  }
  new TimelineController(el.timeline, {
    onSeek: (frame) => editor.setFrame(frame),
    onSelectTrack: (name) => editor.selectTrackByName(name),
    frameCount: () => editor.frameCount,
  });
}

/** Load every frame's buffer (the current one first); wait while the server's worker is still reading. */
function loadClouds(editor, el, sampleUuid) {
  return pollSampleClouds(sampleUuid, {
    loaded: (frame) => Boolean(editor.buffers[frame]),
    currentFrame: () => editor.frameIndex,
    onBuffer: (frame, buffer) => editor.setFrameBuffer(frame, buffer),
    message: el.stageMessage,
  });
}

main();
