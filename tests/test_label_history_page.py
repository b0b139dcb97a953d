"""The label history page: managers list a label's versions, view one's JSON and restore one; the dataset page
and the editor link to it for managers only."""

import html

import pytest
from django.urls import reverse

from datasets.models import Label, LabelVersion
from datasets.services.labels import save_label

pytestmark = pytest.mark.django_db


def vector_label(objects: int) -> dict:
    annotations = [
        {"id": i + 1, "category_id": 1, "type": "bbox", "points": [[i, i], [i + 9, i + 9]]} for i in range(objects)
    ]
    return {"format_version": "0.1", "annotations": annotations}


@pytest.fixture
def chelsea(vector_dataset, labeler, alice):
    """chelsea.png with three versions: lara's two and alice's review."""
    sample = vector_dataset.samples.get()
    save_label(labeler, sample, "ground-truth", attributes=vector_label(1), label_status="LABELED")
    save_label(labeler, sample, "ground-truth", attributes=vector_label(2), label_status="LABELED")
    save_label(alice, sample, "ground-truth", attributes=vector_label(2), label_status="REVIEWED")
    return sample


def history_url(sample, **query) -> str:
    url = reverse("label-history", args=["alice", "photos", sample.uuid])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def test_manager_sees_every_version_with_who_and_status(client, alice, chelsea):
    client.force_login(alice)
    response = client.get(history_url(chelsea))
    page = response.content.decode()
    assert response.status_code == 200
    rows = page.split('data-version="')[1:]
    assert [row.split('"')[0] for row in rows] == ["3", "2", "1"]
    assert ("reviewed" in rows[0], ">alice<" in rows[0]) == (True, True)
    assert ("labeled" in rows[2], ">lara<" in rows[2]) == (True, True)
    assert page.count('data-testid="restore-version"') == 2  # not the current version


def test_view_shows_a_version_as_pretty_json(client, alice, chelsea):
    client.force_login(alice)
    page = client.get(history_url(chelsea, view=1)).content.decode()
    shown = html.unescape(page.split('data-testid="version-json">')[1].split("</pre>")[0])
    assert '"annotations": [' in shown
    assert shown.count('"category_id": 1') == 1


def test_restore_makes_a_version_current_as_a_new_version(client, alice, chelsea):
    client.force_login(alice)
    url = reverse("restore-label-version", args=["alice", "photos", chelsea.uuid, 1])

    response = client.post(url, {"current_version": "3"}, follow=True)

    label = Label.objects.get()
    assert (label.version, label.attributes, label.label_status) == (4, vector_label(1), "LABELED")
    assert "Version 1 restored as version 4." in response.content.decode()
    assert LabelVersion.objects.filter(label=label, version=4, created_by=alice).exists()


def test_restore_from_a_stale_page_is_refused(client, alice, chelsea):
    client.force_login(alice)
    url = reverse("restore-label-version", args=["alice", "photos", chelsea.uuid, 1])
    response = client.post(url, {"current_version": "2"}, follow=True)
    assert "current version 3" in response.content.decode()
    assert Label.objects.get().version == 3


def test_labeler_can_neither_see_nor_restore_history(client, labeler, chelsea):
    client.force_login(labeler)
    url = reverse("restore-label-version", args=["alice", "photos", chelsea.uuid, 1])
    assert client.get(history_url(chelsea)).status_code == 403
    assert client.post(url, {"current_version": "3"}).status_code == 403
    assert Label.objects.get().version == 3


def test_dataset_page_and_editor_link_to_the_history_for_managers_only(client, alice, labeler, chelsea):
    dataset_url = reverse("dataset", args=["alice", "photos"])
    editor_url = reverse("label-editor", args=["alice", "photos", chelsea.uuid])
    link = history_url(chelsea)

    client.force_login(alice)
    assert link in client.get(dataset_url).content.decode()
    assert link in client.get(editor_url).content.decode()
    client.force_login(labeler)
    assert link not in client.get(dataset_url).content.decode()
    assert link not in client.get(editor_url).content.decode()
