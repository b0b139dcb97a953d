// The side panel and toolbar of the segmentation editor, built from plain data. Each function returns an
// element; the editor re-renders a panel whenever what it shows changes.

import { cssColor, h } from "../../editor-core/dom.js";
import { attributeForm } from "../../editor-core/widgets.js";


export const TOOLS = [
  { name: "brush", key: "B", title: "Brush" },
  { name: "eraser", key: "E", title: "Eraser" },
  { name: "polygon", key: "P", title: "Polygon fill" },
  { name: "fill", key: "F", title: "Bucket fill" },
  { name: "pick", key: "I", title: "Pick instance" },
];

/** Tool buttons, brush size, "only unlabeled" and fill options. `state` is the editor's tool state. */
export function toolbar(state, actions) {
  const tools = TOOLS.map((tool) =>
    h(
      "button",
      {
        type: "button", class: `btn seg-tool${state.tool === tool.name ? " is-active" : ""}`,
        "aria-pressed": String(state.tool === tool.name), title: `${tool.title} (${tool.key})`,
        "data-testid": `tool-${tool.name}`, onclick: () => actions.setTool(tool.name),
      },
      tool.title,
    ),
  );
  return h(
    "div",
    { class: "seg-toolbar-row" },
    h("div", { class: "seg-tools", role: "group", "aria-label": "Tools" }, tools),
    h(
      "label",
      { class: "seg-option" },
      "Size ",
      h("input", {
        type: "range", min: 1, max: 200, value: state.brushSize, "data-testid": "brush-size",
        oninput: (event) => actions.setBrushSize(Number(event.target.value)),
      }),
      h("span", { class: "seg-size", "data-testid": "brush-size-value" }, `${state.brushSize}px`),
    ),
    h(
      "label",
      { class: "seg-option", title: "Paint only unlabeled pixels (U)" },
      h("input", {
        type: "checkbox", checked: state.onlyUnlabeled, "data-testid": "only-unlabeled",
        onchange: (event) => actions.setOnlyUnlabeled(event.target.checked),
      }),
      " Only unlabeled",
    ),
    h(
      "label",
      { class: "seg-option" },
      "Fill by ",
      h(
        "select",
        { "data-testid": "fill-mode", onchange: (event) => actions.setFillMode(event.target.value) },
        h("option", { value: "mask", selected: state.fillMode === "mask" }, "mask region"),
        h("option", { value: "photo", selected: state.fillMode === "photo" }, "photo colour"),
      ),
      h("input", {
        type: "number", min: 0, max: 255, value: state.tolerance, class: "seg-tolerance", title: "Colour tolerance",
        "data-testid": "fill-tolerance", onchange: (event) => actions.setTolerance(Number(event.target.value)),
      }),
    ),
  );
}

/** Category buttons (digit shortcuts); `currentId` is the category new instances get. */
export function categoryPanel(categories, currentId, colorOf, onPick) {
  return h(
    "div",
    { class: "seg-section" },
    h("h3", {}, "Categories"),
    h(
      "ul",
      { class: "seg-categories" },
      categories.map((category, index) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button", class: `seg-category${category.id === currentId ? " is-current" : ""}`,
              "data-testid": `category-${category.id}`, onclick: () => onPick(category.id),
            },
            h("span", { class: "seg-swatch", style: `background:${cssColor(colorOf(category.id))}` }),
            category.name,
            index < 9 ? h("kbd", {}, String(index + 1)) : null,
          ),
        ),
      ),
    ),
  );
}

/** The instance list: swatch, id, category, pixel count, visibility and opacity, delete. */
export function instancePanel(instances, { selectedId, counts, categoriesById, look, colorOf }, actions) {
  const rows = instances.map((instance) => {
    const category = categoriesById.get(instance.category_id);
    const { visible, opacity } = look(instance.id);
    return h(
      "li",
      {
        class: `seg-instance${instance.id === selectedId ? " is-selected" : ""}`,
        "data-testid": `instance-${instance.id}`,
        "aria-current": instance.id === selectedId ? "true" : null,
        onclick: (event) => {
          if (!event.target.closest("input, button")) actions.select(instance.id);
        },
      },
      h("span", { class: "seg-swatch", style: `background:${cssColor(colorOf(instance.category_id))}` }),
      h("span", { class: "seg-instance-name" }, `#${instance.id} ${category ? category.name : "no category"}`),
      h("span", { class: "muted seg-count" }, `${counts.get(instance.id) || 0} px`),
      h("input", {
        type: "checkbox", checked: visible, title: "Visible (H)", "data-testid": `instance-visible-${instance.id}`,
        onchange: (event) => actions.setLook(instance.id, { visible: event.target.checked }),
      }),
      h("input", {
        type: "range", min: 0, max: 100, value: Math.round(opacity * 100), title: "Opacity",
        class: "seg-opacity", "data-testid": `instance-opacity-${instance.id}`,
        oninput: (event) => actions.setLook(instance.id, { opacity: Number(event.target.value) / 100 }),
      }),
      h(
        "button",
        {
          type: "button", class: "seg-delete", title: "Delete instance (Delete)",
          "data-testid": `instance-delete-${instance.id}`, onclick: () => actions.remove(instance.id),
        },
        "✕",
      ),
    );
  });
  return h(
    "div",
    { class: "seg-section" },
    h(
      "h3",
      {},
      "Instances ",
      h("button", { type: "button", class: "btn seg-small", "data-testid": "new-instance", onclick: actions.create }, "New (N)"),
    ),
    rows.length
      ? h("ul", { class: "seg-instances" }, rows)
      : h("p", { class: "muted" }, "No instances yet. Pick a category and paint."),
  );
}

/** Category and object attributes of the selected instance. */
export function selectedPanel(instance, { categories, categoriesById, missing, readOnly }, actions) {
  if (!instance) return h("div", { class: "seg-section muted" }, "Select an instance (I, or click it in the list).");
  const category = categoriesById.get(instance.category_id);
  return h(
    "div",
    { class: "seg-section", "data-testid": "selected-instance" },
    h("h3", {}, `Instance #${instance.id}`),
    h(
      "label",
      { class: "seg-field" },
      "Category ",
      h(
        "select",
        {
          "data-testid": "instance-category", disabled: readOnly,
          onchange: (event) => actions.setCategory(instance.id, Number(event.target.value)),
        },
        instance.category_id === null ? h("option", { value: "", selected: true }, "— choose —") : null,
        categories.map((option) => h("option", { value: option.id, selected: option.id === instance.category_id }, option.name)),
      ),
    ),
    category && (category.attributes || []).length
      ? attributeForm(category.attributes, instance.attributes || {}, (name, value) => actions.setAttribute(instance.id, name, value), {
          testidPrefix: "object-attribute", missing, readOnly,
        })
      : null,
  );
}

/** Image attributes as configured in the dataset's task attributes. */
export function imagePanel(definitions, values, { missing, readOnly }, onChange) {
  if (!(definitions || []).length) return null;
  return h(
    "div",
    { class: "seg-section" },
    h("h3", {}, "Image attributes"),
    attributeForm(definitions, values, onChange, { testidPrefix: "image-attribute", missing, readOnly }),
  );
}

/** Label status buttons, save buttons, navigation and the save message. */
/** The view's own message (load problems, local checks, a refused save's reasons); null shows nothing. */
export function messagePanel(message) {
  return message ? messageBox(message) : null;
}

function messageBox(message) {
  return h(
    "div",
    { class: `seg-message is-${message.kind}`, role: message.kind === "error" ? "alert" : "status", "data-testid": message.kind === "error" ? "save-error" : "save-message" },
    h("div", {}, message.text),
    (message.items || []).length ? h("ul", {}, message.items.map((item) => h("li", {}, item))) : null,
  );
}
