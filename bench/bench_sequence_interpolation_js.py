"""Benchmark the sequence editor's interpolation after an edit (frontend_static/editors/tracks/): the whole
label re-interpolated by interpolateSequenceLabel (what every pointer move of a drag cost before), against
InterpolationCache, which re-interpolates only the edited track. Bounding-box tracks with a keyframe every 10
frames; the edit moves one keyframe of one track, as one step of a drag does. The label's JSON round trip,
which the editor also pays per change, is printed for scale.

Run from the repository root: `.venv/bin/python bench/bench_sequence_interpolation_js.py` (needs `node`).
Prints the machine, then the median of RUNS edits per size. No hard target: a drag should stay well under a
frame budget of 16 ms on the 1,000 x 20 case.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402

RUNS = 15
SIZES = [(1000, 20), (3000, 50)]
SCRIPT = """
import { InterpolationCache } from "%(cache)s";
import { interpolateSequenceLabel } from "%(reference)s";
const [FRAMES, TRACKS, RUNS] = [%(frames)d, %(tracks)d, %(runs)d];
const frames = Array.from({ length: FRAMES }, () => ({ annotations: [], image_attributes: {} }));
for (let track = 1; track <= TRACKS; track += 1) {
  for (let frame = 0; frame < FRAMES; frame += 10) {
    const x = (track * 37 + frame) %% 900;
    frames[frame].annotations.push({ id: track, track_id: track, category_id: 1, type: "bbox", is_keyframe: true,
      points: [[x, 10 + track], [x + 40, 60 + track]] });
  }
}
const label = { format_version: "0.2", frames };
const json = JSON.stringify(label);
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const full = [], cached = [], roundTrip = [];
const cache = new InterpolationCache();
cache.interpolate(JSON.parse(json));
for (let run = 0; run < RUNS; run += 1) {
  const edited = JSON.parse(json);
  edited.frames[500 %% FRAMES].annotations[0].points[0][0] += run + 1;  // one step of a drag
  let started = performance.now();
  const text = JSON.stringify(edited);
  const parsed = JSON.parse(text);
  roundTrip.push(performance.now() - started);
  started = performance.now();
  interpolateSequenceLabel(parsed);
  full.push(performance.now() - started);
  started = performance.now();
  cache.interpolate(JSON.parse(text));
  cached.push(performance.now() - started);
}
console.log(JSON.stringify({ full: median(full), cached: median(cached), roundTrip: median(roundTrip) }));
"""


def main() -> None:
    print(describe_machine())
    node = subprocess.check_output(["node", "--version"], text=True).strip()
    print(f"one keyframe moved, median of {RUNS} edits (Node {node}); keyframes every 10 frames, bounding boxes")
    print(f"{'frames x tracks':<18} {'whole label':>12} {'cached':>10} {'JSON round trip':>16}")
    for frames, tracks in SIZES:
        script = SCRIPT % {
            "cache": (ROOT / "frontend_static/editors/tracks/interpolation-cache.js").as_uri(),
            "reference": (ROOT / "frontend_static/editors/tracks/interpolation.js").as_uri(),
            "frames": frames,
            "tracks": tracks,
            "runs": RUNS,
        }
        output = subprocess.run(
            ["node", "--input-type=module", "-e", script], check=True, capture_output=True, text=True, timeout=600
        ).stdout
        figures = json.loads(output)
        print(
            f"{f'{frames:,} x {tracks}':<18} {figures['full']:9.1f} ms {figures['cached']:7.1f} ms "
            f"{figures['roundTrip']:13.1f} ms"
        )


if __name__ == "__main__":
    main()
