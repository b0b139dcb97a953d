""" "Merge frames" in the cuboid sequence editor, in a real browser on the demo's 4 real lidar frames: the 3D view
draws the points of the frames around the current one (their sum, read through the editor's test hook), moved
into world coordinates by the frames' ego poses, the 3D view follows the ego position from frame to frame, and
turning it off draws the current frame alone again.
"""

import numpy as np
from playwright.sync_api import expect

from datasets.models import PointCloudFrame
from tests.browser_cuboid.conftest import log_in_as_demo_labeler, open_cuboid_editor

DRAWN = "window.cuboidEditor.pointsObject().geometry.attributes.position.count"
POSITIONS = (
    "([from, to]) => Array.from(window.cuboidEditor.pointsObject().geometry.attributes.position.array.slice(from, to))"
)
# Whether each of the given points is drawn (a drawn point within 1e-4 m); merged points are drawn in an
# interleaved order (the point budget while moving), so they are looked up rather than sliced.
FOUND = """(points) => {
  const drawn = window.cuboidEditor.pointsObject().geometry.attributes.position.array;
  return points.map(([x, y, z]) => {
    for (let i = 0; i < drawn.length; i += 3) {
      const near = Math.abs(drawn[i] - x) < 1e-4 && Math.abs(drawn[i + 1] - y) < 1e-4;
      if (near && Math.abs(drawn[i + 2] - z) < 1e-4) return true;
    }
    return false;
  });
}"""
SHIFT = (12.0, -3.0, 0.5)  # frame 2's ego position: its points are drawn moved by this (identity heading)


def stored_points(frame: PointCloudFrame) -> np.ndarray:
    """The server's derived buffer of one frame: (point_count, 3) float32 x, y, z in file order."""
    with frame.buffer.open("rb") as handle:
        floats = np.frombuffer(handle.read(), dtype="<f4")
    return floats[: 3 * frame.point_count].reshape(-1, 3)


def expect_drawn(page, frames: list[int], counts: list[int]) -> None:
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-drawn-frames", ",".join(map(str, frames)))
    assert page.evaluate(DRAWN) == sum(counts[frame] for frame in frames)


def test_merge_frames_draws_the_window_in_world_coordinates_follows_the_ego_and_off_draws_one_frame(
    page, live_server, demo
):
    # given: the 4-frame demo sequence; frame 2 has an ego pose (moved, no turn), the others the identity pose
    sample = demo.lidar_datasets[0].samples.get()
    frames = sample.attributes["frames"]
    for index, frame in enumerate(frames):
        position = dict(zip("xyz", SHIFT if index == 2 else (0.0, 0.0, 0.0), strict=True))
        frame["ego_pose"] = {"position": position, "heading": {"qx": 0.0, "qy": 0.0, "qz": 0.0, "qw": 1.0}}
    sample.save(update_fields=["attributes"])
    stored = list(PointCloudFrame.objects.filter(sample=sample).order_by("frame"))
    assert [frame.status for frame in stored] == ["READ"] * 4
    clouds = [stored_points(frame) for frame in stored]
    assert all(np.isfinite(cloud).all() for cloud in clouds)  # every point is drawn: counts are point counts
    counts = [frame.point_count for frame in stored]
    assert min(counts) > 50_000
    log_in_as_demo_labeler(page, live_server, demo)
    open_cuboid_editor(page, live_server, sample)
    expect_drawn(page, [0], counts)

    # when: merge frames is turned on (M) with the default window of 2 frames on each side
    page.keyboard.press("m")

    # then: frames 0-2 are drawn; frame 2's points come after frames 0 and 1, moved by its ego position
    expect(page.get_by_test_id("merge-frames")).to_be_checked()
    expect_drawn(page, [0, 1, 2], counts)
    assert page.evaluate(FOUND, (clouds[2][:5] + np.array(SHIFT)).tolist()) == [True] * 5
    assert page.evaluate(FOUND, clouds[2][:5].tolist()) != [True] * 5

    # when: frame 3 is shown (the 3D view follows the ego vehicle: frame 2 is SHIFT away from frame 0)
    target = "(() => { const t = window.cuboidEditor.viewport.controls.target; return [t.x, t.y, t.z]; })()"
    before = np.array(page.evaluate(target))
    for frame in (1, 2):
        page.keyboard.press("ArrowRight")
        expect(page.get_by_test_id("frame-label")).to_have_attribute("data-frame", str(frame))

    # then: the window of 2 around frame 2 is every frame, and the camera moved with the ego position
    expect_drawn(page, [0, 1, 2, 3], counts)
    assert np.allclose(np.array(page.evaluate(target)) - before, SHIFT, atol=1e-6)

    # when: the window is narrowed to 1 and the last frame is shown
    page.get_by_test_id("merge-radius").fill("1")
    page.get_by_test_id("merge-radius").press("Enter")
    expect_drawn(page, [1, 2, 3], counts)
    page.get_by_test_id("main-view").focus()
    page.keyboard.press("End")
    expect(page.get_by_test_id("frame-label")).to_have_attribute("data-frame", "3")

    # then: frames 2 and 3 are drawn, and the camera is back over the ego position of frames 0 and 3
    expect_drawn(page, [2, 3], counts)
    assert np.allclose(np.array(page.evaluate(target)), before, atol=1e-6)

    # when: merge frames is turned off with the toggle
    page.get_by_test_id("merge-frames").uncheck()

    # then: the current frame alone is drawn again, as it is
    expect_drawn(page, [3], counts)
    assert np.allclose(
        np.array(page.evaluate(POSITIONS, [0, 15])).reshape(-1, 3),  # one frame: file order
        clouds[3][:5],
        atol=1e-5,
    )
