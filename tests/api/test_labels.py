"""Labels through the SDK: add (PUT, gzip), get (404 when unlabeled), update, delete; who may set which label
status; the resource API round trip."""

import pytest
from segments.exceptions import AuthorizationError, NetworkError, NotFoundError, ValidationError

from datasets.models import Collaborator, Label
from tests.api.conftest import (
    PERSONAS,
    SAVE_QUERIES,
    expected_status,
    make_dataset,
    make_label,
    make_organization,
    make_sample,
    snapshot,
    vector_label,
)


@pytest.fixture
def rose(dataset):
    return make_sample(dataset, "rose.png")


def test_sdk_adds_gets_updates_and_deletes_a_label(labeler_sdk, rose):
    uuid = str(rose.uuid)
    added = labeler_sdk.add_label(uuid, "ground-truth", vector_label(3), score=0.9)
    fetched = labeler_sdk.get_label(uuid)
    updated = labeler_sdk.update_label(uuid, "ground-truth", vector_label(1), label_status="LABELED", score=1)

    assert added.label_status == "PRELABELED"
    assert (fetched.label_type, fetched.labelset, fetched.created_by) == ("vector", "ground-truth", "lara")
    assert fetched.attributes == added.attributes
    assert (updated.label_status, updated.score) == ("LABELED", 1)
    assert Label.objects.get().attributes == vector_label(1)
    labeler_sdk.delete_label(uuid, "ground-truth")
    assert not Label.objects.exists()


def test_get_label_of_an_unlabeled_sample_is_not_found(labeler_sdk, rose):
    with pytest.raises(NotFoundError):
        labeler_sdk.get_label(str(rose.uuid))


def test_labels_go_into_other_label_sets(owner_sdk, rose):
    owner_sdk.add_labelset("olivia/flowers", "model-v1")
    owner_sdk.add_label(str(rose.uuid), "model-v1", vector_label(2), score=0.4)
    assert owner_sdk.get_label(str(rose.uuid), "model-v1").score == 0.4
    with pytest.raises(NotFoundError):
        owner_sdk.get_label(str(rose.uuid), "ground-truth")
    with pytest.raises(NotFoundError):
        owner_sdk.add_label(str(rose.uuid), "no-such-set", vector_label(1))


def test_invalid_label_is_refused_client_side_and_server_side(labeler_sdk, api, personas, rose):
    with pytest.raises(ValidationError):
        labeler_sdk.add_label(str(rose.uuid), "ground-truth", {"wrong_key": "abcde"})
    bad = vector_label(1)
    bad["annotations"][0]["category_id"] = 99
    with pytest.raises(NetworkError):
        labeler_sdk.add_label(str(rose.uuid), "ground-truth", bad)
    response = api.put(personas["labeler"], f"/labels/{rose.uuid}/ground-truth/", {"attributes": bad})
    assert response.json()["errors"][0]["path"] == "attributes.annotations[0].category_id"
    assert not Label.objects.exists()


def test_resource_api_label_round_trip(labeler_sdk, rose):
    sample = labeler_sdk.get_sample(str(rose.uuid))
    label = sample.add_label("ground-truth", vector_label(2))
    label = label.update(vector_label(3))
    label = sample.update_label("ground-truth", vector_label(4))
    assert label.attributes == sample.get_label("ground-truth").attributes
    label.delete()
    assert not Label.objects.exists()


def test_reviewer_reviews_but_labeler_may_not(labeler_sdk, reviewer_sdk, rose):
    uuid = str(rose.uuid)
    labeler_sdk.add_label(uuid, "ground-truth", vector_label(1), label_status="LABELED")
    before = snapshot()
    for status in ("REVIEWED", "REJECTED", "VERIFIED"):
        with pytest.raises(AuthorizationError):
            labeler_sdk.update_label(uuid, "ground-truth", label_status=status)
    assert snapshot() == before

    assert reviewer_sdk.update_label(uuid, "ground-truth", label_status="REVIEWED").label_status == "REVIEWED"
    assert Label.objects.get().label_status == "REVIEWED"


# Permission matrix ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", PERSONAS)
def test_get_label_needs_read_access(api, personas, rose, who):
    make_label(rose)
    response = api.get(personas[who], f"/labels/{rose.uuid}/ground-truth/")
    assert response.status_code == expected_status(who, "labeler")


@pytest.mark.parametrize("who", PERSONAS)
def test_put_label_needs_labeler(api, personas, rose, who):
    before = snapshot()
    response = api.put(personas[who], f"/labels/{rose.uuid}/ground-truth/", {"attributes": vector_label(1)})
    assert response.status_code == expected_status(who, "labeler", 201)
    if response.status_code != 201:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_put_reviewed_label_needs_reviewer(api, personas, rose, who):
    before = snapshot()
    body = {"attributes": vector_label(1), "label_status": "REVIEWED"}
    response = api.put(personas[who], f"/labels/{rose.uuid}/ground-truth/", body)
    assert response.status_code == expected_status(who, "reviewer", 201)
    if response.status_code != 201:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_patch_label_status_to_rejected_needs_reviewer(api, personas, rose, who):
    make_label(rose, status="LABELED")
    before = snapshot()
    response = api.patch(personas[who], f"/labels/{rose.uuid}/ground-truth/", {"label_status": "REJECTED"})
    assert response.status_code == expected_status(who, "reviewer")
    if response.status_code == 200:
        assert Label.objects.get().label_status == "REJECTED"
    else:
        assert snapshot() == before


@pytest.mark.parametrize("who", PERSONAS)
def test_delete_label_needs_labeler(api, personas, rose, who):
    make_label(rose)
    before = snapshot()
    response = api.delete(personas[who], f"/labels/{rose.uuid}/ground-truth/")
    assert response.status_code == expected_status(who, "labeler", 204)
    if response.status_code != 204:
        assert snapshot() == before


def test_replacing_a_label_keeps_its_creator_and_creation_time_and_bumps_the_version(api, personas, rose):
    path = f"/labels/{rose.uuid}/ground-truth/"
    api.put(personas["labeler"], path, {"attributes": vector_label(1)})
    created = Label.objects.get()

    response = api.put(personas["manager"], path, {"attributes": vector_label(2), "label_status": "LABELED"})

    label = Label.objects.get()
    assert response.status_code == 201
    assert (label.created_by, label.updated_by) == (personas["labeler"].user, personas["manager"].user)
    assert (label.created_at, label.version, label.label_status) == (created.created_at, 2, "LABELED")
    assert label.updated_at > created.updated_at
    assert label.attributes == vector_label(2)
    body = response.json()
    assert (body["created_by"], body["updated_by"], body["version"]) == ("lara", personas["manager"].username, 2)


def test_organization_members_act_on_labels_with_their_best_role(api, personas, owner, labeler, reviewer):
    # given a dataset of acme, where Lara is a labeler by membership and Rita a labeler by membership and a
    # reviewer as collaborator
    acme = make_organization("acme", {labeler.user: "labeler", reviewer.user: "labeler"})
    tulips = make_dataset(owner.user, "tulips", organization=acme)
    Collaborator.objects.create(dataset=tulips, user=reviewer.user, role="reviewer")
    sample = make_sample(tulips, "tulip.png")
    path = f"/labels/{sample.uuid}/ground-truth/"
    reviewed = {"attributes": vector_label(1), "label_status": "REVIEWED"}

    # then
    assert api.put(labeler, path, {"attributes": vector_label(1)}).status_code == 201
    assert api.put(labeler, path, reviewed).status_code == 403
    assert api.put(reviewer, path, reviewed).status_code == 201
    assert api.get(personas["outsider"], path).status_code == 404
    assert api.get(labeler, path).json()["reviewed_by"] == "rita"  # a verdict records its reviewer
    assert Label.objects.get().label_status == "REVIEWED"


def test_label_read_and_write_take_a_fixed_number_of_queries(api, personas, rose, django_assert_num_queries):
    labeler, path = personas["labeler"], f"/labels/{rose.uuid}/ground-truth/"
    api.get(labeler, "/user")  # the key's last_used_at is written at most every few minutes

    with django_assert_num_queries(SAVE_QUERIES):
        assert api.put(labeler, path, {"attributes": vector_label(50)}).status_code == 201
    with django_assert_num_queries(SAVE_QUERIES):
        assert api.put(labeler, path, {"attributes": vector_label(50), "version": 1}).status_code == 201
    with django_assert_num_queries(2):  # key; sample with dataset, roles, label set, label and its people
        assert api.get(labeler, path).json()["version"] == 2


def test_stale_versions_are_refused_whether_or_not_a_label_exists(api, personas, rose):
    labeler, path = personas["labeler"], f"/labels/{rose.uuid}/ground-truth/"

    missing = api.put(labeler, path, {"attributes": vector_label(1), "version": 3})
    created = api.put(labeler, path, {"attributes": vector_label(1), "version": 0})
    again = api.put(labeler, path, {"attributes": vector_label(2), "version": 0})
    stale = api.put(labeler, path, {"attributes": vector_label(2), "version": 7})

    assert (missing.status_code, created.status_code, again.status_code, stale.status_code) == (409, 201, 409, 409)
    assert [r.json()["current_version"] for r in (missing, again, stale)] == [0, 1, 1]
    assert Label.objects.get().attributes == vector_label(1)


@pytest.mark.parametrize("version", [None, 0, 1])
def test_a_label_for_a_missing_label_set_is_not_found_and_nothing_is_written(api, personas, rose, version):
    make_label(rose)
    before = snapshot()
    body = {"attributes": vector_label(2), **({} if version is None else {"version": version})}

    response = api.put(personas["labeler"], f"/labels/{rose.uuid}/model-v9/", body)

    assert response.status_code == 404
    assert snapshot() == before


def test_a_patch_without_version_never_overwrites_a_write_that_lands_meanwhile(api, personas, rose, monkeypatch):
    # given a label, and another writer whose save lands once while the PATCH merges its changes
    from django.db.models import F

    from datasets.services import labels as label_services

    make_label(rose, status="LABELING_IN_PROGRESS")
    validate = label_services._validated_label_attributes
    landed = []

    def validate_while_someone_saves(*args, **kwargs):
        if not landed:
            Label.objects.update(attributes=vector_label(7), version=F("version") + 1)
            landed.append(True)
        return validate(*args, **kwargs)

    monkeypatch.setattr(label_services, "_validated_label_attributes", validate_while_someone_saves)

    # when the SDK-style PATCH (no version) changes the status
    response = api.patch(personas["labeler"], f"/labels/{rose.uuid}/ground-truth/", {"label_status": "LABELED"})

    # then its first attempt conflicts, the retry merges onto the other write, and that write's attributes stay
    assert response.status_code == 200
    label = Label.objects.get()
    assert (label.attributes, label.version, label.label_status) == (vector_label(7), 3, "LABELED")
