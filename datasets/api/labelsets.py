"""Label sets of a dataset: list, get, add and delete (managers and above change them)."""

from django.http import HttpRequest
from ninja import Router, Status

from datasets import access
from datasets.presenters import labelset_to_dict
from datasets.schemas import LabelsetIn, LabelsetOut
from datasets.services import labelsets as labelset_services

router = Router(tags=["label sets"])


@router.get("/datasets/{owner}/{name}/labelsets/", response=list[LabelsetOut], summary="Label sets")
def list_labelsets(request: HttpRequest, owner: str, name: str):
    dataset = access.get_dataset(request.auth, owner, name).dataset
    return [labelset_to_dict(labelset) for labelset in labelset_services.list_labelsets(dataset)]


@router.post("/datasets/{owner}/{name}/labelsets/", response={201: LabelsetOut}, summary="Add (manager)")
def add_labelset(request: HttpRequest, owner: str, name: str, payload: LabelsetIn):
    dataset = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER).dataset
    labelset = labelset_services.add_labelset(request.auth, dataset, name=payload.name, description=payload.description)
    return Status(201, labelset_to_dict(labelset))


@router.get("/datasets/{owner}/{name}/labelsets/{labelset}/", response=LabelsetOut, summary="A label set")
def get_labelset(request: HttpRequest, owner: str, name: str, labelset: str):
    dataset = access.get_dataset(request.auth, owner, name).dataset
    return labelset_to_dict(labelset_services.get_labelset(dataset, labelset))


@router.delete("/datasets/{owner}/{name}/labelsets/{labelset}/", response={204: None}, summary="Delete (manager)")
def delete_labelset(request: HttpRequest, owner: str, name: str, labelset: str):
    dataset = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER).dataset
    labelset_services.delete_labelset(request.auth, dataset, labelset)
    return Status(204, None)
