/**
 * Between the dataset form's rows and the SDK's `task_attributes` (tests/data/specs/segments-api.md §5).
 * Pure functions, tested by task-attributes.test.js.
 *
 * @typedef {{id: number|null, name: string, color: string, has_instances: boolean, extra?: object}} CategoryRow
 *   color "#rrggbb"; extra: the category's other keys, kept as they are
 * @typedef {{scope: string, name: string, input_type: string, values: string|string[],
 *   default_value: string, is_track_level: boolean}} AttributeRow
 */

/** "#rrggbb" -> [r, g, b] */
export function hexToRgb(hex) {
  const value = parseInt(hex.replace("#", ""), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** [r, g, b(, a)] -> "#rrggbb" */
export function rgbToHex(rgb) {
  return `#${rgb.slice(0, 3).map((c) => Number(c).toString(16).padStart(2, "0")).join("")}`;
}

/** One attribute row -> a TaskAttribute; the default is typed by the kind (none when left empty). */
export function toTaskAttribute(row) {
  const attribute = { name: row.name, input_type: row.input_type, is_track_level: Boolean(row.is_track_level) };
  const text = String(row.default_value ?? "").trim();
  if (row.input_type === "select") {
    const values = Array.isArray(row.values) ? row.values : String(row.values).split(",");
    attribute.values = values.map((v) => v.trim()).filter(Boolean);
  }
  if (text !== "") {
    if (row.input_type === "number") attribute.default_value = Number(text);
    else if (row.input_type === "checkbox") attribute.default_value = ["true", "yes", "1", "on"].includes(text.toLowerCase());
    else attribute.default_value = text;
  } else if (row.input_type === "checkbox") {
    attribute.default_value = false;
  }
  return attribute;
}

/**
 * The form's rows -> task_attributes. Rows without a name are dropped; categories keep their id, new ones get
 * the next free id; object attributes go to every category, image attributes to `image_attributes`.
 * @param {{categories: CategoryRow[], attributes: AttributeRow[], extra?: object}} rows
 */
export function toTaskAttributes({ categories, attributes, extra = {} }) {
  const named = categories.filter((c) => c.name);
  let nextId = Math.max(0, ...named.map((c) => c.id ?? 0)) + 1;
  const objectAttributes = attributes.filter((a) => a.name && a.scope !== "image").map(toTaskAttribute);
  const imageAttributes = attributes.filter((a) => a.name && a.scope === "image").map(toTaskAttribute);
  const result = { ...extra, format_version: "0.1" };
  result.categories = named.map((c) => {
    const category = { ...(c.extra || {}), id: c.id ?? nextId++, name: c.name, color: hexToRgb(c.color), has_instances: Boolean(c.has_instances) };
    if (objectAttributes.length) category.attributes = objectAttributes;
    else delete category.attributes;
    return category;
  });
  if (imageAttributes.length) result.image_attributes = imageAttributes;
  else delete result.image_attributes;
  return result;
}

/** task_attributes -> the form's rows (object attributes read from the first category that has some). */
export function fromTaskAttributes(taskAttributes) {
  const { categories = [], image_attributes: imageAttributes = [], ...extra } = taskAttributes || {};
  const objectAttributes = (categories.find((c) => (c.attributes || []).length) || {}).attributes || [];
  return {
    extra,
    categories: categories.map(({ id, name, color, has_instances: hasInstances, attributes: _attributes, ...rest }) => ({
      id, name, color: color ? rgbToHex(color) : "#888888", has_instances: hasInstances ?? false, extra: rest,
    })),
    attributes: [
      ...objectAttributes.map((a) => ({ ...a, scope: "object" })),
      ...imageAttributes.map((a) => ({ ...a, scope: "image" })),
    ],
  };
}
