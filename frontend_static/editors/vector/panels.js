// The editor's side panels: categories, the selected object (category and attributes), image attributes,
// the object list, save errors and the shortcut help. Each function returns fresh DOM built from plain data
// and reports user input through callbacks; the editor owns the state.

import { cssColor, h } from "../../editor-core/dom.js";
import { isMissingValue } from "./label-document.js";

const TYPE_NAMES = { bbox: "Bounding box", polygon: "Polygon", polyline: "Polyline", point: "Keypoint" };

/** The category picker: one button per category, numbered 1-9 for the keyboard. */
export function categoryList(categories, currentId, styleOf, onPick) {
  return h(
    "ol",
    { class: "ve-categories", "data-testid": "category-list" },
    categories.map((category, index) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            class: `ve-category${category.id === currentId ? " is-current" : ""}`,
            "data-testid": `category-${category.id}`,
            "aria-pressed": category.id === currentId ? "true" : "false",
            title: index < 9 ? `Shortcut: ${index + 1}` : "",
            onclick: () => onPick(category.id),
          },
          h("span", { class: "ve-swatch", style: `background: ${cssColor(styleOf(category.id).color)}` }),
          h("span", { class: "ve-category-name" }, category.name),
          index < 9 ? h("kbd", {}, String(index + 1)) : null,
        ),
      ),
    ),
  );
}

/**
 * The selected object's panel. `actions`: onCategory(id), onAttribute(name, value), onDelete().
 * `missing` names unfilled mandatory attributes; `errors` are server messages about this object.
 */
export function objectPanel(annotation, { categories, definitions, missing, errors, readOnly }, actions) {
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
      h("span", { class: "muted" }, TYPE_NAMES[annotation.type] || annotation.type),
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

/**
 * A form for attribute definitions ({name, input_type, values, default_value, min, max, step,
 * is_mandatory}) showing `values`; calls onChange(name, value) with undefined for "cleared".
 */
export function attributeForm(definitions, values, onChange, { testidPrefix, missing = [], readOnly = false }) {
  const fields = (definitions || []).map((definition) => {
    const isMissing = missing.includes(definition.name);
    const id = `${testidPrefix}-${definition.name}`.replace(/[^\w-]/g, "_");
    const input = attributeInput(definition, values[definition.name], (value) => onChange(definition.name, value));
    for (const control of input.matches("input, select") ? [input] : input.querySelectorAll("input")) {
      control.disabled = readOnly;
    }
    input.dataset.testid = `${testidPrefix}-${definition.name}`;
    if (input.matches("input, select")) input.id = id;
    return h(
      "div",
      { class: `ve-field${isMissing ? " is-missing" : ""}` },
      h(
        "label",
        { class: "ve-field-name", for: input.matches("input, select") ? id : null },
        definition.name,
        definition.is_mandatory ? h("span", { class: "ve-required", title: "Required to mark labeled" }, " *") : null,
      ),
      input,
      isMissing ? h("span", { class: "ve-field-hint" }, "Required") : null,
    );
  });
  return h("div", { class: "ve-attributes" }, fields);
}

function attributeInput(definition, value, onChange) {
  switch (definition.input_type) {
    case "select":
      return h(
        "select",
        { onchange: (event) => onChange(event.target.value === "" ? undefined : event.target.value) },
        h("option", { value: "", selected: isMissingValue(definition, value) }, "—"),
        (definition.values || []).map((option) => h("option", { value: option, selected: option === value }, option)),
      );
    case "multiselect":
      return multiselectInput(definition, Array.isArray(value) ? value : [], onChange);
    case "checkbox":
      return h("input", { type: "checkbox", checked: value === true, onchange: (event) => onChange(event.target.checked) });
    case "number":
      return h("input", {
        type: "number", value: value ?? "", min: definition.min ?? null, max: definition.max ?? null,
        step: definition.step || "any",
        onchange: (event) => onChange(event.target.value === "" ? undefined : Number(event.target.value)),
      });
    default:
      return h("input", {
        type: "text", value: value ?? "",
        onchange: (event) => onChange(event.target.value === "" ? undefined : event.target.value),
      });
  }
}

function multiselectInput(definition, chosen, onChange) {
  const boxes = (definition.values || []).map((option) =>
    h(
      "label",
      { class: "ve-check" },
      h("input", {
        type: "checkbox", value: option, checked: chosen.includes(option),
        onchange: (event) => {
          const next = new Set(chosen);
          if (event.target.checked) next.add(option);
          else next.delete(option);
          onChange((definition.values || []).filter((item) => next.has(item)));
        },
      }),
      option,
    ),
  );
  return h("div", { class: "ve-multiselect" }, boxes);
}

/** Every object, in drawing order; click to select. `problemIds` are objects with errors or missing fields. */
export function objectList(annotations, { selectedId, styleOf, problemIds }, onSelect) {
  if (!annotations.length) return h("p", { class: "muted ve-empty" }, "No objects yet. Pick a tool and draw.");
  return h(
    "ul",
    { class: "ve-object-list", "data-testid": "object-list" },
    annotations.map((annotation) => {
      const style = styleOf(annotation);
      const classes = ["ve-object-item"];
      if (annotation.id === selectedId) classes.push("is-selected");
      if (problemIds.has(annotation.id)) classes.push("has-problem");
      return h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: classes.join(" "), onclick: () => onSelect(annotation.id) },
          h("span", { class: "ve-swatch", style: `background: ${cssColor(style.color)}` }),
          h("span", { class: "ve-object-name" }, `#${annotation.id} ${style.name}`),
          h("span", { class: "muted" }, TYPE_NAMES[annotation.type] || annotation.type),
          problemIds.has(annotation.id) ? h("span", { class: "ve-problem", title: "Needs attention" }, "!") : null,
        ),
      );
    }),
  );
}

/** The server's reasons for rejecting a save: [{text, message}] from describeErrorPath plus the message. */
export function errorList(detail, items, onSelect) {
  return h(
    "div",
    { class: "ve-errors", role: "alert", "data-testid": "save-errors" },
    h("strong", {}, "The label was not saved"),
    // The detail repeats the items in one line; show it only when there is no list to show instead.
    items.length ? h("p", {}, `The server found ${items.length} problem${items.length > 1 ? "s" : ""}:`) : h("p", {}, detail),
    items.length
      ? h(
          "ul",
          {},
          items.map((item) =>
            h(
              "li",
              {},
              h(
                item.annotationId !== null ? "button" : "div",
                {
                  type: item.annotationId !== null ? "button" : null,
                  class: "ve-error-item",
                  title: item.annotationId !== null ? "Select this object" : null,
                  onclick: item.annotationId !== null ? () => onSelect(item.annotationId) : null,
                },
                h("strong", {}, item.text),
                h("span", {}, item.message),
              ),
            ),
          ),
        )
      : null,
  );
}
