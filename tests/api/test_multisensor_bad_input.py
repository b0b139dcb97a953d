"""Bad multi-sensor input through the real HTTP API, on the demo: refused with the field path, nothing stored."""

import copy

import pytest

from datasets.demo import create_demo_data
from datasets.demo_multisensor import PRELABELS, multisensor_prelabel_attributes
from datasets.models import Label, Sample
from labeling.services import create_api_key
from tests.api.conftest import snapshot


@pytest.fixture
def demo(db):
    """(dataset, its sample, request headers of the demo admin)."""
    dataset = create_demo_data("http://testserver").multisensor_dataset
    headers = {"HTTP_AUTHORIZATION": f"APIKey {create_api_key(dataset.created_by)}"}
    return dataset, dataset.samples.get(), headers


def put_label(client, sample, headers, attributes):
    body = {"attributes": attributes, "label_status": "LABELED"}
    return client.put(f"/labels/{sample.uuid}/{PRELABELS}/", body, content_type="application/json", **headers)


def paths_and_rules(response) -> set[tuple[str, str]]:
    return {(issue["path"], issue["rule"]) for issue in response.json()["errors"]}


def test_a_label_whose_sensors_are_not_in_the_samples_order_is_refused(client, demo):
    _, sample, headers = demo
    label = multisensor_prelabel_attributes()
    label["sensors"][1], label["sensors"][2] = label["sensors"][2], label["sensors"][1]
    before = snapshot()
    response = put_label(client, sample, headers, label)
    assert response.status_code == 400
    assert {("attributes.sensors[1]", "sensor_order"), ("attributes.sensors[2]", "sensor_order")} <= (
        paths_and_rules(response)
    )
    assert snapshot() == before


def test_a_sensor_of_the_wrong_task_type_is_refused(client, demo):
    _, sample, headers = demo
    label = multisensor_prelabel_attributes()
    label["sensors"][3]["task_type"] = "image-segmentation-sequence"
    before = snapshot()
    response = put_label(client, sample, headers, label)
    assert response.status_code == 400
    assert ("attributes.sensors[3]", "sensor_order") in paths_and_rules(response)
    assert snapshot() == before


def test_the_demo_prelabels_are_accepted_as_a_label(client, demo):
    _, sample, headers = demo
    response = put_label(client, sample, headers, multisensor_prelabel_attributes())
    assert response.status_code in (200, 201), response.content
    stored = Label.objects.get(sample=sample, labelset__name=PRELABELS)
    assert [sensor["name"] for sensor in stored.attributes["sensors"]] == ["lidar", "front", "left", "right"]
    assert stored.label_status == "LABELED"


@pytest.mark.parametrize(
    ("change", "path", "rule"),
    [
        (
            lambda image: image["extrinsics"]["rotation"].update(qw=0.0, qx=0.0, qy=0.0, qz=0.0),
            "extrinsics.rotation",
            "quaternion_not_unit",
        ),
        (
            lambda image: image["intrinsics"].update(intrinsic_matrix=[[0, 0, 1022], [0, 0, 792], [0, 0, 1]]),
            "intrinsics.intrinsic_matrix",
            "intrinsics_not_invertible",
        ),
    ],
)
def test_a_sample_whose_calibration_is_not_a_rotation_or_not_invertible_is_refused(client, demo, change, path, rule):
    dataset, sample, headers = demo
    attributes = copy.deepcopy(sample.attributes)
    change(attributes["sensors"][0]["attributes"]["frames"][1]["images"][2])
    before = snapshot()
    response = client.post(
        f"/datasets/{dataset.full_name}/samples/",
        {"name": "broken", "attributes": attributes},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 400
    expected = f"attributes.sensors[0].attributes.frames[1].images[2].{path}"
    assert paths_and_rules(response) == {(expected, rule)}
    assert snapshot() == before
    assert not Sample.objects.filter(name="broken").exists()
