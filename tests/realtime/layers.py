"""Channel layers that misbehave, for the tests of failure handling."""

import asyncio

from channels.layers import InMemoryChannelLayer


class HangingChannelLayer(InMemoryChannelLayer):
    """A layer whose group_send stalls, like a Redis that accepts the connection and then hangs. It gives
    up after a few seconds, so that a sender without its own timeout fails the test instead of hanging it."""

    async def group_send(self, group, message):
        await asyncio.sleep(5)
