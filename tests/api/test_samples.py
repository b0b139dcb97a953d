"""Samples through the SDK: list with filters/sort/labels, get, add one or many (gzip and plain), update with
null to unassign, delete one or many; the permission matrix and pinned query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from segments.exceptions import AlreadyExistsError, AuthorizationError, NetworkError, NotFoundError

from datasets.models import Sample
from tests.api.conftest import (
    IMAGE,
    PERSONAS,
    expected_status,
    make_label,
    make_sample,
    snapshot,
    vector_label,
)

FLOWERS = "olivia/flowers"


def image(name: str) -> dict:
    return {"image": {"url": f"https://example.com/{name}"}}


def test_sdk_adds_a_gzipped_sample_and_reads_it_back(manager_sdk, dataset):
    added = manager_sdk.add_sample(
        FLOWERS,
        "rose.png",
        image("rose.png"),
        metadata={"weather": "sunny", "camera_id": 3},
        priority=2.5,
        readme="look closely",
    )
    fetched = manager_sdk.get_sample(added.uuid)

    assert fetched == added
    assert fetched.dataset_full_name == FLOWERS
    assert fetched.created_by == "mona"
    assert fetched.priority == 2.5
    assert fetched.attributes.image.url == "https://example.com/rose.png"
    stored = Sample.objects.get(uuid=added.uuid)
    assert (stored.metadata, stored.readme) == ({"weather": "sunny", "camera_id": 3}, "look closely")


def test_sdk_adds_a_sample_without_compression(manager_sdk, dataset):
    sample = manager_sdk.add_sample(FLOWERS, "plain.png", image("plain.png"), enable_compression=False)
    assert sample.name == "plain.png"


def test_duplicate_sample_name_is_already_exists(manager_sdk, dataset):
    make_sample(dataset, "rose.png")
    with pytest.raises(AlreadyExistsError):
        manager_sdk.add_sample(FLOWERS, "rose.png", image("rose.png"))


def test_sample_attributes_are_checked_against_the_dataset_type(api, personas):
    response = api.post(
        personas["manager"],
        "/datasets/olivia/flowers/samples/",
        {"name": "x", "attributes": {"text": "hello"}},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"].startswith("attributes")
    assert not Sample.objects.exists()


def test_sdk_assigns_and_unassigns_with_null(manager_sdk, dataset):
    sample = manager_sdk.add_sample(
        FLOWERS, "rose.png", image("rose.png"), assigned_labeler="lara", assigned_reviewer="rita"
    )
    assert (sample.assigned_labeler, sample.assigned_reviewer) == ("lara", "rita")

    sample = manager_sdk.update_sample(sample.uuid, assigned_labeler=None)
    assert (sample.assigned_labeler, sample.assigned_reviewer) == (None, "rita")
    sample = manager_sdk.update_sample(sample.uuid, assigned_reviewer=None)
    assert sample.assigned_reviewer is None
    assert Sample.objects.get().assigned_labeler is None


def test_assignees_need_a_matching_role(manager_sdk, dataset):
    with pytest.raises(NetworkError):
        manager_sdk.add_sample(FLOWERS, "rose.png", image("rose.png"), assigned_reviewer="lara")
    with pytest.raises(NetworkError):
        manager_sdk.add_sample(FLOWERS, "rose.png", image("rose.png"), assigned_labeler="oscar")
    assert not Sample.objects.exists()


def test_sdk_updates_a_sample_partially(manager_sdk, dataset):
    sample = make_sample(dataset, "rose.png", metadata={"a": 1}, readme="keep")
    updated = manager_sdk.update_sample(
        str(sample.uuid), name="rose-2.png", attributes=image("rose-2.png"), metadata={"b": 2}, priority=9
    )
    assert (updated.name, updated.metadata, updated.priority, updated.readme) == (
        "rose-2.png",
        {"b": 2},
        9,
        "keep",
    )


def test_resource_api_sample_update_and_delete(manager_sdk, dataset):
    sample = manager_sdk.get_sample(str(make_sample(dataset, "rose.png").uuid))
    assert sample.update(metadata={"via": "resource"}).metadata == {"via": "resource"}
    sample.delete()
    assert not Sample.objects.exists()


def test_sdk_adds_samples_in_bulk_in_order_returning_existing_ones_unchanged(manager_sdk, dataset):
    existing = make_sample(dataset, "b.png", metadata={"old": True})
    samples = manager_sdk.add_samples(
        FLOWERS,
        [
            {"name": "c.png", "attributes": image("c.png"), "metadata": {"n": 1}},
            {"name": "b.png", "attributes": image("b.png"), "metadata": {"new": True}},
            {"name": "a.png", "attributes": image("a.png"), "priority": 5},
        ],
    )
    assert [s.name for s in samples] == ["c.png", "b.png", "a.png"]
    assert samples[1].uuid == str(existing.uuid)
    assert samples[1].metadata == {"old": True}
    assert Sample.objects.count() == 3


def test_bulk_add_is_all_or_nothing(api, personas):
    body = [{"name": "ok.png", "attributes": IMAGE}, {"name": "bad.png", "attributes": {"pcd": {}}}]
    response = api.post(personas["manager"], "/datasets/olivia/flowers/samples_bulk/", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"].startswith("[1].attributes")
    assert not Sample.objects.exists()


def test_sdk_gets_a_sample_with_a_label_sets_label(labeler_sdk, dataset):
    sample = make_sample(dataset, "rose.png")
    make_label(sample, status="LABELED", attributes=vector_label(2))

    fetched = labeler_sdk.get_sample(str(sample.uuid), labelset="ground-truth")
    quirky = labeler_sdk.get_sample(str(sample.uuid), labelset="ground-truth", include_signed_url=True)

    assert fetched.label.label_status == "LABELED"
    assert len(fetched.label.attributes.annotations) == 2
    assert quirky.label == fetched.label
    assert labeler_sdk.get_sample(str(sample.uuid)).label is None


@pytest.mark.parametrize("uuid", ["12345", "00000000-0000-0000-0000-000000000001"])
def test_unknown_sample_is_not_found(owner_sdk, dataset, uuid):
    with pytest.raises(NotFoundError):
        owner_sdk.get_sample(uuid)
    with pytest.raises(NotFoundError):
        owner_sdk.update_sample(uuid)
    with pytest.raises(NotFoundError):
        owner_sdk.delete_sample(uuid)


def test_sample_of_a_private_dataset_is_not_found_for_an_outsider(outsider_sdk, dataset):
    with pytest.raises(NotFoundError):
        outsider_sdk.get_sample(str(make_sample(dataset, "rose.png").uuid))


def test_sdk_lists_samples_with_filters_and_sort(labeler_sdk, dataset):
    rose = make_sample(dataset, "rose.png", metadata={"weather": "sunny", "camera": 3}, priority=1)
    tulip = make_sample(dataset, "tulip.png", metadata={"weather": "rain"}, priority=3)
    make_sample(dataset, "rosemary.png", metadata={"weather": "sunny"}, priority=2)
    make_label(rose, status="LABELED")
    make_label(tulip, status="REVIEWED")

    def names(**query):
        return [s.name for s in labeler_sdk.get_samples(FLOWERS, **query)]

    assert names() == ["rose.png", "rosemary.png", "tulip.png"]
    assert names(name="rose") == ["rose.png", "rosemary.png"]
    assert names(metadata=["weather:sunny"]) == ["rose.png", "rosemary.png"]
    assert names(metadata=["weather:sunny", "camera:3"]) == ["rose.png"]
    assert names(label_status="UNLABELED") == ["rosemary.png"]
    assert names(label_status=["LABELED", "REVIEWED"]) == ["rose.png", "tulip.png"]
    assert names(sort="priority", direction="desc") == ["tulip.png", "rosemary.png", "rose.png"]
    assert names(sort="gt_label__updated_at", direction="asc")[:2] == ["rose.png", "tulip.png"]
    assert names(per_page=2, page=2) == ["tulip.png"]
    with pytest.raises(NotFoundError):
        names(per_page=2, page=3)


def test_sdk_lists_samples_with_label_summaries_or_full_labels(labeler_sdk, dataset):
    make_label(make_sample(dataset, "rose.png"), status="LABELED", score=0.5)
    make_sample(dataset, "tulip.png")

    summaries = labeler_sdk.get_samples(FLOWERS, labelset="ground-truth")
    full = labeler_sdk.get_samples(FLOWERS, labelset="ground-truth", include_full_label=True)

    assert (summaries[0].label.label_status, summaries[0].label.score) == ("LABELED", 0.5)
    assert not hasattr(summaries[0].label, "attributes")
    assert full[0].label.attributes.annotations[0].type == "bbox"
    assert summaries[1].label is None


def test_sample_list_tolerates_the_sdks_odd_query_values(api, personas, dataset):
    make_sample(dataset, "rose.png")
    response = api.get(
        personas["labeler"],
        "/datasets/olivia/flowers/samples/?per_page=desc&page=1&labelset=olivia/flowers&filters=UNLABELED&sort=-None",
    )
    assert response.status_code == 200
    assert [s["name"] for s in response.json()] == ["rose.png"]
    assert api.get(personas["labeler"], "/datasets/olivia/flowers/samples/?sort=-created").status_code == 200


def test_samples_of_an_unknown_dataset_are_not_found(owner_sdk):
    with pytest.raises(NotFoundError):
        owner_sdk.get_samples("abcde")


def test_sdk_deletes_samples_in_bulk_skipping_unknown_uuids(manager_sdk, dataset):
    keep, drop = make_sample(dataset, "keep.png"), make_sample(dataset, "drop.png")
    response = manager_sdk.delete_samples(FLOWERS, [str(drop.uuid), "00000000-0000-0000-0000-000000000001", "x"])
    assert response.deleted_count == 1
    assert list(Sample.objects.values_list("name", flat=True)) == [keep.name]
    assert manager_sdk.delete_samples(FLOWERS, ["00000000-0000-0000-0000-000000000001"]).deleted_count == 0
    with pytest.raises(NotFoundError):
        manager_sdk.delete_samples("nonexistent/dataset", ["00000000-0000-0000-0000-000000000001"])


def test_labeler_may_not_delete_samples(labeler_sdk, dataset):
    sample = make_sample(dataset, "rose.png")
    with pytest.raises(AuthorizationError):
        labeler_sdk.delete_samples(FLOWERS, [str(sample.uuid)])
    with pytest.raises(AuthorizationError):
        labeler_sdk.delete_sample(str(sample.uuid))
    assert Sample.objects.exists()


# Permission matrix ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", PERSONAS)
def test_list_and_get_samples_need_read_access(api, personas, dataset, who):
    sample = make_sample(dataset, "rose.png")
    listed = api.get(personas[who], "/datasets/olivia/flowers/samples/")
    single = api.get(personas[who], f"/samples/{sample.uuid}/")
    assert listed.status_code == single.status_code == expected_status(who, "labeler")


@pytest.mark.parametrize("who", PERSONAS)
def test_add_sample_needs_manager(api, personas, who):
    before = snapshot()
    response = api.post(personas[who], "/datasets/olivia/flowers/samples/", {"name": "new.png", "attributes": IMAGE})
    assert response.status_code == expected_status(who, "manager", 201)
    if response.status_code != 201:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_add_samples_in_bulk_needs_manager(api, personas, who):
    before = snapshot()
    response = api.post(
        personas[who], "/datasets/olivia/flowers/samples_bulk/", [{"name": "n.png", "attributes": IMAGE}]
    )
    assert response.status_code == expected_status(who, "manager", 201)
    if response.status_code != 201:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_update_sample_needs_manager(api, personas, dataset, who):
    sample = make_sample(dataset, "rose.png")
    before = snapshot()
    response = api.patch(personas[who], f"/samples/{sample.uuid}/", {"priority": 7, "assigned_labeler": "lara"})
    assert response.status_code == expected_status(who, "manager")
    if response.status_code == 200:
        assert Sample.objects.get().priority == 7
    else:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_delete_sample_needs_manager(api, personas, dataset, who):
    sample = make_sample(dataset, "rose.png")
    before = snapshot()
    response = api.delete(personas[who], f"/samples/{sample.uuid}/")
    assert response.status_code == expected_status(who, "manager", 204)
    if response.status_code != 204:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_delete_samples_in_bulk_needs_manager(api, personas, dataset, who):
    sample = make_sample(dataset, "rose.png")
    before = snapshot()
    response = api.delete(personas[who], "/datasets/olivia/flowers/samples_bulk/", {"uuids": [str(sample.uuid)]})
    assert response.status_code == expected_status(who, "manager")
    if response.status_code == 200:
        assert response.json() == {"deleted_count": 1}
    else:
        assert snapshot() == before


# Query counts -----------------------------------------------------------------------------------------------

LIST_QUERIES = [
    ("", 4),  # key, dataset, the caller's role, page of samples with people
    ("?labelset=ground-truth", 6),  # + the label set, the page's labels with people
    (
        "?labelset=ground-truth&include_full_label=1&label_status=LABELED,UNLABELED&sort=-gt_label__updated_at",
        6,
    ),
    ("?filters=weather:sunny&name__contains=s", 4),
]


@pytest.mark.parametrize(("query", "expected"), LIST_QUERIES)
def test_sample_list_takes_a_fixed_number_of_queries(api, personas, dataset, query, expected):
    viewer = personas["labeler"]
    path = f"/datasets/olivia/flowers/samples/{query}"

    def grow(count: int, offset: int):
        for index in range(offset, offset + count):
            sample = make_sample(
                dataset,
                f"s{index}.png",
                metadata={"weather": "sunny"},
                created_by=personas["owner"].user,
                assigned_labeler=viewer.user,
                assigned_reviewer=personas["reviewer"].user,
            )
            make_label(sample, status="LABELED", created_by=viewer.user, reviewed_by=personas["reviewer"].user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(viewer, path)
        assert response.status_code == 200
        return len(queries)

    api.get(viewer, "/user")
    grow(2, 0)
    small = count()
    grow(10, 100)
    assert small == count() == expected
