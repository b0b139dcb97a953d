"""Raising, resolving, commenting on and deleting an issue are told to the dataset's watchers as
`issue.changed`, so an open editor shows a reviewer's new issue without a reload."""

import pytest
from asgiref.sync import sync_to_async

from datasets.models import Issue, Sample
from datasets.services import issues
from tests.realtime.conftest import communicator, dataset_path, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("channel_layer", "close_thread_connections"),
]


@sync_to_async
def first_sample(dataset) -> Sample:
    return dataset.samples.order_by("pk").first()


async def test_an_issue_raised_resolved_commented_and_deleted_is_announced(vector_dataset, alice, labeler):
    # given lara (labeler) watches alice/photos
    watcher = communicator(dataset_path(), cookie=await sync_to_async(session_cookie)(labeler))
    accepted, _ = await watcher.connect()
    assert accepted
    sample = await first_sample(vector_dataset)
    # when alice raises an issue, lara comments and resolves it, and alice deletes it
    issue = await sync_to_async(issues.add_issue)(alice, sample, description="the dog is missing")
    await sync_to_async(issues.add_comment)(labeler, issue, text="added")
    resolved = await sync_to_async(issues.change_issue)(labeler, str(issue.uuid), {"status": Issue.CLOSED})
    await sync_to_async(issues.delete_issue)(alice, resolved)
    # then each change reaches her, in order
    events = [await watcher.receive_json_from(timeout=5) for _ in range(4)]
    assert [(event["action"], event["status"], event["changed_by"]) for event in events] == [
        ("created", "OPEN", "alice"),
        ("commented", "OPEN", "lara"),
        ("updated", "CLOSED", "lara"),
        ("deleted", "CLOSED", "alice"),
    ]
    assert {event["type"] for event in events} == {"issue.changed"}
    assert {event["sample_uuid"] for event in events} == {str(sample.uuid)}
    assert {event["issue_uuid"] for event in events} == {str(issue.uuid)}
    await watcher.disconnect()
