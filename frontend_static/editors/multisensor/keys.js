// Key bindings of the multi-sensor editor, checked before the bindings of the view under the pointer (keyboard
// focus follows the pointer: the 3D view's keys when it is over the point cloud, the camera's over a camera).
// The help panel is generated from these tables and docs/editors.md lists them (a node test keeps it in step).

/** @type {import("../../editor-core/keymap.js").Binding[]} */
export const MULTISENSOR_BINDINGS = [
  { keys: ["T"], action: "enlarge", group: "Sensors", help: "Show the sensor under the pointer in the big slot (the other sensors go to the strip)" },
  { keys: ["O"], action: "lidar-overlay", group: "Sensors", help: "Lidar points in the cameras on / off (coloured by depth)" },
  { keys: ["R"], action: "box-from-cuboid", group: "Sensors", help: "In a camera: create the 2D box of the selected cuboid's projection in this frame, linked to its track" },
  { keys: ["J"], action: "link-box", group: "Sensors", help: "In a camera: link the selected 2D box to the selected cuboid (again: unlink)" },
  { keys: ["Click projection"], group: "Sensors", help: "In a camera: select the cuboid of a projected box (Select tool)" },
  { keys: ["Pointer"], group: "Sensors", help: "Keys go to the view under the pointer: the 3D view's keys over the point cloud, the camera's over a camera" },
];

/** Frame actions the multi-sensor editor runs for every sensor at once (one timeline). */
export const SHARED_FRAME_ACTIONS = new Set(["frame-previous", "frame-next", "frame-first", "frame-last", "play"]);
