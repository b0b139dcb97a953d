"""Server-rendered pages: datasets list, dataset page, label editors. Thin: access helper, service, render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from datasets import access, editors
from datasets.models import GROUND_TRUTH, Label
from datasets.services import assignment, browse, releases, work_queue
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
    datasets = access.visible_datasets(request.user).order_by("owner_name", "name")
    return render(request, "datasets/home.html", {"datasets": datasets})


@login_required
@page_errors
def dataset_detail(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    dataset_access = access.get_dataset(request.user, owner_name, dataset_name)
    dataset = dataset_access.dataset
    status = request.GET.get("status") or None
    page, rows = browse.sample_page(dataset, status=status, page_number=request.GET.get("page"))
    counts = browse.label_status_counts(dataset)
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
        "can_manage": dataset_access.allows(access.ROLE_MANAGER),
        "query": request.GET.urlencode(),
        "assignable_users": browse.assignable_users(dataset) if dataset_access.allows(access.ROLE_MANAGER) else [],
        "statuses": ["UNLABELED", "LABELING_IN_PROGRESS", "PRELABELED", "LABELED", "REVIEWED", "SKIPPED"],
        "can_release": dataset_access.allows(access.ROLE_ADMIN),
        **releases.release_panel(dataset),
    }
    return render(request, "datasets/dataset.html", context)


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
