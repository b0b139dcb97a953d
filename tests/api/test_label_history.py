"""A label's history through the HTTP API: every write records a version (who, when, status), managers list,
read and restore versions (a restore is a new version), others are refused, retention prunes."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from datasets.models import Label, LabelVersion
from datasets.tasks import prune_label_history
from tests.api.conftest import PERSONAS, expected_status, make_sample, snapshot, vector_label


@pytest.fixture
def rose(dataset):
    return make_sample(dataset, "rose.png")


def label_path(sample) -> str:
    return f"/labels/{sample.uuid}/ground-truth/"


def history(sample) -> list[tuple]:
    """(version, label_status, writer) of each saved version, oldest first."""
    versions = LabelVersion.objects.filter(label__sample=sample).order_by("version").select_related("created_by")
    return [(v.version, v.label_status, v.created_by.username if v.created_by else None) for v in versions]


def test_every_write_records_a_version_with_its_writer_and_status(api, personas, rose):
    # when lara labels, patches, rita rejects, and lara labels again
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(1), "label_status": "LABELED"})
    api.patch(personas["labeler"], label_path(rose), {"attributes": vector_label(2)})
    api.post(personas["reviewer"], f"{label_path(rose)}review/", {"decision": "reject", "reason": "Too few"})
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(3), "label_status": "LABELED"})

    # then each version is in the history, and its attributes are the label's at that version
    assert history(rose) == [
        (1, "LABELED", "lara"),
        (2, "LABELED", "lara"),
        (3, "REJECTED", "rita"),
        (4, "LABELED", "lara"),
    ]
    second = api.get(personas["manager"], f"{label_path(rose)}history/2/").json()
    assert second["attributes"] == vector_label(2)
    assert second["raw_size"] > second["stored_size"] > 0


def test_a_stale_write_records_nothing(api, personas, rose):
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(1)})
    stale = api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(2), "version": 7})
    assert stale.status_code == 409
    assert history(rose) == [(1, "PRELABELED", "lara")]


def test_manager_lists_versions_newest_first_page_by_page(api, personas, rose):
    for objects in range(1, 4):
        api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(objects)})

    first = api.get(personas["manager"], f"{label_path(rose)}history/?per_page=2")
    second = api.get(personas["manager"], f"{label_path(rose)}history/?per_page=2&page=2")

    assert first.status_code == second.status_code == 200
    assert [v["version"] for v in first.json() + second.json()] == [3, 2, 1]
    assert set(first.json()[0]) == {"version", "label_status", "created_by", "created_at", "raw_size", "stored_size"}
    assert first.json()[0]["created_by"] == "lara"


def test_restore_makes_a_version_current_with_a_new_version_number(api, personas, rose):
    # given three versions
    for objects in range(1, 4):
        api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(objects), "label_status": "LABELED"})

    # when mona restores version 1, having seen version 3
    response = api.post(personas["manager"], f"{label_path(rose)}history/1/restore/", HTTP_IF_MATCH='"3"')

    # then version 1's attributes are the current label, as version 4, recorded in the history as mona's
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["attributes"]) == (4, vector_label(1))
    label = Label.objects.get()
    assert (label.version, label.attributes, label.updated_by.username) == (4, vector_label(1), "mona")
    assert history(rose)[-1] == (4, "LABELED", "mona")


def test_a_stale_restore_is_a_conflict_and_changes_nothing(api, personas, rose):
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(1)})
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(2)})
    before = snapshot()

    response = api.post(personas["manager"], f"{label_path(rose)}history/1/restore/", HTTP_IF_MATCH="1")

    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert snapshot() == before


def test_a_precondition_that_is_not_a_version_is_refused_naming_the_header(api, personas, rose):
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(1)})
    response = api.post(personas["manager"], f"{label_path(rose)}history/1/restore/", HTTP_IF_MATCH="v1")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "If-Match"
    assert Label.objects.get().version == 1


def test_a_version_not_in_the_history_is_not_found(api, personas, rose):
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(1)})
    assert api.get(personas["manager"], f"{label_path(rose)}history/9/").status_code == 404
    assert api.post(personas["manager"], f"{label_path(rose)}history/9/restore/").status_code == 404


@pytest.mark.parametrize("who", PERSONAS)
def test_only_managers_and_above_see_and_restore_history(api, personas, rose, who):
    # given two versions
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(1)})
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(2)})
    before = snapshot()

    # when
    listed = api.get(personas[who], f"{label_path(rose)}history/")
    read = api.get(personas[who], f"{label_path(rose)}history/1/")
    restored = api.post(personas[who], f"{label_path(rose)}history/1/restore/")

    # then
    assert listed.status_code == read.status_code == expected_status(who, "manager")
    assert restored.status_code == expected_status(who, "manager")
    if restored.status_code != 200:
        assert snapshot() == before  # nothing changed


def test_deleting_a_label_deletes_its_history(api, personas, rose):
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(1)})
    assert api.delete(personas["labeler"], label_path(rose)).status_code == 204
    assert not LabelVersion.objects.exists()


@override_settings(LABEL_HISTORY_KEEP=3, LABEL_HISTORY_PRUNE_EVERY=5)
def test_retention_prunes_to_the_latest_versions_every_few_writes(
    api, personas, rose, django_capture_on_commit_callbacks
):
    # when lara saves 7 times: the 5th save prunes the label (the task runs in-process after the commit)
    for objects in range(1, 8):
        with django_capture_on_commit_callbacks(execute=True):
            api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(objects)})

    # then versions 1 and 2 are gone (3, 4 and 5 were the 3 latest then), 6 and 7 came after
    assert [version for version, _, _ in history(rose)] == [3, 4, 5, 6, 7]
    assert prune_label_history(Label.objects.get().pk) == 2  # the next pruning keeps 3
    assert [version for version, _, _ in history(rose)] == [5, 6, 7]


def test_the_prune_command_applies_an_age_limit_but_keeps_the_current_version(api, personas, rose):
    for objects in range(1, 4):
        api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(objects)})
    LabelVersion.objects.update(created_at="2020-01-01T00:00:00Z")

    with override_settings(LABEL_HISTORY_KEEP=0, LABEL_HISTORY_DAYS=30):
        call_command("prune_label_history")

    assert [version for version, _, _ in history(rose)] == [3]


def test_history_list_takes_a_fixed_number_of_queries(api, personas, rose, django_assert_num_queries):
    manager, path = personas["manager"], f"{label_path(rose)}history/"
    api.put(personas["labeler"], label_path(rose), {"attributes": vector_label(1)})
    api.get(manager, "/user")  # the key's last_used_at is written at most every few minutes
    with django_assert_num_queries(3):  # key; sample with dataset, roles and label; versions with writers
        assert len(api.get(manager, path).json()) == 1
    api.put(personas["reviewer"], label_path(rose), {"attributes": vector_label(2)})
    with django_assert_num_queries(3):
        assert len(api.get(manager, path).json()) == 2
