// Entry point of the image-sequence editor page (task type image-vector-sequence): reads the embedded
// configuration (<script id="editor-config">), finds the page's elements, starts the SequenceEditor and wires
// the toolbar, keyboard, timeline, frame images and leaving the page to it.

import { isTypingTarget } from "../../editor-core/keymap.js";
import { Shell } from "../../editor-core/shell.js";
import { EDITOR_ELEMENT_IDS, findElements, wireResize } from "../vector/page.js";
import { SequenceEditor } from "./sequence-editor.js";
import { TimelineController } from "./timeline.js";

const ELEMENT_IDS = {
  ...EDITOR_ELEMENT_IDS,
  timeline: "sq-timeline", frameLabel: "sq-frame-label", play: "sq-play", framePrevious: "sq-frame-previous",
  frameNext: "sq-frame-next", keyframePrevious: "sq-keyframe-previous", keyframeNext: "sq-keyframe-next",
};

function main() {
  const root = document.getElementById("sequence-editor");
  const source = document.getElementById("editor-config");
  if (!root || !source) return;
  const config = JSON.parse(source.textContent);
  const shell = new Shell(root, config, {
    noticesParent: root.querySelector(".ve-body"),
    toolbarStart: [root.querySelector("#sq-frame-controls")],
  });
  const elements = findElements(root, ELEMENT_IDS);
  const editor = new SequenceEditor(elements, config, shell);
  editor.start();
  shell.mount(editor);
  for (const [element, action] of [
    [elements.play, "play"], [elements.framePrevious, "frame-previous"], [elements.frameNext, "frame-next"],
    [elements.keyframePrevious, "keyframe-previous"], [elements.keyframeNext, "keyframe-next"],
  ]) {
    element.addEventListener("click", (event) => {
      event.currentTarget.blur();
      editor.perform(action);
    });
  }
  wireSpace(editor, elements);
  wireResize(editor, elements);
  wireFrames(editor, elements);
  new TimelineController(elements.timeline, {
    onSeek: (frame) => editor.setFrame(frame),
    onSelectTrack: (name) => editor.selectTrackByName(name),
    frameCount: () => editor.frameCount,
  });
  root.dataset.ready = "true";
  window.sequenceEditor = editor; // handy from the browser console when looking into a label
}

/** Space tapped plays or pauses; Space held while dragging pans (the keydown half is the view's onKeyDown). */
function wireSpace(editor, el) {
  el.stage.addEventListener("pointerdown", () => {
    if (editor.pointer.spaceDown) editor.spacePanned = true;
    if (editor.playing) editor.togglePlay(false); // frames must not change under a drag
  }, { capture: true });
  window.addEventListener("keyup", (event) => { // capture: before the vector view's own keyup releases Space
    if (event.key !== " " || !editor.pointer.spaceDown) return;
    editor.pointer.setSpace(false);
    if (!editor.spacePanned && !isTypingTarget(event.target)) editor.perform("play");
  }, true);
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
