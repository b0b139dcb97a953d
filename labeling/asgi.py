"""ASGI entry point: HTTP through Django, websockets through Channels (datasets.routing)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labeling.settings")

from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

# Imported after Django is set up: the consumers load models.
from datasets.realtime_auth import ApiKeyOrSessionAuthMiddleware  # noqa: E402
from datasets.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": ApiKeyOrSessionAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
