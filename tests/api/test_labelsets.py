"""Label sets through the SDK and their permission matrix."""

import pytest
from segments.exceptions import AlreadyExistsError, NetworkError, NotFoundError

from datasets.models import Label, LabelSet
from tests.api.conftest import PERSONAS, expected_status, make_label, make_sample, snapshot

FLOWERS = "olivia/flowers"


def test_sdk_adds_lists_gets_and_deletes_a_labelset(manager_sdk, dataset):
    added = manager_sdk.add_labelset(FLOWERS, "predictions", "Model v3 output")

    assert (added.name, added.description, added.is_groundtruth) == ("predictions", "Model v3 output", False)
    assert [ls.name for ls in manager_sdk.get_labelsets(FLOWERS)] == ["ground-truth", "predictions"]
    assert manager_sdk.get_labelset(FLOWERS, "predictions") == added
    manager_sdk.delete_labelset(FLOWERS, "predictions")
    assert list(LabelSet.objects.values_list("name", flat=True)) == ["ground-truth"]


def test_resource_api_labelset_delete(manager_sdk, dataset):
    remote = manager_sdk.get_dataset(FLOWERS)
    remote.add_labelset("predictions")
    remote.get_labelset("predictions").delete()
    assert LabelSet.objects.count() == 1


def test_deleting_a_labelset_deletes_its_labels(manager_sdk, dataset):
    manager_sdk.add_labelset(FLOWERS, "predictions")
    make_label(make_sample(dataset, "rose.png"), "predictions")
    manager_sdk.delete_labelset(FLOWERS, "predictions")
    assert not Label.objects.exists()


def test_duplicate_labelset_is_already_exists(manager_sdk, dataset):
    with pytest.raises(AlreadyExistsError):
        manager_sdk.add_labelset(FLOWERS, "ground-truth")


def test_ground_truth_cannot_be_deleted(manager_sdk, dataset):
    with pytest.raises(NetworkError):
        manager_sdk.delete_labelset(FLOWERS, "ground-truth")
    assert LabelSet.objects.filter(name="ground-truth").exists()


def test_unknown_labelset_or_dataset_is_not_found(manager_sdk, dataset):
    for call in (manager_sdk.get_labelset, manager_sdk.delete_labelset):
        with pytest.raises(NotFoundError):
            call("abcde", "abcde")
        with pytest.raises(NotFoundError):
            call(FLOWERS, "abcde")
    with pytest.raises(NotFoundError):
        manager_sdk.get_labelsets("abcde")
    with pytest.raises(NetworkError):
        manager_sdk.add_labelset("abcde", "abcde")


@pytest.mark.parametrize("who", PERSONAS)
def test_list_labelsets_needs_read_access(api, personas, who):
    assert api.get(personas[who], "/datasets/olivia/flowers/labelsets/").status_code == expected_status(who, "labeler")
    assert api.get(personas[who], "/datasets/olivia/flowers/labelsets/ground-truth/").status_code == expected_status(
        who, "labeler"
    )


@pytest.mark.parametrize("who", PERSONAS)
def test_add_labelset_needs_manager(api, personas, who):
    before = snapshot()
    response = api.post(personas[who], "/datasets/olivia/flowers/labelsets/", {"name": "p", "attributes": "{}"})
    assert response.status_code == expected_status(who, "manager", 201)
    if response.status_code != 201:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_delete_labelset_needs_manager(api, personas, dataset, who):
    LabelSet.objects.create(dataset=dataset, name="predictions")
    before = snapshot()
    response = api.delete(personas[who], "/datasets/olivia/flowers/labelsets/predictions/")
    assert response.status_code == expected_status(who, "manager", 204)
    if response.status_code != 204:
        assert snapshot() == before


def test_labelset_list_takes_a_fixed_number_of_queries(api, personas, dataset, django_assert_num_queries):
    api.get(personas["labeler"], "/user")
    with django_assert_num_queries(4):  # key, dataset, role, label sets
        api.get(personas["labeler"], "/datasets/olivia/flowers/labelsets/")
    for index in range(5):
        LabelSet.objects.create(dataset=dataset, name=f"set-{index}")
    with django_assert_num_queries(4):
        assert len(api.get(personas["labeler"], "/datasets/olivia/flowers/labelsets/").json()) == 6
