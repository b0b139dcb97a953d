"""Two people on one sample, in two real browser contexts against a real ASGI server (websockets included).

alice watches the dataset page and has the editor open on a sample; lara saves that sample in her editor.
alice's dataset page shows the new status and counts without a reload and her editor says that lara saved;
alice's save, started from the older version, is refused with a visible conflict, and neither lara's label
nor alice's drawing is lost.

The dataset page also follows assignments and saves made by another process (a Celery worker) over Redis.

"""

import re
import threading
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from datasets import access
from datasets.models import Collaborator, Label, Sample
from datasets.services.assignment import assign_samples
from datasets.services.datasets import create_dataset
from datasets.services.labels import save_label
from tests.browser_shell.conftest import EDITORS, draw, expect_objects, make_dataset, wait_ready
from tests.conftest import make_user
from tests.realtime.conftest import redis_url, session_cookie

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.postgresql]


def signed_in_context(browser, server: str, user) -> BrowserContext:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": f"http://{server}"}]
    )
    return context


def new_page(context: BrowserContext, errors: list[str]) -> Page:
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def open_editor(page: Page, server: str, sample) -> None:
    url = reverse("label-editor", args=["alice", "photos", sample.uuid])
    page.goto(f"http://{server}{url}")
    expect(page.get_by_test_id("editor-canvas")).to_have_attribute("data-ready", "true")


def draw_box(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Drag a box from `start` to `end`, in image pixels."""
    left, top, width, height, natural_width, natural_height = page.locator("#ve-image").evaluate(
        """image => { const r = image.getBoundingClientRect();
                      return [r.left, r.top, r.width, r.height, image.naturalWidth, image.naturalHeight]; }"""
    )

    def on_screen(x, y):
        return left + x * width / natural_width, top + y * height / natural_height

    page.mouse.move(*on_screen(*start))
    page.mouse.down()
    page.mouse.move(*on_screen(*end), steps=8)
    page.mouse.up()


def test_second_person_sees_the_save_live_and_their_stale_save_is_refused_without_losing_work(
    start_asgi_server, chromium, vector_dataset, alice, labeler
):
    # given: one ASGI server (in-memory channel layer) and the sample's photo served by it
    server = start_asgi_server(redis=None)
    sample = vector_dataset.samples.get()
    sample.attributes = {"image": {"url": f"http://{server}/static/examples/images/chelsea.png"}}
    sample.save(update_fields=["attributes"])
    errors: list[str] = []
    alice_context = signed_in_context(chromium, server, alice)
    lara_context = signed_in_context(chromium, server, labeler)
    alice_list = new_page(alice_context, errors)
    alice_list.goto(f"http://{server}{reverse('dataset', args=['alice', 'photos'])}")
    expect(alice_list.get_by_test_id("live-status")).to_have_text("● live")
    expect(alice_list.get_by_test_id("label-status")).to_have_text("unlabeled")
    alice_editor = new_page(alice_context, errors)
    open_editor(alice_editor, server, sample)
    lara_editor = new_page(lara_context, errors)
    open_editor(lara_editor, server, sample)

    # when: lara draws a box and marks the sample labeled
    draw_box(lara_editor, (20, 20), (120, 100))
    lara_editor.get_by_test_id("status-labeled").click()
    expect(lara_editor.get_by_test_id("save-state")).to_have_text(re.compile(r"^Saved"))

    # then: alice's dataset page shows it without a reload, with who saved and the new counts
    status = alice_list.get_by_test_id("label-status")
    expect(status).to_have_text("labeled")
    expect(status).to_have_attribute("title", "saved by lara")
    expect(alice_list.get_by_test_id("progress")).to_contain_text("1 labeled")
    # and: alice's open editor says who saved and offers to load their version
    notice = alice_editor.get_by_test_id("remote-save-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("lara saved this sample")
    expect(notice).to_contain_text("version 1")

    # when: alice, whose editor still holds the version before lara's, draws and saves
    draw_box(alice_editor, (200, 150), (300, 250))
    alice_editor.keyboard.press("Control+s")

    # then: a visible conflict; lara's label is stored untouched and alice's box is still on her screen
    expect(alice_editor.get_by_test_id("conflict-message")).to_be_visible()
    expect(alice_editor.get_by_test_id("annotation")).to_have_count(1)
    label = Label.objects.get(sample=sample)
    assert (label.version, label.label_status, label.updated_by) == (1, "LABELED", labeler)
    [box] = label.attributes["annotations"]
    assert box["type"] == "bbox"
    assert abs(box["points"][0][0] - 20) <= 2
    assert abs(box["points"][1][0] - 120) <= 2
    alice_context.close()
    lara_context.close()
    assert not errors, f"JavaScript errors on the pages: {errors}"


def in_another_thread(work) -> None:
    """Run `work` in a thread of its own, as a worker would (no event loop there, its own database
    connection), and re-raise what it raised."""
    failures: list[BaseException] = []

    def run():
        try:
            work()
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    if failures:
        raise failures[0]


def test_dataset_page_follows_assignments_and_saves_made_by_another_process(
    start_asgi_server, chromium, settings, vector_dataset, alice, labeler
):
    # given: a server on Redis, and this test process on the same Redis standing in for a Celery worker
    redis = redis_url()
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [redis]}}
    }
    server = start_asgi_server(redis=redis)
    sample = vector_dataset.samples.get()
    Sample.objects.create(dataset=vector_dataset, name="coffee.png", attributes={"image": {"url": "u"}})
    errors: list[str] = []
    page = new_page(signed_in_context(chromium, server, alice), errors)
    page.goto(f"http://{server}{reverse('dataset', args=['alice', 'photos'])}")
    expect(page.get_by_test_id("live-status")).to_have_text("● live")
    row = page.locator(f'tr[data-sample-uuid="{sample.uuid}"]')
    expect(row.locator('[data-field="assigned-labeler"]')).to_have_text("—")

    # when: a manager assigns the sample to lara, then a worker stores a label for it
    def elsewhere():
        dataset_access = access.get_dataset(alice, "alice", "photos")
        assign_samples(alice, dataset_access, [str(sample.uuid)], username="lara")
        save_label(labeler, sample, "ground-truth", attributes=None, label_status="LABELING_IN_PROGRESS")

    in_another_thread(elsewhere)

    # then: the page shows both without a reload, and the counts follow
    expect(row.locator('[data-field="assigned-labeler"]')).to_have_text("lara")
    expect(row.get_by_test_id("label-status")).to_have_text("labeling_in_progress")
    expect(page.get_by_test_id("progress")).to_contain_text("1 labeling_in_progress")
    expect(page.get_by_test_id("progress")).to_contain_text("1 unlabeled")
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_segmentation_editor_says_when_someone_else_saved_the_sample(
    start_asgi_server, chromium, settings, alice, labeler
):
    # given: alice has the segmentation editor open on a real photo, served by an ASGI server on Redis; this
    # test process, on the same Redis, stands in for the API process where lara saves
    redis = redis_url()
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [redis]}}
    }
    server = start_asgi_server(redis=redis)
    dataset = create_dataset(
        alice,
        owner_name="alice",
        owner_user=alice,
        name="masks",
        task_type="segmentation-bitmap",
        task_attributes={"format_version": "0.1", "categories": [{"id": 1, "name": "cat", "color": [230, 57, 70]}]},
    )
    Collaborator.objects.create(dataset=dataset, user=labeler, role="labeler")
    sample = Sample.objects.create(
        dataset=dataset,
        name="chelsea.png",
        attributes={"image": {"url": f"http://{server}/static/examples/images/chelsea.png"}},
    )
    errors: list[str] = []
    page = new_page(signed_in_context(chromium, server, alice), errors)
    page.goto(f"http://{server}{reverse('label-editor', args=['alice', 'masks', sample.uuid])}")
    page.wait_for_function("() => window.segmentationEditor && window.segmentationEditor.timings.readyMs > 0")
    expect(page.locator("#segmentation-editor")).to_have_attribute("data-live", "open")

    # when: lara saves a label of that sample elsewhere (through the service, as the API would)
    attributes = {
        "format_version": "0.1",
        "annotations": [],
        "segmentation_bitmap": {"url": "https://example.org/m.png"},
    }
    in_another_thread(
        lambda: save_label(
            labeler, Sample.objects.get(pk=sample.pk), "ground-truth", attributes=attributes, label_status="LABELED"
        )
    )

    # then: alice's editor says who saved and that reloading shows their version
    message = page.get_by_test_id("remote-save-notice")
    expect(message).to_contain_text("lara saved this sample (now version 1)")
    page.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def their_empty_label(kind) -> dict:
    """A valid label of `kind` with nothing in it (sequences: their 5 frames)."""
    frame = {"annotations": []}
    if kind.mask:
        frame["segmentation_bitmap"] = None if kind.sequence else {"url": "https://example.org/m.png"}
    if kind.sequence:
        return {"format_version": "0.1" if kind.mask else "0.2", "frames": [dict(frame) for _ in range(5)]}
    return {"format_version": "0.1", **frame}


@pytest.mark.parametrize("kind", EDITORS, ids=str)
def test_every_editor_says_when_someone_else_saved_and_keeps_my_work(start_asgi_server, chromium, settings, kind):
    # given: alice has the editor open on a sample of a dataset of this kind, served by an ASGI server on Redis;
    # this test process, on the same Redis, stands in for the API process where lara saves
    redis = redis_url()
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [redis]}}
    }
    server = start_asgi_server(redis=redis)
    people = {name: make_user(name) for name in ("alice", "lara", "otto", "rita")}
    dataset = make_dataset(SimpleNamespace(url=f"http://{server}"), people, kind, samples=1)
    sample = dataset.samples.get()
    errors: list[str] = []
    page = new_page(signed_in_context(chromium, server, people["alice"]), errors)
    page.goto(f"http://{server}{reverse('label-editor', args=[dataset.owner_name, dataset.name, sample.uuid])}")
    wait_ready(page, kind)
    expect(page.locator("[data-live]")).to_have_attribute("data-live", "open")
    draw(page, kind)
    expect_objects(page, kind, 1)

    # when: lara saves that sample elsewhere
    in_another_thread(
        lambda: save_label(
            people["lara"],
            Sample.objects.get(pk=sample.pk),
            "ground-truth",
            attributes=their_empty_label(kind),
            label_status="LABELED",
        )
    )

    # then: the same notice in every editor, and alice's unsaved work is still on her screen
    notice = page.get_by_test_id("remote-save-notice")
    expect(notice).to_contain_text("lara saved this sample (now version 1)")
    expect_objects(page, kind, 1)
    page.context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
