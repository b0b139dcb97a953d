"""A websocket that waits quietly for longer than the Redis client's read timeout still gets the next event.

channels_redis waits for messages with a blocking BZPOPMIN of 5 s; redis-py 8 also gives up reading after a
5 s default socket timeout, so without a longer socket timeout in the channel layer's host settings an idle
consumer dies with "Timeout reading from ..." and the page silently stops receiving.
"""

import json
import time

import pytest
import requests
from websockets.sync.client import connect

from tests.realtime.conftest import redis_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]

LONGER_THAN_THE_REDIS_READ_TIMEOUT_SECONDS = 12


def test_idle_websocket_on_redis_still_receives_the_next_save(
    start_asgi_server, vector_dataset, labeler, alice, api_key_for
):
    server = start_asgi_server(redis=redis_url())
    sample = vector_dataset.samples.get()
    with connect(
        f"ws://{server}/ws/datasets/alice/photos/", additional_headers={"Authorization": api_key_for(labeler)}
    ) as websocket:
        time.sleep(LONGER_THAN_THE_REDIS_READ_TIMEOUT_SECONDS)

        response = requests.put(
            f"http://{server}/labels/{sample.uuid}/ground-truth/",
            json={"label_status": "LABELED", "attributes": None},
            headers={"Authorization": api_key_for(alice)},
            timeout=10,
        )

        assert response.status_code == 201, response.text
        event = json.loads(websocket.recv(timeout=5))
    assert (event["type"], event["version"]) == ("label.saved", 1)
