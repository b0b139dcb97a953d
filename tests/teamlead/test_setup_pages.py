"""A team lead sets a project up in the browser's pages: new dataset, settings, archive and delete, the Django
admin, API keys, members and accounts with a one-time link, and the upload of files into samples."""

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from segments import SegmentsClient
from segments.exceptions import AuthenticationError

from datasets.models import Asset, Collaborator, Dataset, Label, LabelSet, Sample
from datasets.services.labels import save_label
from labeling.models import ApiKey
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

OCCLUDED = {"name": "occluded", "input_type": "checkbox", "is_track_level": False, "default_value": False}
TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {"id": 1, "name": "person", "color": [230, 57, 70], "has_instances": True, "attributes": [OCCLUDED]},
        {"id": 2, "name": "animal", "color": [42, 157, 143], "has_instances": True},
        {"id": 3, "name": "vehicle", "color": [69, 123, 157], "has_instances": False},
    ],
}


def form_data(**changes) -> dict:
    data = {
        "name": "street",
        "description": "Street photos",
        "task_type": "vector",
        "task_attributes": json.dumps(TASK_ATTRIBUTES),
        "owner": "alice",
        "enable_interpolation": "on",
        "enable_skip_labeling": "on",
    }
    return {**data, **changes}


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_new_dataset_page_creates_the_dataset_with_its_ground_truth(alice_client):
    response = alice_client.post(reverse("new-dataset"), form_data())
    assert response.status_code == 302
    assert response.url == reverse("dataset", args=["alice", "street"])
    dataset = Dataset.objects.get(owner_name="alice", name="street")
    assert dataset.task_type == "vector"
    assert dataset.task_attributes == TASK_ATTRIBUTES
    assert dataset.description == "Street photos"
    assert dataset.public is False
    assert list(dataset.labelsets.values_list("name", "is_groundtruth")) == [("ground-truth", True)]


def test_new_dataset_page_explains_every_task_type(alice_client):
    page = alice_client.get(reverse("new-dataset")).content.decode()
    assert 'data-testid="task-type-pointcloud-cuboid"' in page
    assert "3D cuboids around objects" in page


def test_bad_task_attributes_are_reported_and_nothing_is_created(alice_client):
    attributes = {"format_version": "0.1", "categories": [{"id": 1, "name": "x", "color": [1, 2]}]}
    response = alice_client.post(reverse("new-dataset"), form_data(task_attributes=json.dumps(attributes)))
    assert response.status_code == 200
    assert "color" in response.content.decode()
    assert not Dataset.objects.filter(name="street").exists()


def test_a_dataset_for_an_organization_needs_its_admin(alice_client, alice):
    from labeling.services import create_organization

    create_organization(make_user("bob"), name="acme")  # bob administers acme, alice does not
    response = alice_client.post(reverse("new-dataset"), form_data(owner="acme"))
    assert response.status_code == 200  # "acme" is not among alice's choices
    assert not Dataset.objects.filter(name="street").exists()
    create_organization(alice, name="alices-lab")
    response = alice_client.post(reverse("new-dataset"), form_data(owner="alices-lab"))
    assert response.status_code == 302
    assert Dataset.objects.get(name="street").owner_organization.name == "alices-lab"


def labeled_dataset(alice) -> Dataset:
    from datasets.services.datasets import create_dataset

    dataset = create_dataset(
        alice, owner_name="alice", owner_user=alice, name="street", task_type="vector", task_attributes=TASK_ATTRIBUTES
    )
    sample = Sample.objects.create(dataset=dataset, name="a.png", attributes={"image": {"url": "https://x/a.png"}})
    annotation = {"id": 1, "category_id": 2, "type": "bbox", "points": [[1.0, 1.0], [5.0, 5.0]]}
    save_label(
        alice,
        Sample.objects.select_related("dataset").get(pk=sample.pk),
        "ground-truth",
        attributes={"format_version": "0.1", "annotations": [annotation]},
        label_status="LABELED",
    )
    return dataset


def test_settings_refuse_removing_a_category_that_labels_use_and_say_which(alice_client, alice):
    dataset = labeled_dataset(alice)
    without_animal = {**TASK_ATTRIBUTES, "categories": [TASK_ATTRIBUTES["categories"][0]]}
    url = reverse("dataset-settings", args=["alice", "street"])

    response = alice_client.post(url, form_data(task_attributes=json.dumps(without_animal)))

    assert response.status_code == 200
    assert "animal (id 2, 1 labels)" in response.content.decode()
    assert "vehicle" not in response.content.decode().split("cannot be removed")[1].split("<")[0]
    dataset.refresh_from_db()
    assert len(dataset.categories) == 3


def test_settings_rename_reorder_and_add_categories_and_drop_unused_ones(alice_client, alice):
    dataset = labeled_dataset(alice)
    person, animal, _vehicle = TASK_ATTRIBUTES["categories"]
    new = [{**animal, "name": "pet"}, person, {"id": 4, "name": "bicycle", "color": [1, 2, 3]}]
    url = reverse("dataset-settings", args=["alice", "street"])
    changes = form_data(task_attributes=json.dumps({**TASK_ATTRIBUTES, "categories": new}), public="on")

    response = alice_client.post(url, changes)

    assert response.status_code == 302
    dataset.refresh_from_db()
    assert [c["name"] for c in dataset.categories] == ["pet", "person", "bicycle"]
    assert dataset.public is True


def test_archive_and_delete_need_confirmation(alice_client, alice):
    dataset = labeled_dataset(alice)
    args = ["alice", "street"]
    alice_client.post(reverse("archive-dataset", args=args), {"archived": "true"})
    dataset.refresh_from_db()
    assert dataset.archived is True

    refused = alice_client.post(reverse("delete-dataset", args=args), {"confirm_name": "wrong"})
    assert refused.status_code == 302
    assert Dataset.objects.filter(pk=dataset.pk).exists()
    alice_client.post(reverse("delete-dataset", args=args), {"confirm_name": "street"})
    assert not Dataset.objects.filter(pk=dataset.pk).exists()
    assert not Label.objects.filter(sample__dataset_id=dataset.pk).exists()


def test_a_labeler_cannot_open_the_settings_members_or_upload(client, vector_dataset, labeler):
    client.force_login(labeler)
    for name in ("dataset-settings", "dataset-members"):
        assert client.get(reverse(name, args=["alice", "photos"])).status_code == 403
    response = client.post(reverse("upload-file", args=["alice", "photos"]), {})
    assert response.status_code == 403
    assert Asset.objects.count() == 0


def test_a_dataset_created_in_the_django_admin_gets_its_ground_truth_and_can_be_labeled(client, alice, api_key_for):
    admin = get_user_model().objects.create_superuser("root", "root@x.org", PASSWORD)
    client.force_login(admin)
    response = client.post(
        reverse("admin:datasets_dataset_add"),
        {
            "name": "admin-made",
            "owner_name": "",
            "owner_user": alice.pk,
            "task_type": "vector",
            "task_attributes": json.dumps(TASK_ATTRIBUTES),
            "metadata": "{}",
            "category": "other",
            "labeling_inactivity_timeout_seconds": 300,
            "collaborators-TOTAL_FORMS": 0,
            "collaborators-INITIAL_FORMS": 0,
            "labelsets-TOTAL_FORMS": 0,
            "labelsets-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    dataset = Dataset.objects.get(name="admin-made")
    assert dataset.owner_name == "alice"
    assert LabelSet.objects.filter(dataset=dataset, name="ground-truth", is_groundtruth=True).exists()
    sample = Sample.objects.create(dataset=dataset, name="a.png", attributes={"image": {"url": "https://x/a.png"}})
    label = {"label_status": "LABELED", "attributes": {"format_version": "0.1", "annotations": []}}
    saved = client.put(
        f"/labels/{sample.uuid}/ground-truth/",
        json.dumps(label),
        content_type="application/json",
        HTTP_AUTHORIZATION=api_key_for(alice),
    )
    assert saved.status_code in (200, 201), saved.content
    assert Label.objects.get(sample=sample).label_status == "LABELED"


@pytest.mark.django_db(transaction=True)
def test_an_api_key_made_on_the_settings_page_works_with_the_sdk_until_revoked(live_server, client, vector_dataset):
    alice = vector_dataset.owner_user
    client.force_login(alice)
    page = client.post(reverse("account-settings"), {"action": "create", "name": "script"}).content.decode()
    key = page.split('data-testid="new-api-key"')[0].rsplit('value="', 1)[1].split('"')[0]
    stored = ApiKey.objects.get(user=alice)
    assert key.startswith(stored.prefix)
    assert key not in client.get(reverse("account-settings")).content.decode()  # shown once

    sdk = SegmentsClient(api_key=key, api_url=f"{live_server.url}/")
    assert [dataset.name for dataset in sdk.get_datasets()] == ["photos"]

    client.post(reverse("account-settings"), {"action": "revoke", "key_id": stored.pk})
    assert ApiKey.objects.get(pk=stored.pk).revoked is True
    with pytest.raises(AuthenticationError):
        SegmentsClient(api_key=key, api_url=f"{live_server.url}/")


def test_another_users_key_cannot_be_revoked(client, alice, outsider):
    from labeling.services import create_api_key

    create_api_key(alice)
    client.force_login(outsider)
    client.post(reverse("account-settings"), {"action": "revoke", "key_id": ApiKey.objects.get().pk})
    assert ApiKey.objects.get().revoked is False


def test_manager_creates_an_account_whose_one_time_link_sets_the_password(client, alice, vector_dataset):
    client.force_login(alice)
    url = reverse("dataset-members", args=["alice", "photos"])
    page = client.post(
        url, {"action": "create", "new-username": "nina", "new-email": "", "new-role": "labeler"}
    ).content.decode()
    link = page.split('data-testid="password-link"')[0].rsplit('value="', 1)[1].split('"')[0]
    nina = get_user_model().objects.get(username="nina")
    assert not nina.has_usable_password()
    assert Collaborator.objects.get(dataset=vector_dataset, user=nina).role == "labeler"

    client.logout()
    form = client.get(link, follow=True)  # Django swaps the token for a session key and redirects
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "a-long-new-pass-42", "new_password2": "a-long-new-pass-42"})
    assert done.status_code == 302
    nina.refresh_from_db()
    assert nina.check_password("a-long-new-pass-42")
    client.logout()
    assert "expired" in client.get(link, follow=True).content.decode()  # used once


def test_members_page_adds_changes_and_removes_collaborators(client, alice, vector_dataset, outsider):
    client.force_login(alice)
    url = reverse("dataset-members", args=["alice", "photos"])
    client.post(url, {"action": "add", "username": "oscar", "role": "reviewer"})
    assert Collaborator.objects.get(user=outsider).role == "reviewer"
    client.post(url, {"action": "change", "username": "oscar", "role": "manager"})
    assert Collaborator.objects.get(user=outsider).role == "manager"
    client.post(url, {"action": "remove", "username": "oscar"})
    assert not Collaborator.objects.filter(user=outsider).exists()


def upload(client, path: Path | None = None, *, name: str | None = None, content: bytes | None = None, folder=""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = content if content is not None else path.read_bytes()
    name = name or path.name
    file = SimpleUploadedFile(name, data)
    return client.post(
        reverse("upload-file", args=["alice", "photos"]), {"file": file, "relativePath": f"{folder}{name}"}
    )


def test_uploaded_photos_become_samples_and_bad_files_are_refused_with_the_reason(client, alice, vector_dataset):
    client.force_login(alice)
    photos = sorted((EXAMPLES / "images").glob("*.png"))[:2]
    stored = [upload(client, photo) for photo in photos]
    fake = upload(client, name="fake.png", content=b"GIF89a not really a png")
    text = upload(client, name="notes.txt", content=b"hello")

    assert [response.status_code for response in stored] == [201, 201]
    assert fake.status_code == 400
    assert fake.json()["detail"] == "fake.png: the content is not a PNG image"
    assert text.status_code == 201
    assets = [response.json()["asset"] for response in [*stored, text]]
    summary = client.post(
        reverse("upload-samples", args=["alice", "photos"]), json.dumps({"assets": assets}), "application/json"
    ).json()

    assert summary["created"] == [photo.name for photo in photos]
    assert summary["refused"] == [{"name": "notes.txt", "reason": "a text file cannot be a image sample"}]
    sample = Sample.objects.get(dataset=vector_dataset, name=photos[0].name)
    url = sample.attributes["image"]["url"]
    assert url.startswith("http://testserver/media/assets/")
    assert client.get(url.removeprefix("http://testserver")).status_code == 200
    assert Asset.objects.count() == 3  # the refused fake was never stored


def test_a_file_over_the_size_limit_is_refused_and_not_stored(client, alice, vector_dataset, settings):
    settings.ASSET_MAX_BYTES = 1000
    client.force_login(alice)
    response = upload(client, EXAMPLES / "images" / "chelsea.png")
    assert response.status_code == 400
    assert "over the limit of 1000 bytes per file" in response.json()["detail"]
    assert Asset.objects.count() == 0


def test_a_sample_name_taken_already_is_refused_in_the_summary(client, alice, vector_dataset):
    client.force_login(alice)
    asset = upload(client, EXAMPLES / "images" / "chelsea.png").json()["asset"]  # chelsea.png exists already
    summary = client.post(
        reverse("upload-samples", args=["alice", "photos"]), json.dumps({"assets": [asset]}), "application/json"
    ).json()
    assert summary == {
        "created": [],
        "refused": [{"name": "chelsea.png", "reason": "a sample with this name already exists"}],
    }


def test_the_api_docs_page_loads_swagger_ui_from_this_server(alice_client):
    page = alice_client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    script = alice_client.get("/static/ninja/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert b"SwaggerUIBundle" in b"".join(script.streaming_content if script.streaming else [script.content])


def test_organization_admin_creates_changes_and_removes_members_on_its_page(client, alice):
    from labeling.models import Membership
    from labeling.services import create_organization

    organization = create_organization(alice, name="acme")
    client.force_login(alice)
    url = reverse("organization-members", args=["acme"])

    page = client.post(url, {"action": "create", "username": "nina", "email": "", "role": "reviewer"}).content.decode()
    assert 'data-testid="password-link"' in page
    assert Membership.objects.get(organization=organization, user__username="nina").role == "reviewer"
    client.post(url, {"action": "change", "username": "nina", "role": "manager"})
    assert Membership.objects.get(organization=organization, user__username="nina").role == "manager"
    client.post(url, {"action": "remove", "username": "nina"})
    assert not Membership.objects.filter(organization=organization, user__username="nina").exists()
    refused = client.post(url, {"action": "remove", "username": "alice"}, follow=True).content.decode()
    assert "The last administrator cannot leave the organization." in refused


def test_only_an_organization_admin_opens_its_members_page(client, alice, outsider):
    from labeling.services import create_organization

    create_organization(alice, name="acme")
    client.force_login(outsider)
    assert client.get(reverse("organization-members", args=["acme"])).status_code == 403


def test_home_page_query_count_does_not_grow_with_datasets(client, alice, django_assert_max_num_queries):
    from datasets.services.datasets import create_dataset

    client.force_login(alice)
    create_dataset(alice, owner_name="alice", owner_user=alice, name="first", task_type="vector")
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("home"))
    for index in range(10):
        create_dataset(alice, owner_name="alice", owner_user=alice, name=f"more-{index}", task_type="vector")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("home")).content.decode()
    assert page.count('data-testid="dataset-progress"') == 11


def test_the_link_is_mailed_only_when_mail_is_configured(
    client, alice, vector_dataset, settings, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    url = reverse("dataset-members", args=["alice", "photos"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "create", "new-username": "no-mail", "new-email": "a@x.org", "new-role": "labeler"})
    assert mailoutbox == []
    settings.EMAIL_HOST = "smtp.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            url, {"action": "create", "new-username": "mailed", "new-email": "m@x.org", "new-role": "labeler"}
        ).content.decode()
    link = page.split('data-testid="password-link"')[0].rsplit('value="', 1)[1].split('"')[0]
    (mail,) = mailoutbox
    assert mail.to == ["m@x.org"]
    assert link in mail.body
