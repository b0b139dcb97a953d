// The segmentation editor's toolbar and side panel (categories, instances, the selected instance, the image
// attributes, messages), drawn from the editor's state (segmentation-editor.js) with the builders of
// panels.js. Each function replaces what it draws; the editor calls it after every change.

import { missingMandatory } from "../../editor-core/attributes.js";
import { replaceChildren } from "../../editor-core/dom.js";
import { categoryPanel, imagePanel, instancePanel, messagePanel, selectedPanel, toolbar } from "./panels.js";
import { COMPLETE_STATUSES } from "./saving.js";

/** @typedef {import("./segmentation-editor.js").SegmentationEditor} SegmentationEditor */

/** The tool bar: tools, brush size, "only unlabeled", fill options. @param {SegmentationEditor} editor */
export function drawToolbar(editor) {
  replaceChildren(editor.toolbarSlot, toolbar(editor.tool, {
    setTool: (tool) => editor.setTool(tool),
    setBrushSize: (size) => editor.setBrushSize(size),
    setOnlyUnlabeled: (value) => editor.setOnlyUnlabeled(value),
    setFillMode: (mode) => { editor.tool.fillMode = mode; },
    setTolerance: (value) => { editor.tool.tolerance = Math.max(0, Math.min(255, value || 0)); },
  }));
}

/** The side panel; also re-renders the shell (its save state). @param {SegmentationEditor} editor */
export function drawSide(editor) {
  const readOnly = !editor.canWrite;
  const selected = editor.instances.find((instance) => instance.id === editor.selectedId) || null;
  const selectedCategory = selected && editor.categoriesById.get(selected.category_id);
  const completing = COMPLETE_STATUSES.has(editor.status);
  replaceChildren(
    editor.side,
    categoryPanel(editor.categories, editor.currentCategoryId, (id) => editor.colorOfCategory(id), (id) => editor.pickCategory(id)),
    instancePanel(editor.instances, {
      selectedId: editor.selectedId, counts: editor.counts, categoriesById: editor.categoriesById,
      look: (id) => editor.look(id), colorOf: (id) => editor.colorOfCategory(id),
    }, {
      select: (id) => editor.select(id),
      setLook: (id, change) => { Object.assign(editor.look(id), change); editor.renderMask(); },
      remove: (id) => editor.deleteInstance(id),
      create: () => editor.newInstance(),
    }),
    selectedPanel(selected, {
      categories: editor.categories, categoriesById: editor.categoriesById, readOnly,
      missing: completing && selectedCategory ? missingMandatory(selectedCategory.attributes, selected.attributes) : [],
    }, {
      setCategory: (id, categoryId) => editor.setInstanceCategory(id, categoryId),
      setAttribute: (id, name, value) => editor.setInstanceAttribute(id, name, value),
    }),
    imagePanel(editor.imageDefinitions, editor.imageAttributes, {
      readOnly, missing: completing ? missingMandatory(editor.imageDefinitions, editor.imageAttributes) : [],
    }, (name, value) => { editor.imageAttributes[name] = value; editor.markEdited(); }),
    messagePanel(editor.message),
  );
  if (editor.shell.view) editor.shell.render();
}