// The tool rail: one button per tool with an icon, its name and its shortcut key.

import { h, s } from "../../editor-core/dom.js";

/** Tool name -> {label, key, hint, icon (SVG children in a 20x20 box)}. */
export const TOOLS = {
  select: {
    label: "Select",
    key: "V",
    hint: "Click an object to select it · drag to move · drag handles to reshape · double-click an edge to add a vertex",
    icon: () => [s("path", { d: "M5 3 L5 16 L8.5 12.5 L11 18 L13 17 L10.5 11.5 L15 11.5 Z" })],
  },
  bbox: {
    label: "Box",
    key: "B",
    hint: "Press and drag to draw a bounding box",
    icon: () => [s("rect", { x: 3.5, y: 5.5, width: 13, height: 9 })],
  },
  polygon: {
    label: "Polygon",
    key: "P",
    hint: "Click to add vertices · click the first vertex or press Enter to close · Backspace removes the last",
    icon: () => [s("polygon", { points: "10,3 17,8 14.5,16.5 5.5,16.5 3,8" })],
  },
  polyline: {
    label: "Polyline",
    key: "L",
    hint: "Click to add points · double-click or press Enter to finish · Backspace removes the last",
    icon: () => [s("polyline", { points: "2.5,15 7,6 12,13 17.5,4" })],
  },
  point: {
    label: "Keypoint",
    key: "N",
    hint: "Click to place a keypoint",
    icon: () => [s("circle", { cx: 10, cy: 10, r: 3 }), s("path", { d: "M10 2 V6 M10 14 V18 M2 10 H6 M14 10 H18" })],
  },
};

export function toolButton(tool, { disabled }, onPick) {
  const spec = TOOLS[tool];
  return h(
    "button",
    {
      type: "button",
      class: "ve-tool",
      "data-testid": `tool-${tool}`,
      "data-tool": tool,
      title: `${spec.label} (${spec.key})`,
      "aria-pressed": "false",
      disabled,
      onclick: (event) => {
        event.currentTarget.blur();
        onPick();
      },
    },
    s("svg", { viewBox: "0 0 20 20", class: "ve-tool-icon", "aria-hidden": "true" }, spec.icon()),
    h("span", { class: "ve-tool-label" }, spec.label),
    h("kbd", {}, spec.key),
  );
}
