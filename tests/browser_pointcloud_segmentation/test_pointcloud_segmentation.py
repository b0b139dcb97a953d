"""The point-cloud segmentation editor on the real frame 000950 (68,242 points): lasso a car with a fixed camera,
assign it to a new "Car" instance, brush away part of it, save; the stored `point_annotations` equal, point for
point, the selection computed here with NumPy from the same lasso polygon, brush stroke and camera matrix."""

import numpy as np
import requests
from playwright.sync_api import expect

from datasets.models import Label
from tests.browser_pointcloud_segmentation.conftest import (
    car_box,
    footprint_polygon,
    inside_polygon,
    kitti_points,
    lasso,
    look_at,
    near_polyline,
    open_editor,
    save_labeled,
    screen_positions,
    sequence_points,
    stored_label,
    world_points,
)


def test_lasso_a_car_assign_it_brush_part_away_and_save(page, live_server, labeler, single_frame_sample):
    open_editor(page, live_server, labeler, single_frame_sample)
    psr = car_box("000950", "15")
    matrix, width, height = look_at(page, psr)
    polygon = footprint_polygon(psr, matrix, width, height)
    lasso(page, polygon)
    box = page.get_by_test_id("viewport").bounding_box()

    xyz = kitti_points()
    screen = screen_positions(xyz, matrix, width, height)
    lassoed = inside_polygon(screen, polygon)
    assert 50 < lassoed.sum() < 5000
    expect(page.get_by_test_id("selection-count")).to_have_attribute("data-count", str(int(lassoed.sum())))

    # assign to a new instance of Car (category 1, the current one): Enter
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("instance-1")).to_contain_text("Car")
    expect(page.get_by_test_id("instance-count-1")).to_have_text(f"{int(lassoed.sum())} pts")

    # brush part of it away: clear the selection, brush across the car's middle, unlabel the brushed points
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    brush_size = page.evaluate("window.pointcloudEditor.tool.brushSize")
    xs = [x for x, _ in polygon]
    ys = [y for _, y in polygon]
    middle_y = round((min(ys) + max(ys)) / 2)
    stroke = [(min(xs) - 5, middle_y), (round((min(xs) + max(xs)) / 2), middle_y + 3)]
    page.mouse.move(box["x"] + stroke[0][0], box["y"] + stroke[0][1])
    page.mouse.down()
    page.mouse.move(box["x"] + stroke[1][0], box["y"] + stroke[1][1])
    page.mouse.up()
    brushed = near_polyline(screen, stroke, brush_size / 2)
    expect(page.get_by_test_id("selection-count")).to_have_attribute("data-count", str(int(brushed.sum())))
    page.keyboard.press("Delete")
    kept = lassoed & ~brushed
    assert 0 < kept.sum() < lassoed.sum()
    expect(page.get_by_test_id("instance-count-1")).to_have_text(f"{int(kept.sum())} pts")

    save_labeled(page)

    label = stored_label(single_frame_sample)
    assert label.label_status == "LABELED"
    assert label.attributes["annotations"] == [{"id": 1, "category_id": 1}]
    stored = np.asarray(label.attributes["point_annotations"])
    assert stored.shape == (len(xyz),)
    np.testing.assert_array_equal(stored, np.where(kept, 1, 0))


def test_undo_restores_the_ids_and_the_page_has_the_help(page, live_server, labeler, single_frame_sample):
    open_editor(page, live_server, labeler, single_frame_sample)
    page.keyboard.press("g")  # select the ground
    selected = int(page.get_by_test_id("selection-count").get_attribute("data-count"))
    assert selected > 10_000
    page.keyboard.press("3")  # Ground (has_instances: false): one shared instance
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("instance-1")).to_contain_text("Ground")
    page.keyboard.press("Control+z")
    expect(page.get_by_test_id("instance-1")).to_have_count(0)
    page.keyboard.press("Control+Shift+z")
    expect(page.get_by_test_id("instance-count-1")).to_have_text(f"{selected} pts")
    # hidden points are never selected: with Ground hidden, the same ground selects nothing
    page.keyboard.press("Escape")
    page.get_by_test_id("category-visible-7").uncheck()
    page.keyboard.press("g")
    expect(page.get_by_test_id("selection-count")).to_have_attribute("data-count", "0")
    page.get_by_test_id("category-visible-7").check()
    page.keyboard.press("g")
    expect(page.get_by_test_id("selection-count")).to_have_attribute("data-count", str(selected))
    page.keyboard.press("3")
    page.keyboard.press("Enter")  # the same shared Ground instance again: nothing changes
    expect(page.get_by_test_id("instance-2")).to_have_count(0)
    # the big draft the editor core keeps in IndexedDB (draftData / loadDraftData): taken, changed, restored
    restored = page.evaluate(
        """async () => {
            const editor = window.pointcloudEditor;
            const data = await editor.draftData();
            editor.perform("undo");
            const undone = editor.counts.get(1) || 0;
            await editor.loadDraftData(data);
            return [undone, editor.counts.get(1), editor.instances.map((instance) => instance.category_id)];
        }"""
    )
    assert restored == [0, selected, [7]]
    page.keyboard.press("?")
    expect(page.get_by_text("Select the ground: fit a plane to the lowest points")).to_be_visible()


def test_mandatory_attributes_are_asked_before_labeled(page, live_server, labeler, single_frame_sample):
    open_editor(page, live_server, labeler, single_frame_sample)
    page.keyboard.press("g")
    page.keyboard.press("4")  # Cyclist: "riding" is mandatory
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("instance-1")).to_contain_text("Cyclist")
    page.get_by_test_id("status-labeled").click()
    expect(page.get_by_test_id("message")).to_contain_text("#1 Cyclist: riding required")
    assert not Label.objects.filter(sample=single_frame_sample).exists()
    page.get_by_test_id("object-attribute-riding").select_option("no")
    save_labeled(page)
    assert stored_label(single_frame_sample).attributes["annotations"] == [
        {"id": 1, "category_id": 4, "attributes": {"riding": "no"}}
    ]


def test_propagate_an_instance_to_the_next_frame_by_nearest_neighbours(page, live_server, labeler, sequence_sample):
    """Frame 1: lasso car 15 and assign it; P propagates it to frame 2: the frame-2 points whose nearest frame-1
    car point is within the radius (1.5 m here) in world coordinates get its track id. Checked against SciPy's
    k-d tree, for the sample without ego poses (world = lidar coordinates) and with made-up ones."""
    from scipy.spatial import cKDTree

    open_editor(page, live_server, labeler, sequence_sample)
    expect(page.get_by_test_id("frame-label")).to_have_text("Frame 1 / 4")
    psr = car_box("000950", "15")
    matrix, width, height = look_at(page, psr)
    polygon = footprint_polygon(psr, matrix, width, height)
    lasso(page, polygon)
    frames = sequence_points()
    lassoed = inside_polygon(screen_positions(frames[0], matrix, width, height), polygon)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("instance-count-1")).to_have_text(f"{int(lassoed.sum())} pts")

    # the frames are 1.5 s apart and the real sample has no ego poses: things moved a few metres; a wider radius
    page.get_by_test_id("propagate-radius").fill("1.5")
    page.get_by_test_id("propagate-radius").dispatch_event("change")
    page.get_by_test_id("stage").focus()
    page.keyboard.press("p")
    expect(page.get_by_test_id("frame-label")).to_have_text("Frame 2 / 4")
    poses = [frame.get("ego_pose") for frame in sequence_sample.attributes["frames"]]
    world = [world_points(points, pose) for points, pose in zip(frames, poses, strict=True)]
    distances, _ = cKDTree(world[0][lassoed]).query(world[1])
    propagated = distances <= 1.5
    assert 20 < propagated.sum() < 5000
    expect(page.get_by_test_id("instance-count-1")).to_have_text(f"{int(propagated.sum())} pts")
    expect(page.get_by_test_id("track-row")).to_have_count(1)
    save_labeled(page)

    stored = stored_label(sequence_sample).attributes
    assert len(stored["frames"]) == 4
    first, second = stored["frames"][0], stored["frames"][1]
    assert first["annotations"] == [{"id": 1, "category_id": 1, "track_id": 1, "is_keyframe": True}]
    assert second["annotations"] == first["annotations"]
    np.testing.assert_array_equal(first["point_annotations"], np.where(lassoed, 1, 0))
    np.testing.assert_array_equal(second["point_annotations"], np.where(propagated, 1, 0))
    for frame, points in zip(stored["frames"][2:], frames[2:], strict=True):
        assert frame["annotations"] == []
        assert frame["point_annotations"] == [0] * len(points)


def test_a_stored_label_is_shown_and_a_wrong_length_one_is_never_overwritten(
    page, live_server, alice, labeler, api_key_for, single_frame_sample
):
    ids = [0] * len(kitti_points())
    ids[100:250] = [5] * 150
    attributes = {"annotations": [{"id": 5, "category_id": 2}], "point_annotations": ids}
    response = requests.put(
        f"{live_server.url}/labels/{single_frame_sample.uuid}/ground-truth/",
        json={"attributes": attributes, "label_status": "LABELED"},
        headers={"Authorization": api_key_for(alice)},
        timeout=30,
    )
    assert response.status_code in (200, 201), response.text
    open_editor(page, live_server, labeler, single_frame_sample)
    expect(page.get_by_test_id("instance-5")).to_contain_text("Pedestrian")
    expect(page.get_by_test_id("instance-count-5")).to_have_text("150 pts")

    # a label stored before the point count was known, with one id too few
    label = stored_label(single_frame_sample)
    label.attributes = {**attributes, "point_annotations": ids[:-1]}
    label.save()
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-editor-ready", "true")
    expect(page.get_by_test_id("message")).to_contain_text("the stored label has 68241 ids, the cloud has 68242 points")
    puts = []
    page.on("request", lambda request: request.method == "PUT" and puts.append(request.url))
    page.get_by_test_id("status-labeled").click()
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("message")).to_contain_text("Saving is disabled")
    assert puts == []
    assert stored_label(single_frame_sample).version == label.version
    assert len(stored_label(single_frame_sample).attributes["point_annotations"]) == len(ids) - 1
