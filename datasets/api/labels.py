"""Labels: PUT create-or-replace, GET (404 when unlabeled), PATCH, DELETE at /labels/{uuid}/{labelset}/."""

from django.http import HttpRequest
from ninja import Router

from datasets import access
from datasets.services import labels as label_services
from datasets.models import Label
from datasets.presenters import label_to_dict
from datasets.schemas import LabelIn, LabelOut, LabelPatchIn
from labeling.exceptions import NotFound

router = Router(tags=["labels"])


def _labelset_name(raw: str) -> str:
    # The SDK's get_sample sends "?labelset=X?include_signed_urls=1"; tolerate the same shape everywhere.
    return raw.split("?", 1)[0]


@router.get("/labels/{sample_uuid}/{labelset}/", response=LabelOut)
def get_label(request: HttpRequest, sample_uuid: str, labelset: str):
    sample, _ = access.get_sample(request.auth, sample_uuid)
    label = (
        Label.objects.select_related("labelset", "created_by", "updated_by", "reviewed_by")
        .filter(sample=sample, labelset__name=_labelset_name(labelset))
        .first()
    )
    if label is None:
        raise NotFound()
    label.sample = sample
    return label_to_dict(label)


@router.put("/labels/{sample_uuid}/{labelset}/", response={200: LabelOut, 201: LabelOut})
def put_label(request: HttpRequest, sample_uuid: str, labelset: str, payload: LabelIn):
    sample, _ = access.get_sample(request.auth, sample_uuid, role=access.ROLE_LABELER)
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
    return 201, label_to_dict(label)


@router.patch("/labels/{sample_uuid}/{labelset}/", response=LabelOut)
def patch_label(request: HttpRequest, sample_uuid: str, labelset: str, payload: LabelPatchIn):
    sample, _ = access.get_sample(request.auth, sample_uuid, role=access.ROLE_LABELER)
    label = label_services.update_label(
        request.auth, sample, _labelset_name(labelset), **payload.dict(exclude_unset=True)
    )
    label.sample = sample
    return label_to_dict(label)


@router.delete("/labels/{sample_uuid}/{labelset}/", response={204: None})
def delete_label(request: HttpRequest, sample_uuid: str, labelset: str):
    sample, _ = access.get_sample(request.auth, sample_uuid, role=access.ROLE_LABELER)
    label_services.delete_label(request.auth, sample, _labelset_name(labelset))
    return 204, None
