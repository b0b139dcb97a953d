// Page wiring shared by the editors that use the image editor's page (vector_editor.html and the templates
// that extend it): finding the elements, the toolbar, leaving the page, and live "someone else saved" notices.

import { replaceChildren } from "../../editor-core/dom.js";
import { helpPanel } from "./panels.js";
import { connectDatasetEvents } from "../../editor-core/live-events.js";

/** Element names -> ids of the image editor's page (templates/datasets/vector_editor.html). */
export const EDITOR_ELEMENT_IDS = {
  stage: "ve-stage", world: "ve-world", image: "ve-image", svg: "ve-svg", stageMessage: "ve-stage-message",
  tools: "ve-tools", hint: "ve-hint", cursor: "ve-cursor", imageSize: "ve-image-size", toast: "ve-toast",
  undo: "ve-undo", redo: "ve-redo", zoomIn: "ve-zoom-in", zoomOut: "ve-zoom-out", zoomFit: "ve-zoom-fit",
  zoomLevel: "ve-zoom-level", save: "ve-save", labeled: "ve-labeled", skipped: "ve-skipped", saveState: "ve-save-state",
  labelStatus: "ve-label-status", helpButton: "ve-help-button", help: "ve-help", previous: "ve-previous",
  next: "ve-next", conflict: "ve-conflict", conflictVersion: "ve-conflict-version", reload: "ve-reload",
  leaveDialog: "ve-leave-dialog", sidebar: "ve-sidebar", categories: "ve-categories", object: "ve-object",
  imageAttributesSection: "ve-image-attributes-section", imageAttributes: "ve-image-attributes", objects: "ve-objects",
  objectCount: "ve-object-count", errors: "ve-errors",
};

/** {name: element} for every id in `ids`, looked up inside `root`; throws naming a missing one. */
export function findElements(root, ids = EDITOR_ELEMENT_IDS) {
  const elements = { root };
  for (const [name, id] of Object.entries(ids)) {
    elements[name] = root.querySelector(`#${id}`);
    if (!elements[name]) throw new Error(`editor: the page has no #${id}`);
  }
  return elements;
}

/**
 * Wire the toolbar buttons, sample navigation, the leave dialog and the help panel to `editor`.
 * extraButtons: [[element, action]] for buttons only one editor has; shortcutGroups: the help panel's list.
 */
export function wireToolbar(editor, el, { extraButtons = [], shortcutGroups = undefined } = {}) {
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
  for (const [element, action] of extraButtons) on(element, action);
  for (const [link, direction] of [[el.previous, "previous"], [el.next, "next"]]) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      editor.navigate(direction);
    });
  }
  for (const button of el.leaveDialog.querySelectorAll("button[data-choice]")) {
    button.addEventListener("click", () => editor.onLeaveChoice(button.dataset.choice));
  }
  replaceChildren(el.help, helpPanel(() => editor.toggleHelp(false), shortcutGroups));
  el.help.addEventListener("click", (event) => {
    if (event.target === el.help) editor.toggleHelp(false); // a click beside the card closes it
  });
}

/** Ask before leaving with unsaved changes; refit the view when the stage resizes. */
export function wireWindow(editor, el) {
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

/**
 * Someone else's save of this sample (or a worker's) raises the label's version: say who, and offer to load it.
 * The event of our own save is sent at commit and can arrive before the PUT answers, hence `editor.saving`.
 */
export function wireLiveEvents(editor, root, config) {
  const notice = root.querySelector("#ve-remote-save");
  if (!notice) return;
  root.querySelector("#ve-remote-save-load").addEventListener("click", () => editor.leave(window.location.href));
  root.querySelector("#ve-remote-save-dismiss").addEventListener("click", () => { notice.hidden = true; });
  connectDatasetEvents(config.dataset.full_name, {
    sampleUuid: config.sample.uuid,
    onEvent(event) {
      if (event.type !== "label.saved" || event.labelset !== config.labelset) return;
      if (editor.saving || !(event.version > editor.version)) return;
      root.querySelector("#ve-remote-save-user").textContent = event.updated_by || "Someone";
      root.querySelector("#ve-remote-save-version").textContent = String(event.version);
      notice.hidden = false;
    },
  });
}
