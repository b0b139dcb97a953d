// The point-cloud segmentation editor's panels, drawn from the editor's state (editor.js): the tool bar, the
// selection count, the side panel (categories, instances, the selected instance's details, messages) and, for
// sequences, the frame label and the tracks timeline. Each function replaces what it draws; the editor calls
// them after every change.

import { cssColor, h, replaceChildren } from "../../editor-core/dom.js";
import { selectedPanel } from "../segmentation/panels.js";
import { renderTimeline } from "../tracks/timeline.js";
import { missingMandatory } from "../vector/label-document.js";

/** @typedef {import("./editor.js").PointCloudSegmentationEditor} PointCloudSegmentationEditor */

/** The tool bar: tools, brush size, options and actions. @param {PointCloudSegmentationEditor} editor */
export function drawToolbar(editor) {
  const tool = (name, title, key) => h("button", {
    type: "button", class: `btn pcs-tool${editor.tool.tool === name ? " is-active" : ""}`, title: `${title} (${key})`,
    "aria-pressed": String(editor.tool.tool === name), "data-testid": `tool-${name}`, onclick: () => editor.setTool(name),
  }, title);
  const action = (label, title, testid, run) => h("button", { type: "button", class: "btn", title, "data-testid": testid, onclick: run }, label);
  replaceChildren(editor.toolbarSlot, h("div", { class: "pcs-toolbar-row" },
    h("div", { class: "pcs-tools", role: "group", "aria-label": "Tools" },
      tool("view", "View", "V"), tool("lasso", "Lasso", "L"), tool("box", "Box", "X"), tool("brush", "Brush", "B"), tool("pick", "Pick", "I")),
    h("label", { class: "pcs-option" }, "Brush ",
      h("input", { type: "range", min: 2, max: 200, value: editor.tool.brushSize, "data-testid": "brush-size",
        oninput: (event) => editor.setBrushSize(Number(event.target.value)) }),
      h("span", { "data-testid": "brush-size-value" }, `${editor.tool.brushSize}px`)),
    h("label", { class: "pcs-option", title: "Only unlabeled points (U)" },
      h("input", { type: "checkbox", checked: editor.tool.onlyUnlabeled, "data-testid": "only-unlabeled",
        onchange: (event) => editor.setOnlyUnlabeled(event.target.checked) }), " Only unlabeled"),
    action("Assign", "Assign the selection (Enter)", "assign", () => editor.assign()),
    action("Unlabel", "Unlabel the selected points (Delete)", "unlabel", () => editor.unlabelSelection()),
    action("Ground", "Select the ground (G)", "select-ground", () => editor.selectGround()),
    action("In cuboid", "Select every point inside the cuboid around the selection (C)", "select-cuboid", () => editor.selectInsideCuboid()),
    action(`Labeled: ${editor.labeledMode}`, "Labeled points shown / dimmed / hidden (Shift+H)", "labeled-mode", () => editor.cycleLabeledMode()),
    action("Top", "Top-down view (T)", "top-view", () => editor.topView()),
    editor.sequence ? h("label", { class: "pcs-option", title: "Propagation radius, metres" }, "Radius ",
      h("input", { type: "number", min: 0.05, max: 5, step: 0.05, value: editor.tool.radius, class: "pcs-radius", "data-testid": "propagate-radius",
        onchange: (event) => { editor.tool.radius = Math.max(0.05, Math.min(5, Number(event.target.value) || 0.5)); } })) : null,
    editor.sequence ? action("Propagate →", "Propagate the selected instance to the next frame (P)", "propagate", () => editor.propagate()) : null,
    h("span", { class: "pcs-status muted", "data-testid": "selection-count" }, ""),
  ));
  editor.stage.dataset.tool = editor.tool.tool;
  editor.renderStatus();
}

/** The selection count in the tool bar. @param {PointCloudSegmentationEditor} editor */
export function drawStatus(editor) {
  const status = editor.toolbarSlot.querySelector(".pcs-status");
  if (status) status.textContent = `${editor.selectedCount || 0} selected`;
  if (status) status.setAttribute("data-count", String(editor.selectedCount || 0));
}

/** The side panel, then the timeline and the shell. @param {PointCloudSegmentationEditor} editor */
export function drawSidePanel(editor) {
  const categories = h("div", { class: "seg-section" }, h("h3", {}, "Categories"),
    h("ul", { class: "seg-categories" }, editor.categories.map((category, index) => h("li", {},
      h("button", {
        type: "button", class: `seg-category${category.id === editor.currentCategoryId ? " is-current" : ""}`,
        "data-testid": `category-${category.id}`, onclick: () => editor.pickCategory(category.id),
      }, h("span", { class: "seg-swatch", style: `background:${cssColor(editor.colorOfCategory(category.id))}` }), category.name,
      index < 9 ? h("kbd", {}, String(index + 1)) : null),
      h("input", { type: "checkbox", checked: !editor.hiddenCategories.has(category.id), title: "Show editor category's points",
        "data-testid": `category-visible-${category.id}`, onchange: () => editor.toggleCategory(category.id) })))));
  const rows = editor.instances.map((instance) => {
    const category = editor.categoriesById.get(instance.category_id);
    const selected = instance.id === editor.selectedId;
    return h("li", {
      class: `seg-instance${selected ? " is-selected" : ""}`, "data-testid": `instance-${instance.id}`,
      "aria-current": selected ? "true" : null,
      onclick: (event) => { if (!event.target.closest("input, button, select")) editor.select(instance.id); },
    },
    h("span", { class: "seg-swatch", style: `background:${cssColor(editor.colorOfCategory(instance.category_id))}` }),
    h("span", { class: "seg-instance-name" }, `#${instance.id} ${category ? category.name : "no category"}`),
    h("span", { class: "muted seg-count", "data-testid": `instance-count-${instance.id}` }, `${editor.counts.get(instance.id) || 0} pts`),
    h("input", { type: "checkbox", checked: !editor.hiddenIds.has(instance.id), title: "Visible (H)", "data-testid": `instance-visible-${instance.id}`,
      onchange: () => editor.toggleInstance(instance.id) }),
    h("button", { type: "button", class: "seg-delete", title: "Delete instance (Shift+Delete)", "data-testid": `instance-delete-${instance.id}`,
      onclick: () => editor.deleteInstance(instance.id) }, "✕"));
  });
  const instances = h("div", { class: "seg-section" }, h("h3", {}, "Instances"),
    rows.length ? h("ul", { class: "seg-instances" }, rows) : h("p", { class: "muted" }, "Select points and press Enter to make an instance."));
  const message = editor.message ? h("div", { class: `pcs-message is-${editor.message.kind}`, role: editor.message.kind === "error" ? "alert" : "status", "data-testid": "message" },
    editor.message.text, editor.message.items && editor.message.items.length ? h("ul", {}, editor.message.items.map((item) => h("li", {}, item))) : null) : null;
  const selected = editor.instances.find((instance) => instance.id === editor.selectedId) || null;
  const selectedCategory = selected && editor.categoriesById.get(selected.category_id);
  const details = selectedPanel(selected, {
    categories: editor.categories, categoriesById: editor.categoriesById, readOnly: !editor.canWrite,
    missing: editor.showMissing && selectedCategory ? missingMandatory(selectedCategory.attributes, selected.attributes) : [],
  }, {
    setCategory: (id, categoryId) => editor.setInstanceCategory(id, categoryId),
    setAttribute: (id, name, value) => editor.setInstanceAttribute(id, name, value),
  });
  replaceChildren(editor.side, categories, instances, details, message);
  if (editor.sequence) editor.renderTimeline();
  if (editor.shell.view) editor.shell.render();
}

/** The frame label and the tracks timeline (sequences). @param {PointCloudSegmentationEditor} editor */
export function drawTimeline(editor) {
  editor.frameLabel.textContent = `Frame ${editor.frameIndex + 1} / ${editor.frames.length}`;
  editor.frameLabel.dataset.frame = String(editor.frameIndex);
  const present = editor.frames.map((_, index) => editor.countsOf(index));
  const tracks = editor.instances.map((instance) => {
    const where = present.map((counts) => counts.has(instance.id));
    return { trackId: instance.id, categoryId: instance.category_id, removed: [], present: where,
      keyframes: where.flatMap((isPresent, index) => (isPresent ? [index] : [])) };
  }).filter((track) => track.keyframes.length);
  renderTimeline(editor.timeline, {
    frameCount: editor.frames.length, frameIndex: editor.frameIndex, tracks, selectedTrackId: editor.selectedId,
    styleOf: (categoryId) => {
      const category = editor.categoriesById.get(categoryId);
      return { color: editor.colorOfCategory(categoryId), name: category ? category.name : `category ${categoryId}` };
    },
  });
}
