""" "Compare with" in the segmentation editor (frontend_static/editors/segmentation/reference.js) on a 6000x4000 id
mask in Node: drawing the reference mask (outlinePixels: the outline and tint of 20 instances of 900x900, one pass
over the mask) and copying a 1500x1500 reference instance into the edited mask (copyInstancePixels, recorded for
undo in a MaskChange). No target: printed for information (both run once per choice / copy, not per frame).

Run from the repository root: `.venv/bin/python bench/bench_compare.py` (needs `node`). Prints the machine, then the
median wall time of RUNS runs of each step.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402

RUNS = 5
SCRIPT = """
import { copyInstancePixels, outlinePixels } from "%(reference)s";
import { MaskChange, createMask, writeRule } from "%(mask)s";
const W = 6000, H = 4000, RUNS = %(runs)d;
const block = (ids, x0, y0, size, id) => {
  for (let y = y0; y < y0 + size; y += 1) ids.fill(id, y * W + x0, y * W + x0 + size);
};
const reference = createMask(W, H);
for (let i = 0; i < 20; i += 1) block(reference.ids, (i %% 5) * 1100, Math.floor(i / 5) * 950, 900, i + 1);
block(reference.ids, 200, 200, 1500, 21);
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const outlines = [], copies = [];
let copied = 0;
for (let run = 0; run < RUNS; run += 1) {
  let started = performance.now();
  outlinePixels(reference, () => [230, 57, 70]);
  outlines.push(performance.now() - started);
  const mask = createMask(W, H);
  started = performance.now();
  const change = new MaskChange();
  copyInstancePixels(mask, change, reference, 21, 1, writeRule());
  copies.push(performance.now() - started);
  copied = change.length;
}
console.log(JSON.stringify({ outline: median(outlines), copy: median(copies), copied }));
"""


def main() -> None:
    modules = ROOT / "frontend_static/editors/segmentation"
    script = SCRIPT % {
        "reference": (modules / "reference.js").as_uri(),
        "mask": (modules / "mask.js").as_uri(),
        "runs": RUNS,
    }
    output = subprocess.run(
        ["node", "--input-type=module", "-e", script], check=True, capture_output=True, text=True, timeout=300
    ).stdout
    figures = json.loads(output)
    print(describe_machine())
    print(f"6000x4000 reference mask, median of {RUNS} runs (Node {node_version()}):")
    print(f"  draw the reference (outline + tint):  {figures['outline']:8.1f} ms")
    print(f"  copy a 1500x1500 instance (undoable): {figures['copy']:8.1f} ms ({figures['copied']} pixels)")


def node_version() -> str:
    return subprocess.run(["node", "--version"], check=True, capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    main()
