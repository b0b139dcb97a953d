"""Assignment: managers assign samples to one labeler; labelers claim the next sample atomically; only the
assignee writes an assigned sample's label."""

import json
import threading

import pytest
from django.db import connection
from django.urls import reverse

from datasets import access
from datasets.models import Collaborator, Label, LabelSet, Sample
from datasets.services.assignment import assign_samples, claim_next_sample
from labeling.exceptions import InvalidInput, PermissionDenied
from tests.conftest import make_user

BOX = {"id": 1, "category_id": 1, "type": "bbox", "points": [[1.0, 2.0], [30.0, 40.0]]}


def add_samples(dataset, count: int, *, priority=lambda index: 0) -> list[Sample]:
    return Sample.objects.bulk_create(
        Sample(
            dataset=dataset,
            name=f"seq-{index:02}",
            attributes={"image": {"url": "u"}},
            priority=priority(index),
        )
        for index in range(count)
    )


@pytest.fixture
def manager(vector_dataset):
    user = make_user("mona")
    Collaborator.objects.create(dataset=vector_dataset, user=user, role="manager")
    return user


def dataset_access_for(user, dataset):
    return access.get_dataset(user, dataset.owner_name, dataset.name)


@pytest.mark.django_db
def test_manager_assigns_samples_in_bulk_and_unassigns_them(vector_dataset, manager, labeler):
    samples = add_samples(vector_dataset, 3)
    uuids = [str(sample.uuid) for sample in samples[:2]]
    count = assign_samples(manager, dataset_access_for(manager, vector_dataset), uuids, username="lara")
    assert count == 2
    assert set(Sample.objects.filter(assigned_labeler=labeler).values_list("name", flat=True)) == {
        "seq-00",
        "seq-01",
    }
    assign_samples(manager, dataset_access_for(manager, vector_dataset), uuids, username=None)
    assert not Sample.objects.filter(assigned_labeler__isnull=False).exists()


@pytest.mark.django_db
def test_labeler_cannot_assign_and_nothing_changes(vector_dataset, labeler):
    samples = add_samples(vector_dataset, 1)
    with pytest.raises(PermissionDenied):
        assign_samples(labeler, dataset_access_for(labeler, vector_dataset), [str(samples[0].uuid)], username="lara")
    assert not Sample.objects.filter(assigned_labeler__isnull=False).exists()


@pytest.mark.django_db
def test_assigning_to_someone_without_access_is_refused(vector_dataset, manager, outsider):
    samples = add_samples(vector_dataset, 1)
    with pytest.raises(InvalidInput, match="oscar"):
        assign_samples(manager, dataset_access_for(manager, vector_dataset), [str(samples[0].uuid)], username="oscar")
    assert Sample.objects.get(pk=samples[0].pk).assigned_labeler is None


@pytest.mark.django_db
def test_claim_gives_own_assigned_sample_first_then_highest_priority_unassigned(vector_dataset, manager, labeler):
    vector_dataset.samples.all().delete()
    samples = add_samples(vector_dataset, 3, priority=lambda index: index)
    assign_samples(manager, dataset_access_for(manager, vector_dataset), [str(samples[0].uuid)], username="lara")
    lara = dataset_access_for(labeler, vector_dataset)
    assert claim_next_sample(labeler, lara) == samples[0]
    # when that one is labeled, the next is the highest-priority free one, now assigned to lara
    ground_truth = LabelSet.objects.get(dataset=vector_dataset, name="ground-truth")
    Label.objects.create(sample=samples[0], labelset=ground_truth, label_status="LABELED")
    claimed = claim_next_sample(labeler, lara)
    assert claimed == samples[2]
    assert Sample.objects.get(pk=samples[2].pk).assigned_labeler == labeler


@pytest.mark.django_db
def test_review_queue_hands_out_labeled_samples(vector_dataset, alice):
    reviewer = make_user("rita")
    Collaborator.objects.create(dataset=vector_dataset, user=reviewer, role="reviewer")
    sample = vector_dataset.samples.get()
    ground_truth = LabelSet.objects.get(dataset=vector_dataset, name="ground-truth")
    rita = dataset_access_for(reviewer, vector_dataset)
    assert claim_next_sample(reviewer, rita, queue="reviewing") is None
    Label.objects.create(sample=sample, labelset=ground_truth, label_status="LABELED")
    assert claim_next_sample(reviewer, rita, queue="reviewing") == sample
    assert Sample.objects.get(pk=sample.pk).assigned_reviewer == reviewer


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgresql
def test_eight_labelers_claiming_at_once_get_eight_distinct_sequences(vector_dataset):
    assert connection.vendor == "postgresql", "this test needs PostgreSQL: set DATABASE_URL"
    # given a queue of 20 sequences and 8 labelers
    vector_dataset.samples.all().delete()
    add_samples(vector_dataset, 20)
    labelers = [make_user(f"labeler{index}") for index in range(8)]
    for user in labelers:
        Collaborator.objects.create(dataset=vector_dataset, user=user, role="labeler")
    barrier = threading.Barrier(len(labelers))
    claimed: dict[str, str] = {}

    def claim(user):
        try:
            dataset_access = dataset_access_for(user, vector_dataset)
            barrier.wait()
            claimed[user.username] = claim_next_sample(user, dataset_access).name
        finally:
            connection.close()

    # when they all claim at the same instant
    threads = [threading.Thread(target=claim, args=(user,)) for user in labelers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then each got a different sample, assigned to them alone
    assert len(claimed) == 8
    assert len(set(claimed.values())) == 8
    for username, name in claimed.items():
        assert Sample.objects.get(dataset=vector_dataset, name=name).assigned_labeler.username == username


@pytest.mark.django_db
def test_label_write_by_someone_other_than_the_assignee_is_403(client, vector_dataset, manager, labeler, api_key_for):
    other = make_user("lena")
    Collaborator.objects.create(dataset=vector_dataset, user=other, role="labeler")
    sample = vector_dataset.samples.get()
    assign_samples(manager, dataset_access_for(manager, vector_dataset), [str(sample.uuid)], username="lara")
    body = json.dumps({"label_status": "LABELED", "attributes": {"format_version": "0.1", "annotations": [BOX]}})
    url = f"/labels/{sample.uuid}/ground-truth/"

    refused = client.put(url, body, content_type="application/json", HTTP_AUTHORIZATION=api_key_for(other))
    assert refused.status_code == 403
    assert "assigned to lara" in refused.json()["detail"]
    assert not Label.objects.exists()
    by_assignee = client.put(url, body, content_type="application/json", HTTP_AUTHORIZATION=api_key_for(labeler))
    by_manager = client.put(url, body, content_type="application/json", HTTP_AUTHORIZATION=api_key_for(manager))
    assert (by_assignee.status_code, by_manager.status_code) == (201, 201)


@pytest.mark.django_db
def test_start_labeling_button_opens_the_next_sample(client, vector_dataset, labeler):
    client.force_login(labeler)
    sample = vector_dataset.samples.get()
    response = client.post(reverse("start-work", args=["alice", "photos", "labeling"]))
    assert response.status_code == 302
    assert response.url == reverse("label-editor", args=["alice", "photos", sample.uuid])
    # a labeler has no review queue
    assert client.post(reverse("start-work", args=["alice", "photos", "reviewing"])).status_code == 403


@pytest.mark.django_db
def test_bulk_assign_form_on_the_dataset_page(client, vector_dataset, manager, labeler):
    samples = add_samples(vector_dataset, 2)
    client.force_login(manager)
    response = client.post(
        reverse("assign-samples", args=["alice", "photos"]),
        {"samples": [str(sample.uuid) for sample in samples], "username": "lara"},
        follow=True,
    )
    assert "Assigned 2 sample(s)." in response.content.decode()
    assert Sample.objects.filter(assigned_labeler=labeler).count() == 2


@pytest.mark.django_db
def test_dataset_page_shows_assignment_controls_to_managers_only(client, vector_dataset, manager, labeler):
    url = reverse("dataset", args=["alice", "photos"])
    client.force_login(manager)
    as_manager = client.get(url).content.decode()
    client.force_login(labeler)
    as_labeler = client.get(url).content.decode()
    assert 'data-testid="assign-form"' in as_manager
    assert '<option value="lara">lara</option>' in as_manager
    assert 'data-testid="start-labeling"' in as_manager
    assert 'data-testid="assign-form"' not in as_labeler
    assert 'data-testid="start-labeling"' in as_labeler
    assert 'data-testid="start-reviewing"' not in as_labeler
