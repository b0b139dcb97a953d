"""Pages: log in, the datasets list, the dataset page and the editor, with their access rules."""

import pytest
from django.urls import reverse

from datasets.models import Label, LabelSet, Sample
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def editor_url(sample: Sample) -> str:
    dataset = sample.dataset
    return reverse("label-editor", args=[dataset.owner_name, dataset.name, sample.uuid])


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_labeler_logs_in_and_sees_the_datasets_they_collaborate_on(client, vector_dataset, labeler):
    response = client.post(reverse("login"), {"username": "lara", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "alice/photos" in page


def test_dataset_page_lists_samples_with_status_and_filters(client, vector_dataset, labeler):
    sample = vector_dataset.samples.get()
    Sample.objects.create(dataset=vector_dataset, name="coffee.png", attributes={"image": {"url": "u"}})
    ground_truth = LabelSet.objects.get(dataset=vector_dataset, name="ground-truth")
    Label.objects.create(sample=sample, labelset=ground_truth, attributes=None, label_status="LABELED")
    client.force_login(labeler)
    url = reverse("dataset", args=["alice", "photos"])

    everything = client.get(url).content.decode()
    labeled_only = client.get(url, {"status": "LABELED"}).content.decode()
    unlabeled_only = client.get(url, {"status": "UNLABELED"}).content.decode()

    assert "chelsea.png" in everything
    assert "coffee.png" in everything
    assert "chelsea.png" in labeled_only
    assert "coffee.png" not in labeled_only
    assert "coffee.png" in unlabeled_only
    assert "chelsea.png" not in unlabeled_only


def test_dataset_page_pages_through_many_samples(client, vector_dataset, alice):
    Sample.objects.bulk_create(
        Sample(dataset=vector_dataset, name=f"img-{index:03}.png", attributes={"image": {"url": "u"}})
        for index in range(60)
    )
    client.force_login(alice)
    url = reverse("dataset", args=["alice", "photos"])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert "img-000.png" in first
    assert "img-055.png" not in first
    assert "img-055.png" in second
    assert "Page 2 of 2" in second


def test_editor_page_embeds_the_sample_and_label_config(client, vector_dataset, labeler):
    sample = vector_dataset.samples.get()
    client.force_login(labeler)
    response = client.get(editor_url(sample))
    assert response.status_code == 200
    config = response.context["editor_config"]
    assert config["sample"]["uuid"] == str(sample.uuid)
    assert config["sample"]["image_url"].endswith("chelsea.png")
    assert config["label"] is None
    assert config["label_url"] == f"/labels/{sample.uuid}/ground-truth/"
    assert [category["id"] for category in config["dataset"]["task_attributes"]["categories"]] == [1, 2]


@pytest.mark.parametrize("page", ["dataset", "editor"])
def test_outsider_gets_404_for_every_page_of_a_private_dataset(client, vector_dataset, outsider, page):
    sample = vector_dataset.samples.get()
    url = reverse("dataset", args=["alice", "photos"]) if page == "dataset" else editor_url(sample)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert "alice/photos" not in client.get(reverse("home")).content.decode()


def test_editor_url_with_another_datasets_name_is_404(client, vector_dataset, alice):
    sample = vector_dataset.samples.get()
    client.force_login(alice)
    url = reverse("label-editor", args=["alice", "other", sample.uuid])
    assert client.get(url).status_code == 404


def test_every_editor_of_the_task_type_registry_has_a_template():
    from datasets.editors import EDITOR_TEMPLATES
    from labeling.core.task_types import REGISTRY

    assert {task_type.editor for task_type in REGISTRY if task_type.editor} == set(EDITOR_TEMPLATES)
    assert EDITOR_TEMPLATES["image-segmentation-sequence"] == "datasets/segmentation_sequence_editor.html"
