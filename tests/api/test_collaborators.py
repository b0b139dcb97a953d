"""Collaborators through the SDK (no trailing slash) and their permission matrix."""

import pytest
from segments.exceptions import AuthorizationError, CollaboratorError, NotFoundError

from datasets.models import Collaborator
from tests.api.conftest import PERSONAS, expected_status, make_persona, snapshot


def test_sdk_adds_gets_updates_and_removes_a_collaborator(owner_sdk, dataset):
    make_persona("newcomer", "nina")

    added = owner_sdk.add_dataset_collaborator("olivia/flowers", "nina", role="admin")
    fetched = owner_sdk.get_dataset_collaborator("olivia/flowers", "nina")
    updated = owner_sdk.update_dataset_collaborator("olivia/flowers", "nina", "reviewer")

    assert added == fetched
    assert (fetched.user.username, fetched.role) == ("nina", "admin")
    assert updated.role == "reviewer"
    assert Collaborator.objects.get(user__username="nina").role == "reviewer"
    owner_sdk.delete_dataset_collaborator("olivia/flowers", "nina")
    assert not Collaborator.objects.filter(user__username="nina").exists()


def test_resource_api_collaborator_equals_its_later_get(owner_sdk, dataset):
    make_persona("newcomer", "nina")
    remote = owner_sdk.get_dataset("olivia/flowers")
    collaborator = remote.add_collaborator("nina", "admin")
    assert collaborator == remote.get_collaborator("nina")
    assert collaborator.update("admin").role == "admin"
    collaborator.delete()


def test_adding_someone_twice_is_a_collaborator_error(owner_sdk, dataset):
    with pytest.raises(CollaboratorError):
        owner_sdk.add_dataset_collaborator("olivia/flowers", "lara")


def test_the_owner_cannot_be_added_as_collaborator(owner_sdk, dataset):
    with pytest.raises(CollaboratorError):
        owner_sdk.add_dataset_collaborator("olivia/flowers", "olivia")


def test_unknown_user_or_dataset_is_not_found(owner_sdk, dataset):
    with pytest.raises(NotFoundError):
        owner_sdk.add_dataset_collaborator("olivia/flowers", "nobody")
    with pytest.raises(NotFoundError):
        owner_sdk.delete_dataset_collaborator("abcde", "abcde")
    with pytest.raises(NotFoundError):
        owner_sdk.delete_dataset_collaborator("olivia/flowers", "abcde")
    with pytest.raises(NotFoundError):
        owner_sdk.get_dataset_collaborator("olivia/flowers", "oscar")


def test_a_manager_cannot_grant_or_touch_a_role_above_their_own(manager_sdk, dataset):
    make_persona("newcomer", "nina")
    before = snapshot()
    with pytest.raises(AuthorizationError):
        manager_sdk.add_dataset_collaborator("olivia/flowers", "nina", role="admin")
    with pytest.raises(AuthorizationError):
        manager_sdk.update_dataset_collaborator("olivia/flowers", "adam", "labeler")
    with pytest.raises(AuthorizationError):
        manager_sdk.delete_dataset_collaborator("olivia/flowers", "adam")
    assert snapshot() == before
    assert manager_sdk.add_dataset_collaborator("olivia/flowers", "nina", role="manager").role == "manager"


def test_collaborators_are_listed(api, personas):
    response = api.get(personas["labeler"], "/datasets/olivia/flowers/collaborators/")
    assert [(c["user"]["username"], c["role"]) for c in response.json()] == [
        ("adam", "admin"),
        ("lara", "labeler"),
        ("mona", "manager"),
        ("rita", "reviewer"),
    ]


@pytest.mark.parametrize("who", PERSONAS)
def test_read_collaborator_permissions(api, personas, who):
    response = api.get(personas[who], "/datasets/olivia/flowers/collaborators/lara")
    assert response.status_code == expected_status(who, "labeler")


@pytest.mark.parametrize("who", PERSONAS)
def test_add_collaborator_needs_manager(api, personas, who):
    make_persona("newcomer", "nina")
    before = snapshot()
    response = api.post(personas[who], "/datasets/olivia/flowers/collaborators/", {"user": "nina", "role": "labeler"})
    assert response.status_code == expected_status(who, "manager", 201)
    if response.status_code != 201:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_change_collaborator_needs_manager(api, personas, who):
    before = snapshot()
    response = api.patch(personas[who], "/datasets/olivia/flowers/collaborators/lara", {"role": "reviewer"})
    assert response.status_code == expected_status(who, "manager")
    if response.status_code == 200:
        assert Collaborator.objects.get(user__username="lara").role == "reviewer"
    else:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_remove_collaborator_needs_manager(api, personas, who):
    before = snapshot()
    response = api.delete(personas[who], "/datasets/olivia/flowers/collaborators/rita")
    assert response.status_code == expected_status(who, "manager", 204)
    if response.status_code != 204:
        assert snapshot() == before


def test_collaborator_list_takes_a_fixed_number_of_queries(api, personas, dataset, django_assert_num_queries):
    api.get(personas["owner"], "/user")  # stamp the key's last use first
    with django_assert_num_queries(3):  # key, dataset, collaborators with users
        api.get(personas["owner"], "/datasets/olivia/flowers/collaborators/")
    for index in range(5):
        Collaborator.objects.create(dataset=dataset, user=make_persona("extra", f"extra{index}").user)
    with django_assert_num_queries(3):
        assert len(api.get(personas["owner"], "/datasets/olivia/flowers/collaborators/").json()) == 9
