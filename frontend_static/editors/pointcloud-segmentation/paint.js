// Point colours of the point-cloud segmentation editor (editor.js): each point painted by its instance's
// category colour, the selection, or its height when unlabeled; hidden instances and categories painted as
// the background (and not selectable).

const SELECTED_COLOR = [1, 0.85, 0.1];
const BACKGROUND_RGB = [0x11 / 255, 0x14 / 255, 0x18 / 255];
const DIM = 0.25;

/** @typedef {import("./editor.js").PointCloudSegmentationEditor} PointCloudSegmentationEditor */

/**
 * The colour of every id as a lookup table: 4 floats per id (r, g, b in 0-1, hidden flag), ids up to the
 * largest instance id (few: instances, not points). Rebuilt on every recolour.
 */
export function colorTable(editor) {
  let maxId = 0;
  for (const instance of editor.instances) maxId = Math.max(maxId, instance.id);
  const table = new Float32Array(4 * (maxId + 1));
  for (let id = 1; id <= maxId; id += 1) table.set([0.5, 0.5, 0.5, 0], 4 * id);
  for (const instance of editor.instances) {
    const rgb = editor.colorOfCategory(instance.category_id);
    const hidden = editor.hiddenIds.has(instance.id) || editor.hiddenCategories.has(instance.category_id) || editor.labeledMode === "hide";
    const factor = (editor.labeledMode === "dim" && instance.id !== editor.selectedId ? DIM : 1) / 255;
    table.set([rgb[0] * factor, rgb[1] * factor, rgb[2] * factor, hidden ? 1 : 0], 4 * instance.id);
  }
  return table;
}

/** Recolour every point (indices null) or only `indices` (file point indices), then draw. */
export function recolorPoints(editor, indices = null) {
  const colors = editor.colorAttribute.array;
  const table = editor.colorTable();
  const maxId = table.length / 4 - 1;
  const { ids } = editor.frame;
  const { selection, pointSlot, slotPoint, baseColors } = editor;
  const [sr, sg, sb] = SELECTED_COLOR;
  const [br, bg, bb] = BACKGROUND_RGB;
  const paint = (point, slot) => {
    const o = 3 * slot;
    const id = ids[point];
    if (selection[point]) {
      colors[o] = sr; colors[o + 1] = sg; colors[o + 2] = sb;
    } else if (id === 0) {
      const k = 3 * point;
      colors[o] = baseColors[k]; colors[o + 1] = baseColors[k + 1]; colors[o + 2] = baseColors[k + 2];
    } else if (id > maxId) {
      colors[o] = 0.5; colors[o + 1] = 0.5; colors[o + 2] = 0.5;
    } else if (table[4 * id + 3]) {
      colors[o] = br; colors[o + 1] = bg; colors[o + 2] = bb;
    } else {
      colors[o] = table[4 * id]; colors[o + 1] = table[4 * id + 1]; colors[o + 2] = table[4 * id + 2];
    }
  };
  if (indices) {
    for (let k = 0; k < indices.length; k += 1) {
      const slot = pointSlot[indices[k]];
      if (slot >= 0) paint(indices[k], slot);
    }
  } else {
    for (let slot = 0; slot < slotPoint.length; slot += 1) paint(slotPoint[slot], slot);
  }
  editor.colorAttribute.needsUpdate = true;
  editor.viewport.render();
}

/** Points that selection tools may pick: visible ones (and, in "only unlabeled" mode, unlabeled ones). */
export function eligiblePoints(editor) {
  const ids = editor.ids;
  const anyHidden = editor.labeledMode === "hide" || editor.hiddenIds.size > 0 || editor.hiddenCategories.size > 0;
  if (!anyHidden && !editor.tool.onlyUnlabeled) return null;
  const table = editor.colorTable(); // its 4th value per id: hidden
  const maxId = table.length / 4 - 1;
  const onlyUnlabeled = editor.tool.onlyUnlabeled;
  const out = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i += 1) {
    const id = ids[i];
    out[i] = id === 0 || (!onlyUnlabeled && !(id <= maxId && table[4 * id + 3])) ? 1 : 0;
  }
  return out;
}
