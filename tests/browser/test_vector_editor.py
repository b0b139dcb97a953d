"""The image vector editor in a real browser: draw with the mouse, save, reload, and check the stored label.

Expected coordinates come from where the browser draws the photo (its on-screen box and natural size), so the
tests check the editor's screen -> image conversion independently of the editor's own code.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from datasets.models import Collaborator, Label, Sample
from datasets.services import labels as label_services
from datasets.services.dataset_settings import update_dataset
from datasets.services.datasets import create_dataset
from tests.browser.conftest import (
    assert_points_close,
    drag,
    image_on_screen,
    log_in_as_demo_labeler,
    open_editor,
)

PHOTO = "chelsea.png"  # 451 x 300, a cat
SAVED = re.compile(r"^Saved")


def stored_label(sample) -> Label:
    return Label.objects.get(sample=sample, labelset__name="ground-truth")


def without_points(annotation: dict) -> dict:
    return {key: value for key, value in annotation.items() if key != "points"}


def wait_until_image_wider_than(page: Page, width: float) -> None:
    page.wait_for_function(f"document.getElementById('ve-image').getBoundingClientRect().width > {width}")


def test_labeler_draws_box_and_polygon_saves_and_finds_them_after_reload(page, live_server, demo):
    # given
    sample = demo.dataset.samples.get(name=PHOTO)
    log_in_as_demo_labeler(page, live_server, demo)
    image = open_editor(page, live_server, sample)
    expect(page.get_by_test_id("tool-bbox")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("category-1")).to_have_attribute("aria-pressed", "true")
    box = [(40.0, 30.0), (210.0, 250.0)]
    polygon = [(260.0, 40.0), (420.0, 60.0), (400.0, 230.0), (280.0, 200.0)]

    # when: a box by dragging, a polygon by clicking its vertices and then the first one again
    drag(page, image.to_screen(*box[0]), image.to_screen(*box[1]))
    page.get_by_test_id("tool-polygon").click()
    for vertex in [*polygon, polygon[0]]:
        page.mouse.click(*image.to_screen(*vertex))
    expect(page.get_by_test_id("annotation")).to_have_count(2)
    expect(page.get_by_test_id("save-state")).to_have_text("Unsaved changes")
    page.get_by_test_id("save-button").click()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)
    page.reload()

    # then: the page shows both shapes again
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-ready", "true")
    shapes = page.get_by_test_id("annotation")
    expect(shapes).to_have_count(2)
    expect(shapes.nth(0)).to_have_attribute("data-type", "bbox")
    expect(shapes.nth(1)).to_have_attribute("data-type", "polygon")
    expect(shapes.nth(0)).to_be_visible()
    expect(shapes.nth(1)).to_be_visible()
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)
    page.keyboard.press("v")
    page.mouse.click(*image.to_screen(350, 120))  # inside the polygon: selected for the screenshot
    expect(page.get_by_test_id("object-panel")).to_have_attribute("data-annotation-id", "2")
    page.screenshot(path="/tmp/vector-editor.png")

    # and the stored label has the documented shape, in pixels of the original image
    label = stored_label(sample)
    assert (label.label_status, label.version) == ("LABELING_IN_PROGRESS", 1)
    attributes = label.attributes
    assert set(attributes) == {"format_version", "annotations", "image_attributes"}
    assert (attributes["format_version"], attributes["image_attributes"]) == ("0.1", {})
    stored_box, stored_polygon = attributes["annotations"]
    assert without_points(stored_box) == {
        "id": 1,
        "track_id": 1,
        "category_id": 1,
        "type": "bbox",
        "attributes": {"occluded": False},
    }
    assert without_points(stored_polygon) == {
        "id": 2,
        "track_id": 2,
        "category_id": 1,
        "type": "polygon",
        "attributes": {"occluded": False},
    }
    assert_points_close(stored_box["points"], box)
    assert_points_close(stored_polygon["points"], polygon)


def test_marking_labeled_without_a_mandatory_attribute_shows_the_server_error(page, live_server, demo):
    # given: category 3 (vehicle) requires its "kind"
    task_attributes = demo.dataset.task_attributes
    vehicle = next(category for category in task_attributes["categories"] if category["id"] == 3)
    vehicle["attributes"][0]["is_mandatory"] = True
    update_dataset(demo.dataset.created_by, demo.dataset, {"task_attributes": task_attributes})
    sample = demo.dataset.samples.get(name="rocket.jpg")
    log_in_as_demo_labeler(page, live_server, demo)
    image = open_editor(page, live_server, sample)

    # when: a vehicle box without its kind is marked labeled
    page.keyboard.press("3")
    drag(page, image.to_screen(280, 60), image.to_screen(360, 400))
    page.get_by_test_id("status-labeled").click()

    # then: the server's reason is shown, naming the field, and nothing is stored
    expect(page.get_by_test_id("save-state")).to_have_text(re.compile(r"^Save failed: .*'kind'"))
    errors = page.get_by_test_id("save-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text("Object #1 (vehicle, bbox) · attributes.kind")
    expect(errors).to_contain_text("mandatory attribute 'kind' has no value")
    assert not Label.objects.filter(sample=sample).exists()

    # when: the labeler fills it in, leaves the field (Escape) and marks labeled with Shift+L
    page.get_by_test_id("attribute-kind").select_option("rocket")
    page.keyboard.press("Escape")
    page.keyboard.press("Shift+L")

    # then
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)
    expect(page.get_by_test_id("save-errors")).to_be_hidden()
    expect(page.get_by_test_id("label-status")).to_have_text("labeled")
    label = stored_label(sample)
    assert label.label_status == "LABELED"
    assert label.attributes["annotations"][0]["attributes"] == {"kind": "rocket"}


def test_delete_key_removes_the_selected_box_and_undo_redo_bring_it_back_and_forth(page, live_server, demo):
    # given
    sample = demo.dataset.samples.get(name="coffee.png")
    log_in_as_demo_labeler(page, live_server, demo)
    image = open_editor(page, live_server, sample)
    drag(page, image.to_screen(100, 80), image.to_screen(300, 260))
    shapes = page.get_by_test_id("annotation")
    expect(shapes).to_have_count(1)

    # when / then
    page.keyboard.press("Delete")
    expect(shapes).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(shapes).to_have_count(1)
    page.keyboard.press("Control+Shift+z")
    expect(shapes).to_have_count(0)
    page.get_by_test_id("undo").click()
    expect(shapes).to_have_count(1)
    expect(page.get_by_test_id("redo")).to_be_enabled()
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)
    (annotation,) = stored_label(sample).attributes["annotations"]
    assert annotation["type"] == "bbox"
    assert_points_close(annotation["points"], [(100, 80), (300, 260)])

    # and Shift+S skips the sample and moves on to the labeler's next one
    page.keyboard.press("Shift+S")
    page.wait_for_url(lambda url: str(sample.uuid) not in url)
    assert (stored_label(sample).label_status, stored_label(sample).version) == ("SKIPPED", 2)


def test_zoomed_in_drawing_stores_original_image_pixels(page, live_server, demo):
    # given
    sample = demo.dataset.samples.get(name="astronaut.png")  # 512 x 512
    log_in_as_demo_labeler(page, live_server, demo)
    fitted = open_editor(page, live_server, sample)

    # when: zoom in with the wheel, then twice more with "+", and draw a box
    page.mouse.move(*fitted.to_screen(200, 150))
    page.mouse.wheel(0, -400)
    wait_until_image_wider_than(page, 1.5 * fitted.width)
    wheeled = image_on_screen(page)
    page.keyboard.press("+")
    page.keyboard.press("+")
    wait_until_image_wider_than(page, 1.5 * wheeled.width)
    zoomed = image_on_screen(page)
    start, end = (180.0, 130.0), (230.0, 175.0)
    drag(page, zoomed.to_screen(*start), zoomed.to_screen(*end))
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then: at this zoom one image pixel is several screen pixels, so the stored box is exact to half a pixel
    assert zoomed.width > 2.5 * fitted.width
    (annotation,) = stored_label(sample).attributes["annotations"]
    assert_points_close(annotation["points"], [start, end], tolerance=0.5)


def test_wheel_zoom_keeps_the_image_point_under_the_cursor_and_0_fits_again(page, live_server, demo):
    sample = demo.dataset.samples.get(name=PHOTO)
    log_in_as_demo_labeler(page, live_server, demo)
    fitted = open_editor(page, live_server, sample)
    cursor = fitted.to_screen(300, 100)

    page.mouse.move(*cursor)
    page.mouse.wheel(0, -300)
    wait_until_image_wider_than(page, fitted.width + 50)
    assert_points_close([image_on_screen(page).to_image(*cursor)], [(300, 100)], tolerance=0.5)

    page.keyboard.press("0")
    expect(page.get_by_test_id("zoom-level")).to_have_text(f"{round(fitted.width / 451 * 100)}%")
    assert abs(image_on_screen(page).width - fitted.width) < 0.5


def test_select_mode_moves_a_box_and_edits_polygon_vertices(page, live_server, demo):
    # given: a box and a triangle (closed with Enter)
    sample = demo.dataset.samples.get(name=PHOTO)
    log_in_as_demo_labeler(page, live_server, demo)
    image = open_editor(page, live_server, sample)
    drag(page, image.to_screen(20, 20), image.to_screen(120, 100))
    page.keyboard.press("p")
    for vertex in [(200, 50), (300, 50), (250, 150)]:
        page.mouse.click(*image.to_screen(*vertex))
    page.keyboard.press("Enter")
    page.keyboard.press("v")

    # when: the box is dragged by (30, 40) and its lower-right corner pulled out; the triangle gets a vertex
    # in the middle of its top edge (double-click), which is dragged up; a vertex is removed with Alt+click
    drag(page, image.to_screen(70, 60), image.to_screen(100, 100))
    drag(page, image.to_screen(150, 140), image.to_screen(170, 180))
    page.mouse.click(*image.to_screen(250, 100))
    page.mouse.dblclick(*image.to_screen(250, 50))
    drag(page, image.to_screen(250, 50), image.to_screen(250, 20))
    page.keyboard.down("Alt")
    page.mouse.click(*image.to_screen(200, 50))
    page.keyboard.up("Alt")
    page.keyboard.press("Control+s")
    expect(page.get_by_test_id("save-state")).to_have_text(SAVED)

    # then
    box, polygon = stored_label(sample).attributes["annotations"]
    assert_points_close(box["points"], [(50, 60), (170, 180)])
    assert_points_close(polygon["points"], [(250, 20), (300, 50), (250, 150)])


def test_saving_over_a_newer_label_shows_a_conflict_and_overwrites_nothing(page, live_server, demo):
    # given: the labeler opens the sample, then the admin saves a label for it
    sample = demo.dataset.samples.get(name="coins.png")
    log_in_as_demo_labeler(page, live_server, demo)
    image = open_editor(page, live_server, sample)
    theirs = {"format_version": "0.1", "annotations": [], "image_attributes": {"scene": "indoor"}}
    label_services.save_label(
        demo.dataset.created_by, sample, "ground-truth", attributes=theirs, label_status="LABELED"
    )

    # when
    drag(page, image.to_screen(10, 10), image.to_screen(100, 100))
    page.keyboard.press("Control+s")

    # then
    conflict = page.get_by_test_id("conflict-message")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("someone else saved this label meanwhile")
    expect(page.get_by_test_id("save-state")).to_have_text(re.compile(r"^Save failed"))
    label = stored_label(sample)
    assert (label.attributes, label.version) == (theirs, 1)


def test_help_panel_lists_the_shortcuts_and_leaving_with_unsaved_changes_asks_first(page, live_server, demo):
    sample = demo.dataset.samples.get(name=PHOTO)
    log_in_as_demo_labeler(page, live_server, demo)
    image = open_editor(page, live_server, sample)

    page.keyboard.press("?")
    help_panel = page.get_by_test_id("help-panel")
    expect(help_panel).to_be_visible()
    for text in ["Bounding box", "Undo", "Mark labeled and save", "Fit the image to the screen", "Pan"]:
        expect(help_panel).to_contain_text(text)
    page.keyboard.press("Escape")
    expect(help_panel).to_be_hidden()

    drag(page, image.to_screen(10, 10), image.to_screen(100, 100))
    page.keyboard.press("Alt+ArrowRight")
    expect(page.get_by_test_id("unsaved-dialog")).to_be_visible()
    page.get_by_test_id("leave-save").click()
    page.wait_for_url(re.compile(r"/samples/(?!" + str(sample.uuid) + ")"))
    expect(page.locator(".ve-sample-name")).to_have_text("clock_motion.png")  # the next one by name
    assert len(stored_label(sample).attributes["annotations"]) == 1


@pytest.mark.parametrize(
    ("task_type", "tools"),
    [("bboxes", ["select", "bbox"]), ("keypoints", ["select", "point"])],
)
def test_bboxes_and_keypoints_datasets_offer_only_their_tool(page, live_server, demo, task_type, tools):
    admin = demo.dataset.created_by
    dataset = create_dataset(
        admin,
        owner_name=admin.username,
        owner_user=admin,
        name=f"only-{task_type}",
        task_type=task_type,
        task_attributes={"format_version": "0.1", "categories": [{"id": 1, "name": "thing"}]},
    )
    labeler = Collaborator.objects.get(dataset=demo.dataset).user
    Collaborator.objects.create(dataset=dataset, user=labeler, role="labeler")
    sample = Sample.objects.create(
        dataset=dataset, name=PHOTO, attributes=demo.dataset.samples.get(name=PHOTO).attributes
    )
    log_in_as_demo_labeler(page, live_server, demo)
    image = open_editor(page, live_server, sample)

    expect(page.locator("[data-testid^='tool-']")).to_have_count(len(tools))
    for tool in tools:
        expect(page.get_by_test_id(f"tool-{tool}")).to_be_visible()
    page.keyboard.press("p")  # the polygon shortcut does nothing here
    expect(page.get_by_test_id(f"tool-{tools[1]}")).to_have_attribute("aria-pressed", "true")
    page.mouse.click(*image.to_screen(100, 100))
    if tools[1] == "bbox":
        drag(page, image.to_screen(100, 100), image.to_screen(200, 150))
    expect(page.get_by_test_id("annotation")).to_have_count(1)
    expect(page.get_by_test_id("annotation")).to_have_attribute("data-type", tools[1])
