"""Transport conventions of the wire contract (spec §1): handshake, API keys, slash forms without redirects,
gzip bodies, JSON error bodies, the browsable docs."""

import gzip
import json

import pytest
import requests
from segments import SegmentsClient
from segments.exceptions import AuthenticationError

from datasets.models import Sample
from tests.api.conftest import IMAGE


def test_sdk_handshakes_and_reads_the_user_behind_its_key(owner_sdk):
    assert owner_sdk.get_user().username == "olivia"


def test_sdk_refuses_to_start_with_a_wrong_api_key(live_server, owner):
    with pytest.raises(AuthenticationError):
        SegmentsClient(api_key="12345", api_url=live_server.url)


def test_api_status_tells_a_missing_key_from_a_wrong_one(live_server, owner):
    missing = requests.get(f"{live_server.url}/api_status/?lib_version=1.33.0", timeout=10)
    wrong = requests.get(f"{live_server.url}/api_status/", headers={"Authorization": "APIKey wrong"}, timeout=10)
    assert (missing.status_code, missing.json()) == (
        401,
        {"detail": "Authentication credentials were not provided."},
    )
    assert (wrong.status_code, wrong.json()) == (401, {"detail": "Invalid API key."})


def test_revoked_key_is_refused(live_server, owner):
    owner.user.api_keys.update(revoked=True)
    with pytest.raises(AuthenticationError):
        SegmentsClient(api_key=owner.key, api_url=live_server.url)


def test_a_path_prefix_in_api_url_is_ignored_like_the_sdk_does(live_server, owner):
    with SegmentsClient(api_key=owner.key, api_url=f"{live_server.url}/api/v1/") as client:
        assert client.get_user().username == "olivia"


@pytest.mark.parametrize(
    "path",
    [
        "/user",
        "/user/",
        "/users/olivia",
        "/users/olivia/",
        "/datasets/olivia/flowers/collaborators/lara",
        "/datasets/olivia/flowers/collaborators/lara/",
    ],
)
def test_both_slash_forms_answer_directly_without_redirect(live_server, personas, path):
    response = requests.get(
        f"{live_server.url}{path}",
        headers={"Authorization": f"APIKey {personas['owner'].key}"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_gzip_request_body_is_inflated(api, personas):
    body = gzip.compress(json.dumps({"name": "zipped.png", "attributes": IMAGE}).encode())
    response = api.client.post(
        "/datasets/olivia/flowers/samples/",
        body,
        content_type="application/json",
        HTTP_CONTENT_ENCODING="gzip",
        **personas["owner"].headers,
    )
    assert response.status_code == 201, response.content
    assert Sample.objects.filter(name="zipped.png").exists()


def test_corrupt_gzip_body_is_refused_with_a_json_message(api, personas):
    response = api.client.post(
        "/datasets/olivia/flowers/samples/",
        b"not gzip at all",
        content_type="application/json",
        HTTP_CONTENT_ENCODING="gzip",
        **personas["owner"].headers,
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Request body is not valid gzip."}


def test_unknown_paths_answer_json_not_found(api, owner):
    response = api.get(owner, "/no/such/endpoint/")
    assert (response.status_code, response.json()) == (404, {"detail": "Not found."})


def test_a_bad_body_is_a_400_listing_each_field(api, personas):
    response = api.post(personas["owner"], "/datasets/olivia/flowers/samples/", {"name": ""})
    assert response.status_code == 400
    paths = {error["path"] for error in response.json()["errors"]}
    assert {"name", "attributes"} <= paths


def test_the_api_is_browsable_with_openapi_docs(api, owner):
    assert api.get(owner, "/api/docs").status_code == 200
    schema = api.get(owner, "/api/openapi.json").json()
    assert "/datasets/{owner}/{name}/samples/" in schema["paths"]
    assert "/assets/" in schema["paths"]


def test_every_response_says_how_long_django_took_in_server_timing(live_server, owner):
    answered = requests.get(f"{live_server.url}/user", headers={"Authorization": f"APIKey {owner.key}"}, timeout=10)
    refused = requests.get(f"{live_server.url}/user", headers={"Authorization": "APIKey wrong"}, timeout=10)
    for response in (answered, refused):
        name, _, duration = response.headers["Server-Timing"].partition(";dur=")
        assert name == "app"
        assert 0 < float(duration) < 10_000


def test_json_the_fast_codec_refuses_still_round_trips(api, personas):
    # integers beyond 64 bits and non-ASCII text: orjson hands the first to the standard library
    metadata = {"id": 2**70, "note": "Zürich ✓", "when": "2026-01-02T03:04:05Z"}
    created = api.post(
        personas["owner"],
        "/datasets/olivia/flowers/samples/",
        {"name": "big.png", "attributes": IMAGE, "metadata": metadata},
    )
    assert created.status_code == 201, created.content
    assert created.json()["metadata"] == metadata
    fetched = api.get(personas["owner"], f"/samples/{created.json()['uuid']}/")
    assert fetched.json()["metadata"] == metadata
    assert fetched.json()["created_at"].endswith("Z")  # datetimes keep Django's format: milliseconds, then Z


def test_a_body_that_is_not_json_is_a_400(api, personas):
    response = api.client.post(
        "/datasets/olivia/flowers/samples/", b"{not json", content_type="application/json", **personas["owner"].headers
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Cannot parse request body")
