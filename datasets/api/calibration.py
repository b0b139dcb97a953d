"""Calibration check (managers): the 48 candidate corrections of a camera's pose on a sample, best first, each
with a preview PNG; applying one corrects that camera in every sample of the dataset.

The schemas live here rather than in datasets/schemas.py: they serve only these three endpoints.
"""

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from datasets import access
from datasets.services import calibration as calibration_services
from datasets.services import calibration_rankings

router = Router(tags=["calibration"])


class CalibrationCandidateOut(Schema):
    key: str
    rank: int
    score: float
    inverted: bool
    rotation_index: int
    extrinsics: dict
    preview_url: str


class CalibrationCorrectionIn(Schema):
    correction: str


class CalibrationCorrectionOut(Schema):
    camera: str
    correction: str
    samples_changed: int


@router.get(
    "/samples/{sample_uuid}/calibration/{camera}/candidates/",
    response=list[CalibrationCandidateOut],
    summary="Candidate corrections of a camera's pose, best first (manager)",
)
def list_calibration_candidates(request: HttpRequest, sample_uuid: str, camera: str):
    sample, _ = access.get_sample(request.auth, sample_uuid, role=access.ROLE_MANAGER)
    candidates = calibration_rankings.ranked_candidates(sample, camera)
    base = f"/samples/{sample.uuid}/calibration/{camera}/candidates/"
    return [{**asdict(candidate), "preview_url": f"{base}{candidate.key}.png"} for candidate in candidates]


@router.get(
    "/samples/{sample_uuid}/calibration/{camera}/candidates/{key}.png",
    response={200: None},
    summary="Preview of a candidate: the camera image with the lidar points coloured by depth (manager)",
)
def calibration_candidate_preview(request: HttpRequest, sample_uuid: str, camera: str, key: str, frame: int = 0):
    sample, _ = access.get_sample(request.auth, sample_uuid, role=access.ROLE_MANAGER)
    png = calibration_services.calibration_preview_png(sample, camera, key, frame)
    return HttpResponse(png, content_type="image/png", headers={"Cache-Control": "private, max-age=300"})


@router.post(
    "/datasets/{owner}/{name}/calibration/{camera}/",
    response=CalibrationCorrectionOut,
    summary="Apply a correction to the camera in every sample (manager)",
)
def apply_calibration_correction(
    request: HttpRequest, owner: str, name: str, camera: str, payload: CalibrationCorrectionIn
):
    dataset = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER).dataset
    changed = calibration_services.apply_calibration_correction(request.auth, dataset, camera, payload.correction)
    return {"camera": camera, "correction": payload.correction, "samples_changed": changed}
