"""A collaborator or organization member removed while watching a dataset has their websocket closed at
once, not at their next reconnect; someone who can still see the dataset stays connected.

Each test runs on the in-memory layer and on Redis (the `channel_layer` fixture).
"""

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.urls import reverse

from datasets.consumers import ACCESS_REVOKED_CLOSE_CODE
from datasets.models import Collaborator
from datasets.services.datasets import create_dataset
from labeling.models import Membership
from labeling.services import create_organization
from tests.conftest import make_user
from tests.realtime.conftest import communicator, dataset_path, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.asyncio,
    pytest.mark.usefixtures("channel_layer", "close_thread_connections"),
]


@sync_to_async
def post_as(user, url: str, data: dict):
    client = Client()
    client.force_login(user)
    return client.post(url, data)


async def watching(user, path: str):
    client = communicator(path, cookie=await sync_to_async(session_cookie)(user))
    accepted, _ = await client.connect()
    assert accepted
    return client


async def test_a_removed_collaborators_websocket_is_closed_at_once(vector_dataset, labeler, alice):
    # given lara (labeler) and alice (owner) watch alice/photos
    lara_socket = await watching(labeler, dataset_path())
    alice_socket = await watching(alice, dataset_path())
    # when alice removes lara on the members page
    url = reverse("dataset-members", args=["alice", "photos"])
    response = await post_as(alice, url, {"action": "remove", "username": "lara"})
    # then lara's websocket is closed with the access-revoked code, alice's stays open
    assert response.status_code == 302
    assert not await sync_to_async(Collaborator.objects.filter(user=labeler).exists)()
    closed = await lara_socket.receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": ACCESS_REVOKED_CLOSE_CODE}
    assert await alice_socket.receive_nothing(timeout=0.3)
    await alice_socket.disconnect()


async def test_a_removed_organization_member_is_disconnected_from_its_datasets(transactional_db):
    # given an organization dataset watched by two members
    admin, member = await sync_to_async(make_user)("ada"), await sync_to_async(make_user)("max")

    @sync_to_async
    def set_up():
        organization = create_organization(admin, name="acme")
        Membership.objects.create(organization=organization, user=member, role="labeler")
        create_dataset(admin, owner_name="acme", owner_organization=organization, name="roads", task_type="vector")

    await set_up()
    member_socket = await watching(member, dataset_path("acme", "roads"))
    # when the admin removes the member on the organization's members page
    url = reverse("organization-members", args=["acme"])
    await post_as(admin, url, {"action": "remove", "username": "max"})
    # then
    closed = await member_socket.receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": ACCESS_REVOKED_CLOSE_CODE}
    assert not await sync_to_async(Membership.objects.filter(user=member).exists)()
