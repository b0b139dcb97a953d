"""Server-rendered pages: datasets list, dataset page, label editors. Thin: access helper, service, render."""

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from datasets import access, editors
from datasets.models import GROUND_TRUTH, Label
from datasets.services import assignment, browse, imports, people, progress, releases, work_queue
from labeling.core.task_types import sample_type_for_task_type
from labeling.exceptions import AlreadyExists, InvalidInput, NotFound, PermissionDenied


def page_errors(view):
    """Map domain errors to the pages' 404 / 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404("Not found.") from None
        except PermissionDenied as error:
            return HttpResponseForbidden(error.message)

    return wrapper


@login_required
def home(request: HttpRequest) -> HttpResponse:
    datasets = progress.with_progress(access.visible_datasets(request.user)).order_by("archived", "owner_name", "name")
    organizations = people.organizations_administered(request.user)
    return render(request, "datasets/home.html", {"datasets": datasets, "organizations": organizations})


@login_required
@page_errors
def dataset_detail(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name)
    dataset = dataset_access.dataset
    filters = progress.SampleFilters.from_query(request.GET)
    counts = browse.label_status_counts(dataset)
    labelsets = progress.labelset_counts(dataset, counts["TOTAL"])
    if filters.labelset not in {labelset.name for labelset in labelsets}:
        filters = replace(filters, labelset=GROUND_TRUTH)  # an unknown ?labelset= shows the ground truth
    if filters.labelset != GROUND_TRUTH:
        counts = browse.label_status_counts(dataset, filters.labelset)
    status = filters.status
    page, rows = progress.sample_page(dataset, filters, request.GET.get("page"))
    since, until = _date(request.GET.get("since")), _date(request.GET.get("until"), days=1)
    can_manage = dataset_access.allows(access.ROLE_MANAGER)
    context = {
        "dataset": dataset,
        "role": dataset_access.role,
        "page": page,
        "rows": rows,
        "status": status,
        "counts": counts,
        "status_counts": [(name, count) for name, count in counts.items() if name != "TOTAL" and count],
        "can_label": dataset_access.allows(access.ROLE_LABELER),
        "can_review": dataset_access.allows(access.ROLE_REVIEWER),
        "can_manage": can_manage,
        "query": request.GET.urlencode(),
        "assignable_users": browse.assignable_users(dataset) if can_manage else [],
        "statuses": STATUS_FILTERS,
        "filters": filters,
        "labelsets": labelsets,
        "labelset_query": _without(request.GET, "page", "labelset", "status"),
        "sorts": progress.SORTS,
        "page_query": _without(request.GET, "page"),
        "status_query": _without(request.GET, "page", "status"),
        "people": progress.person_counts(dataset, since=since, until=until),
        "members": browse.assignable_users(dataset),
        "can_release": dataset_access.allows(access.ROLE_ADMIN),
        **releases.release_panel(dataset),
        **_setup_links(dataset),
        "sample_type": sample_type_for_task_type(dataset.task_type),
        "max_file_bytes": settings.ASSET_MAX_BYTES,
        "recent_imports": imports.recent_imports(dataset, limit=5) if can_manage else [],
    }
    return render(request, "datasets/dataset.html", context)


# The status chips of the dataset page: every label status (REJECTED included) and UNLABELED.
STATUS_FILTERS = [
    "UNLABELED",
    "LABELING_IN_PROGRESS",
    "PRELABELED",
    "LABELED",
    "REVIEWING_IN_PROGRESS",
    "REVIEWED",
    "REJECTED",
    "VERIFIED",
    "SKIPPED",
]


def _without(query, *keys: str) -> str:
    """`query` (a QueryDict) urlencoded without `keys`, for links that change only those."""
    kept = query.copy()
    for key in keys:
        kept.pop(key, None)
    return kept.urlencode()


def _date(value: str | None, *, days: int = 0) -> datetime | None:
    """A YYYY-MM-DD query value as midnight UTC (`days` later), None when absent or malformed."""
    try:
        return datetime.combine(date.fromisoformat(value or ""), time.min, tzinfo=UTC) + timedelta(days=days)
    except ValueError:
        return None


def _setup_links(dataset) -> dict:
    """The set-up pages of `dataset` (datasets.setup_views) linked from its page."""
    args = [dataset.owner_name, dataset.name]
    return {
        "settings_url": reverse("dataset-settings", args=args),
        "members_url": reverse("dataset-members", args=args),
        "upload_url": reverse("upload-file", args=args),
        "upload_samples_url": reverse("upload-samples", args=args),
    }


@login_required
@page_errors
def import_text(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    """The text corpus import page (managers of text datasets); the upload itself goes to the API."""
    dataset = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER).dataset
    if not dataset.task_type.startswith("text-"):
        raise Http404("Only text datasets import CoNLL or JSONL.")
    context = {
        "dataset": dataset,
        "labelsets": list(dataset.labelsets.values_list("name", flat=True)),
        "csrf_token": get_token(request),
        "import_url": f"/datasets/{dataset.owner_name}/{dataset.name}/imports/text/",
    }
    return render(request, "datasets/text_import.html", context)


@login_required
@require_POST
@page_errors
def create_release(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    """ "Create release" (admins): a PENDING release, built by a worker; the page shows it at once."""
    dataset = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_ADMIN).dataset
    name, description = request.POST.get("name", "").strip(), request.POST.get("description", "")
    try:
        if not name or len(name) > 100:
            raise InvalidInput("A release needs a name of at most 100 characters.")
        releases.create_release(request.user, dataset, name=name, description=description)
    except (InvalidInput, AlreadyExists) as error:
        messages.error(request, error.message)
    return redirect("dataset", owner_name, dataset_name)


@login_required
@require_POST
@page_errors
def start_work(request: HttpRequest, owner_name: str, dataset_name: str, queue: str) -> HttpResponse:
    """ "Start labeling" / "Start reviewing": open the next sample of the user's queue (claimed atomically)."""
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name)
    sample = assignment.claim_next_sample(request.user, dataset_access, queue=queue)
    if sample is None:
        messages.info(request, f"Nothing left for {queue} in this dataset.")
        return redirect("dataset", owner_name, dataset_name)
    return redirect(editors.editor_url(sample, queue, dataset_access) or "home")


@login_required
@require_POST
@page_errors
def assign_samples(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    """Bulk assignment from the dataset page: the checked samples go to one labeler (or reviewer)."""
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER)
    try:
        count = assignment.assign_samples(
            request.user,
            dataset_access,
            request.POST.getlist("samples"),
            username=request.POST.get("username") or None,
            queue=request.POST.get("queue") or assignment.LABELING,
        )
        messages.success(request, f"Assigned {count} sample(s).")
    except InvalidInput as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('dataset', args=[owner_name, dataset_name])}?{request.POST.get('query', '')}")


@login_required
@page_errors
def label_editor(request: HttpRequest, owner_name: str, dataset_name: str, sample_uuid) -> HttpResponse:
    """The editor of one sample; `?queue=labeling|reviewing` picks the queue that next/previous follow."""
    sample, dataset_access = access.get_sample(request.user, str(sample_uuid))
    dataset = sample.dataset
    if (dataset.owner_name, dataset.name) != (owner_name, dataset_name):
        raise NotFound()
    template = editors.editor_template(dataset.task_type)
    if template is None:
        return render(request, "datasets/no_editor.html", {"dataset": dataset, "sample": sample}, status=501)
    label = Label.objects.filter(sample=sample, labelset__name=GROUND_TRUTH).first()
    queue = work_queue.queue_for(dataset_access, request.GET.get("queue"))
    config = editors.editor_config(
        request.user, sample, label, dataset_access, csrf_token=get_token(request), queue=queue
    )
    context = {
        "dataset": dataset,
        "sample": sample,
        "dataset_url": reverse("dataset", args=[dataset.owner_name, dataset.name]),
        "editor_config": config,
    }
    return render(request, template, context)


@login_required
@require_POST
@page_errors
def submit_next(request: HttpRequest, owner_name: str, dataset_name: str, sample_uuid) -> JsonResponse:
    """ "Submit and go to my next sample" (the editor posts here after saving): claims the user's next sample
    in `?queue=` (their role's queue by default), never this one. JSON {"url"} or {"url": null, "message"}."""
    sample, dataset_access = access.get_sample(request.user, str(sample_uuid))
    if (sample.dataset.owner_name, sample.dataset.name) != (owner_name, dataset_name):
        raise NotFound()
    queue = work_queue.queue_for(dataset_access, request.GET.get("queue"))
    following = work_queue.submit_and_next(request.user, dataset_access, sample, queue)
    if following is None:
        message = "Nothing left to review." if queue == assignment.REVIEWING else "Nothing left to label."
        return JsonResponse({"url": None, "message": message})
    return JsonResponse({"url": editors.editor_url(following, queue, dataset_access)})
