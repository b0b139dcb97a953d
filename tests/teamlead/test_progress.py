"""Who did what: labeled-by recorded on label writes, the dataset page's filters and sorts, per-person counts
that match the label rows, and the home page's progress per dataset."""

from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from datasets.models import Collaborator, Label, Sample
from datasets.services.labels import save_label
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def annotation(category_id: int) -> dict:
    return {
        "format_version": "0.1",
        "annotations": [{"id": 1, "category_id": category_id, "type": "bbox", "points": [[1.0, 1.0], [4.0, 4.0]]}],
    }


def save(actor, sample: Sample, status: str, category_id: int = 1) -> Label:
    sample = Sample.objects.select_related("dataset").get(pk=sample.pk)
    return save_label(actor, sample, "ground-truth", attributes=annotation(category_id), label_status=status)


@pytest.fixture
def team(vector_dataset, alice, labeler):
    """alice/photos with lara (labeler), rita (reviewer), and four samples: a, b, c (and chelsea.png)."""
    reviewer = make_user("rita")
    Collaborator.objects.create(dataset=vector_dataset, user=reviewer, role="reviewer")
    samples = {
        name: Sample.objects.create(dataset=vector_dataset, name=name, attributes={"image": {"url": "https://x/i"}})
        for name in ("a.png", "b.png", "c.png")
    }
    return vector_dataset, samples, labeler, reviewer


def test_labeled_by_is_the_last_labeling_writer_and_a_review_or_prelabel_keeps_it(team, alice):
    _, samples, labeler, reviewer = team
    save(alice, samples["a.png"], "PRELABELED")
    assert Label.objects.get(sample=samples["a.png"]).labeled_by is None
    save(labeler, samples["a.png"], "LABELED")
    label = save(reviewer, samples["a.png"], "REVIEWED")
    label = Label.objects.get(pk=label.pk)
    assert label.labeled_by == labeler
    assert label.labeled_at is not None
    assert label.updated_by == reviewer
    save(alice, samples["a.png"], "PRELABELED")  # a model's prelabel over it does not label either
    assert Label.objects.get(pk=label.pk).labeled_by == labeler


def page_names(client, **query) -> list[str]:
    response = client.get(reverse("dataset", args=["alice", "photos"]), query)
    assert response.status_code == 200
    return [row.sample.name for row in response.context["rows"]]


def test_dataset_page_filters_by_rejected_assignee_labeler_category_and_name(client, team, alice):
    _, samples, labeler, reviewer = team
    save(labeler, samples["a.png"], "LABELED", category_id=2)
    save(labeler, samples["b.png"], "LABELED")
    Label.objects.filter(sample=samples["b.png"]).update(label_status="REJECTED", reviewed_by=reviewer)
    save(alice, samples["c.png"], "LABELING_IN_PROGRESS")
    Sample.objects.filter(pk=samples["c.png"].pk).update(assigned_labeler=labeler)
    client.force_login(alice)

    assert page_names(client, status="REJECTED") == ["b.png"]
    assert page_names(client, assignee="lara") == ["c.png"]
    assert page_names(client, labeler="lara") == ["a.png", "b.png"]
    assert page_names(client, category=2) == ["a.png"]
    assert page_names(client, name="B.P") == ["b.png"]
    assert page_names(client, labeler="lara", status="LABELED") == ["a.png"]
    page = client.get(reverse("dataset", args=["alice", "photos"]), {"status": "REJECTED"}).content.decode()
    assert 'data-field="reviewed-by">rita<' in page
    assert 'data-field="labeled-by">lara<' in page


def test_dataset_page_sorts_by_labeler_and_name_descending(client, team, alice):
    _, samples, labeler, _ = team
    save(labeler, samples["b.png"], "LABELED")
    save(alice, samples["c.png"], "LABELED")
    client.force_login(alice)
    assert page_names(client, sort="labeler") == ["c.png", "b.png", "a.png", "chelsea.png"]
    assert page_names(client, sort="-name") == ["chelsea.png", "c.png", "b.png", "a.png"]


def test_per_person_counts_match_the_label_rows(client, team, alice):
    dataset, samples, labeler, reviewer = team
    save(labeler, samples["a.png"], "LABELED")
    save(labeler, samples["b.png"], "LABELED")
    save(alice, samples["c.png"], "SKIPPED")
    Label.objects.filter(sample=samples["a.png"]).update(label_status="REVIEWED", reviewed_by=reviewer)
    Label.objects.filter(sample=samples["b.png"]).update(label_status="REJECTED", reviewed_by=reviewer)
    now = timezone.now()
    Label.objects.filter(reviewed_by__isnull=False).update(reviewed_at=now)
    client.force_login(alice)

    people = client.get(reverse("dataset", args=["alice", "photos"])).context["people"]

    rows = Label.objects.filter(sample__dataset=dataset)
    labeled = Counter(rows.exclude(labeled_by=None).values_list("labeled_by__username", flat=True))
    reviewed = Counter(rows.exclude(reviewed_by=None).values_list("reviewed_by__username", flat=True))
    rejected = Counter(rows.filter(label_status="REJECTED").values_list("labeled_by__username", flat=True))
    assert [(p.username, p.labeled, p.reviewed, p.rejected) for p in people] == [
        (name, labeled[name], reviewed[name], rejected[name]) for name in sorted(labeled | reviewed)
    ]
    assert [(p.username, p.labeled, p.reviewed, p.rejected) for p in people] == [
        ("alice", 1, 0, 0),
        ("lara", 2, 0, 1),
        ("rita", 0, 2, 0),
    ]
    tomorrow = (now + timedelta(days=1)).date().isoformat()
    later = client.get(reverse("dataset", args=["alice", "photos"]), {"since": tomorrow}).context["people"]
    assert later == []


def test_home_page_shows_each_datasets_progress(client, team, alice):
    _, samples, labeler, _ = team
    save(labeler, samples["a.png"], "LABELED")
    save(labeler, samples["b.png"], "LABELING_IN_PROGRESS")
    client.force_login(alice)
    page = client.get(reverse("home")).content.decode()
    assert "1 / 4 done" in page


def test_dataset_page_query_count_does_not_grow_with_rows(client, team, alice, django_assert_max_num_queries):
    dataset, samples, labeler, _ = team
    for sample in samples.values():
        save(labeler, sample, "LABELED")
    client.force_login(alice)
    url = reverse("dataset", args=["alice", "photos"])
    with django_assert_max_num_queries(25):
        client.get(url)
    Sample.objects.bulk_create(
        Sample(dataset=dataset, name=f"more-{index}.png", attributes={"image": {"url": "u"}}) for index in range(30)
    )
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"sort": "-labeler", "labeler": "lara"})
