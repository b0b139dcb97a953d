"""The whole set-up in a real browser, as a brand-new admin: create a vector dataset with three categories
and one attribute, upload the ten example photos into it, create a labeler's account, and the labeler follows
the one-time link, sets a password and labels a photo in the vector editor. The admin's actions are counted
(target: 25 at most)."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from datasets.models import Collaborator, Dataset, Label, Sample

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PHOTOS = sorted(p for p in (EXAMPLES / "images").iterdir() if p.suffix in (".png", ".jpg"))
ADMIN_PASSWORD = "a-brand-new-admin-42"
LABELER_PASSWORD = "lara-sets-her-own-42"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Actions:
    """Counts what a person does: each click, fill, choice, drop or typed address is one action."""

    def __init__(self, page: Page):
        self.page, self.count = page, 0

    def goto(self, url: str) -> None:
        self.count += 1
        self.page.goto(url)

    def click(self, selector) -> None:
        self.count += 1
        self._locate(selector).click()

    def fill(self, selector, value: str) -> None:
        self.count += 1
        self._locate(selector).fill(value)

    def select(self, selector, value: str) -> None:
        self.count += 1
        self._locate(selector).select_option(value)

    def drop_files(self, selector, paths: list[Path]) -> None:
        self.count += 1
        self._locate(selector).set_input_files([str(path) for path in paths])

    def _locate(self, selector):
        return self.page.locator(selector) if isinstance(selector, str) else selector


def test_brand_new_admin_sets_up_a_project_and_a_new_labeler_labels_a_photo(live_server, new_page):
    assert len(PHOTOS) == 10
    get_user_model().objects.create_superuser("admin", "admin@x.org", ADMIN_PASSWORD)
    admin = Actions(new_page())
    page = admin.page

    # log in
    admin.goto(f"{live_server.url}/")
    admin.fill("#id_username", "admin")
    admin.fill("#id_password", ADMIN_PASSWORD)
    admin.click("[data-testid=login-submit]")
    # a vector dataset with three categories and one attribute
    admin.click("[data-testid=new-dataset]")
    admin.fill("#id_name", "street")
    admin.click("[data-testid=task-type-vector]")
    admin.fill(".category-name >> nth=0", "person")
    admin.click("[data-testid=add-category]")
    page.keyboard.type("car")  # the new row's name has the focus
    admin.count += 1
    admin.click("[data-testid=add-category]")
    page.keyboard.type("bicycle")
    admin.count += 1
    admin.click("[data-testid=add-attribute]")
    page.keyboard.type("occluded")
    admin.count += 1
    admin.select(".attribute-kind", "checkbox")
    page.screenshot(path="/tmp/teamlead-new-dataset.png", full_page=True)
    admin.click("[data-testid=save-dataset]")
    expect(page.get_by_test_id("upload-panel")).to_be_visible()
    # the ten photos, dropped on the uploader
    admin.drop_files("input.uppy-Dashboard-input >> nth=0", PHOTOS)
    result = page.get_by_test_id("upload-result")
    expect(result).to_contain_text("10 sample(s) created, 0 file(s) refused", timeout=30_000)
    page.screenshot(path="/tmp/teamlead-upload.png", full_page=True)
    assert_dataset_page_fetches_thumbnails_only(page)
    # the labeler's account
    admin.click("[data-testid=members-link]")
    admin.fill("#id_new-username", "lara")
    admin.click("[data-testid=create-user]")
    link = page.get_by_test_id("password-link").input_value()
    print(f"\nadmin actions for the whole set-up: {admin.count}")
    assert admin.count <= 25

    dataset = Dataset.objects.get(owner_name="admin", name="street")
    assert [c["name"] for c in dataset.categories] == ["person", "car", "bicycle"]
    assert dataset.categories[0]["attributes"] == [
        {"name": "occluded", "input_type": "checkbox", "is_track_level": False, "default_value": False}
    ]
    assert sorted(dataset.samples.values_list("name", flat=True)) == [photo.name for photo in PHOTOS]
    assert Collaborator.objects.get(dataset=dataset, user__username="lara").role == "labeler"

    # the labeler follows the link, sets a password and labels the first photo
    labeler = Actions(new_page())
    lara_page = labeler.page
    labeler.goto(link)
    labeler.fill("#id_new_password1", LABELER_PASSWORD)
    labeler.fill("#id_new_password2", LABELER_PASSWORD)
    labeler.click("[data-testid=set-password]")
    expect(lara_page.get_by_test_id("current-user")).to_have_text("lara")
    labeler.click("text=admin/street")
    labeler.click("[data-testid=start-labeling]")
    expect(lara_page.get_by_test_id("editor-canvas")).to_have_attribute("data-ready", "true")
    box = lara_page.locator("#ve-image").bounding_box()
    lara_page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.2)
    lara_page.mouse.down()
    lara_page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.7, steps=8)
    lara_page.mouse.up()
    labeler.count += 1
    labeler.click("[data-testid=status-labeled]")
    expect(lara_page.get_by_test_id("save-state")).to_contain_text("Saved")
    lara_page.screenshot(path="/tmp/teamlead-labeler.png")
    print(f"labeler actions from the link to a saved label: {labeler.count}")

    label = Label.objects.get(sample__dataset=dataset, labelset__name="ground-truth")
    assert (label.label_status, label.updated_by.username, label.labeled_by.username) == ("LABELED", "lara", "lara")
    (annotation,) = label.attributes["annotations"]
    assert (annotation["type"], annotation["category_id"]) == ("bbox", 1)
    assert Sample.objects.get(pk=label.sample_id).assigned_labeler.username == "lara"

    # and the admin sees who labeled it, and lara's count
    page.goto(f"{live_server.url}/app/admin/street/?labeler=lara")
    rows = page.get_by_test_id("sample-list").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.locator("[data-field=labeled-by]")).to_have_text("lara")
    expect(page.locator("[data-testid=people-counts] tr[data-username=lara] [data-field=labeled]")).to_have_text("1")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("dataset-progress")).to_contain_text("1 / 10 done")
    page.screenshot(path="/tmp/teamlead-home.png")


def test_bad_files_are_reported_with_the_reason_and_the_good_ones_created(live_server, new_page, tmp_path, settings):
    settings.ASSET_MAX_BYTES = 100_000
    admin_user = get_user_model().objects.create_superuser("admin", "admin@x.org", ADMIN_PASSWORD)
    from datasets.services.datasets import create_dataset

    create_dataset(admin_user, owner_name="admin", owner_user=admin_user, name="street", task_type="vector")
    fake = tmp_path / "holiday.jpg"
    fake.write_bytes(b"%PDF-1.4 this is a document")
    page = new_page()
    client_cookie(page, live_server, admin_user)
    page.goto(f"{live_server.url}/app/admin/street/")
    small, big = EXAMPLES / "images" / "coins.png", EXAMPLES / "images" / "astronaut.png"  # 76 kB, 792 kB
    page.locator("input.uppy-Dashboard-input >> nth=0").set_input_files([str(fake), str(small), str(big)])
    expect(page.get_by_test_id("upload-result")).to_contain_text("1 sample(s) created, 2 file(s) refused")
    refused = page.get_by_test_id("upload-refused")
    expect(refused).to_have_count(2)
    reasons = sorted(refused.all_inner_texts())
    assert reasons[0] == "astronaut.png: 791555 bytes is over the limit of 100000 bytes per file"
    assert reasons[1] == "holiday.jpg: the content is not a JPG image"
    page.screenshot(path="/tmp/teamlead-refused.png")
    assert list(Sample.objects.values_list("name", flat=True)) == ["coins.png"]


def assert_dataset_page_fetches_thumbnails_only(page: Page) -> None:
    """Reload the dataset page and weigh every image it fetches: one small thumbnail per row, no original."""
    fetched: dict[str, int] = {}

    def weigh(response) -> None:
        if "/media/" in response.url:
            fetched[response.url] = len(response.body())

    page.on("response", weigh)
    page.reload()
    rows = page.get_by_test_id("sample-list").locator("tbody tr")
    expect(rows).to_have_count(10)
    thumbnails = page.get_by_test_id("thumbnail")
    expect(thumbnails).to_have_count(10)
    page.wait_for_function("[...document.querySelectorAll('img.thumb')].every(image => image.complete)")
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", weigh)
    originals = set(Sample.objects.values_list("attributes__image__url", flat=True))
    assert len(fetched) == 10
    assert not originals & set(fetched)
    per_row = sum(fetched.values()) / 10
    print(f"\ndataset page: {per_row / 1024:.1f} KiB of image per row (originals: {original_kib_per_row():.0f} KiB)")
    assert per_row < 20 * 1024
    page.screenshot(path="/tmp/teamlead-thumbnails.png")


def original_kib_per_row() -> float:
    return sum(photo.stat().st_size for photo in PHOTOS) / 10 / 1024


def client_cookie(page: Page, live_server, user) -> None:
    """Sign `user` in by giving the browser a session cookie made by Django's test client."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
