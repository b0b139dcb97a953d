"""Datasets through the SDK and over HTTP: list with paging, create (user, organization), get, update, delete,
clone; the permission matrix; pinned query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from segments.exceptions import AlreadyExistsError, AuthorizationError, NetworkError, NotFoundError
from segments.typing import Dataset as SdkDataset

from datasets.models import Collaborator, Dataset, Label, Sample
from tests.api.conftest import (
    CATEGORIES,
    PERSONAS,
    expected_status,
    make_dataset,
    make_label,
    make_organization,
    make_sample,
    snapshot,
)

# The shape the SDK's own add_dataset test uses (spec §5): every attribute type, link restrictions, all four
# warning-rule shapes, RGBA colors.
RICH_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {
            "id": 1,
            "name": "person",
            "color": [0, 0, 0, 0],
            "has_instances": True,
            "attributes": [
                {
                    "name": "pose",
                    "input_type": "select",
                    "values": ["standing", "sitting"],
                    "default_value": "sitting",
                },
                {"name": "note", "input_type": "text", "default_value": ""},
                {"name": "age", "input_type": "number", "min": 0, "max": 120, "step": 1, "default_value": 30},
                {"name": "occluded", "input_type": "checkbox", "default_value": False, "is_mandatory": True},
            ],
            "link_category_restrictions": [2],
        },
        {"id": 2, "name": "bicycle", "color": [10, 20, 30]},
    ],
    "warning_rules": [
        {"name": "intersecting-cuboids"},
        {"name": "intersecting-cuboids", "excluded_categories": [1], "excluded_set_of_categories": [2]},
        {"name": "cuboid-dimension-limits"},
        {
            "name": "cuboid-dimension-limits",
            "categories": [1],
            "min": {"x": 0.5},
            "max": {"x": 2, "y": 2, "z": 3},
        },
    ],
}


def test_sdk_creates_a_dataset_with_rich_task_attributes_and_reads_it_back(owner_sdk, owner):
    created = owner_sdk.add_dataset(
        "people",
        description="People on bikes",
        task_type="vector",
        task_attributes=RICH_TASK_ATTRIBUTES,
        category="people",
        readme="# Read me",
        metadata={"source": "cam-3"},
        enable_object_linking=True,
        enable_object_link_category_restrictions=True,
        enable_extrapolation=True,
    )
    fetched = owner_sdk.get_dataset("olivia/people")

    assert isinstance(created, SdkDataset)
    assert created == fetched
    assert fetched.full_name == "olivia/people"
    assert fetched.category == "people"
    assert fetched.enable_object_link_category_restrictions is True
    assert fetched.labelsets[0].name == "ground-truth"
    assert fetched.labelsets[0].is_groundtruth is True
    assert fetched.role == "owner"
    stored = Dataset.objects.get(name="people")
    assert stored.task_attributes == RICH_TASK_ATTRIBUTES
    assert stored.metadata == {"source": "cam-3"}


def test_sdk_default_dataset_is_segmentation_bitmap_with_one_category(owner_sdk, owner):
    dataset = owner_sdk.add_dataset("defaults")
    assert dataset.task_type == "segmentation-bitmap"
    assert dataset.task_attributes.categories[0].name == "object"
    assert dataset.label_stats.TOTAL == 0
    assert dataset.samples_count == 0


def test_duplicate_dataset_name_is_already_exists(owner_sdk, dataset):
    with pytest.raises(AlreadyExistsError):
        owner_sdk.add_dataset("flowers")


def test_invalid_task_attributes_are_refused_naming_the_field(api, owner):
    bad = {"format_version": "0.1", "categories": [{"id": 1, "name": "a"}, {"id": 1, "name": "b"}]}
    response = api.post(owner, "/user/datasets/", {"name": "bad", "task_type": "vector", "task_attributes": bad})
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"].startswith("task_attributes.categories")
    assert not Dataset.objects.filter(name="bad").exists()


@pytest.mark.parametrize("name", ["has space", "slash/name", ".hidden", "", "x" * 101])
def test_dataset_names_must_be_url_safe(api, owner, name):
    response = api.post(owner, "/user/datasets/", {"name": name})
    assert response.status_code == 400
    assert not Dataset.objects.exists()


def test_sdk_creates_a_dataset_for_an_organization_it_administers(owner_sdk, owner):
    make_organization("acme", {owner.user: "admin"})
    dataset = owner_sdk.add_dataset("shared", organization="acme")
    assert dataset.full_name == "acme/shared"
    assert dataset.owner.username == "acme"
    assert dataset.role == "admin"
    assert Dataset.objects.get(name="shared").owner_organization.name == "acme"


def test_naming_yourself_as_organization_creates_a_personal_dataset(owner_sdk, owner):
    assert owner_sdk.add_dataset("mine", organization="olivia").full_name == "olivia/mine"


def test_organization_member_below_admin_cannot_create_its_datasets(labeler_sdk, labeler):
    make_organization("acme", {labeler.user: "manager"})
    with pytest.raises(AuthorizationError):
        labeler_sdk.add_dataset("shared", organization="acme")
    assert not Dataset.objects.exists()


def test_unknown_organization_is_not_found(owner_sdk, owner):
    with pytest.raises(NotFoundError):
        owner_sdk.add_dataset("shared", organization="nobody-here")


def test_sdk_gets_a_dataset_with_stats_counts_and_role(labeler_sdk, dataset):
    rose, tulip, _ = (make_sample(dataset, name) for name in ("rose.png", "tulip.png", "iris.png"))
    make_label(rose, status="LABELED")
    make_label(tulip, status="REVIEWED")

    fetched = labeler_sdk.get_dataset("olivia/flowers")

    assert fetched.role == "labeler"
    assert fetched.samples_count == 3
    assert fetched.collaborators_count == 4
    assert fetched.label_stats.LABELED == 1
    assert fetched.label_stats.REVIEWED == 1
    assert fetched.label_stats.UNLABELED == 1
    assert fetched.label_stats.TOTAL == 3


@pytest.mark.parametrize("identifier", ["abcde", "olivia/nothing", "nobody/flowers"])
def test_unknown_dataset_is_not_found(owner_sdk, dataset, identifier):
    with pytest.raises(NotFoundError):
        owner_sdk.get_dataset(identifier)
    with pytest.raises(NotFoundError):
        owner_sdk.update_dataset(identifier)
    with pytest.raises(NotFoundError):
        owner_sdk.delete_dataset(identifier)


def test_private_dataset_is_not_found_for_an_outsider(outsider_sdk, dataset):
    with pytest.raises(NotFoundError):
        outsider_sdk.get_dataset("olivia/flowers")


def test_public_dataset_is_readable_by_anyone_signed_in(outsider_sdk, dataset):
    Dataset.objects.filter(pk=dataset.pk).update(public=True)
    assert outsider_sdk.get_dataset("olivia/flowers").role == "viewer"
    with pytest.raises(AuthorizationError):
        outsider_sdk.update_dataset("olivia/flowers", description="mine now")


def test_sdk_lists_visible_datasets_with_paging(owner_sdk, outsider_sdk, owner, outsider, dataset):
    for name in ("b-set", "c-set"):
        make_dataset(owner.user, name)
    make_dataset(outsider.user, "secret")

    everything = owner_sdk.get_datasets()
    first_page = owner_sdk.get_datasets(per_page=2, page=1)
    second_page = owner_sdk.get_datasets(per_page=2, page=2)

    assert [d.full_name for d in everything] == ["olivia/b-set", "olivia/c-set", "olivia/flowers"]
    assert [d.name for d in first_page + second_page] == ["b-set", "c-set", "flowers"]
    with pytest.raises(NotFoundError):
        owner_sdk.get_datasets(per_page=2, page=3)
    assert [d.full_name for d in outsider_sdk.get_datasets()] == ["oscar/secret"]


def test_sdk_lists_the_datasets_of_one_owner_that_the_caller_can_see(labeler_sdk, owner, dataset):
    make_dataset(owner.user, "private-other")
    assert [d.full_name for d in labeler_sdk.get_datasets("olivia")] == ["olivia/flowers"]
    with pytest.raises(NotFoundError):
        labeler_sdk.get_datasets("nobody")


def test_empty_list_is_an_empty_array_and_odd_paging_values_fall_back(api, owner):
    assert api.get(owner, "/user/datasets/?per_page=1000&page=1").json() == []
    assert api.get(owner, "/user/datasets/?per_page=desc&page=x").json() == []
    response = api.get(owner, "/user/datasets/?page=2")
    assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})


def test_organization_members_see_and_act_for_the_organization(sdk_for, owner, manager):
    acme = make_organization("acme", {owner.user: "admin", manager.user: "manager"})
    shared = make_dataset(owner.user, "shared", organization=acme)
    sdk = sdk_for(manager)

    assert sdk.get_dataset("acme/shared").role == "manager"
    sdk.add_sample("acme/shared", "one.png", {"image": {"url": "https://example.com/one.png"}})
    with pytest.raises(AuthorizationError):
        sdk.update_dataset("acme/shared", description="managers cannot")
    assert shared.samples.count() == 1


def test_sdk_updates_settings_partially(admin_sdk, dataset):
    updated = admin_sdk.update_dataset(
        "olivia/flowers",
        description="New",
        category="garden",
        enable_ratings=True,
        task_attributes={"format_version": "0.1", "categories": [{"id": 7, "name": "stem"}]},
        region_of_interest={"type": "box"},
        use_timestamps_for_interpolation=True,
    )
    dataset.refresh_from_db()
    assert updated.description == dataset.description == "New"
    assert dataset.category == "garden"
    assert dataset.enable_ratings is True
    assert dataset.use_timestamps_for_interpolation is True
    assert dataset.task_attributes["categories"] == [{"id": 7, "name": "stem"}]
    assert dataset.readme == ""  # untouched


def test_update_with_an_empty_body_changes_nothing(admin_sdk, dataset):
    before = snapshot()
    assert admin_sdk.update_dataset("olivia/flowers").name == "flowers"
    assert snapshot()["Dataset"] == before["Dataset"]


def test_task_type_of_a_dataset_with_labels_cannot_change(api, personas, dataset):
    make_label(make_sample(dataset, "a.png"))
    response = api.patch(personas["owner"], "/datasets/olivia/flowers/", {"task_type": "bboxes"})
    assert response.status_code == 400
    dataset.refresh_from_db()
    assert dataset.task_type == "vector"


def test_category_outside_the_eight_values_is_refused(api, personas, dataset):
    response = api.patch(personas["owner"], "/datasets/olivia/flowers/", {"category": "custom-trees"})
    assert response.status_code == 400


def test_sdk_deletes_a_dataset_with_everything_in_it(owner_sdk, dataset):
    make_label(make_sample(dataset, "a.png"))
    owner_sdk.delete_dataset("olivia/flowers")
    assert not Dataset.objects.exists()
    assert not Sample.objects.exists()
    assert not Label.objects.exists()


def test_organization_admin_deletes_an_organization_dataset(sdk_for, owner, admin):
    acme = make_organization("acme", {owner.user: "admin", admin.user: "admin"})
    make_dataset(owner.user, "shared", organization=acme)
    sdk_for(admin).delete_dataset("acme/shared")
    assert not Dataset.objects.exists()


def test_sdk_clones_with_defaults(owner_sdk, dataset):
    make_sample(dataset, "a.png", metadata={"k": 1}, priority=3)
    clone = owner_sdk.clone_dataset("olivia/flowers")

    assert clone.name == "flowers-clone"
    assert clone.task_type == "vector"
    assert clone.public is False
    assert clone.cloned_from == "olivia/flowers"
    copied = Sample.objects.get(dataset__name="flowers-clone")
    assert (copied.name, copied.metadata, copied.priority) == ("a.png", {"k": 1}, 3)
    assert not Label.objects.filter(sample=copied).exists()


def test_sdk_clones_with_labels_into_an_organization(owner_sdk, owner, dataset):
    make_organization("acme", {owner.user: "admin"})
    make_label(make_sample(dataset, "a.png"), status="REVIEWED")
    owner_sdk.add_labelset("olivia/flowers", "predictions")

    clone = owner_sdk.clone_dataset(
        "olivia/flowers", new_name="flowers-v2", new_public=True, organization="acme", clone_labels=True
    )

    assert clone.full_name == "acme/flowers-v2"
    assert clone.public is True
    assert [ls.name for ls in clone.labelsets] == ["ground-truth", "predictions"]
    label = Label.objects.get(sample__dataset__name="flowers-v2")
    assert label.label_status == "REVIEWED"
    assert list(label.versions.values_list("version", "label_status")) == [(1, "REVIEWED")]  # a new history


def test_clone_to_another_task_type(owner_sdk, dataset):
    clone = owner_sdk.clone_dataset("olivia/flowers", new_name="boxes", new_task_type="bboxes")
    assert clone.task_type == "bboxes"


def test_clone_of_an_unknown_dataset_fails(owner_sdk):
    with pytest.raises(NetworkError):
        owner_sdk.clone_dataset("abcde")


def test_clone_name_taken_is_already_exists(owner_sdk, dataset):
    with pytest.raises(AlreadyExistsError):
        owner_sdk.clone_dataset("olivia/flowers", new_name="flowers")


def test_resource_api_dataset_methods_reach_the_same_endpoints(owner_sdk, dataset):
    remote = owner_sdk.get_dataset("olivia/flowers")
    sample = remote.add_sample("r.png", {"image": {"url": "https://example.com/r.png"}})
    assert [s.uuid for s in remote.get_samples()] == [sample.uuid]
    assert remote.update(description="via resource").description == "via resource"
    clone = remote.clone(new_name="flowers-r")
    clone.delete()
    assert not Dataset.objects.filter(name="flowers-r").exists()


# Permission matrix ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", PERSONAS)
def test_get_dataset_permissions(api, personas, who):
    response = api.get(personas[who], "/datasets/olivia/flowers/")
    assert response.status_code == expected_status(who, "labeler")
    if response.status_code == 200:
        assert response.json()["role"] == who


@pytest.mark.parametrize("who", PERSONAS)
def test_update_dataset_needs_admin(api, personas, who):
    before = snapshot()
    response = api.patch(personas[who], "/datasets/olivia/flowers/", {"description": "changed"})
    assert response.status_code == expected_status(who, "admin")
    if response.status_code == 200:
        assert Dataset.objects.get().description == "changed"
    else:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_delete_dataset_needs_owner(api, personas, who):
    before = snapshot()
    response = api.delete(personas[who], "/datasets/olivia/flowers/")
    assert response.status_code == expected_status(who, "owner", 204)
    if response.status_code == 204:
        assert not Dataset.objects.exists()
    else:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_clone_needs_read_access(api, personas, who):
    before = snapshot()
    response = api.post(personas[who], "/datasets/olivia/flowers/clone/", {"name": f"copy-{who}"})
    assert response.status_code == expected_status(who, "labeler", 201)
    if response.status_code == 201:
        assert Dataset.objects.get(name=f"copy-{who}").owner_name == personas[who].username
    else:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_create_dataset_needs_an_account(api, personas, who):
    before = snapshot()
    response = api.post(personas[who], "/user/datasets/", {"name": "new-one"})
    assert response.status_code == (401 if who == "anonymous" else 201)
    if who == "anonymous":
        assert snapshot() == before


# Query counts -----------------------------------------------------------------------------------------------


def _queries(api, persona, path: str) -> int:
    api.get(persona, path)  # the first request of a key also stamps its last use
    with CaptureQueriesContext(connection) as queries:
        response = api.get(persona, path)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/user/datasets/", 6),  # key, page, collaborations, memberships, label stats, label sets
        ("/users/olivia/datasets/", 6),  # the owner's account; no organization datasets, so no memberships
    ],
)
def test_dataset_lists_take_a_fixed_number_of_queries(api, personas, path, expected):
    owner, labeler = personas["owner"], personas["labeler"]
    acme = make_organization("acme", {labeler.user: "labeler"})

    def grow(count: int, offset: int):
        for index in range(count):
            mine = make_dataset(owner.user, f"set-{offset + index}", task_attributes=CATEGORIES)
            Collaborator.objects.create(dataset=mine, user=labeler.user, role="reviewer")
            make_label(make_sample(mine, "a.png"))
            make_dataset(owner.user, f"org-{offset + index}", organization=acme)

    grow(2, 0)
    small = _queries(api, labeler, path)
    grow(8, 100)
    large = _queries(api, labeler, path)
    assert small == large == expected
