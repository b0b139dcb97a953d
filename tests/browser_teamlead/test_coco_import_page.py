"""COCO import in a real browser (issue 18, Done-when): through the import page, drop examples/coco's JSON and
its photo, start the import, read the report, open the editor: the box, the polygon and the 17 keypoints are
drawn where COCO puts them (measured on the rendered shapes against where the browser lays out the photo)."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from datasets.models import ImportJob, Sample
from datasets.services.datasets import create_dataset

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
COCO_JSON = EXAMPLES / "coco" / "coco_val2017_000000000785_person_keypoints.json"
PHOTO = EXAMPLES / "coco" / "000000000785.jpg"
SOURCE = json.loads(COCO_JSON.read_text())
TOLERANCE = 1.5  # screen px

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, live_server, user) -> None:
    """Give the browser a session cookie of `user` made by Django's test client."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def rendered_shapes(page: Page) -> list[dict]:
    """Each drawn annotation: its type and its geometry's on-screen box [left, top, right, bottom] (CSS px)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=annotation]')].map(group => {
            const rect = group.firstElementChild.getBoundingClientRect();
            return {type: group.dataset.type, box: [rect.left, rect.top, rect.right, rect.bottom]};
        })"""
    )


def on_screen(page: Page):
    """image pixel (x, y) -> screen (x, y), from the <img>'s laid-out box and natural size."""
    left, top, width, height, natural_width, natural_height = page.locator("#ve-image").evaluate(
        """image => { const r = image.getBoundingClientRect();
                      return [r.left, r.top, r.width, r.height, image.naturalWidth, image.naturalHeight]; }"""
    )
    return lambda x, y: (left + x * width / natural_width, top + y * height / natural_height)


def assert_box_close(actual: list[float], expected: tuple, tolerance: float = TOLERANCE) -> None:
    assert all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True)), f"{actual} != {expected}"


def test_a_manager_imports_the_coco_example_and_sees_its_shapes_where_coco_puts_them(live_server, new_page):
    # given a manager and an empty vector dataset
    admin = get_user_model().objects.create_superuser("admin", "admin@x.org", "an-admin-password-42")
    create_dataset(admin, owner_name="admin", owner_user=admin, name="skiers", task_type="vector")
    page = new_page()
    sign_in(page, live_server, admin)
    # when the JSON and its photo are dropped on the import page and the import started
    page.goto(f"{live_server.url}/app/admin/skiers/")
    page.get_by_test_id("import-link").click()
    page.get_by_test_id("importer-coco").click()
    expect(page.get_by_test_id("import-option-labelset")).to_have_value("ground-truth")
    page.locator("input.uppy-Dashboard-input >> nth=0").set_input_files([str(COCO_JSON), str(PHOTO)])
    start = page.get_by_test_id("start-import")
    expect(start).to_be_enabled(timeout=30_000)
    start.click()
    # then the report says what was created
    expect(page.get_by_test_id("import-status")).to_have_text("succeeded", timeout=30_000)
    created = page.get_by_test_id("import-created")
    expect(created).to_contain_text("Imported: 1 sample, 1 label, 19 objects, 1 box, 17 keypoints, 1 polygon.")
    page.screenshot(path="/tmp/coco-import-report.png", full_page=True)
    # and "Recent imports" (once the page is opened again: no websocket on this test server) shows it with its
    # start time in the browser's time zone, not an ISO stamp
    page.reload()
    job = ImportJob.objects.get()
    row = page.locator(f'[data-testid="recent-imports"] tr[data-import="{job.uuid}"]')
    expect(row).to_contain_text("1 sample, 1 label, 19 objects")
    local = page.evaluate(
        "iso => new Date(iso).toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'})",
        job.created_at.isoformat(),
    )
    expect(row.get_by_test_id("import-started")).to_have_text(local)
    page.get_by_test_id("recent-imports").screenshot(path="/tmp/coco-recent-imports.png")
    # and the editor draws the box, the polygon and the 17 keypoints at COCO's coordinates
    sample = Sample.objects.get(dataset__name="skiers")
    page.goto(f"{live_server.url}{reverse('label-editor', args=['admin', 'skiers', sample.uuid])}")
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("annotation")).to_have_count(19)
    to_screen = on_screen(page)
    shapes = rendered_shapes(page)
    source = SOURCE["annotations"][0]
    [box] = [shape["box"] for shape in shapes if shape["type"] == "bbox"]
    x, y, width, height = source["bbox"]
    assert_box_close(box, (*to_screen(x, y), *to_screen(x + width, y + height)))
    [polygon] = [shape["box"] for shape in shapes if shape["type"] == "polygon"]
    ring = source["segmentation"][0]
    xs, ys = ring[0::2], ring[1::2]
    assert_box_close(polygon, (*to_screen(min(xs), min(ys)), *to_screen(max(xs), max(ys))))
    points = [shape["box"] for shape in shapes if shape["type"] == "point"]
    assert len(points) == 17
    keypoints = source["keypoints"]
    for index, (left, top, right, bottom) in enumerate(points):
        expected = to_screen(keypoints[3 * index], keypoints[3 * index + 1])
        assert_box_close([(left + right) / 2, (top + bottom) / 2], expected)
    # and the objects list names each keypoint, and the skeleton joins the person's keypoints with thin lines
    assert_keypoints_named_and_joined(page, to_screen)
    page.screenshot(path="/tmp/coco-import-editor.png")


def assert_keypoints_named_and_joined(page: Page, to_screen) -> None:
    """The 17 points are listed as "#<id> person · <keypoint name>" in COCO's order, and one skeleton line per
    COCO `skeleton` edge (all 17 keypoints are labeled) runs from one keypoint to the other on screen."""
    names = SOURCE["categories"][0]["keypoints"]
    point_ids = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=annotation][data-type=point]')]"
        ".map(group => Number(group.dataset.annotationId)).sort((a, b) => a - b)"
    )
    items = page.get_by_test_id("object-item")
    listed = {int(item.get_attribute("data-annotation-id")): item.text_content() for item in items.all()}
    name_of = dict(zip(point_ids, names, strict=True))
    assert [listed[id_] for id_ in point_ids] == [f"#{id_} person · {name_of[id_]}" for id_ in point_ids]
    lines = page.get_by_test_id("skeleton-line")
    expect(lines).to_have_count(len(SOURCE["categories"][0]["skeleton"]))
    drawn = lines.evaluate_all(
        """lines => lines.map(line => {
            const matrix = line.getScreenCTM(), at = (x, y) => new DOMPoint(x, y).matrixTransform(matrix);
            const a = at(line.x1.baseVal.value, line.y1.baseVal.value);
            const b = at(line.x2.baseVal.value, line.y2.baseVal.value);
            return {from: Number(line.dataset.from), to: Number(line.dataset.to), ends: [a.x, a.y, b.x, b.y]};
        })"""
    )
    keypoints = SOURCE["annotations"][0]["keypoints"]
    screen = {name: to_screen(keypoints[3 * i], keypoints[3 * i + 1]) for i, name in enumerate(names)}
    edges = sorted(
        sorted((names.index(name_of[line["from"]]) + 1, names.index(name_of[line["to"]]) + 1)) for line in drawn
    )
    assert edges == sorted(sorted(edge) for edge in SOURCE["categories"][0]["skeleton"])
    for line in drawn:
        assert_box_close(line["ends"], (*screen[name_of[line["from"]]], *screen[name_of[line["to"]]]))
    width = lines.first.evaluate("line => parseFloat(getComputedStyle(line).strokeWidth)")
    assert width < 2  # thinner than the shapes' outlines
