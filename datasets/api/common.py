"""Helpers the API modules share: lenient query parsing (spec §12), paging, absolute URLs."""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest

from labeling.exceptions import NotFound

DEFAULT_PER_PAGE = 1000
MAX_PER_PAGE = 1000
# Beyond this page every list is past its end (and the OFFSET would overflow PostgreSQL's bigint).
MAX_PAGE = 2**31 - 1


def base_url(request: HttpRequest) -> str:
    """The public scheme://host[:port] of this server: SITE_URL when set, else taken from the request."""
    return (settings.SITE_URL or request.build_absolute_uri("/")).rstrip("/")


def query_value(raw: str | None) -> str | None:
    """A query value with the SDK's malformed tail cut off: get_sample(..., include_signed_url=True) sends
    `?labelset=X?include_signed_urls=1`, so `X?include_signed_urls=1` arrives as the label set name."""
    if raw is None:
        return None
    return raw.split("?", 1)[0]


def lenient_int(raw: str | None, default: int) -> int:
    """`raw` as an int, or `default` when it is missing or not an integer (the SDK's tests send
    `per_page=desc`)."""
    try:
        return int(query_value(raw) or "")
    except ValueError:
        return default


def paginate(items: QuerySet, per_page: str | None, page: str | None) -> list:
    """One page of `items` as a list: `per_page` (default and maximum 1000) items of 1-based page `page`.

    Page 1 of nothing is []; a page past the end (below 1, or beyond MAX_PAGE) raises NotFound("Invalid
    page."), which the SDK maps to NotFoundError. No COUNT query: an empty slice after page 1 is past the end.
    """
    size = min(max(lenient_int(per_page, DEFAULT_PER_PAGE), 1), MAX_PER_PAGE)
    number = lenient_int(page, 1)
    if not 1 <= number <= MAX_PAGE:
        raise NotFound("Invalid page.")
    rows = list(items[(number - 1) * size : number * size])
    if not rows and number > 1:
        raise NotFound("Invalid page.")
    return rows


def flag(raw: str | None) -> bool:
    """A query flag: "1", "true", "yes" and "on" (any case) are true."""
    return (query_value(raw) or "").strip().lower() in {"1", "true", "yes", "on"}
