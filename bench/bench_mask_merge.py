"""Benchmark "keep both" in the mask editors (frontend_static/editors/segmentation/mask-merge.js) on a
6000x4000 id mask in Node: finding the instances they touched (pixelTouches, a pass over base and theirs) and
re-applying my pixel changes on their mask (mergeMaskIds). Mine repaints a 1500x1500 block with a new instance
and erases another; theirs repaints a 1000x1000 block elsewhere. No target: printed for information (the
merge runs once, after a conflict, while the editor shows itself busy).

Run from the repository root: `.venv/bin/python bench/bench_mask_merge.py` (needs `node`). Prints the machine,
then the median wall time of RUNS runs of each step.
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
import { mergeMaskIds, pixelTouches } from "%(module)s";
const W = 6000, H = 4000, RUNS = %(runs)d;
const block = (ids, x0, y0, size, id) => {
  for (let y = y0; y < y0 + size; y += 1) ids.fill(id, y * W + x0, y * W + x0 + size);
};
const base = new Uint32Array(W * H);
for (let i = 0; i < 20; i += 1) block(base, (i %% 5) * 1100, Math.floor(i / 5) * 950, 900, i + 1);
const mine = base.slice();
block(mine, 200, 200, 1500, 21);
block(mine, 4500, 2900, 900, 0);
const theirs = base.slice();
block(theirs, 3000, 1000, 1000, 22);
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const touches = [], merges = [];
let result;
for (let run = 0; run < RUNS; run += 1) {
  let started = performance.now();
  const touched = pixelTouches(base, theirs);
  touches.push(performance.now() - started);
  started = performance.now();
  result = mergeMaskIds(base, mine, theirs, touched);
  merges.push(performance.now() - started);
}
const figures = { touches: median(touches), merge: median(merges), applied: result.applied, dropped: result.dropped };
console.log(JSON.stringify(figures));
"""


def main() -> None:
    module = (ROOT / "frontend_static/editors/segmentation/mask-merge.js").as_uri()
    output = subprocess.run(
        ["node", "--input-type=module", "-e", SCRIPT % {"module": module, "runs": RUNS}],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    figures = json.loads(output)
    print(describe_machine())
    node = subprocess.check_output(["node", "--version"], text=True).strip()
    print(f"6000x4000 id mask, median of {RUNS} runs (Node {node})")
    print(f"{'touched instances (pixelTouches)':<40} {figures['touches']:7.1f} ms")
    print(f"{'re-apply my pixels (mergeMaskIds)':<40} {figures['merge']:7.1f} ms")
    print(f"{'my pixels re-applied / left theirs':<40} {figures['applied']:,} / {figures['dropped']:,}")


if __name__ == "__main__":
    main()
