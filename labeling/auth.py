"""API authentication: `Authorization: APIKey <key>` (scripts, the SDK) or the session cookie (the pages)."""

from datetime import timedelta

from django.utils import timezone
from ninja.security import APIKeyHeader, SessionAuth

from labeling.exceptions import DomainError
from labeling.models import ApiKey, hash_api_key

LAST_USED_RESOLUTION = timedelta(minutes=5)


class InvalidApiKey(DomainError):
    status_code = 401

    def __init__(self):
        super().__init__("Invalid API key.")


def user_for_api_key(header_value: str | None):
    """Return the active user behind an `APIKey <key>` header value, None when the header is absent or not
    of that scheme; raises InvalidApiKey for a wrong, revoked or inactive key. One query."""
    if not header_value:
        return None
    scheme, _, key = header_value.partition(" ")
    if scheme.lower() != "apikey":
        return None
    api_key = ApiKey.objects.select_related("user").filter(key_hash=hash_api_key(key.strip()), revoked=False).first()
    if api_key is None or not api_key.user.is_active:
        raise InvalidApiKey()
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)  # throttled: not a write per request
    return api_key.user


class ApiKeyAuth(APIKeyHeader):
    param_name = "Authorization"

    def authenticate(self, request, key):
        user = user_for_api_key(key)
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The pages' session cookie, with CSRF checked on unsafe methods."""
