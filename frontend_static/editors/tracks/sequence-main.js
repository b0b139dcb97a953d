// Entry point of the image-sequence editor page (task type image-vector-sequence): reads the embedded
// configuration (<script id="editor-config">), finds the page's elements and composes the vector view
// (../vector/editor.js) with the tracks component (tracks-component.js) as its document provider, under the
// shell; then wires the frame controls, Space, timeline and frame images to them.

import { isTypingTarget } from "../../editor-core/keymap.js";
import { Shell } from "../../editor-core/shell.js";
import { EDITOR_ELEMENT_IDS, findElements, wireResize } from "../vector/page.js";
import { Editor } from "../vector/editor.js";
import { TracksComponent } from "./tracks-component.js";
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
  const tracks = new TracksComponent(config);
  const editor = new Editor(elements, config, shell, tracks);
  tracks.attach(editor);
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
  wireSpace(editor, tracks, elements);
  wireResize(editor, elements);
  wireFrames(editor, tracks, elements);
  new TimelineController(elements.timeline, {
    onSeek: (frame) => tracks.setFrame(frame),
    onSelectTrack: (name) => tracks.selectTrackByName(name),
    frameCount: () => tracks.frameCount,
  });
  root.dataset.ready = "true";
  window.sequenceEditor = editor; // handy from the browser console when looking into a label
  window.sequenceTracks = tracks;
}

/** Space tapped plays or pauses; Space held while dragging pans (the keydown half is the view's onKeyDown). */
function wireSpace(editor, tracks, el) {
  el.stage.addEventListener("pointerdown", () => {
    if (editor.pointer.spaceDown) tracks.spacePanned = true;
    if (tracks.playing) tracks.togglePlay(false); // frames must not change under a drag
  }, { capture: true });
  window.addEventListener("keyup", (event) => { // capture: before the vector view's own keyup releases Space
    if (event.key !== " " || !editor.pointer.spaceDown) return;
    editor.pointer.setSpace(false);
    if (!tracks.spacePanned && !isTypingTarget(event.target)) editor.perform("play");
  }, true);
}

/** Show the current frame's image; every frame is preloaded so scrubbing and playback do not flicker. */
function wireFrames(editor, tracks, el) {
  const { image, stageMessage, stage } = el;
  const urls = tracks.frames.map((frame) => frame.image_url);
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
  tracks.onFrameChange = show;
  if (!urls.length) {
    stageMessage.textContent = "This sample has no frames.";
    return;
  }
  show(0);
}

main();
