"""The import page (managers) and its JSON endpoints: one file per request, start a job, read a job.

Thin: access helper, one service call (datasets.services.imports), render or JSON. Progress and the outcome also
arrive on the dataset's live events (`import.progress`, `import.finished`)."""

import json
from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from datasets import access
from datasets.services import imports
from datasets.setup_views import site_url
from datasets.views import page_errors
from labeling.exceptions import DomainError


@login_required
@page_errors
def import_page(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    """The importers of this dataset's task type, the chosen one's (`?kind=`) options form and uploader."""
    dataset = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER).dataset
    choices = imports.importers_for(dataset)
    chosen = next((spec for spec in choices if spec.kind == request.GET.get("kind")), choices[0] if choices else None)
    context = {
        "dataset": dataset,
        "importers": choices,
        "importer": chosen,
        "labelsets": list(dataset.labelsets.order_by("id").values_list("name", flat=True)),
        "jobs": [{**imports.job_as_dict(job), "started": job.created_at} for job in imports.recent_imports(dataset)],
        "dataset_url": reverse("dataset", args=[owner_name, dataset_name]),
        "max_file_bytes": settings.ASSET_MAX_BYTES,
    }
    if chosen is not None:
        args = [owner_name, dataset_name, chosen.kind]
        context["files_url"] = reverse("import-files", args=args)
        context["start_url"] = reverse("import-start", args=args)
    return render(request, "datasets/import.html", context)


@login_required
@require_POST
@page_errors
def import_file(request: HttpRequest, owner_name: str, dataset_name: str, kind: str) -> JsonResponse:
    """One file of an import (the uploader's XHR): stored, or 400 with the reason."""
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"detail": "The form has no file part named 'file'."}, status=400)
    path = request.POST.get("relativePath") or cast(str, upload.name)
    try:
        asset = imports.store_import_file(request.user, dataset_access, kind, upload, path=path)
    except DomainError as error:
        return _error_response(error)
    return JsonResponse({"asset": str(asset.uuid), "path": asset.filename}, status=201)


@login_required
@require_POST
@page_errors
def start_import(request: HttpRequest, owner_name: str, dataset_name: str, kind: str) -> JsonResponse:
    """Body {"assets": [uuid], "options": {...}}: 202 {"import", "status_url"} or 400 {detail, errors}."""
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER)
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": 'The body must be JSON: {"assets": [uuid], "options": {}}.'}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"detail": 'The body must be a JSON object: {"assets": [...]}.'}, status=400)
    try:
        job = imports.start_import(
            request.user,
            dataset_access,
            kind,
            body.get("assets") or [],
            body.get("options") or {},
            site_url=site_url(request),
        )
    except DomainError as error:
        return _error_response(error)
    status_url = reverse("import-status", args=[owner_name, dataset_name, job.uuid])
    return JsonResponse({"import": str(job.uuid), "status_url": status_url}, status=202)


@login_required
@page_errors
def import_status(request: HttpRequest, owner_name: str, dataset_name: str, import_uuid: str) -> JsonResponse:
    """The job: status, progress, report or errors."""
    dataset = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER).dataset
    return JsonResponse(imports.job_as_dict(imports.get_import(dataset, import_uuid)))


def _error_response(error: DomainError) -> JsonResponse:
    errors = getattr(error, "errors", None) or []
    reason = errors[0]["message"] if errors else error.message
    return JsonResponse({"detail": error.message, "reason": reason, "errors": errors}, status=error.status_code)
