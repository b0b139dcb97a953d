"""Websocket consumers: check the user on connect, then only forward events (see datasets.realtime)."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from datasets import access
from datasets.realtime import dataset_group, user_group
from labeling.exceptions import DomainError


@database_sync_to_async
def visible_dataset_id(user, owner_name: str, dataset_name: str) -> int | None:
    """The id of `owner_name/dataset_name` when `user` is signed in and may see it, else None."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return access.get_dataset(user, owner_name, dataset_name).dataset.pk
    except DomainError:
        return None


# The close code of a websocket whose user lost access to its dataset (4000-4999: application codes).
ACCESS_REVOKED_CLOSE_CODE = 4403


class DatasetEventsConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/datasets/<owner>/<name>/`: every live event of one dataset, as JSON text frames.

    Refuses the handshake (HTTP 403) for anonymous users and for anyone who cannot see the dataset.
    Messages from the client are ignored.
    """

    group: str | None = None
    own_group: str | None = None

    async def connect(self):
        route = self.scope["url_route"]["kwargs"]
        dataset_id = await visible_dataset_id(self.scope.get("user"), route["owner_name"], route["dataset_name"])
        if dataset_id is None:
            await self.close()
            return
        self.group = dataset_group(dataset_id)
        self.own_group = user_group(self.scope["user"].pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(self.own_group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in (self.group, self.own_group):
            if group is not None:
                await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        pass  # subscriptions are per URL; clients filter events by sample_uuid

    async def dataset_event(self, message):
        await self.send_json(message["event"])

    async def access_changed(self, message):
        """The user's roles changed (realtime.broadcast_access_changed): close when the dataset is gone."""
        route = self.scope["url_route"]["kwargs"]
        if await visible_dataset_id(self.scope.get("user"), route["owner_name"], route["dataset_name"]) is None:
            await self.close(code=ACCESS_REVOKED_CLOSE_CODE)
