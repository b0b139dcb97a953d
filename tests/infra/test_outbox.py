"""The outbox (datasets.services.outbox) against a real, private Redis: what is recorded, sent, kept and relayed."""

import base64
import json
import os
from io import StringIO

import pytest
import redis
from django.core.management import call_command
from django.db import transaction

from datasets.models import PendingTask
from datasets.services.outbox import enqueue_on_commit, relay_pending
from labeling.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = f"outbox-test-{os.getpid()}"
TASK = "datasets.tasks.interpolate_label"


@pytest.fixture
def broker(private_redis):
    """Send tasks to the private Redis, on this test's queue, instead of running them in-process."""
    conf = celery_app.conf
    previous = conf.task_always_eager, conf.task_default_queue, conf.broker_url, conf.broker_write_url
    conf.task_always_eager, conf.task_default_queue = False, QUEUE
    conf.broker_url = conf.broker_write_url = private_redis.url
    yield private_redis
    conf.task_always_eager, conf.task_default_queue, conf.broker_url, conf.broker_write_url = previous


def queued_tasks(server) -> list[tuple[str, list]]:
    """(task name, args) of the messages waiting in the test's queue, oldest first."""
    messages = redis.Redis(port=server.port).lrange(QUEUE, 0, -1)
    decoded = [json.loads(message) for message in reversed(messages)]  # kombu pushes on the left
    return [(m["headers"]["task"], json.loads(_body(m))[0]) for m in decoded]


def _body(message: dict) -> str:
    return base64.b64decode(message["body"]).decode()


def test_a_committed_task_is_sent_and_leaves_no_row(broker):
    with transaction.atomic():
        enqueue_on_commit(TASK, 7, 3)
        assert PendingTask.objects.count() == 1  # recorded in the transaction, before the commit
    assert queued_tasks(broker) == [(TASK, [7, 3])]
    assert not PendingTask.objects.exists()


def test_a_rolled_back_write_records_and_sends_nothing(broker):
    def failing_write() -> None:
        with transaction.atomic():
            enqueue_on_commit(TASK, 7, 3)
            raise RuntimeError("the write fails")

    with pytest.raises(RuntimeError):
        failing_write()
    assert not PendingTask.objects.exists()
    assert queued_tasks(broker) == []


def test_a_task_committed_while_the_broker_is_down_waits_and_is_relayed_when_it_returns(broker):
    # given the broker is down when the write commits
    broker.stop()
    with transaction.atomic():
        enqueue_on_commit(TASK, 7, 3)  # no exception after the commit
    entry = PendingTask.objects.get()
    assert (entry.task_name, entry.args, entry.attempts) == (TASK, [7, 3], 1)
    assert "Connection refused" in entry.last_error
    # when the relay runs while it is still down, then the task stays
    assert relay_pending(older_than=0) == 0
    assert PendingTask.objects.get().attempts == 2
    # when the broker is back, a relay round younger than the grace period leaves it to its own delivery
    broker.start()
    assert relay_pending(older_than=60) == 0
    # and the next round sends it once, and forgets it
    assert relay_pending(older_than=0) == 1
    assert queued_tasks(broker) == [(TASK, [7, 3])]
    assert not PendingTask.objects.exists()
    assert relay_pending(older_than=0) == 0


def test_without_a_broker_the_task_runs_in_process_after_the_commit(caplog):
    # the embedded default (CELERY_TASK_ALWAYS_EAGER, tests/conftest.py): the row goes, the task runs at once
    with transaction.atomic():
        enqueue_on_commit(TASK, 123456, 1)  # no such label: the idempotent task does nothing
        assert PendingTask.objects.count() == 1
    assert not PendingTask.objects.exists()
    assert "left for the outbox relay" not in caplog.text


def test_the_relay_command_counts_and_sends_the_waiting_tasks(broker):
    broker.stop()
    for label_id in (1, 2):
        enqueue_on_commit(TASK, label_id, 1)
    output = StringIO()
    call_command("relay_outbox", "--count", stdout=output)
    assert output.getvalue().strip() == "2 tasks waiting"
    broker.start()
    call_command("relay_outbox", stdout=output)
    assert output.getvalue().splitlines()[-1] == "2 of 2 waiting tasks sent"
    assert queued_tasks(broker) == [(TASK, [1, 1]), (TASK, [2, 1])]
    assert not PendingTask.objects.exists()
