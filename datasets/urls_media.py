"""Public files and the asset upload target, outside the authenticated API.

`/media/<name>` serves assets, release files and files made by imports from the default storage. Their names
hold 122 to 128 random bits, so the URL is the capability (the SDK fetches images, bitmaps and release files
without credentials). The responses are sandboxed (CSP) so an uploaded HTML or SVG file cannot run script on
this origin.

`/uploads/<asset uuid>/` receives the SDK's presigned-POST-style multipart form (no Authorization header; the
one-time token travels in `x-amz-signature`) and answers 204 with no body, like S3.
"""

import mimetypes

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from datasets.services import assets as asset_services
from labeling.exceptions import DomainError

PUBLIC_PREFIXES = ("assets/", "releases/", "imports/")  # imports/<job uuid>/: files an import made
FORM_OVERHEAD_BYTES = 64 * 1024


def _not_found() -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


@require_GET
def media(request: HttpRequest, name: str) -> HttpResponseBase:
    parts = name.split("/")
    # Every name we publish is a file under one of the prefixes: no empty part (a folder such as "assets/"),
    # no "..". A folder of the local storage that passes (`assets/<hex>`) cannot be opened: also 404.
    if not name.startswith(PUBLIC_PREFIXES) or not all(parts) or ".." in parts:
        return _not_found()
    try:
        stored = default_storage.open(name, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return _not_found()
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(stored, content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Access-Control-Allow-Origin"] = "*"
    return response


class _SizeLimitedUpload(FileUploadHandler):
    """Stops reading an upload once it passes settings.ASSET_MAX_BYTES (bodies sent without a length, or
    lying about it), so a file over the limit never fills the disk or the memory."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.ASSET_MAX_BYTES:
            self.request._upload_too_large = True  # type: ignore[union-attr]  # set while a request is read; the stub allows None
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt
@require_POST
def upload(request: HttpRequest, asset_uuid) -> HttpResponse:
    limit = settings.ASSET_MAX_BYTES
    too_large = JsonResponse({"detail": f"The file is larger than the limit of {limit} bytes."}, status=413)
    # A form a little bigger than the file (its other fields) is fine; anything beyond is refused unread.
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + FORM_OVERHEAD_BYTES:
        return too_large
    request.upload_handlers.insert(0, _SizeLimitedUpload(request))
    request.POST  # noqa: B018 - parse the form now, through the size check
    if getattr(request, "_upload_too_large", False):
        return too_large
    try:
        asset_services.store_upload(
            asset_uuid,
            token=request.POST.get("x-amz-signature", ""),
            key=request.POST.get("key", ""),
            upload=request.FILES.get("file"),
        )
    except DomainError as error:
        return JsonResponse({"detail": error.message}, status=error.status_code)
    return HttpResponse(status=204)


urlpatterns = [
    path("media/<path:name>", media, name="media"),
    path("uploads/<uuid:asset_uuid>/", upload, name="asset-upload"),
]
