"""Request middleware: the Segments SDK wire contract (gzip bodies) and the Server-Timing header."""

import gzip
import time
import zlib

from django.http import HttpRequest, HttpResponse, JsonResponse

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
