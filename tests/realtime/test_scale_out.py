"""Scale-out on Redis: two ASGI server processes behind different ports deliver each other's events."""

import json

import pytest
import requests
from websockets.sync.client import connect

from tests.realtime.conftest import redis_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def test_save_through_one_server_reaches_a_websocket_client_of_another(
    start_asgi_server, vector_dataset, labeler, alice, api_key_for
):
    # given two server processes sharing the Redis channel layer, and lara's script watching the second
    redis = redis_url()
    first, second = start_asgi_server(redis=redis), start_asgi_server(redis=redis)
    sample = vector_dataset.samples.get()
    watcher_key = api_key_for(labeler)
    with connect(
        f"ws://{second}/ws/datasets/alice/photos/",
        additional_headers={"Authorization": watcher_key},
        open_timeout=10,
    ) as websocket:
        # when alice saves through the first
        response = requests.put(
            f"http://{first}/labels/{sample.uuid}/ground-truth/",
            json={"label_status": "REVIEWED", "attributes": None},
            headers={"Authorization": api_key_for(alice)},
            timeout=10,
        )
        # then
        assert response.status_code == 201, response.text
        event = json.loads(websocket.recv(timeout=5))
    assert event["type"] == "label.saved"
    assert (event["sample_uuid"], event["label_status"], event["version"], event["updated_by"]) == (
        str(sample.uuid),
        "REVIEWED",
        1,
        "alice",
    )
