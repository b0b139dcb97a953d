"""Links between tracks of a multi-sensor label (seed "Multi-sensor sequence": top-level `links` of
`{from_id, to_id, attributes}`), through the real HTTP API on the demo: a 2D box in the front camera, made from
the projection of a car's cuboid, linked to that cuboid's track; malformed links refused with the field path,
nothing stored."""

import pytest

from datasets.demo import create_demo_data
from datasets.demo_multisensor import DEMO_CAMERAS, PRELABELS, multisensor_prelabel_attributes
from datasets.models import Label
from labeling.core.projection import camera_from_attributes, projected_bounding_box
from labeling.services import create_api_key
from tests.api.conftest import snapshot

CAR_TRACK = 4  # a car ahead of the front camera in every demo frame
BOX_TRACK = 1004  # the 2D box's own track id in the front camera
FRONT = 1 + DEMO_CAMERAS.index("front")


@pytest.fixture
def demo(db):
    """(the demo sample, request headers of the demo admin)."""
    dataset = create_demo_data("http://testserver").multisensor_dataset
    headers = {"HTTP_AUTHORIZATION": f"APIKey {create_api_key(dataset.created_by)}"}
    return dataset.samples.get(), headers


def linked_label(sample) -> dict:
    """The demo pre-labels plus, in the front camera's first frame, a 2D box around the projection of the car's
    cuboid, and a link from the cuboid's track to the box's track."""
    label = multisensor_prelabel_attributes()
    [cuboid] = [a for a in label["sensors"][0]["attributes"]["frames"][0]["annotations"] if a["track_id"] == CAR_TRACK]
    lidar_frame = sample.attributes["sensors"][0]["attributes"]["frames"][0]
    camera = camera_from_attributes(lidar_frame["images"][DEMO_CAMERAS.index("front")])
    points = projected_bounding_box(cuboid, camera, (2048, 1536))
    assert points is not None
    box = {"id": BOX_TRACK, "track_id": BOX_TRACK, "is_keyframe": True, "type": "bbox", "points": points}
    box["category_id"] = cuboid["category_id"]
    frames = [{"annotations": [box] if index == 0 else []} for index in range(3)]
    label["sensors"][FRONT]["attributes"] = {"format_version": "0.2", "frames": frames}
    label["links"] = [{"from_id": CAR_TRACK, "to_id": BOX_TRACK, "attributes": {}}]
    return label


def put_label(client, sample, headers, attributes):
    body = {"attributes": attributes, "label_status": "LABELED"}
    return client.put(f"/labels/{sample.uuid}/{PRELABELS}/", body, content_type="application/json", **headers)


def test_a_2d_box_made_from_a_cuboids_projection_and_linked_to_its_track_is_stored(client, demo):
    sample, headers = demo
    # when
    response = put_label(client, sample, headers, linked_label(sample))
    # then
    assert response.status_code in (200, 201), response.content
    stored = Label.objects.get(sample=sample, labelset__name=PRELABELS).attributes
    assert [sensor["name"] for sensor in stored["sensors"]] == ["lidar", *DEMO_CAMERAS]
    assert stored["links"] == [{"from_id": CAR_TRACK, "to_id": BOX_TRACK, "attributes": {}}]
    [box] = stored["sensors"][FRONT]["attributes"]["frames"][0]["annotations"]
    (x0, y0), (x1, y1) = box["points"]
    assert 0 <= x0 < x1 <= 2048
    assert 700 < y0 < y1 < 1000  # a car ahead, below the horizon


@pytest.mark.parametrize(
    ("links", "path", "rule"),
    [
        ([{"from_id": CAR_TRACK, "to_id": 999_999}], "attributes.links[0].to_id", "unknown_link_target"),
        ([{"from_id": 999_999, "to_id": BOX_TRACK}], "attributes.links[0].from_id", "unknown_link_target"),
        ([{"from_id": CAR_TRACK, "to_id": CAR_TRACK}], "attributes.links[0].to_id", "self_link"),
        (
            [{"from_id": CAR_TRACK, "to_id": BOX_TRACK}, {"from_id": CAR_TRACK, "to_id": BOX_TRACK}],
            "attributes.links[1]",
            "duplicate_link",
        ),
        ([{"from_id": str(CAR_TRACK), "to_id": BOX_TRACK}], "attributes.links[0].from_id", "type"),
        ([{"from_id": CAR_TRACK}], "attributes.links[0].to_id", "required"),
        ([[CAR_TRACK, BOX_TRACK]], "attributes.links[0]", "type"),
        ({"from_id": CAR_TRACK, "to_id": BOX_TRACK}, "attributes.links", "type"),
    ],
)
def test_a_malformed_link_is_refused_with_its_field_path_and_nothing_is_stored(client, demo, links, path, rule):
    # given
    sample, headers = demo
    label = linked_label(sample)
    label["links"] = links
    before = snapshot()
    # when
    response = put_label(client, sample, headers, label)
    # then
    assert response.status_code == 400
    assert {(issue["path"], issue["rule"]) for issue in response.json()["errors"]} == {(path, rule)}
    assert snapshot() == before


def test_a_link_to_a_track_of_an_unlabeled_sensor_is_refused(client, demo):
    # given: the box's track exists only in the front camera, which is now left unlabeled
    sample, headers = demo
    label = linked_label(sample)
    label["sensors"][FRONT]["attributes"] = []
    before = snapshot()
    # when
    response = put_label(client, sample, headers, label)
    # then
    assert response.status_code == 400
    assert {(issue["path"], issue["rule"]) for issue in response.json()["errors"]} == {
        ("attributes.links[0].to_id", "unknown_link_target")
    }
    assert snapshot() == before
