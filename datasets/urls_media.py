"""Public files and the asset upload target, outside the authenticated API.

`/media/<name>` serves assets and release files from the default storage. Their names hold 128 random bits,
so the URL is the capability (the SDK fetches images, bitmaps and release files without credentials). The
responses are sandboxed (CSP) so an uploaded HTML or SVG file cannot run script on this origin.

`/uploads/<asset uuid>/` receives the SDK's presigned-POST-style multipart form (no Authorization header; the
one-time token travels in `x-amz-signature`) and answers 204 with no body, like S3.
"""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from datasets.services import assets as asset_services
from labeling.exceptions import DomainError

PUBLIC_PREFIXES = ("assets/", "releases/")


@require_GET
def media(request: HttpRequest, name: str) -> HttpResponseBase:
    if not name.startswith(PUBLIC_PREFIXES) or ".." in name.split("/") or not default_storage.exists(name):
        return JsonResponse({"detail": "Not found."}, status=404)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
@require_POST
def upload(request: HttpRequest, asset_uuid) -> HttpResponse:
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
