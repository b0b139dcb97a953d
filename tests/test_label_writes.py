"""Label writes through HTTP (the path the editor and the SDK share): validation, access, versions."""

import json
import math

import pytest

from datasets.models import Label

pytestmark = pytest.mark.django_db

BOX = {"id": 1, "track_id": 1, "category_id": 1, "type": "bbox", "points": [[10.5, 20.0], [110.0, 90.25]]}
TRIANGLE = {
    "id": 2,
    "track_id": 2,
    "category_id": 2,
    "type": "polygon",
    "points": [[1.0, 1.0], [50.0, 1.0], [25.0, 40.0]],
}


def label_body(*annotations, status="LABELED", **extra) -> str:
    attributes = {"format_version": "0.1", "annotations": list(annotations)}
    return json.dumps({"label_status": status, "attributes": attributes, **extra}, allow_nan=True)


def put(client, sample, body, header=None):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    return client.put(f"/labels/{sample.uuid}/ground-truth/", body, content_type="application/json", **headers)


def test_labeler_saves_a_vector_label_stored_exactly_as_sent(client, vector_dataset, labeler, api_key_for):
    sample = vector_dataset.samples.get()
    response = put(client, sample, label_body(BOX, TRIANGLE), api_key_for(labeler))
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 1
    stored = Label.objects.get(sample=sample)
    assert stored.attributes == {"format_version": "0.1", "annotations": [BOX, TRIANGLE]}
    assert stored.label_status == "LABELED"
    assert stored.created_by == labeler


def test_get_label_returns_what_was_put_and_404_before(client, vector_dataset, labeler, api_key_for):
    sample = vector_dataset.samples.get()
    header = api_key_for(labeler)
    url = f"/labels/{sample.uuid}/ground-truth/"
    assert client.get(url, HTTP_AUTHORIZATION=header).status_code == 404
    put(client, sample, label_body(BOX), header)
    body = client.get(url, HTTP_AUTHORIZATION=header).json()
    assert body["attributes"]["annotations"] == [BOX]
    assert body["label_type"] == "vector"
    assert body["created_by"] == "lara"


BAD_LABELS = [
    pytest.param({**BOX, "category_id": 99}, "attributes.annotations[0].category_id", id="unknown-category"),
    pytest.param({**TRIANGLE, "points": [[1, 1], [2, 2]]}, "attributes.annotations[0].points", id="two-point-polygon"),
    pytest.param(
        {**BOX, "points": [[math.nan, 1.0], [5.0, 6.0]]}, "attributes.annotations[0].points[0]", id="nan-bbox"
    ),
]


@pytest.mark.parametrize(("annotation", "path"), BAD_LABELS)
def test_malformed_label_is_refused_naming_the_field_and_nothing_changes(
    client, vector_dataset, labeler, api_key_for, annotation, path
):
    # given a stored label
    sample = vector_dataset.samples.get()
    header = api_key_for(labeler)
    put(client, sample, label_body(BOX), header)
    before = Label.objects.values("attributes", "version", "label_status").get(sample=sample)
    # when a malformed one is sent
    response = put(client, sample, label_body(annotation, status="SKIPPED"), header)
    # then 400 names the field, and the label is unchanged
    assert response.status_code == 400
    error_paths = [error["path"] for error in response.json()["errors"]]
    assert any(error_path.startswith(path) for error_path in error_paths), error_paths
    assert path.split(".")[-1].split("[")[0] in response.json()["detail"]
    assert Label.objects.values("attributes", "version", "label_status").get(sample=sample) == before


def test_outsider_cannot_read_or_write_labels_of_a_private_dataset(client, vector_dataset, outsider, api_key_for):
    sample = vector_dataset.samples.get()
    header = api_key_for(outsider)
    assert put(client, sample, label_body(BOX), header).status_code == 404
    assert client.get(f"/labels/{sample.uuid}/ground-truth/", HTTP_AUTHORIZATION=header).status_code == 404
    assert not Label.objects.exists()


def test_bad_api_key_is_401_and_missing_credentials_too(client, vector_dataset):
    sample = vector_dataset.samples.get()
    bad = put(client, sample, label_body(BOX), "APIKey not-a-key")
    missing = put(client, sample, label_body(BOX))
    assert bad.status_code == 401
    assert bad.json()["detail"] == "Invalid API key."
    assert missing.status_code == 401
    assert "credentials were not provided" in missing.json()["detail"]
    assert not Label.objects.exists()


def test_stale_version_is_refused_with_409_and_the_current_version(client, vector_dataset, labeler, api_key_for):
    sample = vector_dataset.samples.get()
    header = api_key_for(labeler)
    assert put(client, sample, label_body(BOX, version=0), header).status_code == 201
    assert put(client, sample, label_body(TRIANGLE, version=1), header).status_code == 201
    stale = put(client, sample, label_body(BOX, version=1), header)
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert Label.objects.get(sample=sample).attributes["annotations"] == [TRIANGLE]


def test_gzip_body_is_inflated(client, vector_dataset, labeler, api_key_for):
    import gzip

    sample = vector_dataset.samples.get()
    response = client.put(
        f"/labels/{sample.uuid}/ground-truth/",
        gzip.compress(label_body(BOX).encode()),
        content_type="application/json",
        HTTP_CONTENT_ENCODING="gzip",
        HTTP_AUTHORIZATION=api_key_for(labeler),
    )
    assert response.status_code == 201, response.content
    assert Label.objects.get(sample=sample).attributes["annotations"] == [BOX]


def test_session_write_without_csrf_token_is_refused(vector_dataset, labeler):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(labeler)
    sample = vector_dataset.samples.get()
    response = put(browser, sample, label_body(BOX))
    assert response.status_code in (401, 403)
    assert not Label.objects.exists()
