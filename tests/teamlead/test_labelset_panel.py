"""The dataset page's "Label sets" panel: every label set with its label count and counts per status (one query
whatever the number of label sets), and `?labelset=` switching the sample table to another label set."""

import pytest
from django.urls import reverse

from datasets.models import Sample
from datasets.services.labels import save_label
from datasets.services.labelsets import add_labelset

pytestmark = pytest.mark.django_db

BOX = {
    "format_version": "0.1",
    "annotations": [{"id": 1, "category_id": 1, "type": "bbox", "points": [[1, 1], [4, 4]]}],
}


@pytest.fixture
def photos(vector_dataset, alice):
    """alice/photos with three more samples and a `predictions` label set holding two prelabels."""
    for name in ("a.png", "b.png", "c.png"):
        Sample.objects.create(dataset=vector_dataset, name=name, attributes={"image": {"url": "https://x/i"}})
    add_labelset(alice, vector_dataset, name="predictions", description="model v1")
    listed = Sample.objects.select_related("dataset").filter(dataset=vector_dataset)
    samples = {sample.name: sample for sample in listed}
    save_label(alice, samples["a.png"], "ground-truth", attributes=BOX, label_status="LABELED")
    save_label(alice, samples["a.png"], "predictions", attributes=BOX, label_status="PRELABELED")
    save_label(alice, samples["b.png"], "predictions", attributes=BOX, label_status="PRELABELED")
    return vector_dataset, samples


def rows_by_labelset(response) -> dict:
    return {labelset.name: labelset for labelset in response.context["labelsets"]}


def test_dataset_page_lists_label_sets_ground_truth_first_with_their_counts(client, photos, alice):
    client.force_login(alice)
    response = client.get(reverse("dataset", args=["alice", "photos"]))
    assert [labelset.name for labelset in response.context["labelsets"]] == ["ground-truth", "predictions"]
    counts = rows_by_labelset(response)
    assert (counts["ground-truth"].labels, counts["ground-truth"].unlabeled) == (1, 3)
    assert counts["ground-truth"].statuses == (("LABELED", 1),)
    assert (counts["predictions"].labels, counts["predictions"].unlabeled) == (2, 2)
    assert counts["predictions"].statuses == (("PRELABELED", 2),)
    page = response.content.decode()
    assert 'data-testid="labelsets"' in page
    assert "2 prelabeled" in page
    assert "model v1" in page


def test_labelset_query_shows_that_label_sets_status_in_the_sample_table(client, photos, alice):
    client.force_login(alice)
    url = reverse("dataset", args=["alice", "photos"])
    response = client.get(url, {"labelset": "predictions"})
    statuses = {row.sample.name: row.label_status for row in response.context["rows"]}
    assert statuses == {"a.png": "PRELABELED", "b.png": "PRELABELED", "c.png": "UNLABELED", "chelsea.png": "UNLABELED"}
    page = response.content.decode()
    assert 'data-labelset="predictions" aria-live' in page  # live updates follow the label set shown
    assert "Label status (predictions)" in page
    filtered = client.get(url, {"labelset": "predictions", "status": "PRELABELED"})
    assert [row.sample.name for row in filtered.context["rows"]] == ["a.png", "b.png"]
    ground_truth = client.get(url, {"status": "PRELABELED"})
    assert list(ground_truth.context["rows"]) == []


def test_an_unknown_labelset_shows_the_ground_truth(client, photos, alice):
    client.force_login(alice)
    response = client.get(reverse("dataset", args=["alice", "photos"]), {"labelset": "nope"})
    assert response.status_code == 200
    assert response.context["filters"].labelset == "ground-truth"
    assert {row.sample.name: row.label_status for row in response.context["rows"]}["a.png"] == "LABELED"


def test_label_set_panel_takes_one_query_whatever_the_number_of_label_sets(
    client, photos, alice, django_assert_max_num_queries, django_assert_num_queries
):
    dataset, _ = photos
    client.force_login(alice)
    url = reverse("dataset", args=["alice", "photos"])
    client.get(url)  # warm caches (session, content types)
    with django_assert_max_num_queries(25) as before:
        client.get(url)
    for index in range(5):
        add_labelset(alice, dataset, name=f"model-{index}")
    with django_assert_num_queries(len(before.captured_queries)):
        response = client.get(url)
    assert len(response.context["labelsets"]) == 7
