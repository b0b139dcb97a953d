// Entry point of the image-segmentation-sequence editor page: composes the segmentation view (one frame's id
// mask) with the frames component (per-frame masks, track ids across frames, timeline) under the shell.

import { SegmentationEditor } from "../segmentation/segmentation-editor.js";
import { MaskFrames, storedFrame } from "./mask-frames.js";

/** Start the editor on the page: the config is the json_script "editor-config". */
export async function start() {
  const config = JSON.parse(document.getElementById("editor-config").textContent);
  const root = document.getElementById("segmentation-editor");
  const frames = config.sample.frames || [];
  // The segmentation view starts on frame 0: its photo and its stored frame label.
  const viewConfig = {
    ...config,
    sample: { ...config.sample, image_url: frames.length ? frames[0].image_url : null },
    label: config.label ? { ...config.label, attributes: storedFrame(config.label.attributes, 0) } : null,
  };
  let component = null;
  const editor = new SegmentationEditor(root, viewConfig, {
    toolbarStart: [],
    beforeMount: (view) => {
      component = new MaskFrames(view, config);
      view.shell.el.toolbar.children[0].after(component.controls);
      component.attach();
    },
  });
  window.segmentationEditor = editor;
  await editor.load();
  window.maskFrames = component;
  root.dataset.ready = "true";
  return editor;
}
