// Page wiring of the editors that draw on an image stage (vector_editor.html and the templates that extend
// it): finding the page's elements and refitting the view when the stage resizes. The toolbar, notices and
// dialogs are the shell's (editor-core/shell.js).

/** Element names -> ids of the image editor's page (templates/datasets/vector_editor.html and the shell). */
export const EDITOR_ELEMENT_IDS = {
  stage: "ve-stage", world: "ve-world", image: "ve-image", svg: "ve-svg", stageMessage: "ve-stage-message",
  tools: "ve-tools", hint: "ve-hint", cursor: "ve-cursor", imageSize: "ve-image-size", toast: "ve-toast",
  zoomLevel: "ve-zoom-level", sidebar: "ve-sidebar", categories: "ve-categories", object: "ve-object",
  imageAttributesSection: "ve-image-attributes-section", imageAttributes: "ve-image-attributes", objects: "ve-objects",
  objectCount: "ve-object-count", errors: "ve-errors",
};

/** {name: element} for every id in `ids`, looked up inside `root`; throws naming a missing one. */
export function findElements(root, ids = EDITOR_ELEMENT_IDS) {
  /** @type {Record<string, any>} */
  const elements = { root };
  for (const [name, id] of Object.entries(ids)) {
    elements[name] = root.querySelector(`#${id}`);
    if (!elements[name]) throw new Error(`editor: the page has no #${id}`);
  }
  return elements;
}

/** Refit the view when the stage resizes (as long as the user did not zoom). */
export function wireResize(editor, el) {
  new ResizeObserver(() => {
    if (editor.autoFit) editor.fit();
  }).observe(el.stage);
}
