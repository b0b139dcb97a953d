// The segmentation view's side of "Compare with" (editor-core/reference.js), for single images: another label
// set's mask of the photo (a model's predictions), read-only, drawn under the edited mask as outlines in the
// category colours over a faint tint. The Pick tool (I, or Alt+click) on a pixel also picks the reference
// instance there; copying puts the picked instance (else the one under the pointer) into the edited mask as a new
// instance, as one undo step (the "only unlabeled" toggle applies: existing instances are then kept).

import { h } from "../../editor-core/dom.js";
import { instancesFromLabel, nextInstanceId } from "./label.js";
import { loadBitmap } from "./loading.js";
import { packColor } from "./render.js";

const TINT_OPACITY = 0.15;

/**
 * The display pixels of a reference mask: the outline of every instance (a pixel with a 4-neighbour of another id,
 * or on the border) in `colorOf(id)`, its inside tinted. Pure.
 * @param {{width: number, height: number, ids: Uint32Array}} mask
 * @param {(id: number) => [number, number, number]} colorOf [r, g, b] of an instance
 * @returns {Uint8ClampedArray<ArrayBuffer>} RGBA, row-major
 */
export function outlinePixels(mask, colorOf) {
  const { width, height, ids } = mask;
  const pixels = new Uint8ClampedArray(new ArrayBuffer(width * height * 4));
  const words = new Uint32Array(pixels.buffer);
  const looks = new Map();
  let lastId = 0;
  let outline = 0;
  let tint = 0;
  for (let y = 0, index = 0; y < height; y += 1) {
    const border = y === 0 || y === height - 1;
    for (let x = 0; x < width; x += 1, index += 1) {
      const id = ids[index];
      if (id === 0) continue;
      if (id !== lastId) { // runs of one id are the common case: look its colours up once per run
        if (!looks.has(id)) looks.set(id, [packColor(colorOf(id), 1), packColor(colorOf(id), TINT_OPACITY)]);
        [outline, tint] = looks.get(id);
        lastId = id;
      }
      const edge = border || x === 0 || x === width - 1
        || ids[index - 1] !== id || ids[index + 1] !== id || ids[index - width] !== id || ids[index + width] !== id;
      words[index] = edge ? outline : tint;
    }
  }
  return pixels;
}

/**
 * Write `toId` into `mask` (through `change`) wherever `reference` has `fromId` and `canWrite(old, toId)` allows.
 * Returns how many pixels of the reference instance there were.
 */
export function copyInstancePixels(mask, change, reference, fromId, toId, canWrite) {
  const source = reference.ids;
  let found = 0;
  for (let index = 0; index < source.length; index += 1) {
    if (source[index] !== fromId) continue;
    found += 1;
    if (canWrite(mask.ids[index], toId)) change.write(mask, index, toId);
  }
  return found;
}

/** Give the single-image segmentation view (SegmentationEditor) the reference part of the EditorView contract. */
export function attachReference(editor) {
  const state = { mask: null, instances: [], labelset: null, pickedId: null, canvas: null, loading: 0 };
  const pickAt = editor.pickAt.bind(editor);
  editor.pickAt = (pixel) => {
    const id = referenceIdAt(state, pixel);
    if (id) state.pickedId = id;
    pickAt(pixel);
  };
  editor.showReference = (attributes, labelset) => showReference(editor, state, attributes, labelset);
  editor.referenceObjects = () => state.instances.map((instance) => ({ id: instance.id, name: `#${instance.id} ${categoryName(editor, instance)}` }));
  editor.copyFromReference = (ids) => copyFromReference(editor, state, ids);
  editor.referenceState = state; // for tests and the console
}

async function showReference(editor, state, attributes, labelset) {
  const loading = (state.loading += 1);
  Object.assign(state, { mask: null, instances: [], labelset, pickedId: null });
  const parsed = instancesFromLabel(attributes);
  if (attributes && parsed.bitmapUrl) {
    try {
      const mask = await loadBitmap(parsed.bitmapUrl, editor.mask.width, editor.mask.height);
      if (loading !== state.loading) return; // another choice was made meanwhile
      Object.assign(state, { mask, instances: parsed.instances });
    } catch (error) {
      editor.flash(`The mask of ${labelset} could not be shown: ${error.message}`);
    }
  }
  draw(editor, state);
}

function draw(editor, state) {
  if (!state.canvas) {
    state.canvas = h("canvas", { class: "seg-reference", "data-testid": "reference-layer" });
    editor.world.insertBefore(state.canvas, editor.canvas);
  }
  const { width, height } = editor.mask;
  Object.assign(state.canvas, { width, height });
  Object.assign(state.canvas.style, { width: `${width}px`, height: `${height}px` });
  state.canvas.dataset.labelset = state.mask ? state.labelset : "";
  state.canvas.dataset.instances = String(state.mask ? state.instances.length : 0);
  if (!state.mask) return;
  const byId = new Map(state.instances.map((instance) => [instance.id, instance]));
  const colorOf = (id) => editor.colorOfCategory(byId.has(id) ? byId.get(id).category_id : null);
  const pixels = outlinePixels(state.mask, colorOf);
  state.canvas.getContext("2d").putImageData(new ImageData(pixels, width, height), 0, 0);
}

function referenceIdAt(state, pixel) {
  if (!state.mask || !pixel) return 0;
  const [x, y] = pixel;
  if (x < 0 || y < 0 || x >= state.mask.width || y >= state.mask.height) return 0;
  return state.mask.ids[y * state.mask.width + x];
}

function copyFromReference(editor, state, ids) {
  if (!state.mask || !editor.canWrite) return 0;
  const wanted = ids || [state.pickedId || referenceIdAt(state, editor.cursor)].filter(Boolean);
  const instances = state.instances.filter((instance) => wanted.includes(instance.id));
  if (!instances.length) return 0;
  const change = editor.beginEdit({ instancesBefore: editor.cloneInstances() });
  let lastId = null;
  for (const source of instances) {
    const { id: _id, ...rest } = structuredClone(source);
    const id = nextInstanceId(editor.instances, editor.counts);
    editor.instances.push({ ...rest, id });
    copyInstancePixels(editor.mask, change, state.mask, source.id, id, editor.writeRule());
    lastId = id;
  }
  editor.selectedId = lastId;
  state.pickedId = null;
  editor.renderMask(change.isEmpty ? null : change.box);
  editor.finishEdit();
  return instances.length;
}

function categoryName(editor, instance) {
  const category = editor.categoriesById.get(instance.category_id);
  return category ? category.name : `category ${instance.category_id}`;
}
