"""Who is on the other end of a websocket: an `Authorization: APIKey <key>` handshake header (scripts) or the
session cookie (the pages).

The Origin check guards cookie-authenticated connections only: a page on another site can make the browser
open a websocket with our session cookie, but it cannot set an Authorization header on the handshake, and
scripts usually send no Origin at all. So a handshake with an API key skips the Origin check, and one
without goes through AllowedHostsOriginValidator and the session. A wrong, revoked or inactive key is
refused outright instead of falling back to anonymous.
"""

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import AllowedHostsOriginValidator, WebsocketDenier

from labeling.auth import InvalidApiKey, user_for_api_key


def authorization_header(scope) -> str | None:
    """The handshake's Authorization header value (latin-1 decoded), or None."""
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            return value.decode("latin1")
    return None


@database_sync_to_async
def _user_for_api_key(header_value: str):
    try:
        return user_for_api_key(header_value)
    except InvalidApiKey:
        return None


class ApiKeyOrSessionAuthMiddleware:
    """Sets `scope["user"]` from the API key header when there is one, else from the session cookie."""

    def __init__(self, inner):
        self.inner = inner
        self.session_app = AllowedHostsOriginValidator(AuthMiddlewareStack(inner))

    async def __call__(self, scope, receive, send):
        header_value = authorization_header(scope)
        if header_value is None or not header_value.lower().startswith("apikey "):
            return await self.session_app(scope, receive, send)
        user = await _user_for_api_key(header_value)
        if user is None:
            return await WebsocketDenier()(scope, receive, send)
        return await self.inner({**scope, "user": user}, receive, send)
