"""Request middleware: the Segments SDK wire contract (gzip bodies), strict input, JSON error bodies, the
Server-Timing header, and one retry of a read whose database connection was lost."""

import logging
import re
import time
import zlib

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers

from labeling import fastjson
from labeling.auth import InvalidApiKey, user_for_api_key

logger = logging.getLogger(__name__)

INFLATE_CHUNK_BYTES = 64 * 1024
# Request paths whose gzip bodies may inflate up to GZIP_MAX_LABEL_BYTES (label writes, point-cloud
# segmentation labels are big); sample writes get GZIP_MAX_SAMPLE_BYTES, every other path GZIP_MAX_BYTES.
_LABEL_PATH = re.compile(r"^/labels/[^/]+/[^/]+/$")
_SAMPLE_PATH = re.compile(r"^/(datasets/[^/]+/[^/]+/samples(_bulk)?/|samples/[^/]+/)$")


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


class JsonErrorMiddleware:
    """Every error answer of the API is JSON `{"detail": ...}`: a 4xx or 5xx response that is not JSON
    (ninja's plain-text 405, Django's HTML 404 and 500, a CSRF 403 of a form view) is replaced by one, unless
    the client asks for HTML (a browser opening a page keeps Django's pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        if "text/html" in request.headers.get("Accept", ""):
            return response
        detail = _ERROR_DETAILS.get(response.status_code, getattr(response, "reason_phrase", "") or "Error.")
        replacement = JsonResponse({"detail": detail}, status=response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        patch_vary_headers(replacement, ("Accept",))
        return replacement


_ERROR_DETAILS = {
    400: "Bad request.",
    401: "Authentication credentials were not provided.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "Request body too large.",
    500: "Server error.",
}


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a JSON 403 naming the reason (the API's anonymous unsafe requests never
    get here: they answer 401, see labeling.auth.BrowserSessionAuth)."""
    return JsonResponse({"detail": f"CSRF check failed: {reason}"}, status=403)


class GzipRequestMiddleware:
    """Inflate request bodies sent with `Content-Encoding: gzip`, after authentication and up to a per-route
    cap, streamed.

    The SDK gzips the bodies of add_sample(s), update_sample, add_label and update_label. A request without
    a valid API key or session gets 401 before a byte is inflated. The compressed body is read from the
    request stream in chunks and inflated chunk by chunk; beyond the route's cap (settings GZIP_MAX_*_BYTES)
    it stops with 413, so memory stays within the cap. A corrupt body gets 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.headers.get("Content-Encoding", "").lower() != "gzip":
            return self.get_response(request)
        if not _is_authenticated(request):
            return JsonResponse({"detail": "Authentication credentials were not provided."}, status=401)
        cap = inflated_cap(request.path_info)
        try:
            inflated = _inflate(request, cap)
        except zlib.error:
            return JsonResponse({"detail": "Request body is not valid gzip."}, status=400)
        if inflated is None:
            return JsonResponse({"detail": f"Inflated request body is larger than {cap} bytes."}, status=413)
        request._body = inflated  # Django reads the cached body from here
        request.META["CONTENT_LENGTH"] = str(len(inflated))
        del request.META["HTTP_CONTENT_ENCODING"]
        return self.get_response(request)


def inflated_cap(path: str) -> int:
    """The most bytes a gzip request body to `path` may inflate to (settings GZIP_MAX_*_BYTES)."""
    if _LABEL_PATH.match(path):
        return settings.GZIP_MAX_LABEL_BYTES
    if _SAMPLE_PATH.match(path):
        return settings.GZIP_MAX_SAMPLE_BYTES
    return settings.GZIP_MAX_BYTES


def _is_authenticated(request: HttpRequest) -> bool:
    """A valid API key (remembered for labeling.auth.ApiKeyAuth, so it is looked up once) or a session."""
    try:
        user = user_for_api_key(request.headers.get("Authorization"))
    except InvalidApiKey:
        return False
    if user is not None:
        request._api_key_user = user  # type: ignore[attr-defined]  # our own marker; HttpRequest's stub lacks it
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _inflate(request: HttpRequest, cap: int) -> bytes | None:
    """The inflated body, None when it exceeds `cap` bytes; raises zlib.error for corrupt or truncated gzip."""
    if getattr(request, "_body", None) is not None or getattr(request, "_read_started", False):
        chunks = iter([request.body])  # already read (a test client, or a middleware that read it)
    else:
        chunks = iter(lambda: request.read(INFLATE_CHUNK_BYTES), b"")
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    inflated = bytearray()
    for chunk in chunks:
        pending = chunk
        while pending:
            inflated += decompressor.decompress(pending, cap + 1 - len(inflated))
            if len(inflated) > cap:
                return None
            pending = decompressor.unconsumed_tail
        if decompressor.eof:
            break
    if not decompressor.eof:
        raise zlib.error("truncated gzip stream")
    return bytes(inflated)


class StrictInputMiddleware:
    """Refuse, with a 400 naming the field, what PostgreSQL or the formats cannot hold.

    NUL and lone surrogates in the path or in a query parameter; in a body anything
    labeling.fastjson.loads_strict refuses (NaN, Infinity, integers beyond 64 bits, nesting deeper than
    MAX_DEPTH, NUL or lone surrogates in a string or key). A body that is not a JSON object (`null`, `"x"`,
    `[]`, `42`, `true`), or no body on a PUT or PATCH, is a 400 too: ninja would otherwise read it as "every
    field at its default" and a PUT of a label would wipe it. Only the bulk sample route takes an array.
    Bodies of other types are left alone but for POST, PUT and PATCH, whose bodies ninja reads as JSON
    whatever their type (forms excepted). The parsed body is kept for the API's parser, so it is parsed once.
    After GzipRequestMiddleware, so it sees the inflated body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            fastjson.check_text(request.path_info, "path")
            _check_fields(request.GET, "query.")
            if request.content_type == "application/x-www-form-urlencoded":  # the pages' forms
                _check_fields(request.POST, "form.")
            is_json = request.content_type == "application/json"
            if is_json or (request.method in ("POST", "PUT", "PATCH") and request.content_type not in _FORM_TYPES):
                _check_body(request)
        except fastjson.StrictJSONError as error:
            return invalid_input_response(error)
        return self.get_response(request)


def _check_fields(fields, prefix: str) -> None:
    for key, values in fields.lists():
        fastjson.check_text(key, f"{prefix}{key}")
        for value in values:
            fastjson.check_text(value, f"{prefix}{key}")


_FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
_ARRAY_BODY_PATH = re.compile(r"^/datasets/[^/]+/[^/]+/samples_bulk/$")
_NOT_AN_OBJECT = "The request body must be a JSON object"


def _check_body(request: HttpRequest) -> None:
    if not request.body:
        if request.method in ("PUT", "PATCH"):
            raise fastjson.StrictJSONError("", "object", f"{_NOT_AN_OBJECT}, got no body.")
        return
    value = fastjson.loads_strict(request.body)
    array_allowed = request.method == "POST" and _ARRAY_BODY_PATH.match(request.path_info)
    writes = request.method in ("POST", "PUT", "PATCH")  # a DELETE's body (if any) may be `null`
    if writes and not isinstance(value, dict) and not (array_allowed and isinstance(value, list)):
        expected = "a JSON object or array" if array_allowed else "a JSON object"
        got = fastjson.dumps(value)[:40].decode(errors="replace")
        raise fastjson.StrictJSONError("", "object", f"The request body must be {expected}, got {got}.")
    request._strict_json = value  # type: ignore[attr-defined]  # our own marker; HttpRequest's stub lacks it


# Substrings the SDK maps to its exceptions (spec section 1.1); a path made of user keys must not carry one.
_SDK_PHRASES = ("not found", "does not exist", "already exists", "already have", "collaborator", "authentication")


def invalid_input_response(error: "fastjson.StrictJSONError") -> JsonResponse:
    """The API's 400 for a refused value: `{"detail", "errors": [{"path", "rule", "message"}]}`."""
    if error.rule in ("invalid_json", "object"):
        detail = f"Cannot parse request body ({error.message})" if error.rule == "invalid_json" else error.message
    else:
        detail = f"Invalid request: {error}"
    if any(phrase in detail.lower() for phrase in _SDK_PHRASES):  # a user's key must not change the SDK's error
        detail = f"Invalid request: a field: {error.message}"
    return JsonResponse({"detail": detail, "errors": [error.to_dict()]}, status=400)


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
