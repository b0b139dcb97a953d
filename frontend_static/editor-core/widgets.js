// The widgets every editor's side panel shares: the category list, the attribute form and the list of a
// refused save's problems. Each returns fresh DOM built from plain data and reports input through callbacks.

import { isMissingValue } from "./attributes.js";
import { cssColor, h } from "./dom.js";

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
