"""The lidar-into-camera overlay (frontend_static/editors/multisensor/overlay.js) in a real browser: the demo's
real lidar points drawn over the real front image, each one exactly where the server's projection puts it, in
its depth colour; points behind the camera are not drawn and the rest of the image is untouched."""

import numpy as np
import pytest
from django.urls import reverse

from datasets.demo_multisensor import EXAMPLE_POINTCLOUD_SEQUENCE
from labeling.core.calibration import depth_colours
from labeling.core.pcd import read_pcd
from labeling.core.projection import camera_from_attributes, project_points

pytestmark = pytest.mark.browser

SCALE = 0.5  # the canvas shows the 2048 x 1536 image at 1024 x 768
POINT_SIZE = 3

DRAW = """async ({positions, calibration, imageUrl, scale, pointSize, probes}) => {
  const { cameraFromAttributes } = await import("/static/editors/multisensor/projection.js");
  const { drawLidarOverlay } = await import("/static/editors/multisensor/overlay.js");
  const canvas = document.createElement("canvas");
  canvas.width = 1024;
  canvas.height = 768;
  canvas.dataset.testid = "overlay";
  document.body.replaceChildren(canvas);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const image = new Image();
  image.src = imageUrl;
  await image.decode();
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const read = () => probes.map(([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data.slice(0, 3)));
  const before = read();
  const drawn = drawLidarOverlay(context, new Float32Array(positions), cameraFromAttributes(calibration),
    { scale, pointSize });
  return { drawn, before, after: read() };
}"""


def isolated(pixels: np.ndarray, distance: float) -> np.ndarray:
    """Mask of the pixels with no other pixel within `distance` (so no other point's square covers them)."""
    gaps = np.abs(pixels[:, None, :] - pixels[None, :, :]).max(axis=2)
    np.fill_diagonal(gaps, np.inf)
    return gaps.min(axis=1) > distance


def test_overlay_draws_each_lidar_point_at_its_projection_in_its_depth_colour(page, live_server, demo):
    # given: every 40th real lidar point of frame 000965, a front camera calibration from the demo sample
    sample = demo.multisensor_dataset.samples.get()
    frame = sample.attributes["sensors"][0]["attributes"]["frames"][0]
    calibration = next(image for image in frame["images"] if image["name"] == "front")
    xyz, _ = read_pcd((EXAMPLE_POINTCLOUD_SEQUENCE / "lidar" / "000965.pcd").read_bytes())
    points = xyz[::40].astype(float)
    pixels, depths = project_points(points, camera_from_attributes(calibration))
    canvas_pixels = pixels * SCALE
    inside = (
        np.isfinite(canvas_pixels).all(axis=1)
        & (canvas_pixels[:, 0] >= 0)
        & (canvas_pixels[:, 0] < 1024)
        & (canvas_pixels[:, 1] >= 0)
        & (canvas_pixels[:, 1] < 768)
        & (depths <= 80)
    )
    behind = ~np.isfinite(pixels[:, 0])
    assert inside.sum() > 200
    assert behind.sum() > 200
    shown = canvas_pixels[inside]
    probes = np.floor(shown[isolated(shown, POINT_SIZE + 1)]).astype(int)
    empty = [[20, 20], [1000, 30], [512, 100]]  # sky and buildings: no lidar return projects there
    page.goto(f"{live_server.url}{reverse('login')}")
    # when
    result = page.evaluate(
        DRAW,
        {
            "positions": points.ravel().tolist(),
            "calibration": calibration,
            "imageUrl": calibration["url"],
            "scale": SCALE,
            "pointSize": POINT_SIZE,
            "probes": [*probes.tolist(), *empty],
        },
    )
    # then
    assert result["drawn"] == inside.sum()
    expected = depth_colours(depths[inside][isolated(shown, POINT_SIZE + 1)]).astype(int)
    after = np.array(result["after"])
    assert len(probes) > 100
    assert np.abs(after[: len(probes)] - expected).max() <= 1
    assert result["after"][len(probes) :] == result["before"][len(probes) :]
    page.get_by_test_id("overlay").screenshot(path="/tmp/multisensor-overlay.png")
