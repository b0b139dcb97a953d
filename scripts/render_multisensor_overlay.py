"""Render the demo's calibration check by eye: a camera image of examples/pointcloud_sequence/ with the lidar
points (coloured by depth) and the ground-truth cuboids (white edges, clipped at the near plane) projected
through the calibration converted from calib/camera/*.json, exactly as the demo's samples store it.

Usage: .venv/bin/python scripts/render_multisensor_overlay.py [frame] [camera] [output.png]
(defaults: 000965 front /tmp/multisensor-<frame>-<camera>.png)
"""

import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from labeling.core.calibration import render_depth_overlay, visible_points  # noqa: E402
from labeling.core.pcd import read_pcd  # noqa: E402
from labeling.core.projection import camera_from_attributes, project_cuboid_edges  # noqa: E402
from labeling.core.sustech import calibrated_image, cuboid_from_psr  # noqa: E402

DEMO = ROOT / "examples" / "pointcloud_sequence"


def render(frame: str, camera_name: str) -> Image.Image:
    """The camera image at full size with the lidar points and the ground-truth cuboids drawn on it."""
    calibration = json.loads((DEMO / "calib" / "camera" / f"{camera_name}.json").read_text())
    camera = camera_from_attributes(calibrated_image(calibration, "OpenGL"))
    image = Image.open(DEMO / "camera" / camera_name / f"{frame}.jpg")
    xyz, _ = read_pcd((DEMO / "lidar" / f"{frame}.pcd").read_bytes())
    pixels, depths = visible_points(xyz.astype(float), camera, image.size)
    overlay = render_depth_overlay(image, pixels, depths)
    draw = ImageDraw.Draw(overlay)
    for box in json.loads((DEMO / "label" / f"{frame}.json").read_text()):
        for polyline in project_cuboid_edges(cuboid_from_psr(box["psr"]), camera):
            finite = polyline[np.isfinite(polyline).all(axis=1)]
            if len(finite) > 1 and np.abs(finite).max() < 1e5:
                draw.line([tuple(point) for point in finite], fill=(255, 255, 255), width=3)
    return overlay


if __name__ == "__main__":
    frame, camera_name = (sys.argv[1:3] + ["000965", "front"][len(sys.argv[1:3]) :])[:2]
    default = Path(tempfile.gettempdir()) / f"multisensor-{frame}-{camera_name}.png"
    output = sys.argv[3] if len(sys.argv) > 3 else str(default)
    render(frame, camera_name).save(output)
    print(output)
