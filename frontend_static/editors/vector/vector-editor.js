// Entry point of the image vector editor page (task types vector, bboxes, keypoints): reads the configuration
// the page embeds as JSON (<script id="editor-config">), finds the page's elements, starts the Editor and
// wires the page's events (toolbar, keyboard, image loading, leaving the page) to it.

import { Editor } from "./editor.js";
import { actionForKey, isTypingTarget } from "../../editor-core/keymap.js";
import { findElements, wireLiveEvents, wireToolbar, wireWindow } from "./page.js";

function main() {
  const root = document.getElementById("vector-editor");
  const source = document.getElementById("editor-config");
  if (!root || !source) return;
  const elements = findElements(root);
  const config = JSON.parse(source.textContent);
  const editor = new Editor(elements, config);
  editor.start();
  wireLiveEvents(editor, root, config);
  wireToolbar(editor, elements);
  wireKeyboard(editor, elements);
  wireWindow(editor, elements);
  wireImage(editor, elements);
  root.dataset.ready = "true";
  window.vectorEditor = editor; // handy from the browser console when looking into a label
}

function wireKeyboard(editor, el) {
  document.addEventListener("keydown", (event) => {
    if (el.leaveDialog.open) return;
    const typing = isTypingTarget(event.target);
    if (event.key === " " && !typing) {
      event.preventDefault(); // no page scroll, no click on a focused button: Space is for panning
      editor.pointer.setSpace(true);
      return;
    }
    const action = actionForKey(event);
    if (!action) return;
    if (typing && action === "escape") {
      event.target.blur();
      return;
    }
    if (typing && action !== "save") return; // letters, Delete and Ctrl+Z keep their meaning in form fields
    event.preventDefault();
    editor.perform(action);
  });
  document.addEventListener("keyup", (event) => {
    if (event.key === " ") editor.pointer.setSpace(false);
  });
  window.addEventListener("blur", () => editor.pointer.setSpace(false));
}

function wireImage(editor, el) {
  const { image, stageMessage, stage } = el;
  const url = editor.config.sample.image_url;
  image.addEventListener("load", () => {
    image.width = image.naturalWidth;
    image.height = image.naturalHeight;
    stageMessage.hidden = true;
    editor.imageLoaded(image.naturalWidth, image.naturalHeight);
    stage.dataset.ready = "true";
  });
  image.addEventListener("error", () => {
    stageMessage.textContent = `The image could not be loaded: ${url || "(the sample has no image URL)"}`;
    stageMessage.classList.add("is-error");
    stageMessage.dataset.testid = "image-error";
  });
  if (url) image.src = url;
  else image.dispatchEvent(new Event("error"));
}

main();
