// The editor's side panels: categories, the selected object (category and attributes), image attributes,
// the object list, save errors and the shortcut help. Each function returns fresh DOM built from plain data
// and reports user input through callbacks; the editor owns the state.

import { cssColor, h } from "../../editor-core/dom.js";
import { attributeForm, categoryList, errorList } from "../../editor-core/widgets.js";

// The shared widgets (category list, attribute form, problem list) live in the editor core.
export { attributeForm, categoryList, errorList };

const TYPE_NAMES = { bbox: "Bounding box", polygon: "Polygon", polyline: "Polyline", point: "Keypoint" };

/**
 * The selected object's panel. `actions`: onCategory(id), onAttribute(name, value), onDelete().
 * `missing` names unfilled mandatory attributes; `errors` are server messages about this object; `keypoint`
 * the keypoint's name for a point of a keypoint category (keypoints.js), else null.
 */
export function objectPanel(annotation, { categories, definitions, missing, errors, readOnly, keypoint = null }, actions) {
  const categoryOptions = categories.map((category) =>
    h("option", { value: String(category.id), selected: category.id === annotation.category_id }, category.name),
  );
  if (!categories.some((category) => category.id === annotation.category_id)) {
    categoryOptions.unshift(h("option", { value: "", selected: true }, `Unknown (${annotation.category_id})`));
  }
  return h(
    "div",
    { class: "ve-object", "data-testid": "object-panel", "data-annotation-id": annotation.id },
    h(
      "div",
      { class: "ve-object-head" },
      h("strong", {}, `#${annotation.id}`),
      h("span", { class: "muted" }, [TYPE_NAMES[annotation.type] || annotation.type, keypoint].filter(Boolean).join(" · ")),
      h("button", {
        type: "button", class: "btn small danger", "data-testid": "delete-object", disabled: readOnly,
        title: "Delete (Delete key)", onclick: actions.onDelete,
      }, "Delete"),
    ),
    h(
      "label",
      { class: "ve-field" },
      h("span", { class: "ve-field-name" }, "Category"),
      h("select", {
        "data-testid": "object-category", disabled: readOnly,
        onchange: (event) => actions.onCategory(Number(event.target.value)),
      }, categoryOptions),
    ),
    attributeForm(definitions, annotation.attributes || {}, actions.onAttribute, {
      testidPrefix: "attribute", missing, readOnly,
    }),
    errors.length ? h("ul", { class: "ve-inline-errors" }, errors.map((message) => h("li", {}, message))) : null,
  );
}

/** Every object, in drawing order; click to select. `problemIds` are objects with errors or missing fields;
 * `keypointOf(annotation)` the keypoint name of a keypoint object ("#5 person · left_shoulder"), else null. */
export function objectList(annotations, { selectedId, styleOf, problemIds, keypointOf = null }, onSelect) {
  if (!annotations.length) return h("p", { class: "muted ve-empty" }, "No objects yet. Pick a tool and draw.");
  return h(
    "ul",
    { class: "ve-object-list", "data-testid": "object-list" },
    annotations.map((annotation) => {
      const style = styleOf(annotation);
      const keypoint = keypointOf ? keypointOf(annotation) : null;
      const classes = ["ve-object-item"];
      if (annotation.id === selectedId) classes.push("is-selected");
      if (problemIds.has(annotation.id)) classes.push("has-problem");
      return h(
        "li",
        {},
        h(
          "button",
          {
            type: "button", class: classes.join(" "), "data-testid": "object-item", "data-annotation-id": annotation.id,
            onclick: () => onSelect(annotation.id),
          },
          h("span", { class: "ve-swatch", style: `background: ${cssColor(style.color)}` }),
          h("span", { class: "ve-object-name" }, `#${annotation.id} ${style.name}${keypoint ? ` · ${keypoint}` : ""}`),
          keypoint ? null : h("span", { class: "muted" }, TYPE_NAMES[annotation.type] || annotation.type),
          problemIds.has(annotation.id) ? h("span", { class: "ve-problem", title: "Needs attention" }, "!") : null,
        ),
      );
    }),
  );
}
