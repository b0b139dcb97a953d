"""The label history page (docs/history.md): a label's saved versions for managers, one version's JSON, and
"Restore" (a POST form with a confirmation), linked from the dataset page's rows and the editor's toolbar."""

import orjson
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from datasets import access
from datasets.models import GROUND_TRUTH, Label
from datasets.services import label_history
from datasets.views import page_errors
from labeling.exceptions import InvalidInput, NotFound, VersionConflict

VERSIONS_PER_PAGE = 50
# A version's JSON shown on the page is cut after this many characters (a 1M-point segmentation label is
# megabytes); the API's GET .../history/{version}/ has it whole.
SHOWN_JSON_CHARACTERS = 200_000


def _managed_label(request: HttpRequest, owner_name: str, dataset_name: str, sample_uuid) -> Label:
    """The label of the page's sample in `?labelset=` (ground-truth by default), for a manager; NotFound when the
    sample is not in that dataset, PermissionDenied below manager."""
    labelset = request.GET.get("labelset") or GROUND_TRUTH
    label, _ = access.get_label(request.user, str(sample_uuid), labelset, role=access.ROLE_MANAGER)
    if (label.sample.dataset.owner_name, label.sample.dataset.name) != (owner_name, dataset_name):
        raise NotFound()
    return label


@login_required
@page_errors
def label_history_page(request: HttpRequest, owner_name: str, dataset_name: str, sample_uuid) -> HttpResponse:
    """The versions of a label, newest first, page by page; `?view=<version>` also shows that version's JSON."""
    label = _managed_label(request, owner_name, dataset_name, sample_uuid)
    page = Paginator(label_history.list_versions(label), VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "label": label,
        "sample": label.sample,
        "dataset": label.sample.dataset,
        "page": page,
        "viewed": _viewed(label, request.GET.get("view")),
        "editor_url": reverse("label-editor", args=[owner_name, dataset_name, label.sample.uuid]),
    }
    return render(request, "datasets/label_history.html", context)


def _viewed(label: Label, version: str | None) -> dict | None:
    """{"version", "json", "cut"} of version `version` of `label` (pretty JSON, cut when long); None for none."""
    if not version or not version.isdigit():
        return None
    saved = label_history.get_version(label, int(version))
    text = orjson.dumps(label_history.version_attributes(saved), option=orjson.OPT_INDENT_2).decode()
    return {"version": saved, "json": text[:SHOWN_JSON_CHARACTERS], "cut": len(text) > SHOWN_JSON_CHARACTERS}


@login_required
@require_POST
@page_errors
def restore_label_version(
    request: HttpRequest, owner_name: str, dataset_name: str, sample_uuid, version: int
) -> HttpResponse:
    """ "Restore" on the history page: version `version` becomes the current label (a new version), unless the
    label changed since the page showed it (the form's `current_version`)."""
    label = _managed_label(request, owner_name, dataset_name, sample_uuid)
    seen = request.POST.get("current_version", "")
    try:
        expected = int(seen) if seen.isdigit() else None
        restored = label_history.restore_version(request.user, label, version, expected_version=expected)
        messages.success(request, f"Version {version} restored as version {restored.version}.")
    except (VersionConflict, InvalidInput) as error:
        messages.error(request, error.message)
    url = reverse("label-history", args=[owner_name, dataset_name, label.sample.uuid])
    return redirect(f"{url}?labelset={label.labelset.name}")
