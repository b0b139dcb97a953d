"""A web process whose pooled PostgreSQL connections were dropped by the server answers every request (the pool
checks a connection before a request uses it), and /media/ answers 404 for folders (issue 14, item 4)."""

import os

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from labeling.services import create_api_key
from tests.releases.conftest import database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql]


def terminate_other_sessions() -> int:
    """End every other session on the test database, as a PostgreSQL restart or failover would; return how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        ended = cursor.fetchone()[0]
    # The test process's own pooled connections were ended too (and connections that threads of earlier tests
    # never gave back count against the pool's maximum): start this process on a fresh pool.
    connection.close()
    connection.close_pool()
    return ended


def test_reads_after_postgresql_dropped_the_pooled_connections_answer_200(processes, vector_dataset, labeler):
    # given a web process that has served requests on several pooled connections
    environment = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "true", "LOG_LEVEL": "WARNING"}
    environment.pop("REDIS_URL", None)
    base = processes.web(environment)
    session = requests.Session()
    session.headers["Authorization"] = f"APIKey {create_api_key(labeler)}"
    sample = vector_dataset.samples.get()
    urls = [
        f"{base}/datasets/alice/photos/",
        f"{base}/samples/{sample.uuid}/",
        f"{base}/labels/{sample.uuid}/ground-truth/",
    ]
    assert [session.get(url, timeout=10).status_code for url in urls * 5] == [200, 200, 404] * 5
    # when PostgreSQL ends all of its sessions
    assert terminate_other_sessions() >= 1
    # then no request fails: every dropped connection is replaced before a request uses it
    assert [session.get(url, timeout=10).status_code for url in urls * 5] == [200, 200, 404] * 5
    response = session.put(
        f"{base}/labels/{sample.uuid}/ground-truth/",
        json={"label_status": "LABELED", "attributes": {"format_version": "0.1", "annotations": []}},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    assert terminate_other_sessions() >= 1
    assert session.get(f"{base}/labels/{sample.uuid}/ground-truth/", timeout=10).json()["label_status"] == "LABELED"


def test_media_folders_and_missing_files_are_404_and_files_are_served(client):
    stored = default_storage.save("assets/0123abcd/photo.png", ContentFile(b"\x89PNG not really"))
    assert client.get(f"/media/{stored}").status_code == 200
    for name in ("assets/", "assets", "assets/0123abcd", "assets/0123abcd/", "assets//photo.png", "releases/"):
        response = client.get(f"/media/{name}")
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."}), name
    assert client.get("/media/assets/0123abcd/missing.png").status_code == 404


def test_a_read_whose_connection_is_lost_during_the_request_is_run_once_more(processes, vector_dataset, labeler):
    # given a web process with one pooled connection and no check when a request takes it, so that the lost
    # connection fails inside the view (as a connection lost during a request would)
    environment = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "true", "LOG_LEVEL": "WARNING"}
    environment.pop("REDIS_URL", None)
    environment.update(DATABASE_POOL_CHECK="0", DATABASE_POOL_MIN="1", DATABASE_POOL_MAX="1", HTTP_THREADS="1")
    base = processes.web(environment)
    session = requests.Session()
    session.headers["Authorization"] = f"APIKey {create_api_key(labeler)}"
    sample = vector_dataset.samples.get()
    assert session.get(f"{base}/samples/{sample.uuid}/", timeout=10).status_code == 200
    # when PostgreSQL ends that session, then a read answers 200 (run again on a new connection)
    assert terminate_other_sessions() >= 1
    response = session.get(f"{base}/samples/{sample.uuid}/", timeout=10)
    assert (response.status_code, response.json()["name"]) == (200, "chelsea.png")
    # and a write on a lost connection is not run twice: it fails once (500), and the next one succeeds
    assert terminate_other_sessions() >= 1
    body = {"label_status": "LABELED", "attributes": {"format_version": "0.1", "annotations": []}}
    url = f"{base}/labels/{sample.uuid}/ground-truth/"
    assert session.put(url, json=body, timeout=10).status_code == 500
    assert session.put(url, json=body, timeout=10).status_code == 201
