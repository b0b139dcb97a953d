"""Every error status answers a JSON body (issue 14): 405, 404 of unknown routes, CSRF failures; and an
anonymous unsafe request gets the documented 401, not a CSRF 403."""

import pytest
from django.test import Client

from tests.api.conftest import make_sample, snapshot


def test_a_method_the_route_does_not_have_answers_json_405(api, personas):
    response = api.client.put("/api_status/", b"{}", content_type="application/json", **personas["owner"].headers)
    assert response.status_code == 405
    assert response.json() == {"detail": "Method not allowed."}
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["/no/such/route/", "/media/assets/", "/media/nothing-here"])
def test_unknown_routes_answer_json_404(api, personas, path):
    response = api.get(personas["owner"], path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/datasets/olivia/flowers/samples/"),
        ("put", "/labels/{uuid}/ground-truth/"),
        ("patch", "/samples/{uuid}/"),
        ("delete", "/samples/{uuid}/"),
        ("post", "/user/datasets/"),
    ],
)
def test_an_anonymous_unsafe_request_gets_401_not_a_csrf_403(personas, dataset, method, path):
    sample = make_sample(dataset, "rose.png")
    before = snapshot()
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(path.format(uuid=sample.uuid), b"{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert snapshot() == before


def test_a_signed_in_request_without_csrf_token_answers_json_403(personas, dataset):
    sample = make_sample(dataset, "rose.png")
    before = snapshot()
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["owner"].user)
    response = client.patch(f"/samples/{sample.uuid}/", b'{"name": "x.png"}', content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert snapshot() == before
