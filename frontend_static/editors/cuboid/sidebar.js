// The cuboid editor's side panels and frame controls, built fresh from the editor's state with the vector
// editor's shared widgets (category list, object panel with the attribute form, object list) and the tracks
// component's timeline. User input goes back to the editor through its methods.

import { h, replaceChildren } from "../../editor-core/dom.js";
import { renderTimeline } from "../tracks/timeline.js";
import { keyframeAt, trackIdOf, tracksOf } from "../tracks/sequence-document.js";
import { attributeForm, categoryList, objectList, objectPanel } from "../vector/panels.js";

/** @typedef {import("./cuboid-editor.js").CuboidEditor} CuboidEditor */

/** @param {CuboidEditor} editor */
export function renderSidebar(editor) {
  const el = editor.el;
  const styleOf = (categoryId) => editor.styleOf(categoryId);
  replaceChildren(el.categories, categoryList(editor.categories, editor.categoryId, styleOf, (id) => editor.pickCategory(id)));
  const selected = editor.cuboidById(editor.selectedId);
  replaceChildren(el.object, selected ? selectedPanel(editor, selected) : h("p", { class: "muted" }, editor.selectedId !== null ? `Track #${editor.selectedId} is not in this frame (K continues it here).` : "Nothing selected."));
  const cuboids = editor.currentCuboids();
  el.objectCount.textContent = String(cuboids.length);
  replaceChildren(el.objects, objectList(cuboids, {
    selectedId: editor.selectedId, styleOf: (cuboid) => editor.styleOf(cuboid.category_id), problemIds: new Set(),
  }, (id) => editor.select(id)));
  el.imageAttributesSection.hidden = !editor.imageDefinitions.length;
  if (editor.imageDefinitions.length) {
    const values = editor.sequence ? editor.document.frames[editor.frameIndex].imageAttributes : editor.document.imageAttributes;
    replaceChildren(el.imageAttributes, attributeForm(editor.imageDefinitions, values || {}, (name, value) => editor.change(() => {
      const target = editor.sequence ? editor.document.frames[editor.frameIndex].imageAttributes : editor.document.imageAttributes;
      if (value === undefined) delete target[name];
      else target[name] = value;
    }), { testidPrefix: "image-attribute", readOnly: editor.readOnly }));
  }
  el.errors.hidden = !editor.serverErrors.length;
  replaceChildren(el.errors, editor.serverErrors.length
    ? h("div", { class: "ve-errors", role: "alert", "data-testid": "save-errors" }, h("strong", {}, "The label was not saved"), h("ul", {}, editor.serverErrors.map((text) => h("li", {}, text))))
    : null);
}

/** @param {CuboidEditor} editor @param {any} cuboid */
function selectedPanel(editor, cuboid) {
  const category = editor.categoriesById.get(cuboid.category_id);
  const definitions = (category && category.attributes) || [];
  const panel = objectPanel(cuboid, {
    categories: editor.categories, definitions, missing: [], errors: [], readOnly: editor.readOnly,
  }, {
    onCategory: (id) => editor.pickCategory(id),
    onAttribute: (name, value) => editor.updateSelected((shown) => {
      const attributes = { ...(shown.attributes || {}) };
      if (value === undefined) delete attributes[name];
      else attributes[name] = value;
      return { ...shown, attributes };
    }),
    onDelete: () => editor.deleteSelected(),
  });
  const { position: p, dimensions: d } = cuboid;
  const fixed = (value) => value.toFixed(2);
  panel.append(h("dl", { class: "cb-geometry", "data-testid": "cuboid-geometry" },
    h("dt", {}, "Position"), h("dd", {}, `${fixed(p.x)}, ${fixed(p.y)}, ${fixed(p.z)} m`),
    h("dt", {}, "Size"), h("dd", {}, `${fixed(d.x)} × ${fixed(d.y)} × ${fixed(d.z)} m`),
    h("dt", {}, "Yaw"), h("dd", {}, `${((cuboid.yaw * 180) / Math.PI).toFixed(1)}°`)));
  if (editor.sequence) {
    const keyframe = Boolean(keyframeAt(editor.document, editor.frameIndex, trackIdOf(cuboid)));
    panel.append(h("p", { class: "muted" }, "This frame: ", h("span", { "data-testid": "keyframe-state" }, keyframe ? "keyframe" : "interpolated")));
  }
  return panel;
}

/** @param {CuboidEditor} editor */
export function renderFrameControls(editor) {
  const el = editor.el;
  el.frameLabel.textContent = `${editor.frameIndex + 1} / ${editor.frameCount}`;
  el.frameLabel.dataset.frame = String(editor.frameIndex);
  const tracks = tracksOf(editor.document, { frames: editor.materializedFrames() });
  renderTimeline(el.timeline, {
    frameCount: editor.frameCount, frameIndex: editor.frameIndex, tracks, selectedTrackId: editor.selectedId,
    styleOf: (categoryId) => editor.styleOf(categoryId), title: editor.timelineTitle,
  });
}
