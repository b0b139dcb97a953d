// Tiny element builders, so the panels read like the markup they produce.

const SVG_NS = "http://www.w3.org/2000/svg";

function apply(element, props, children, setAttribute) {
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name === "text") element.textContent = value;
    else setAttribute(element, name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An HTML element: h("button", {class: "btn", onclick: fn, "data-testid": "x"}, "Label"). */
export function h(tag, props = {}, ...children) {
  const setAttribute = (element, name, value) => {
    if (name in element && !name.includes("-") && name !== "list" && name !== "form") element[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  };
  return apply(document.createElement(tag), props, children, setAttribute);
}

/** An SVG element; every prop becomes an attribute. */
export function s(tag, props = {}, ...children) {
  return apply(document.createElementNS(SVG_NS, tag), props, children, (el, n, v) => el.setAttribute(n, String(v)));
}

/** Replace all children of `element`. */
export function replaceChildren(element, ...children) {
  element.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
}

/** "rgb(r, g, b)" or "rgba(r, g, b, a)" for a [r, g, b] color. */
export function cssColor(rgb, alpha = 1) {
  return alpha === 1 ? `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})` : `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})`;
}
