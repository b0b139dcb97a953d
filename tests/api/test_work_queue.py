"""The work queue in the editor page: its config (role, review rights, queue, issue and review URLs),
next/previous following the user's queue, and "submit and go to my next sample", which claims it and never
lands on a sample assigned to someone else."""

import pytest
from django.urls import reverse

from datasets.models import Collaborator, Sample
from tests.api.conftest import make_label, make_persona, make_sample, snapshot


def editor(sample: Sample) -> str:
    return f"/app/olivia/flowers/samples/{sample.uuid}/"


def submit_next(sample: Sample, queue: str | None = None) -> str:
    url = reverse("submit-next", args=["olivia", "flowers", sample.uuid])
    return f"{url}?queue={queue}" if queue else url


def config_of(client, persona, sample, **query) -> dict:
    client.force_login(persona.user)
    response = client.get(editor(sample), query)
    assert response.status_code == 200
    return response.context["editor_config"]


@pytest.fixture
def lee(dataset):
    """A second labeler on olivia/flowers."""
    lee = make_persona("labeler", "lee")
    Collaborator.objects.create(dataset=dataset, user=lee.user, role="labeler")
    return lee


@pytest.fixture
def queue_samples(dataset, labeler, lee):
    """a (lara's), b (lee's), c (lara's, labeled), d and e (claimable), f (labeled, nobody's), by name."""
    samples = {name: make_sample(dataset, f"{name}.png") for name in "abcdef"}
    for name, user in (("a", labeler), ("b", lee), ("c", labeler)):
        samples[name].assigned_labeler = user.user
        samples[name].save()
    make_label(samples["c"], status="LABELED")
    make_label(samples["f"], status="LABELED")
    return samples


def test_labeler_editor_config_follows_their_queue(client, personas, queue_samples):
    s = queue_samples

    config = config_of(client, personas["labeler"], s["a"])

    assert (config["role"], config["can_review"], config["can_write"]) == ("labeler", False, True)
    queue = config["queue"]
    assert queue["name"] == "labeling"
    assert (queue["previous_url"], queue["next_url"]) == (None, editor(s["c"]))
    assert (config["previous_url"], config["next_url"]) == (None, editor(s["c"]))
    assert queue["submit_next_url"] == submit_next(s["a"], "labeling")
    assert config["issues_url"] == f"/samples/{s['a'].uuid}/issues/"
    assert config["review_url"] == f"/labels/{s['a'].uuid}/ground-truth/review/"
    # after their own samples come the claimable ones, never lee's
    assert config_of(client, personas["labeler"], s["c"])["queue"]["next_url"] == editor(s["d"])
    claimable = config_of(client, personas["labeler"], s["d"])["queue"]
    assert (claimable["previous_url"], claimable["next_url"]) == (editor(s["c"]), editor(s["e"]))


def test_labeler_cannot_write_a_sample_assigned_to_someone_else(client, personas, queue_samples):
    config = config_of(client, personas["labeler"], queue_samples["b"])
    assert config["can_write"] is False
    assert config["queue"]["next_url"] == editor(queue_samples["a"])  # back into their own queue


def test_manager_browses_in_dataset_order(client, personas, queue_samples):
    config = config_of(client, personas["manager"], queue_samples["b"])
    assert (config["role"], config["can_review"]) == ("manager", True)
    assert config["queue"]["name"] == "dataset"
    assert (config["previous_url"], config["next_url"]) == (editor(queue_samples["a"]), editor(queue_samples["c"]))


def test_reviewer_queue_lists_samples_to_review(client, personas, queue_samples):
    config = config_of(client, personas["reviewer"], queue_samples["c"])
    assert (config["role"], config["can_review"], config["queue"]["name"]) == ("reviewer", True, "reviewing")
    assert config["queue"]["next_url"] == editor(queue_samples["f"])
    labeling = config_of(client, personas["reviewer"], queue_samples["d"], queue="labeling")
    assert labeling["queue"]["name"] == "labeling"
    assert labeling["queue"]["next_url"] == f"{editor(queue_samples['e'])}?queue=labeling"


def test_submit_and_next_claims_my_next_sample_and_never_someone_elses(client, personas, queue_samples):
    # given lara on her sample a, with lee holding b
    s, lara = queue_samples, personas["labeler"].user
    client.force_login(lara)

    # when she labels and submits a, then d, then e
    answers = []
    for name in "ade":
        make_label(s[name], status="LABELED")
        answers.append(client.post(submit_next(s[name], "labeling")).json())

    # then she goes to d, then e (each claimed for her), then nothing is left (b is lee's)
    assert [answer["url"] for answer in answers] == [editor(s["d"]), editor(s["e"]), None]
    assigned = dict(Sample.objects.values_list("name", "assigned_labeler__username"))
    assert assigned == {
        "a.png": "lara",
        "b.png": "lee",
        "c.png": "lara",
        "d.png": "lara",
        "e.png": "lara",
        "f.png": None,
    }


def test_submit_and_next_never_returns_the_current_sample(client, personas, queue_samples):
    # given every other sample lara could take is done (a, still unlabeled, is hers)
    s = queue_samples
    for name in "de":
        make_label(s[name], status="SKIPPED")
    client.force_login(personas["labeler"].user)

    on_a = client.post(submit_next(s["a"])).json()
    on_d = client.post(submit_next(s["d"])).json()

    assert on_a == {"url": None, "message": "Nothing left to label."}
    assert on_d == {"url": editor(s["a"])}  # her unfinished sample
    assert Sample.objects.get(pk=s["b"].pk).assigned_labeler.username == "lee"


def test_reviewer_submit_and_next_claims_the_next_sample_to_review(client, personas, queue_samples):
    client.force_login(personas["reviewer"].user)
    answer = client.post(submit_next(queue_samples["c"])).json()
    assert answer["url"] == editor(queue_samples["f"])
    assert Sample.objects.get(pk=queue_samples["f"].pk).assigned_reviewer == personas["reviewer"].user


def test_manager_submit_and_next_goes_on_in_dataset_order(client, personas, queue_samples):
    client.force_login(personas["manager"].user)
    before = snapshot()
    assert client.post(submit_next(queue_samples["a"])).json()["url"] == editor(queue_samples["b"])
    assert snapshot() == before


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("anonymous", 302)])
def test_submit_and_next_needs_access(client, personas, queue_samples, who, status):
    if personas[who].user:
        client.force_login(personas[who].user)
    before = snapshot()
    assert client.post(submit_next(queue_samples["a"])).status_code == status
    assert snapshot() == before


def test_submit_and_next_is_post_only(client, personas, queue_samples):
    client.force_login(personas["labeler"].user)
    assert client.get(submit_next(queue_samples["a"])).status_code == 405


def test_submit_and_next_needs_the_csrf_token_of_the_page(personas, queue_samples):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas["labeler"].user)
    page = browser.get(editor(queue_samples["a"]))
    token = page.context["editor_config"]["csrf_token"]

    refused = browser.post(submit_next(queue_samples["a"]))
    accepted = browser.post(page.context["editor_config"]["queue"]["submit_next_url"], HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert accepted.json() == {"url": editor(queue_samples["d"])}
