"""A channel layer that fails must never fail a save: the label is stored and the event logged as dropped."""

import json
import logging

import pytest

from datasets import realtime
from datasets.models import Label

pytestmark = pytest.mark.django_db

LABEL = json.dumps({"label_status": "LABELED", "attributes": None})


def put_label(client, sample, header):
    return client.put(
        f"/labels/{sample.uuid}/ground-truth/",
        LABEL,
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )


def test_save_succeeds_and_event_is_logged_as_dropped_when_redis_is_down(
    client, settings, vector_dataset, labeler, api_key_for, caplog, django_capture_on_commit_callbacks
):
    # given a Redis channel layer on a port where nothing listens
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:9/0"]},
        }
    }
    sample = vector_dataset.samples.get()
    # when
    with (
        caplog.at_level(logging.WARNING, logger="datasets.realtime"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        response = put_label(client, sample, api_key_for(labeler))
    # then
    assert response.status_code == 201, response.content
    assert Label.objects.get(sample=sample).label_status == "LABELED"
    assert len(callbacks) == 1
    assert "realtime event dropped: label.saved" in caplog.text


def test_save_is_not_held_by_a_stalled_channel_layer(
    client,
    settings,
    monkeypatch,
    vector_dataset,
    labeler,
    api_key_for,
    caplog,
    django_capture_on_commit_callbacks,
):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "tests.realtime.layers.HangingChannelLayer"}}
    monkeypatch.setattr(realtime, "SEND_TIMEOUT_SECONDS", 0.05)
    sample = vector_dataset.samples.get()

    with (
        caplog.at_level(logging.WARNING, logger="datasets.realtime"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = put_label(client, sample, api_key_for(labeler))

    assert response.status_code == 201, response.content
    assert Label.objects.get(sample=sample).version == 1
    assert "realtime event dropped: label.saved" in caplog.text


def test_no_event_is_queued_when_a_versioned_save_conflicts(
    client, vector_dataset, labeler, api_key_for, django_capture_on_commit_callbacks
):
    sample = vector_dataset.samples.get()
    header = api_key_for(labeler)
    put_label(client, sample, header)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.put(
            f"/labels/{sample.uuid}/ground-truth/",
            json.dumps({"label_status": "SKIPPED", "attributes": None, "version": 0}),
            content_type="application/json",
            HTTP_AUTHORIZATION=header,
        )

    assert response.status_code == 409
    assert response.json()["current_version"] == 1
    assert callbacks == []
    assert Label.objects.get(sample=sample).label_status == "LABELED"
