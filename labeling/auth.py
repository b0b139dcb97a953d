"""API authentication: `Authorization: APIKey <key>` (scripts, the SDK) or the session cookie (the pages)."""

from datetime import timedelta
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from ninja.security import APIKeyHeader, SessionAuth

from labeling.exceptions import DomainError
from labeling.models import ApiKey, hash_api_key
from labeling.sql import RowReader, adapt, column, table

LAST_USED_RESOLUTION = timedelta(minutes=5)


class InvalidApiKey(DomainError):
    status_code = 401

    def __init__(self):
        super().__init__("Invalid API key.")


def user_for_api_key(header_value: str | None):
    """Return the active user behind an `APIKey <key>` header value, None when the header is absent or not
    of that scheme; raises InvalidApiKey for a wrong, revoked or inactive key. One query (every API request
    runs it, so it is hand-written: labeling.sql)."""
    if not header_value:
        return None
    scheme, _, key = header_value.partition(" ")
    if scheme.lower() != "apikey":
        return None
    sql, users, api_keys = _api_key_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [adapt(ApiKey, "key_hash", hash_api_key(key.strip())), adapt(ApiKey, "revoked", False)])
        row = cursor.fetchone()
    if row is None:
        raise InvalidApiKey()
    user, api_key = users.read(row[: len(users)]), api_keys.read(row[len(users) :])
    if not user.is_active:
        raise InvalidApiKey()
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)  # throttled: not a write per request
    return user


@cache
def _api_key_query() -> tuple[str, RowReader[Any], RowReader[ApiKey]]:
    User = get_user_model()
    users, api_keys = RowReader(User), RowReader(ApiKey, ["id", "last_used_at"])
    sql = (
        f"SELECT {users.columns('u')}, {api_keys.columns('k')}"  # noqa: S608 - metadata only, values are parameters
        f" FROM {table(ApiKey)} k JOIN {table(User)} u ON u.{column(User, 'id')} = k.{column(ApiKey, 'user')}"
        f" WHERE k.{column(ApiKey, 'key_hash')} = %s AND k.{column(ApiKey, 'revoked')} = %s"
    )
    return sql, users, api_keys


class ApiKeyAuth(APIKeyHeader):
    param_name = "Authorization"

    def authenticate(self, request, key):
        user = user_for_api_key(key)
        if user is not None:
            request.user = user
        return user


class BrowserSessionAuth(SessionAuth):
    """The pages' session cookie, with CSRF checked on unsafe methods."""
