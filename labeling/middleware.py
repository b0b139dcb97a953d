"""Request middleware: the Segments SDK wire contract (gzip bodies), the Server-Timing header, and one retry of
a read whose database connection was lost."""

import gzip
import logging
import time
import zlib

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

MAX_INFLATED_BYTES = 512 * 1024 * 1024


class ServerTimingMiddleware:
    """Add `Server-Timing: app;dur=<ms>` to every response: the time Django spent on the request, in
    milliseconds, until the response is ready (for a streamed file, until streaming starts). Browsers show it
    in their network panel; bench/bench_sdk.py reads it to separate Django's share of a call from the
    client's, the network's and the ASGI server's. First in MIDDLEWARE, so it covers the others."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        return response


class GzipRequestMiddleware:
    """Inflate request bodies sent with `Content-Encoding: gzip`.

    The SDK gzips the bodies of add_sample(s), update_sample, add_label and update_label. A corrupt body
    gets 400 with a message; an inflated body over MAX_INFLATED_BYTES gets 413 (a zip bomb must not take
    the server down).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.headers.get("Content-Encoding", "").lower() == "gzip":
            try:
                inflated = _inflate(request.body)
            except (OSError, EOFError, zlib.error):
                return JsonResponse({"detail": "Request body is not valid gzip."}, status=400)
            if inflated is None:
                return JsonResponse({"detail": "Inflated request body is too large."}, status=413)
            request._body = inflated  # Django reads the cached body from here
            request.META["CONTENT_LENGTH"] = str(len(inflated))
        return self.get_response(request)


def _inflate(body: bytes) -> bytes | None:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    inflated = decompressor.decompress(body, MAX_INFLATED_BYTES + 1)
    if len(inflated) > MAX_INFLATED_BYTES or decompressor.unconsumed_tail:
        return None
    if not decompressor.eof:
        raise gzip.BadGzipFile("truncated gzip stream")
    return inflated


class DatabaseRetryMiddleware:
    """Run a GET or HEAD view once more when it failed because the database connection was lost (PostgreSQL
    restarted, failed over, or ended the session): the lost connection is dropped, and the retry takes a
    fresh one from the pool. Reads are idempotent, so running one twice is safe; writes never are retried.

    The pool's check (CONN_HEALTH_CHECKS) already replaces connections dropped between requests; this covers a
    connection lost during a request, outside a transaction. A second failure answers 500 as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        retryable = isinstance(exception, OperationalError | InterfaceError) and request.method in ("GET", "HEAD")
        if not retryable or getattr(request, "_database_retried", False) or request.resolver_match is None:
            return None
        lost = [each for each in connections.all(initialized_only=True) if each.connection and not each.is_usable()]
        if not lost or any(each.in_atomic_block for each in lost):
            return None
        request._database_retried = True  # type: ignore[attr-defined]  # our own marker; HttpRequest's stub lacks it
        logger.warning("Database connection lost during %s %s; running it once more", request.method, request.path)
        for each in lost:
            each.close()
        match = request.resolver_match
        return match.func(request, *match.args, **match.kwargs)
