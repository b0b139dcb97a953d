"""Optimistic concurrency under a real race: 20 writers PUT the same label from the same version at once,
through a live server on PostgreSQL. Exactly one wins per version, every other gets 409 with the current
version, and the stored label is the winner's."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from datasets.models import Label

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 20


def body(writer: int, version: int) -> dict:
    box = {"id": 1, "category_id": 1, "type": "bbox", "points": [[float(writer), 1.0], [50.0 + writer, 60.0]]}
    return {
        "label_status": "LABELED",
        "score": float(writer),
        "version": version,
        "attributes": {"format_version": "0.1", "annotations": [box]},
    }


def race(url: str, header: str, version: int) -> list[requests.Response]:
    """WRITERS threads PUT at the same moment, each its own body, all starting from `version`."""
    start = threading.Barrier(WRITERS)

    def write(writer: int) -> requests.Response:
        session = requests.Session()
        start.wait()
        return session.put(url, json=body(writer, version), headers={"Authorization": header}, timeout=30)

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(write, range(WRITERS)))


def test_concurrent_writers_of_one_version_one_wins_and_the_others_get_409(
    live_server, vector_dataset, labeler, api_key_for
):
    sample = vector_dataset.samples.get()
    url = f"{live_server.url}/labels/{sample.uuid}/ground-truth/"
    header = api_key_for(labeler)

    for version in (0, 1, 2):  # 0: nobody has created the label yet
        responses = race(url, header, version)

        winners = [(writer, r) for writer, r in enumerate(responses) if r.status_code in (200, 201)]
        losers = [r for r in responses if r.status_code not in (200, 201)]
        assert len(winners) == 1, [r.status_code for r in responses]
        assert [r.status_code for r in losers] == [409] * (WRITERS - 1)
        assert {r.json()["current_version"] for r in losers} == {version + 1}
        winner, answer = winners[0]
        assert answer.json()["version"] == version + 1
        stored = Label.objects.get(sample=sample)
        assert stored.version == version + 1
        assert stored.score == float(winner)
        assert stored.attributes == body(winner, version)["attributes"]
