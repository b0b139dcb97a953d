/**
 * The dataset form's categories and attributes editors. They read the SDK's `task_attributes` JSON from the
 * hidden field `#id_task_attributes` (settings page) and write it back on submit:
 * `{format_version, categories: [{id, name, color: [r,g,b], has_instances, attributes?}], image_attributes?}`.
 * Category ids are kept (labels refer to them); new categories get the next free id. Object attributes are
 * copied to every category.
 */
import { toTaskAttributes, fromTaskAttributes } from "./task-attributes.js";

const form = document.getElementById("dataset-form");
const field = /** @type {HTMLInputElement} */ (document.getElementById("id_task_attributes"));
const categoriesBody = document.querySelector("#categories tbody");
const attributesBody = document.querySelector("#attributes tbody");
const PALETTE = ["#e63946", "#2a9d8f", "#f4a261", "#457b9d", "#8338ec", "#ffbe0b", "#3a86ff", "#fb5607"];

let parsed = { categories: [{ id: 1, name: "", color: PALETTE[0], has_instances: true }], attributes: [] };
if (field.value) {
  try {
    parsed = fromTaskAttributes(JSON.parse(field.value));
  } catch {
    /* keep the defaults: the server reports the invalid JSON */
  }
}
let extra = parsed.extra || {};

function cell(content) {
  const td = document.createElement("td");
  if (content) td.append(content);
  return td;
}

function input(type, value, label, className) {
  const element = document.createElement("input");
  element.type = type;
  element.className = className;
  element.setAttribute("aria-label", label);
  if (type === "checkbox") element.checked = Boolean(value);
  else element.value = value ?? "";
  return element;
}

function button(text, label, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "btn small";
  element.textContent = text;
  element.setAttribute("aria-label", label);
  element.addEventListener("click", onClick);
  return element;
}

function addCategory(category) {
  const row = document.createElement("tr");
  row.dataset.id = category.id ?? "";
  const index = categoriesBody.children.length;
  const move = (step) => {
    const sibling = step < 0 ? row.previousElementSibling : row.nextElementSibling;
    if (sibling) step < 0 ? sibling.before(row) : sibling.after(row);
  };
  const order = document.createElement("span");
  order.append(button("↑", "Move up", () => move(-1)), button("↓", "Move down", () => move(1)));
  row.append(
    cell(order),
    cell(input("text", category.name, `Category ${index + 1} name`, "category-name")),
    cell(input("color", category.color || PALETTE[index % PALETTE.length], "Colour", "category-color")),
    cell(input("checkbox", category.has_instances ?? true, "Has instances", "category-instances")),
    cell(button("✕", "Remove category", () => row.remove())),
  );
  categoriesBody.append(row);
  return row;
}

function select(options, value, label, className) {
  const element = document.createElement("select");
  element.className = className;
  element.setAttribute("aria-label", label);
  for (const option of options) element.add(new Option(option, option, false, option === value));
  return element;
}

function addAttribute(attribute) {
  const row = document.createElement("tr");
  row.append(
    cell(select(["object", "image"], attribute.scope || "object", "Applies to", "attribute-scope")),
    cell(input("text", attribute.name, "Attribute name", "attribute-name")),
    cell(select(["select", "text", "number", "checkbox"], attribute.input_type || "select", "Kind", "attribute-kind")),
    cell(input("text", (attribute.values || []).join(", "), "Values", "attribute-values")),
    cell(input("text", attribute.default_value ?? "", "Default", "attribute-default")),
    cell(input("checkbox", attribute.is_track_level ?? false, "Track-level", "attribute-track-level")),
    cell(button("✕", "Remove attribute", () => row.remove())),
  );
  attributesBody.append(row);
  return row;
}

/**
 * The form control `selector` of a table row.
 * @param {Element} row
 * @param {string} selector
 * @returns {HTMLInputElement}
 */
function control(row, selector) {
  return /** @type {HTMLInputElement} */ (row.querySelector(selector));
}

function readForm() {
  const categories = /** @type {HTMLElement[]} */ ([...categoriesBody.children]).map((row) => ({
    id: row.dataset.id ? Number(row.dataset.id) : null,
    name: control(row, ".category-name").value.trim(),
    color: control(row, ".category-color").value,
    has_instances: control(row, ".category-instances").checked,
  }));
  const attributes = [...attributesBody.children].map((row) => ({
    scope: control(row, ".attribute-scope").value,
    name: control(row, ".attribute-name").value.trim(),
    input_type: control(row, ".attribute-kind").value,
    values: control(row, ".attribute-values").value,
    default_value: control(row, ".attribute-default").value,
    is_track_level: control(row, ".attribute-track-level").checked,
  }));
  return { categories, attributes, extra };
}

for (const category of parsed.categories) addCategory(category);
for (const attribute of parsed.attributes) addAttribute(attribute);
document.getElementById("add-category").addEventListener("click", () => {
  control(addCategory({}), ".category-name").focus();
});
document.getElementById("add-attribute").addEventListener("click", () => {
  control(addAttribute({}), ".attribute-name").focus();
});
form.addEventListener("submit", () => {
  field.value = JSON.stringify(toTaskAttributes(readForm()));
});
