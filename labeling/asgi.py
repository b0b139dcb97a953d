"""ASGI entry point: HTTP through Django's WSGI handler on a thread pool, websockets through Channels.

Every view is synchronous. Django's ASGI handler runs a sync view with several thread hops per request
(request_started, the middleware chain, response close); on the 2-core bench machine that alone cost about
2.8 ms per request, more than the rest of a label read. The a2wsgi bridge hands each request to a pool
thread once (HTTP_THREADS of them). Websockets stay on the event loop, which the live-event senders use
(`datasets.realtime.use_event_loop`) so a save announced from a pool thread reaches the local consumers and
the Redis layer's connections on that loop.
"""

import asyncio
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labeling.settings")

from a2wsgi import WSGIMiddleware
from channels.routing import ProtocolTypeRouter, URLRouter
from django.conf import settings
from django.core.wsgi import get_wsgi_application

django_wsgi_app = get_wsgi_application()

# Imported after Django is set up: the consumers load models.
from datasets.realtime import use_event_loop  # noqa: E402
from datasets.realtime_auth import ApiKeyOrSessionAuthMiddleware  # noqa: E402
from datasets.routing import websocket_urlpatterns  # noqa: E402

protocol_router = ProtocolTypeRouter(
    {
        "http": WSGIMiddleware(django_wsgi_app, workers=settings.HTTP_THREADS),  # type: ignore[arg-type]  # a response iterates bytes
        "websocket": ApiKeyOrSessionAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)


async def application(scope, receive, send):
    """The served app: remembers the server's event loop for the live-event senders, then routes by protocol."""
    use_event_loop(asyncio.get_running_loop())
    await protocol_router(scope, receive, send)
