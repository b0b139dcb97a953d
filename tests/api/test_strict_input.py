"""Strict input (issue 14, "Fuzzing and bad input"): every value PostgreSQL or the formats cannot hold is a 400
naming the field, and nothing is stored or changed. Through the real HTTP API against PostgreSQL."""

import gzip
import json

import pytest

from datasets.models import Dataset, Label, Sample
from tests.api.conftest import IMAGE, make_label, make_sample, snapshot, vector_label


@pytest.fixture
def rose(dataset):
    return make_sample(dataset, "rose.png")


def _send(api, persona, method: str, path: str, raw: bytes | str, **extra):
    return getattr(api.client, method)(path, raw, content_type="application/json", **persona.headers, **extra)


def _assert_refused(response, field: str, rule: str | None = None):
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["detail"], body
    assert any(error["path"] == field for error in body["errors"]), body
    if rule is not None:
        assert any(error["rule"] == rule for error in body["errors"]), body


@pytest.mark.parametrize(
    ("token", "field", "rule"),
    [
        ("NaN", "priority", "not_finite"),
        ("Infinity", "priority", "not_finite"),
        ("-Infinity", "priority", "not_finite"),
        ("1e400", "priority", "not_finite"),
    ],
)
def test_nan_and_infinity_are_refused_at_the_parser(api, personas, token, field, rule):
    before = snapshot()
    raw = '{"name": "x.png", "attributes": {"image": {"url": "https://e.org/x.png"}}, "priority": ' + token + "}"
    response = _send(api, personas["owner"], "post", "/datasets/olivia/flowers/samples/", raw)
    _assert_refused(response, field, rule)
    assert snapshot() == before


def test_nan_in_a_label_score_or_metadata_is_refused(api, personas, rose):
    make_label(rose)
    before = snapshot()
    raw = '{"label_status": "LABELED", "attributes": ' + json.dumps(vector_label()) + ', "score": NaN}'
    assert _send(api, personas["labeler"], "put", f"/labels/{rose.uuid}/ground-truth/", raw).status_code == 400
    raw = '{"metadata": {"weather": {"rain": Infinity}}}'
    assert _send(api, personas["owner"], "patch", f"/samples/{rose.uuid}/", raw).status_code == 400
    assert snapshot() == before


def test_an_integer_beyond_64_bits_is_refused_naming_the_field(api, personas, rose):
    before = snapshot()
    raw = json.dumps({"metadata": {"counts": [1, 2, 2**63]}})
    _assert_refused(_send(api, personas["owner"], "patch", f"/samples/{rose.uuid}/", raw), "metadata.counts[2]")
    assert snapshot() == before


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "a\udfffb"])
def test_nul_and_lone_surrogates_in_a_body_string_are_refused_naming_the_field(api, personas, rose, bad):
    before = snapshot()
    raw = json.dumps({"name": f"x{bad}.png", "attributes": IMAGE})  # json.dumps escapes them as \u0000, \ud800
    response = _send(api, personas["owner"], "post", "/datasets/olivia/flowers/samples/", raw)
    _assert_refused(response, "name", "forbidden_character")
    raw = json.dumps({"metadata": {f"k{bad}": 1}})
    response = _send(api, personas["owner"], "patch", f"/samples/{rose.uuid}/", raw)
    _assert_refused(response, f"metadata.k{bad}", "forbidden_character")
    assert snapshot() == before


def test_nul_in_a_label_attribute_is_refused_naming_it(api, personas, rose):
    before = snapshot()
    label = vector_label()
    label["annotations"][0]["attributes"] = {"color": "red\x00"}
    response = api.put(personas["labeler"], f"/labels/{rose.uuid}/ground-truth/", {"attributes": label})
    _assert_refused(response, "attributes.annotations[0].attributes.color", "forbidden_character")
    assert snapshot() == before


@pytest.mark.parametrize(
    "path",
    [
        "/samples/%00/",
        "/datasets/olivia/flow%00ers/",
        "/labels/abc%00/ground-truth/",
        "/datasets/olivia/flowers/samples/?name=%00",
        "/datasets/olivia/flowers/samples/?label_status%00=LABELED",
    ],
)
def test_nul_in_a_path_or_query_is_refused(api, personas, path):
    response = api.get(personas["owner"], path)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["path"].startswith(("path", "query."))


def test_deep_nesting_is_refused(api, personas, rose):
    before = snapshot()
    deep: dict = {}
    for _ in range(200):
        deep = {"a": deep}
    response = api.patch(personas["owner"], f"/samples/{rose.uuid}/", {"metadata": deep})
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["rule"] == "nesting_depth"
    raw = "[" * 2000 + "]" * 2000  # past orjson's own limit
    assert _send(api, personas["owner"], "patch", f"/samples/{rose.uuid}/", raw).status_code == 400
    assert snapshot() == before


@pytest.mark.parametrize("value", [2**31, 2**32, 2**63, -1])
def test_inactivity_timeout_beyond_the_column_is_refused(api, personas, dataset, value):
    before = snapshot()
    response = api.patch(personas["owner"], "/datasets/olivia/flowers/", {"labeling_inactivity_timeout_seconds": value})
    _assert_refused(response, "labeling_inactivity_timeout_seconds")
    assert snapshot() == before
    assert Dataset.objects.get(pk=dataset.pk).labeling_inactivity_timeout_seconds == 300


@pytest.mark.parametrize("page", ["99999999999999999999", str(2**31), "-5"])
def test_a_huge_page_is_not_found(api, personas, rose, page):
    response = api.get(personas["owner"], f"/datasets/olivia/flowers/samples/?page={page}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize("version", [2**31, 2**63])
def test_a_label_version_beyond_the_column_is_refused(api, personas, rose, version):
    before = snapshot()
    body = {"attributes": vector_label(), "version": version}
    _assert_refused(api.put(personas["labeler"], f"/labels/{rose.uuid}/ground-truth/", body), "version")
    assert snapshot() == before


@pytest.mark.parametrize("raw", ["null", '"x"', "[]", "42", "true", "[{}]", ""])
@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_body_that_is_not_an_object_never_wipes_a_label(api, personas, rose, raw, method):
    make_label(rose, attributes=vector_label(3))
    before = snapshot()
    response = _send(api, personas["labeler"], method, f"/labels/{rose.uuid}/ground-truth/", raw)
    assert response.status_code == 400, response.content
    assert "JSON object" in response.json()["detail"]
    assert snapshot() == before
    assert len(Label.objects.get(sample=rose).attributes["annotations"]) == 3


def test_a_body_that_is_not_an_object_is_refused_on_object_routes(api, personas, rose):
    before = snapshot()
    for raw in ("null", "[]", "7"):
        response = _send(api, personas["owner"], "patch", f"/samples/{rose.uuid}/", raw)
        assert response.status_code == 400, response.content
        response = _send(api, personas["owner"], "post", "/datasets/olivia/flowers/samples/", raw)
        assert response.status_code == 400, response.content
    assert snapshot() == before
    assert Sample.objects.count() == 1


def test_a_gzip_body_from_an_anonymous_client_is_refused_before_inflating(api):
    bomb = gzip.compress(b"[" + b" " * (64 * 1024 * 1024) + b"]", compresslevel=9)
    response = api.client.put(
        "/labels/00000000-0000-0000-0000-000000000000/ground-truth/",
        bomb,
        content_type="application/json",
        HTTP_CONTENT_ENCODING="gzip",
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_a_gzip_body_over_the_routes_cap_is_refused(api, personas, rose, settings):
    settings.GZIP_MAX_BYTES = 1024 * 1024
    before = snapshot()
    body = gzip.compress(json.dumps({"description": "x" * (2 * 1024 * 1024)}).encode())
    response = api.client.patch(
        "/datasets/olivia/flowers/",
        body,
        content_type="application/json",
        HTTP_CONTENT_ENCODING="gzip",
        **personas["owner"].headers,
    )
    assert response.status_code == 413
    assert "larger than 1048576 bytes" in response.json()["detail"]
    assert snapshot() == before


def test_a_patch_without_version_never_overwrites_a_concurrent_put(api, personas, rose, monkeypatch):
    """The PATCH reads the label, a PUT lands before the PATCH writes: the PATCH must not bring back the
    attributes it read. It starts again from the PUT's label, so the PUT's attributes stay."""
    from datasets.services import labels as label_services

    make_label(rose, attributes=vector_label(1))
    path = f"/labels/{rose.uuid}/ground-truth/"
    original_save = label_services.save_label
    raced = []

    def save_after_a_concurrent_put(*args, **kwargs):
        if not raced:  # the concurrent PUT, committed between the PATCH's read and its write
            raced.append(
                original_save(
                    personas["manager"].user, rose, "ground-truth", attributes=vector_label(4), label_status="LABELED"
                )
            )
        return original_save(*args, **kwargs)

    monkeypatch.setattr(label_services, "save_label", save_after_a_concurrent_put)
    response = api.patch(personas["reviewer"], path, {"label_status": "REVIEWED"})
    assert response.status_code == 200, response.content
    label = Label.objects.get(sample=rose)
    assert len(label.attributes["annotations"]) == 4  # the PUT's attributes survived
    assert (label.label_status, label.version) == ("REVIEWED", 3)


def test_a_patch_with_a_stale_version_is_a_409_and_changes_nothing(api, personas, rose):
    make_label(rose, attributes=vector_label(2))
    path = f"/labels/{rose.uuid}/ground-truth/"
    assert api.put(personas["labeler"], path, {"attributes": vector_label(3), "version": 1}).status_code == 201
    before = snapshot()
    response = api.patch(personas["labeler"], path, {"score": 0.5, "version": 1})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert snapshot() == before


def test_nul_in_a_page_form_field_is_refused(client, personas):
    client.force_login(personas["owner"].user)
    form = "username=olivia%00&password=x"  # what a browser's form sends (urlencoded)
    response = client.post("/login/", form, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json()["errors"][0]["path"] == "form.username"
