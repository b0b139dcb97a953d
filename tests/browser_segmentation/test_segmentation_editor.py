"""The segmentation-bitmap editor in a real browser: painting, saving the exact RGBA id PNG, reopening SDK
pre-labels, and refusing bitmaps that break the format."""

import io

import numpy as np
from playwright.sync_api import expect
from segments import SegmentsClient
from segments.utils import bitmap2file

from datasets.models import Label, LabelSet
from labeling.services import create_api_key
from tests.browser_segmentation.conftest import (
    click_pixel,
    fetch_bitmap,
    log_in,
    open_editor,
    pixel_point,
    save,
    set_brush_size,
    stored_label,
    stroke,
)
from tests.browser_segmentation.painting import fill_polygon, paint_stroke

CHELSEA_SIZE = (300, 451)  # (height, width) of examples/images/chelsea.png


def test_painted_instances_are_saved_as_exact_ids_in_an_rgba_png(page, live_server, segmentation_dataset, labeler):
    # given
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    expected = np.zeros(CHELSEA_SIZE, dtype=np.uint32)

    # when: a "person" painted with two brush strokes
    page.keyboard.press("1")
    page.keyboard.press("b")
    set_brush_size(page, 9)
    person_strokes = [[(60, 60), (140, 80), (200, 70)], [(70, 120), (90, 150)]]
    for pixels in person_strokes:
        stroke(page, pixels)
        paint_stroke(expected, pixels, 9, 1)
    # an "animal" as a polygon fill, then a brush stroke on the same instance
    page.keyboard.press("2")
    page.keyboard.press("p")
    polygon = [(250, 150), (330, 140), (350, 230), (260, 250)]
    for x, y in [*polygon, polygon[0]]:
        click_pixel(page, x, y)
    fill_polygon(expected, polygon, 2)
    page.keyboard.press("b")
    set_brush_size(page, 5)
    stroke(page, [(300, 262), (380, 270)])
    paint_stroke(expected, [(300, 262), (380, 270)], 5, 2)
    # part of the person erased
    page.keyboard.press("e")
    set_brush_size(page, 7)
    stroke(page, [(100, 50), (100, 95)])
    paint_stroke(expected, [(100, 50), (100, 95)], 7, 0)
    expect(page.get_by_test_id("instance-1")).to_contain_text("person")
    expect(page.get_by_test_id("instance-2")).to_contain_text("animal")
    save(page)

    # then
    label = stored_label(sample)
    attributes = label.attributes
    assert label.label_status == "LABELED"
    assert attributes["format_version"] == "0.1"
    assert attributes["annotations"] == [
        {"id": 1, "category_id": 1},
        {"id": 2, "category_id": 2, "attributes": {}},  # "animal" has an attribute; it was left unset
    ]
    url = attributes["segmentation_bitmap"]["url"]
    assert url.endswith(".png")
    ids = fetch_bitmap(url)
    assert ids.shape == CHELSEA_SIZE
    assert set(np.unique(ids)) == {0, 1, 2}
    mismatched = np.argwhere(ids != expected)
    assert not len(mismatched), f"{len(mismatched)} pixels differ, first at (y, x) {mismatched[:5].tolist()}"


def test_sdk_prelabel_opens_with_its_instances_and_saving_keeps_other_pixels_identical(
    page, live_server, segmentation_dataset, labeler
):
    # given: a pre-label with ids that use all three colour bytes, uploaded through the official SDK
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    rng = np.random.default_rng(7)
    prelabel = np.zeros(CHELSEA_SIZE, dtype=np.uint32)
    prelabel[20:120, 30:200] = 1
    prelabel[150:280, 220:420] = 300
    prelabel[40:100, 250:330] = 70_000
    speckle = rng.random(CHELSEA_SIZE) < 0.02  # isolated pixels: any smoothing or drift would show
    prelabel[speckle] = 16_777_215
    annotations = [
        {"id": 1, "category_id": 1},
        {"id": 300, "category_id": 2, "attributes": {"kind": "cat"}},
        {"id": 70_000, "category_id": 1},
        {"id": 16_777_215, "category_id": 3},
    ]
    client = SegmentsClient(api_key=create_api_key(labeler), api_url=f"{live_server.url}/")
    asset = client.upload_asset(bitmap2file(prelabel), "label.png")
    client.add_label(
        str(sample.uuid),
        "ground-truth",
        {"format_version": "0.1", "annotations": annotations, "segmentation_bitmap": {"url": asset.url}},
    )

    # when
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    for annotation in annotations:
        expect(page.get_by_test_id(f"instance-{annotation['id']}")).to_be_visible()
    shown = page.get_by_test_id("mask-canvas").evaluate(
        "canvas => Array.from(canvas.getContext('2d').getImageData(100, 50, 1, 1).data)"
    )
    assert shown[:3] == [230, 57, 70]  # instance 1 in the "person" colour
    assert shown[3] > 0
    page.get_by_test_id("instance-300").click()
    page.get_by_test_id("instance-category").select_option("1")
    page.keyboard.press("3")  # "background" has no instances: a new one, painted where nothing was
    page.keyboard.press("b")
    set_brush_size(page, 3)
    stroke(page, [(10, 290), (20, 290)])
    save(page)

    # then
    label = stored_label(sample)
    ids = fetch_bitmap(label.attributes["segmentation_bitmap"]["url"])
    assert label.attributes["segmentation_bitmap"]["url"] != asset.url
    painted = np.zeros(CHELSEA_SIZE, dtype=np.uint32)
    paint_stroke(painted, [(10, 290), (20, 290)], 3, 1)
    untouched = painted == 0
    assert np.array_equal(ids[untouched], prelabel[untouched])
    assert set(np.unique(ids[~untouched])) == {16_777_215}  # "background" reuses its single instance
    by_id = {annotation["id"]: annotation for annotation in label.attributes["annotations"]}
    assert by_id[300]["category_id"] == 1
    assert {annotation_id: a["category_id"] for annotation_id, a in by_id.items() if annotation_id != 300} == {
        1: 1,
        70_000: 1,
        16_777_215: 3,
    }


def test_id_png_codec_is_exact_both_ways_in_the_browser(page, live_server, segmentation_dataset, labeler):
    # given: random ids over the whole 24-bit range
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    ids = np.random.default_rng(3).integers(0, 2**24, size=(37, 53), dtype=np.uint32)
    png = bitmap2file(ids).getvalue()

    # when: the browser decodes the SDK's PNG and encodes it again
    round_trip = page.evaluate(
        """async (bytes) => {
            const { decodeIdPng, encodeIdPng } = await import("/static/editors/segmentation/id-png.js");
            const mask = decodeIdPng(new Uint8Array(bytes));
            return { ids: Array.from(mask.ids), png: Array.from(encodeIdPng(mask)) };
        }""",
        list(png),
    )

    # then
    from labeling.core.bitmaps import decode_bitmap

    assert np.array_equal(np.array(round_trip["ids"], dtype=np.uint32).reshape(ids.shape), ids)
    assert np.array_equal(decode_bitmap(bytes(round_trip["png"])), ids)


def _store_label_without_validation(sample, bitmap_png: bytes, annotations, live_server) -> None:
    """A label whose bitmap breaks the format, written straight to the database (the API would refuse it), to
    check that the editor refuses to build on it."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("assets/0123456789abcdef0123456789abcdef/label.png", ContentFile(bitmap_png))
    Label.objects.create(
        sample=sample,
        labelset=LabelSet.objects.get(dataset=sample.dataset, name="ground-truth"),
        attributes={
            "format_version": "0.1",
            "annotations": annotations,
            "segmentation_bitmap": {"url": f"{live_server.url}/media/{name}"},
        },
        label_status="PRELABELED",
    )


def _png(array: np.ndarray, mode: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(array, mode).save(buffer, format="PNG")
    return buffer.getvalue()


def test_editor_refuses_to_save_over_an_rgb_bitmap(page, live_server, segmentation_dataset, labeler):
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    _store_label_without_validation(sample, _png(np.zeros((*CHELSEA_SIZE, 3), np.uint8), "RGB"), [], live_server)
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    expect(page.get_by_test_id("save-error")).to_contain_text("must be an 8-bit RGBA PNG")
    expect(page.get_by_test_id("save-button")).to_be_disabled()


def test_editor_refuses_to_save_over_a_bitmap_of_the_wrong_size(page, live_server, segmentation_dataset, labeler):
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    rgba = np.zeros((10, 20, 4), np.uint8)
    rgba[..., 3] = 255
    _store_label_without_validation(sample, _png(rgba, "RGBA"), [], live_server)
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    expect(page.get_by_test_id("save-error")).to_contain_text("is 20x10 but the image is 451x300")
    expect(page.get_by_test_id("save-button")).to_be_disabled()


def test_editor_will_not_save_ids_missing_from_annotations_until_they_get_a_category(
    page, live_server, segmentation_dataset, labeler
):
    # given: pixels with id 5 but no annotation for it
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    ids = np.zeros(CHELSEA_SIZE, dtype=np.uint32)
    ids[10:20, 10:20] = 5
    _store_label_without_validation(sample, bitmap2file(ids).getvalue(), [], live_server)
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    expect(page.get_by_test_id("save-error")).to_contain_text("ids without annotation: 5")

    # when / then: saving is refused with the reason, nothing is uploaded or stored
    page.get_by_test_id("status-labeled").click()
    expect(page.get_by_test_id("save-error")).to_contain_text("Instance 5 has pixels but no category")
    assert stored_label(sample).label_status == "PRELABELED"

    # when the user gives it a category, it saves
    page.get_by_test_id("instance-5").click()
    page.get_by_test_id("instance-category").select_option("1")
    save(page)
    label = stored_label(sample)
    assert label.attributes["annotations"] == [{"id": 5, "category_id": 1}]
    assert np.array_equal(fetch_bitmap(label.attributes["segmentation_bitmap"]["url"]), ids)


def test_a_server_refusal_is_shown_with_its_reasons(page, live_server, segmentation_dataset, labeler):
    # given: the label endpoint refuses the bitmap (as it does for one that breaks the format)
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    refusal = {
        "detail": "Invalid attributes: attributes.segmentation_bitmap: id 9 is in the bitmap but not in annotations",
        "errors": [
            {
                "path": "attributes.segmentation_bitmap",
                "rule": "unknown_annotation_id",
                "message": "id 9 is in the bitmap but not in annotations",
            }
        ],
    }
    page.route(
        "**/labels/**",
        lambda route: route.fulfill(status=400, json=refusal) if route.request.method == "PUT" else route.continue_(),
    )
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    stroke(page, [(40, 40), (60, 60)])

    # when
    page.get_by_test_id("status-labeled").click()

    # then
    expect(page.get_by_test_id("save-error")).to_contain_text("id 9 is in the bitmap but not in annotations")
    assert not Label.objects.filter(sample=sample).exists()


def test_undo_and_redo_restore_the_exact_pixels(page, live_server, segmentation_dataset, labeler):
    # given
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    set_brush_size(page, 15)
    stroke(page, [(100, 100), (200, 150)])
    page.keyboard.press("e")
    stroke(page, [(150, 90), (150, 160)])
    after_both = page.evaluate("Array.from(window.segmentationEditor.mask.ids)")

    # when / then
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    assert not any(page.evaluate("Array.from(window.segmentationEditor.mask.ids)"))
    expect(page.get_by_test_id("instance-1")).to_have_count(0)
    page.keyboard.press("Control+Shift+z")
    page.keyboard.press("Control+y")
    assert page.evaluate("Array.from(window.segmentationEditor.mask.ids)") == after_both
    save(page)
    expected = np.array(after_both, dtype=np.uint32).reshape(CHELSEA_SIZE)
    assert np.array_equal(fetch_bitmap(stored_label(sample).attributes["segmentation_bitmap"]["url"]), expected)


def test_bucket_fill_only_unlabeled_and_delete_instance(page, live_server, segmentation_dataset, labeler):
    # given: a ring painted as instance 1
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    set_brush_size(page, 3)
    ring = [(50, 50), (150, 50), (150, 150), (50, 150), (50, 50)]
    stroke(page, ring)
    expected = np.zeros(CHELSEA_SIZE, dtype=np.uint32)
    paint_stroke(expected, ring, 3, 1)

    # when: a bucket fill inside the ring as a new "animal", then a brush across it in "only unlabeled" mode
    page.keyboard.press("2")
    page.keyboard.press("f")
    click_pixel(page, 100, 100)
    inside = np.zeros(CHELSEA_SIZE, dtype=bool)
    inside[52:149, 52:149] = True  # the 3px ring covers 49..51 and 149..151
    expected[inside & (expected == 0)] = 2
    page.keyboard.press("u")
    page.keyboard.press("b")
    stroke(page, [(30, 100), (170, 100)])
    across = np.zeros(CHELSEA_SIZE, dtype=np.uint32)
    paint_stroke(across, [(30, 100), (170, 100)], 3, 1)
    expected[(across == 1) & (expected == 0)] = 2
    # then deleting instance 1 clears its pixels
    page.get_by_test_id("instance-delete-1").click()
    expected[expected == 1] = 0
    save(page)

    # then
    label = stored_label(sample)
    assert label.attributes["annotations"] == [{"id": 2, "category_id": 2, "attributes": {}}]
    ids = fetch_bitmap(label.attributes["segmentation_bitmap"]["url"])
    assert np.array_equal(ids, expected), np.argwhere(ids != expected)[:5].tolist()


def test_demo_segmentation_dataset_opens_in_the_editor(page, live_server, transactional_db):
    from django.contrib.auth import get_user_model

    from datasets.demo import DEMO_LABELER, create_demo_data

    demo = create_demo_data(site_url=live_server.url)
    sample = demo.segmentation_dataset.samples.order_by("name").first()
    log_in(page, live_server, get_user_model().objects.get(username=DEMO_LABELER))
    open_editor(page, live_server, sample)
    page.keyboard.press("?")
    expect(page.get_by_test_id("help-panel")).to_contain_text("Paint only unlabeled pixels")
    expect(page.get_by_test_id("category-1")).to_be_visible()


def test_highres_dataset_opens_the_same_editor(page, live_server, alice, labeler):
    from datasets.models import Collaborator, Sample
    from datasets.services.datasets import create_dataset
    from tests.browser_segmentation.conftest import SEGMENTATION_TASK_ATTRIBUTES

    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="highres",
        task_type="segmentation-bitmap-highres",
        task_attributes=SEGMENTATION_TASK_ATTRIBUTES,
    )
    Collaborator.objects.create(dataset=dataset, user=labeler, role="labeler")
    sample = Sample.objects.create(
        dataset=dataset,
        name="coffee.png",
        created_by=alice,
        attributes={"image": {"url": f"{live_server.url}/static/examples/images/coffee.png"}},
    )
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    stroke(page, [(10, 10), (30, 30)])
    save(page)
    assert fetch_bitmap(stored_label(sample).attributes["segmentation_bitmap"]["url"]).shape == (400, 600)


def test_painting_after_zoom_and_pan_lands_on_the_pixels_under_the_pointer(
    page, live_server, segmentation_dataset, labeler
):
    # given: zoomed in around a point with the wheel, then panned with space + drag
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    page.mouse.move(*pixel_point(page, 200, 150))
    for _ in range(4):
        page.mouse.wheel(0, -100)
    page.keyboard.down("Space")
    page.mouse.down()
    page.mouse.move(500, 400, steps=4)
    page.mouse.up()
    page.keyboard.up("Space")
    assert page.evaluate("window.segmentationEditor.view.scale") > 2

    # when
    set_brush_size(page, 4)
    pixels = [(190, 140), (215, 150), (220, 170)]
    stroke(page, pixels)
    save(page)

    # then
    expected = np.zeros(CHELSEA_SIZE, dtype=np.uint32)
    paint_stroke(expected, pixels, 4, 1)
    ids = fetch_bitmap(stored_label(sample).attributes["segmentation_bitmap"]["url"])
    assert np.array_equal(ids, expected), np.argwhere(ids != expected)[:5].tolist()


def test_object_and_image_attributes_are_saved_and_hiding_an_instance_only_changes_the_display(
    page, live_server, segmentation_dataset, labeler
):
    # given: an "animal" painted
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)
    page.keyboard.press("2")
    stroke(page, [(100, 100), (120, 110)])

    # when
    page.get_by_test_id("object-attribute-kind").select_option("dog")
    page.get_by_test_id("image-attribute-scene").select_option("indoor")
    page.get_by_test_id("instance-visible-1").uncheck()
    alpha = page.get_by_test_id("mask-canvas").evaluate(
        "canvas => canvas.getContext('2d').getImageData(110, 105, 1, 1).data[3]"
    )
    save(page)

    # then
    assert alpha == 0
    attributes = stored_label(sample).attributes
    assert attributes["annotations"] == [{"id": 1, "category_id": 2, "attributes": {"kind": "dog"}}]
    assert attributes["image_attributes"] == {"scene": "indoor"}
    assert fetch_bitmap(attributes["segmentation_bitmap"]["url"])[105, 110] == 1


def test_bucket_fill_by_photo_colour_covers_a_region_of_similar_colour(
    page, live_server, segmentation_dataset, labeler
):
    from django.conf import settings
    from PIL import Image

    # given
    sample = segmentation_dataset.samples.get(name="chelsea.png")
    photo = np.asarray(Image.open(settings.BASE_DIR / "examples" / "images" / "chelsea.png").convert("RGB"))
    log_in(page, live_server, labeler)
    open_editor(page, live_server, sample)

    # when: fill from a pixel of the cat's eye (about 850 similar pixels around it) with tolerance 20
    page.get_by_test_id("fill-mode").select_option("photo")
    page.get_by_test_id("fill-tolerance").fill("20")
    page.get_by_test_id("fill-tolerance").dispatch_event("change")
    page.get_by_test_id("tool-fill").click()
    click_pixel(page, 150, 110)
    save(page)

    # then: a region (not one pixel, not the whole photo) whose photo colours are all near the clicked one
    ids = fetch_bitmap(stored_label(sample).attributes["segmentation_bitmap"]["url"])
    filled = ids == 1
    assert filled[110, 150]
    assert 20 < filled.sum() < filled.size // 4
    difference = np.abs(photo[filled].astype(int) - photo[110, 150].astype(int)).max()
    assert difference <= 20 + 2  # the browser's PNG decode may differ by a unit or two per channel
