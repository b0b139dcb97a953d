// Entry point of the image vector editor page (task types vector, bboxes, keypoints): reads the configuration
// the page embeds as JSON (<script id="editor-config">), builds the shell (editor-core/shell.js), mounts the
// vector view (over a single-frame document) into the page's stage and sidebar, and loads the image.

import { Shell } from "../../editor-core/shell.js";
import { Editor } from "./editor.js";
import { findElements, wireResize } from "./page.js";
import { SingleFrameDocument } from "./single-frame-document.js";

function main() {
  const root = document.getElementById("vector-editor");
  const source = document.getElementById("editor-config");
  if (!root || !source) return;
  const config = JSON.parse(source.textContent);
  const shell = new Shell(root, config, { noticesParent: root.querySelector(".ve-body") });
  const elements = findElements(root);
  const editor = new Editor(elements, config, shell, new SingleFrameDocument(config));
  editor.start();
  shell.mount(editor);
  wireResize(editor, elements);
  wireImage(editor, elements);
  root.dataset.ready = "true";
  window.vectorEditor = editor; // handy from the browser console when looking into a label
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
