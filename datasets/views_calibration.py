"""The calibration check page (managers): a sample's camera with its 48 candidate corrections as projected
previews, best first; choosing one corrects that camera in every sample of the dataset. Thin: access helper,
service, render. Kept apart from datasets/views.py, which the editors' pages share."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from datasets import access
from datasets.models import CalibrationRanking
from datasets.services import calibration, calibration_rankings
from datasets.views import page_errors
from labeling.exceptions import InvalidInput, NotFound


@login_required
@page_errors
def calibration_check(request: HttpRequest, owner_name: str, dataset_name: str) -> HttpResponse:
    """GET: the candidates of `?camera=` (default: the first) on `?sample=` (default: the first sample).
    POST `correction`: apply it to every sample, then show the check again."""
    dataset = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER).dataset
    sample = calibration.checked_sample(dataset, request.GET.get("sample"))
    cameras = calibration.camera_names(sample)
    camera = request.GET.get("camera") or (cameras[0] if cameras else "")
    here = f"{reverse('calibration-check', args=[owner_name, dataset_name])}?sample={sample.uuid}&camera={camera}"
    if request.method == "POST":
        try:
            changed = calibration.apply_calibration_correction(
                request.user, dataset, camera, request.POST.get("correction", "")
            )
            messages.success(request, f"Camera {camera} corrected in {changed} samples.")
        except (InvalidInput, NotFound) as error:
            messages.error(request, error.message)
        return redirect(here)
    try:
        ranking, problem = calibration_rankings.request_ranking(sample, camera), None
    except (InvalidInput, NotFound) as error:
        ranking, problem = None, error.message
    if ranking is not None and ranking.status == CalibrationRanking.FAILED:
        problem = ranking.error
    context = {"dataset": dataset, "sample": sample, "cameras": cameras, "camera": camera, "here": here}
    candidates = calibration_rankings.stored_candidates(ranking) if ranking else []
    status_url = (
        f"{reverse('calibration-status', args=[owner_name, dataset_name])}?sample={sample.uuid}&camera={camera}"
    )
    context |= {"ranking": ranking, "total": calibration_rankings.TOTAL_CANDIDATES, "status_url": status_url}
    return render(request, "datasets/calibration_check.html", {**context, "candidates": candidates, "problem": problem})


@login_required
@page_errors
def calibration_status(request: HttpRequest, owner_name: str, dataset_name: str) -> JsonResponse:
    """GET `?sample=&camera=`: how far the ranking of that camera has got, as JSON `{"status": "PENDING" |
    "RANKING" | "DONE" | "FAILED" | "MISSING", "scored": 0..48, "total": 48, "error": str}` (the page polls it
    while the ranking runs). MISSING: no ranking was requested for the sample's current calibration."""
    dataset = access.get_dataset(request.user, owner_name, dataset_name, role=access.ROLE_MANAGER).dataset
    sample = calibration.checked_sample(dataset, request.GET.get("sample"))
    ranking = CalibrationRanking.objects.filter(sample=sample, camera=request.GET.get("camera", "")).first()
    total = calibration_rankings.TOTAL_CANDIDATES
    if ranking is None:
        return JsonResponse({"status": "MISSING", "scored": 0, "total": total, "error": ""})
    return JsonResponse({"status": ranking.status, "scored": ranking.scored, "total": total, "error": ranking.error})
