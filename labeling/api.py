"""The JSON API, mounted at the host root with the official segments-ai SDK's paths (see
tests/data/specs/segments-api.md). Domain exceptions are mapped to HTTP here, once."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder

from datasets.api import router as datasets_router
from labeling import fastjson
from labeling.auth import ApiKeyAuth, BrowserSessionAuth
from labeling.exceptions import DomainError, InvalidInput, VersionConflict

logger = logging.getLogger(__name__)


class FastJSONParser(Parser):
    """Request bodies parsed strictly by orjson (labeling.fastjson.loads_strict): labeling.middleware's
    StrictInputMiddleware has usually parsed and checked the body already (a 400 naming the field)."""

    def parse_body(self, request: HttpRequest):
        parsed = getattr(request, "_strict_json", _UNPARSED)
        return fastjson.loads_strict(request.body) if parsed is _UNPARSED else parsed


_UNPARSED = object()


class FastJSONRenderer(BaseRenderer):
    """Responses rendered by orjson, with ninja's own formats for what JSON has no type for: datetimes as
    ISO 8601 in milliseconds with `Z` (as Django's encoder writes them), pydantic models, URLs, decimals."""

    media_type = "application/json"
    _encoder = NinjaJSONEncoder()

    def render(self, request: HttpRequest, data, *, response_status: int) -> bytes:
        return fastjson.dumps(data, default=self._encoder.default, stdlib_encoder=NinjaJSONEncoder)


api = NinjaAPI(
    title="Labeling platform API",
    version="1",
    description="Segments.ai-compatible REST API. Authenticate with `Authorization: APIKey <key>`.",
    auth=[ApiKeyAuth(), BrowserSessionAuth()],
    docs_url="/api/docs",
    openapi_url="/api/openapi.json",
    urls_namespace="api",
    parser=FastJSONParser(),
    renderer=FastJSONRenderer(),
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError):
    body: dict = {"detail": error.message}
    if isinstance(error, InvalidInput) and error.errors:
        body["errors"] = error.errors
    if isinstance(error, VersionConflict):
        body["current_version"] = error.current_version
    return api.create_response(request, body, status=error.status_code)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError):
    return api.create_response(request, {"detail": "Authentication credentials were not provided."}, status=401)


@api.exception_handler(NinjaValidationError)
def request_validation_error(request: HttpRequest, error: NinjaValidationError):
    errors = [_ninja_issue(issue) for issue in error.errors]
    summary = "; ".join(f"{issue['path']}: {issue['message']}" for issue in errors[:5])
    return api.create_response(request, {"detail": f"Invalid request: {summary}", "errors": errors}, status=400)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError):
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request: HttpRequest, error: Exception):
    # Left to Django, as without DEBUG: labeling.middleware.DatabaseRetryMiddleware runs a read once more on a
    # fresh connection (with DEBUG on, ninja would answer its traceback instead).
    raise error


def _ninja_issue(issue: dict) -> dict:
    location = [str(part) for part in issue.get("loc", ()) if part not in ("body", "query", "path", "payload")]
    path = ".".join(location)
    return {"path": path, "rule": issue.get("type", "invalid"), "message": issue.get("msg", "invalid value")}


@api.get("/api_status/", tags=["status"], summary="Handshake: checks the API key")
def api_status(request: HttpRequest, lib_version: str = ""):
    return {"status": "ok"}


api.add_router("", datasets_router)
