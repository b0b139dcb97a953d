// Categories and attributes as every editor shows and fills them: category colours, attribute defaults,
// reconciling an object's attributes with its category's definitions, mandatory attributes left empty. Pure.

// Colors for categories configured without one: distinct, readable on photos.
const PALETTE = [
  [230, 57, 70], [42, 157, 143], [69, 123, 157], [244, 162, 97], [131, 56, 236], [255, 190, 11],
  [58, 134, 255], [251, 86, 7], [106, 153, 78], [255, 0, 110],
];

/** The category's stroke color as [r, g, b]: its configured color (alpha ignored), else a palette color. */
export function categoryColor(category, index = 0) {
  const color = category && Array.isArray(category.color) && category.color.length >= 3 ? category.color : null;
  return color ? color.slice(0, 3) : PALETTE[Math.abs(index) % PALETTE.length];
}

/** Initial values for attribute definitions: each default_value; a checkbox without one is false. */
export function defaultAttributeValues(definitions) {
  const values = {};
  for (const definition of definitions || []) {
    const fallback = defaultValue(definition);
    if (fallback !== undefined) values[definition.name] = fallback;
  }
  return values;
}

function defaultValue(definition) {
  const value = definition.default_value;
  if (definition.input_type === "checkbox") return typeof value === "boolean" ? value : false;
  if (value === undefined || value === null || value === "") return undefined;
  if (definition.input_type === "multiselect") return Array.isArray(value) ? [...value] : [String(value)];
  if (definition.input_type === "number") return Number(value);
  return value;
}

/**
 * The object attributes for `definitions` (a category's attribute list) given the current `values`:
 * values of attributes the definitions still name are kept, missing ones get their defaults. Returns
 * undefined when there are no definitions and no values, so objects of plain categories carry no
 * `attributes` key at all.
 */
export function reconcileAttributes(definitions, values) {
  if (!(definitions || []).length) return values && Object.keys(values).length ? values : undefined;
  const result = defaultAttributeValues(definitions);
  for (const definition of definitions) {
    if (values && values[definition.name] !== undefined) result[definition.name] = values[definition.name];
  }
  return result;
}

/** Whether `value` counts as "not filled in" for the attribute `definition`. */
export function isMissingValue(definition, value) {
  if (value === undefined || value === null || value === "") return true;
  if (definition.input_type === "multiselect") return !Array.isArray(value) || value.length === 0;
  return false;
}

/** Names of mandatory attributes in `definitions` that `values` leaves unfilled. */
export function missingMandatory(definitions, values) {
  return (definitions || [])
    .filter((definition) => definition.is_mandatory && isMissingValue(definition, (values || {})[definition.name]))
    .map((definition) => definition.name);
}

