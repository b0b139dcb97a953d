"""A release build that meets a value JSON cannot encode fails with the reason; an export of a release file
that is not valid JSON is refused before its first byte (issue 14: NaN scores made SUCCEEDED releases with
invalid files, and COCO/YOLO exports that answered 200 and then cut the connection)."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from datasets.models import Label, Release, Sample
from datasets.tasks import build_release
from tests.api.conftest import make_label, make_sample


@pytest.mark.parametrize(
    ("field", "value"), [("priority", float("inf")), ("score", float("-inf"))]
)  # SQLite has no NaN
def test_a_release_build_that_meets_infinity_fails_naming_the_sample(dataset, field, value):
    # given a value that came in before input was strict (the float columns hold NaN and Infinity)
    rose = make_sample(dataset, "rose.png")
    make_label(rose)
    make_sample(dataset, "tulip.png")
    if field == "priority":
        Sample.objects.filter(pk=rose.pk).update(priority=value)
    else:
        Label.objects.filter(sample=rose).update(score=value)
    release = Release.objects.create(dataset=dataset, name="v1")
    # when the release is built
    build_release(release.pk)
    # then it fails with the reason, and no file is published
    release.refresh_from_db()
    assert release.status == "FAILED"
    assert "UnencodableValue: sample 'rose.png' holds a value JSON cannot encode" in release.failure_reason
    assert not release.file


def test_a_clean_release_still_builds(dataset):
    make_label(make_sample(dataset, "rose.png"))
    release = Release.objects.create(dataset=dataset, name="v1")
    build_release(release.pk)
    release.refresh_from_db()
    assert release.status == "SUCCEEDED"
    with default_storage.open(release.file.name) as stored:
        assert json.load(stored)["dataset"]["samples"][0]["name"] == "rose.png"


@pytest.mark.parametrize("export_format", ["coco-instance", "yolo"])
def test_an_export_of_an_invalid_release_file_is_refused_before_the_first_byte(api, personas, dataset, export_format):
    document = (
        '{"name":"old","dataset":{"task_attributes":{"categories":[{"id":1,"name":"flower"}]},'
        '"samples":[{"uuid":"u","name":"a.png","attributes":{"image":{"url":"https://e.org/a.png"}},'
        '"priority":NaN,"labels":{"ground-truth":null}}]}}'
    )
    stored = default_storage.save("releases/0123abcd/old.json", ContentFile(document.encode()))
    Release.objects.create(dataset=dataset, name="old", status=Release.SUCCEEDED, file=stored)
    response = api.get(personas["owner"], f"/datasets/olivia/flowers/releases/old/export/?format={export_format}")
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]


@pytest.mark.postgresql
def test_a_release_build_that_meets_nan_fails_naming_the_sample(dataset):
    rose = make_sample(dataset, "rose.png")
    Sample.objects.filter(pk=rose.pk).update(priority=float("nan"))  # PostgreSQL's float8 holds NaN
    release = Release.objects.create(dataset=dataset, name="v1")
    build_release(release.pk)
    release.refresh_from_db()
    assert release.status == "FAILED"
    assert "sample 'rose.png' holds a value JSON cannot encode" in release.failure_reason
