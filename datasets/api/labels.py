"""Labels: PUT create-or-replace, GET (404 when unlabeled), PATCH, DELETE at /labels/{uuid}/{labelset}/."""

from django.http import HttpRequest
from ninja import Router, Status

from datasets import access
from datasets.presenters import label_to_dict
from datasets.schemas import LabelIn, LabelOut, LabelPatchIn
from datasets.services import labels as label_services
from datasets.services.assignment import ensure_can_write_label
from datasets.services.review import role_to_set_label_status

router = Router(tags=["labels"])


def _sample_for_label_write(request: HttpRequest, sample_uuid: str, label_status: str | None = None):
    role = role_to_set_label_status(label_status)  # REVIEWED/REJECTED/VERIFIED need a reviewer
    sample, dataset_access = access.get_sample(request.auth, sample_uuid, role=role)
    ensure_can_write_label(request.auth, dataset_access, sample)
    return sample


def _labelset_name(raw: str) -> str:
    # The SDK's get_sample sends "?labelset=X?include_signed_urls=1"; tolerate the same shape everywhere.
    return raw.split("?", 1)[0]


@router.get("/labels/{sample_uuid}/{labelset}/", response=LabelOut)
def get_label(request: HttpRequest, sample_uuid: str, labelset: str):
    label, _ = access.get_label(request.auth, sample_uuid, _labelset_name(labelset))
    return label_to_dict(label)


@router.put("/labels/{sample_uuid}/{labelset}/", response={200: LabelOut, 201: LabelOut})
def put_label(request: HttpRequest, sample_uuid: str, labelset: str, payload: LabelIn):
    sample = _sample_for_label_write(request, sample_uuid, payload.label_status)
    label = label_services.save_label(
        request.auth,
        sample,
        _labelset_name(labelset),
        attributes=payload.attributes,
        label_status=payload.label_status,
        score=payload.score,
        expected_version=payload.version,
    )
    label.sample = sample
    return Status(201, label_to_dict(label))


@router.patch("/labels/{sample_uuid}/{labelset}/", response=LabelOut)
def patch_label(request: HttpRequest, sample_uuid: str, labelset: str, payload: LabelPatchIn):
    sample = _sample_for_label_write(request, sample_uuid, payload.label_status)
    label = label_services.update_label(
        request.auth, sample, _labelset_name(labelset), **payload.dict(exclude_unset=True)
    )
    label.sample = sample
    return label_to_dict(label)


@router.delete("/labels/{sample_uuid}/{labelset}/", response={204: None})
def delete_label(request: HttpRequest, sample_uuid: str, labelset: str):
    sample = _sample_for_label_write(request, sample_uuid)
    label_services.delete_label(request.auth, sample, _labelset_name(labelset))
    return Status(204, None)
