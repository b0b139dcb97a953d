// Entry point of the image-sequence editor page (task type image-vector-sequence): reads the embedded
// configuration (<script id="editor-config">), finds the page's elements, starts the SequenceEditor and wires
// the toolbar, keyboard, timeline, frame images and leaving the page to it.

import { isTypingTarget } from "../../editor-core/keymap.js";
import { EDITOR_ELEMENT_IDS, findElements, wireLiveEvents, wireToolbar, wireWindow } from "../vector/page.js";
import { SEQUENCE_SHORTCUT_GROUPS, sequenceActionForKey } from "./keyboard.js";
import { SequenceEditor } from "./sequence-editor.js";
import { TimelineController } from "./timeline.js";

const ELEMENT_IDS = {
  ...EDITOR_ELEMENT_IDS,
  timeline: "sq-timeline", frameLabel: "sq-frame-label", play: "sq-play", framePrevious: "sq-frame-previous",
  frameNext: "sq-frame-next", keyframePrevious: "sq-keyframe-previous", keyframeNext: "sq-keyframe-next",
};
const KEYPOINT_KEY = "N"; // K is "keyframe" here

function main() {
  const root = document.getElementById("sequence-editor");
  const source = document.getElementById("editor-config");
  if (!root || !source) return;
  const elements = findElements(root, ELEMENT_IDS);
  const config = JSON.parse(source.textContent);
  const editor = new SequenceEditor(elements, config);
  editor.start();
  relabelKeypointTool(elements);
  wireToolbar(editor, elements, {
    shortcutGroups: SEQUENCE_SHORTCUT_GROUPS,
    extraButtons: [
      [elements.play, () => editor.perform("play")],
      [elements.framePrevious, () => editor.perform("frame-previous")],
      [elements.frameNext, () => editor.perform("frame-next")],
      [elements.keyframePrevious, () => editor.perform("keyframe-previous")],
      [elements.keyframeNext, () => editor.perform("keyframe-next")],
    ],
  });
  wireLiveEvents(editor, root, config);
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
