// Entry point of the image vector editor page (task types vector, bboxes, keypoints): reads the configuration
// the page embeds as JSON (<script id="editor-config">), finds the page's elements, starts the Editor and
// wires the page's events (toolbar, keyboard, image loading, leaving the page) to it.

import { Editor } from "./editor.js";
import { actionForKey, isTypingTarget } from "./keyboard.js";
import { helpPanel } from "./panels.js";
import { replaceChildren } from "./dom.js";
import { connectDatasetEvents } from "../js/live-events.js";

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

function findElements(root) {
  const byId = (id) => {
    const element = root.querySelector(`#${id}`);
    if (!element) throw new Error(`vector editor: the page has no #${id}`);
    return element;
  };
  return {
    root,
    stage: byId("ve-stage"), world: byId("ve-world"), image: byId("ve-image"), svg: byId("ve-svg"),
    stageMessage: byId("ve-stage-message"), tools: byId("ve-tools"), hint: byId("ve-hint"),
    cursor: byId("ve-cursor"), imageSize: byId("ve-image-size"), toast: byId("ve-toast"),
    undo: byId("ve-undo"), redo: byId("ve-redo"), zoomIn: byId("ve-zoom-in"), zoomOut: byId("ve-zoom-out"),
    zoomFit: byId("ve-zoom-fit"), zoomLevel: byId("ve-zoom-level"), save: byId("ve-save"),
    labeled: byId("ve-labeled"), skipped: byId("ve-skipped"), saveState: byId("ve-save-state"),
    labelStatus: byId("ve-label-status"), helpButton: byId("ve-help-button"), help: byId("ve-help"),
    previous: byId("ve-previous"), next: byId("ve-next"), conflict: byId("ve-conflict"),
    conflictVersion: byId("ve-conflict-version"), reload: byId("ve-reload"), leaveDialog: byId("ve-leave-dialog"),
    sidebar: byId("ve-sidebar"), categories: byId("ve-categories"), object: byId("ve-object"),
    imageAttributesSection: byId("ve-image-attributes-section"), imageAttributes: byId("ve-image-attributes"),
    objects: byId("ve-objects"), objectCount: byId("ve-object-count"), errors: byId("ve-errors"),
  };
}

// Someone else's save of this sample (or a worker's) raises the label's version: say who, and offer to load it.
// The event of our own save is sent at commit and can arrive before the PUT answers, hence `editor.saving`.
function wireLiveEvents(editor, root, config) {
  const notice = root.querySelector("#ve-remote-save");
  if (!notice) return;
  root.querySelector("#ve-remote-save-load").addEventListener("click", () => editor.leave(window.location.href));
  root.querySelector("#ve-remote-save-dismiss").addEventListener("click", () => { notice.hidden = true; });
  connectDatasetEvents(config.dataset.full_name, {
    sampleUuid: config.sample.uuid,
    onEvent(event) {
      const raisesVersion = event.type === "label.saved" || event.type === "interpolation.finished";
      if (!raisesVersion || event.labelset !== config.labelset) return;
      if (editor.saving || !(event.version > editor.version)) return;
      root.querySelector("#ve-remote-save-user").textContent = event.updated_by || "Someone";
      root.querySelector("#ve-remote-save-version").textContent = String(event.version);
      notice.hidden = false;
    },
  });
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
  for (const [link, direction] of [[el.previous, "previous"], [el.next, "next"]]) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      editor.navigate(direction);
    });
  }
  for (const button of el.leaveDialog.querySelectorAll("button[data-choice]")) {
    button.addEventListener("click", () => editor.onLeaveChoice(button.dataset.choice));
  }
  replaceChildren(el.help, helpPanel(() => editor.toggleHelp(false)));
  el.help.addEventListener("click", (event) => {
    if (event.target === el.help) editor.toggleHelp(false); // a click beside the card closes it
  });
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

function wireWindow(editor, el) {
  window.addEventListener("beforeunload", (event) => {
    if (!editor.leaving && (editor.isDirty() || editor.saving)) {
      event.preventDefault();
      event.returnValue = ""; // older Chromium needs a return value to ask
    }
  });
  new ResizeObserver(() => {
    if (editor.autoFit) editor.fit();
  }).observe(el.stage);
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
