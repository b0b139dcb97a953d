"""Conformance with the official SDK (issue 14 item 1): our own calls through segments-ai 1.33.0 against the
live server, making the calls and payloads behind the SDK test-suite failures (none of its tests copied)."""

import copy

import pytest

from datasets.models import Label, Sample
from labeling.core.task_types import SEQUENCE_TASK_TYPES
from tests.core.label_examples import TASK_ATTRIBUTES, labels, samples

FRAMES = 5
IMAGE_ATTRIBUTES = {"image": {"url": "https://e.org/a.png"}}


def _five_frames(sequence: dict) -> dict:
    frames = sequence["frames"]
    return {**sequence, "frames": [copy.deepcopy(frames[index % len(frames)]) for index in range(FRAMES)]}


def _first_frame_only(label: dict) -> dict:
    short = {**label, "frames": label["frames"][:1]}
    if "links" in label:
        short["links"] = [
            {**link, "frames": link["frames"][:1]} if "frames" in link else link for link in label["links"]
        ]
    return short


def _frame_counts(attributes: dict) -> list[int]:
    if "sensors" in attributes:
        return [len(sensor["attributes"]["frames"]) for sensor in attributes["sensors"] if sensor["attributes"]]
    return [len(attributes["frames"])]


@pytest.mark.parametrize("task_type", [*SEQUENCE_TASK_TYPES, "multisensor-sequence"])
def test_a_one_frame_label_on_a_five_frame_sample_is_accepted_and_padded(owner_sdk, owner, task_type):
    # given a 5-frame sample (every sensor 5 frames for multi-sensor)
    dataset = owner_sdk.add_dataset(f"short-{task_type}", task_type=task_type, task_attributes=TASK_ATTRIBUTES)
    sample_attributes, label = samples()[task_type], labels()[task_type]
    if task_type == "multisensor-sequence":
        for sensor in sample_attributes["sensors"]:
            sensor["attributes"] = _five_frames(sensor["attributes"])
        for sensor in label["sensors"]:
            if sensor["attributes"]:
                sensor["attributes"] = _first_frame_only(sensor["attributes"])
    else:
        sample_attributes, label = _five_frames(sample_attributes), _first_frame_only(label)
    sample = owner_sdk.add_sample(dataset.full_name, "scene", sample_attributes)
    assert set(_frame_counts(label)) == {1}
    # when a 1-frame label is added through the SDK
    owner_sdk.add_label(sample.uuid, "ground-truth", label, label_status="PRELABELED")
    # then it is stored padded to the sample's 5 frames with empty frames, and reads back through the SDK
    fetched = owner_sdk.get_label(sample.uuid, "ground-truth")
    stored = Label.objects.get(sample__uuid=sample.uuid).attributes
    assert set(_frame_counts(stored)) == {FRAMES}
    assert set(_frame_counts(fetched.attributes.model_dump(mode="json", exclude_unset=True))) == {FRAMES}


@pytest.mark.parametrize("task_type", ["image-vector-sequence", "pointcloud-cuboid-sequence"])
def test_a_label_with_more_frames_than_its_sample_is_refused(owner_sdk, api, owner, task_type):
    dataset = owner_sdk.add_dataset(f"long-{task_type}", task_type=task_type, task_attributes=TASK_ATTRIBUTES)
    sample = owner_sdk.add_sample(dataset.full_name, "scene", samples()[task_type])  # 2 frames
    label = labels()[task_type]
    label["frames"].append({"annotations": []})
    response = api.put(owner, f"/labels/{sample.uuid}/ground-truth/", {"attributes": label})
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "attributes.frames"
    assert "has 3 frames but the sample has only 2" in response.json()["detail"]
    assert not Label.objects.filter(sample__uuid=sample.uuid).exists()


@pytest.mark.parametrize("task_type", ["pointcloud-vector", "pointcloud-vector-sequence"])
def test_two_coordinate_points_in_a_point_cloud_vector_label_round_trip_through_the_sdk(owner_sdk, task_type):
    categories = {"format_version": "0.1", "categories": [{"id": 1, "name": "lane"}]}
    dataset = owner_sdk.add_dataset(f"flat-{task_type}", task_type=task_type, task_attributes=categories)
    polygon = {"id": 1, "category_id": 1, "type": "polygon", "points": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.5]]}
    if task_type.endswith("sequence"):
        attributes = samples()[task_type]
        label = {"format_version": "0.2", "frames": [{"annotations": [{**polygon, "track_id": 1}]}] * 2}
    else:
        attributes, label = samples()[task_type], {"format_version": "0.2", "annotations": [polygon]}
    sample = owner_sdk.add_sample(dataset.full_name, "scene", attributes)
    owner_sdk.add_label(sample.uuid, "ground-truth", label, label_status="PRELABELED")
    fetched = owner_sdk.get_label(sample.uuid, "ground-truth").attributes.model_dump(mode="json")
    first = fetched["frames"][0] if task_type.endswith("sequence") else fetched
    assert first["annotations"][0]["points"] == polygon["points"]


def test_an_organization_as_assignee_is_accepted_and_unassigned_through_the_sdk(sdk_for, db):
    # given an organization's dataset (spec section 4.4: assignees may be an organization's name)
    from labeling.models import Organization
    from tests.api.conftest import make_dataset, make_organization, make_persona

    admin, member = make_persona("admin", "ada"), make_persona("labeler", "max")
    acme = make_organization("acme", {admin.user: "admin", member.user: "labeler"})
    make_dataset(admin.user, "streets", organization=acme)
    Organization.objects.create(name="elsewhere")
    sdk = sdk_for(admin)
    sample = sdk.add_sample("acme/streets", "a.png", {"image": {"url": "https://e.org/a.png"}}, assigned_labeler="acme")
    assert sample.assigned_labeler == "acme"
    # when it is assigned to the organization as reviewer too, then unassigned
    updated = sdk.update_sample(sample.uuid, assigned_labeler="acme", assigned_reviewer="acme")
    assert (updated.assigned_labeler, updated.assigned_reviewer) == ("acme", "acme")
    assert sdk.get_sample(sample.uuid).assigned_labeler == "acme"
    cleared = sdk.update_sample(sample.uuid, assigned_labeler=None, assigned_reviewer=None)
    assert (cleared.assigned_labeler, cleared.assigned_reviewer) == (None, None)
    stored = Sample.objects.get(uuid=sample.uuid)
    assert (stored.assigned_labeler_organization, stored.assigned_reviewer_organization) == (None, None)
    # a person replaces the organization, and an unrelated organization is refused
    assert sdk.update_sample(sample.uuid, assigned_labeler="acme").assigned_labeler == "acme"
    assert sdk.update_sample(sample.uuid, assigned_labeler="max").assigned_labeler == "max"
    assert Sample.objects.get(uuid=sample.uuid).assigned_labeler_organization is None
    with pytest.raises(Exception, match="assigned labeler needs the labeler role"):
        sdk.update_sample(sample.uuid, assigned_labeler="elsewhere")


def test_a_sample_assigned_to_an_organization_is_written_by_its_members_only(api, db):
    from datasets.models import Collaborator
    from tests.api.conftest import make_dataset, make_organization, make_persona, vector_label

    admin, member, outsider = make_persona("admin", "ada"), make_persona("labeler", "max"), make_persona("x", "lea")
    acme = make_organization("acme", {admin.user: "admin", member.user: "labeler"})
    streets = make_dataset(admin.user, "streets", organization=acme)
    Collaborator.objects.create(dataset=streets, user=outsider.user, role="labeler")
    created = api.post(
        admin,
        "/datasets/acme/streets/samples/",
        {"name": "a.png", "attributes": IMAGE_ATTRIBUTES, "assigned_labeler": "acme"},
    )
    assert created.status_code == 201, created.content
    path = f"/labels/{created.json()['uuid']}/ground-truth/"
    assert api.put(outsider, path, {"attributes": vector_label()}).status_code == 403
    assert api.put(member, path, {"attributes": vector_label()}).status_code == 201
