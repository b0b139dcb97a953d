"""Labels: PUT create-or-replace, GET (404 when unlabeled), PATCH, DELETE at /labels/{uuid}/{labelset}/."""

from django.http import HttpRequest
from ninja import Router, Status

from datasets import access, editors
from datasets.presenters import issue_to_dict, label_to_dict
from datasets.schemas import LabelIn, LabelOut, LabelPatchIn, ReviewIn, ReviewOut
from datasets.services import assignment, review_decisions
from datasets.services import labels as label_services
from datasets.services.review import check_save_label
from labeling.exceptions import InvalidInput

router = Router(tags=["labels"])
SAVE_ID_HEADER = "Idempotency-Key"
SAVE_ID_MAX_LENGTH = 64


def _labelset_name(raw: str) -> str:
    # The SDK's get_sample sends "?labelset=X?include_signed_urls=1"; tolerate the same shape everywhere.
    return raw.split("?", 1)[0]


def _save_id(request: HttpRequest) -> str | None:
    """The client's save id from the Idempotency-Key header (None without one); InvalidInput when too long."""
    save_id = request.headers.get(SAVE_ID_HEADER) or None
    if save_id is not None and len(save_id) > SAVE_ID_MAX_LENGTH:
        raise InvalidInput(
            f"{SAVE_ID_HEADER}: at most {SAVE_ID_MAX_LENGTH} characters.",
            errors=[{"path": SAVE_ID_HEADER, "rule": "max_length", "message": f"at most {SAVE_ID_MAX_LENGTH}"}],
        )
    return save_id


@router.get("/labels/{sample_uuid}/{labelset}/", response=LabelOut)
def get_label(request: HttpRequest, sample_uuid: str, labelset: str):
    label, _ = access.get_label(request.auth, sample_uuid, _labelset_name(labelset))
    return label_to_dict(label)


@router.put("/labels/{sample_uuid}/{labelset}/", response={200: LabelOut, 201: LabelOut})
def put_label(request: HttpRequest, sample_uuid: str, labelset: str, payload: LabelIn):
    name = _labelset_name(labelset)
    save_id = _save_id(request)
    sample, _ = check_save_label(request.auth, sample_uuid, name, payload.label_status)
    label, replayed = label_services.write_label(
        request.auth,
        sample,
        name,
        attributes=payload.attributes,
        label_status=payload.label_status,
        score=payload.score,
        expected_version=payload.version,
        save_id=save_id,
    )
    return Status(200 if replayed else 201, label_to_dict(label))


@router.patch("/labels/{sample_uuid}/{labelset}/", response=LabelOut)
def patch_label(request: HttpRequest, sample_uuid: str, labelset: str, payload: LabelPatchIn):
    name = _labelset_name(labelset)
    sample, _ = check_save_label(request.auth, sample_uuid, name, payload.label_status)
    label = label_services.update_label(request.auth, sample, name, **payload.dict(exclude_unset=True))
    return label_to_dict(label)


@router.delete("/labels/{sample_uuid}/{labelset}/", response={204: None})
def delete_label(request: HttpRequest, sample_uuid: str, labelset: str):
    name = _labelset_name(labelset)
    sample, _ = check_save_label(request.auth, sample_uuid, name, None)
    label_services.delete_label(request.auth, sample, name)
    return Status(204, None)


@router.post("/labels/{sample_uuid}/{labelset}/review/", response=ReviewOut, summary="Accept or reject (reviewer)")
def review_label(request: HttpRequest, sample_uuid: str, labelset: str, payload: ReviewIn):
    name = _labelset_name(labelset)
    status = review_decisions.DECISION_STATUSES[payload.decision]
    sample, dataset_access = check_save_label(request.auth, sample_uuid, name, status)
    review = review_decisions.review_label(
        request.auth,
        dataset_access,
        sample,
        name,
        decision=payload.decision,
        reason=payload.reason,
        anchor=payload.anchor.dict() if payload.anchor else None,
        expected_version=payload.version,
    )
    return {
        "label": label_to_dict(review.label),
        "issue": issue_to_dict(review.issue) if review.issue else None,
        "next_url": editors.editor_url(review.next_sample, assignment.REVIEWING, dataset_access),
    }
