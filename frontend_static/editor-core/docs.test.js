// docs/editors.md lists every key binding of every editor (the tables the help panels are generated from).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { CUBOID_BINDINGS, CUBOID_SEQUENCE_BINDINGS } from "../editors/cuboid/keys.js";
import { POINTCLOUD_FRAME_BINDINGS, POINTCLOUD_SEGMENTATION_BINDINGS } from "../editors/pointcloud-segmentation/shortcuts.js";
import { POINTCLOUD_VECTOR_BINDINGS, POINTCLOUD_VECTOR_FRAME_BINDINGS } from "../editors/pointcloud-vector/shortcuts.js";
import { MULTISENSOR_BINDINGS } from "../editors/multisensor/keys.js";
import { MASK_FRAME_BINDINGS } from "../editors/segmentation-sequence/mask-frames.js";
import { SEGMENTATION_BINDINGS } from "../editors/segmentation/shortcuts.js";
import { TRACK_BINDINGS } from "../editors/tracks/keyboard.js";
import { VECTOR_BINDINGS } from "../editors/vector/keys.js";
import { SHELL_BINDINGS } from "./keymap.js";

test("docs/editors.md documents every binding", () => {
  const docs = readFileSync(new URL("../../docs/editors.md", import.meta.url), "utf8");
  for (const binding of [...SHELL_BINDINGS, ...VECTOR_BINDINGS, ...TRACK_BINDINGS, ...SEGMENTATION_BINDINGS, ...MASK_FRAME_BINDINGS,
    ...CUBOID_BINDINGS, ...CUBOID_SEQUENCE_BINDINGS, ...POINTCLOUD_SEGMENTATION_BINDINGS, ...POINTCLOUD_FRAME_BINDINGS,
    ...POINTCLOUD_VECTOR_BINDINGS, ...POINTCLOUD_VECTOR_FRAME_BINDINGS, ...MULTISENSOR_BINDINGS]) {
    assert.ok(docs.includes(binding.help), `docs/editors.md lacks "${binding.help}"`);
  }
});
