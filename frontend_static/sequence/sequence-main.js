// Entry point of the image-sequence editor page (task type image-vector-sequence): reads the embedded
// configuration (<script id="editor-config">), finds the page's elements, starts the SequenceEditor and wires
// the toolbar, keyboard, timeline, frame images and leaving the page to it.

import { replaceChildren } from "../editor/dom.js";
import { isTypingTarget } from "../editor/keyboard.js";
import { helpPanel } from "../editor/panels.js";
import { SEQUENCE_SHORTCUT_GROUPS, sequenceActionForKey } from "./keyboard.js";
import { SequenceEditor } from "./sequence-editor.js";
import { TimelineController } from "./timeline.js";

const ELEMENT_IDS = {
  stage: "ve-stage", world: "ve-world", image: "ve-image", svg: "ve-svg", stageMessage: "ve-stage-message",
  tools: "ve-tools", hint: "ve-hint", cursor: "ve-cursor", imageSize: "ve-image-size", toast: "ve-toast",
  undo: "ve-undo", redo: "ve-redo", zoomIn: "ve-zoom-in", zoomOut: "ve-zoom-out", zoomFit: "ve-zoom-fit",
  zoomLevel: "ve-zoom-level", save: "ve-save", labeled: "ve-labeled", skipped: "ve-skipped", saveState: "ve-save-state",
  labelStatus: "ve-label-status", helpButton: "ve-help-button", help: "ve-help", previous: "ve-previous",
  next: "ve-next", conflict: "ve-conflict", conflictVersion: "ve-conflict-version", reload: "ve-reload",
  leaveDialog: "ve-leave-dialog", sidebar: "ve-sidebar", categories: "ve-categories", object: "ve-object",
  imageAttributesSection: "ve-image-attributes-section", imageAttributes: "ve-image-attributes", objects: "ve-objects",
  objectCount: "ve-object-count", errors: "ve-errors",
  timeline: "sq-timeline", frameLabel: "sq-frame-label", play: "sq-play", framePrevious: "sq-frame-previous",
  frameNext: "sq-frame-next", keyframePrevious: "sq-keyframe-previous", keyframeNext: "sq-keyframe-next",
};
const KEYPOINT_KEY = "N"; // K is "keyframe" here

function main() {
  const root = document.getElementById("sequence-editor");
  const source = document.getElementById("editor-config");
  if (!root || !source) return;
  const elements = { root };
  for (const [name, id] of Object.entries(ELEMENT_IDS)) {
    elements[name] = root.querySelector(`#${id}`);
    if (!elements[name]) throw new Error(`sequence editor: the page has no #${id}`);
  }
  const editor = new SequenceEditor(elements, JSON.parse(source.textContent));
  editor.start();
  relabelKeypointTool(elements);
  wireToolbar(editor, elements);
  wireKeyboard(editor, elements);
  wireWindow(editor, elements);
  wireFrames(editor, elements);
  new TimelineController(elements.timeline, {
    onSeek: (frame) => editor.setFrame(frame),
    onSelectTrack: (name) => editor.selectTrackByName(name),
    frameCount: () => editor.frameCount,
  });
  root.dataset.ready = "true";
  window.sequenceEditor = editor; // handy from the browser console when looking into a label
}

function relabelKeypointTool(el) {
  const button = el.tools.querySelector('[data-tool="point"]');
  if (!button) return;
  button.querySelector("kbd").textContent = KEYPOINT_KEY;
  button.title = `Keypoint (${KEYPOINT_KEY})`;
}

function wireToolbar(editor, el) {
  const on = (element, action) =>
    element.addEventListener("click", (event) => {
      event.currentTarget.blur(); // Enter and Space belong to the editor, not to the last clicked button
      action();
    });
  on(el.undo, () => editor.undo());
  on(el.redo, () => editor.redo());
  on(el.zoomIn, () => editor.perform("zoom-in"));
  on(el.zoomOut, () => editor.perform("zoom-out"));
  on(el.zoomFit, () => editor.fit());
  on(el.save, () => editor.save());
  on(el.labeled, () => editor.save("LABELED"));
  on(el.skipped, () => editor.save("SKIPPED"));
  on(el.helpButton, () => editor.toggleHelp());
  on(el.reload, () => editor.leave(window.location.href));
  on(el.play, () => editor.perform("play"));
  on(el.framePrevious, () => editor.perform("frame-previous"));
  on(el.frameNext, () => editor.perform("frame-next"));
  on(el.keyframePrevious, () => editor.perform("keyframe-previous"));
  on(el.keyframeNext, () => editor.perform("keyframe-next"));
  for (const [link, direction] of [[el.previous, "previous"], [el.next, "next"]]) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      editor.navigate(direction);
    });
  }
  for (const button of el.leaveDialog.querySelectorAll("button[data-choice]")) {
    button.addEventListener("click", () => editor.onLeaveChoice(button.dataset.choice));
  }
  replaceChildren(el.help, helpPanel(() => editor.toggleHelp(false), SEQUENCE_SHORTCUT_GROUPS));
  el.help.addEventListener("click", (event) => {
    if (event.target === el.help) editor.toggleHelp(false);
  });
}

/** Space tapped plays or pauses; Space held while dragging pans (as in the image editor). */
function wireKeyboard(editor, el) {
  let spacePanned = false;
  el.stage.addEventListener("pointerdown", () => {
    if (editor.pointer.spaceDown) spacePanned = true;
    if (editor.playing) editor.togglePlay(false); // frames must not change under a drag
  }, { capture: true });
  document.addEventListener("keydown", (event) => {
    if (el.leaveDialog.open) return;
    const typing = isTypingTarget(event.target);
    if (event.key === " " && !typing) {
      event.preventDefault();
      if (!event.repeat) spacePanned = false;
      editor.pointer.setSpace(true);
      return;
    }
    const action = sequenceActionForKey(event);
    if (!action) return;
    if (typing && action === "escape") {
      event.target.blur();
      return;
    }
    if (typing && action !== "save") return;
    event.preventDefault();
    editor.perform(action);
  });
  document.addEventListener("keyup", (event) => {
    if (event.key !== " " || !editor.pointer.spaceDown) return;
    editor.pointer.setSpace(false);
    if (!spacePanned && !isTypingTarget(event.target)) editor.perform("play");
  });
  window.addEventListener("blur", () => editor.pointer.setSpace(false));
}

function wireWindow(editor, el) {
  window.addEventListener("beforeunload", (event) => {
    if (!editor.leaving && (editor.isDirty() || editor.saving)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  new ResizeObserver(() => {
    if (editor.autoFit) editor.fit();
  }).observe(el.stage);
}

/** Show the current frame's image; every frame is preloaded so scrubbing and playback do not flicker. */
function wireFrames(editor, el) {
  const { image, stageMessage, stage } = el;
  const urls = editor.frames.map((frame) => frame.image_url);
  const preloaded = urls.map((url) => {
    const preload = new Image();
    if (url) preload.src = url;
    return preload;
  });
  image.addEventListener("load", () => {
    image.width = image.naturalWidth;
    image.height = image.naturalHeight;
    stageMessage.hidden = true;
    const sameSize = editor.image.loaded && editor.image.width === image.naturalWidth && editor.image.height === image.naturalHeight;
    if (!sameSize) editor.imageLoaded(image.naturalWidth, image.naturalHeight);
    stage.dataset.frameLoaded = image.dataset.frame;
    stage.dataset.ready = "true";
  });
  image.addEventListener("error", () => {
    stageMessage.hidden = false;
    stageMessage.textContent = `The image of frame ${Number(image.dataset.frame) + 1} could not be loaded: ${urls[image.dataset.frame] || "(no image URL)"}`;
    stageMessage.classList.add("is-error");
    stageMessage.dataset.testid = "image-error";
  });
  const show = (frame) => {
    image.dataset.frame = String(frame);
    stage.dataset.frameLoaded = "";
    if (urls[frame]) image.src = preloaded[frame].src;
    else image.dispatchEvent(new Event("error"));
  };
  editor.onFrameChange = show;
  if (!urls.length) {
    stageMessage.textContent = "This sample has no frames.";
    return;
  }
  show(0);
}

main();
