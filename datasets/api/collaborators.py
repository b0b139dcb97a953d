"""Collaborators of a dataset. The SDK calls `…/collaborators/{username}` without a trailing slash; both forms
are routed. Managers and above manage collaborators; anyone who sees the dataset may read them."""

from django.http import HttpRequest
from ninja import Router, Status

from datasets import access
from datasets.presenters import collaborator_to_dict
from datasets.schemas import CollaboratorIn, CollaboratorOut, CollaboratorPatchIn
from datasets.services import collaborators as collaborator_services

router = Router(tags=["collaborators"])

COLLABORATORS = "/datasets/{owner}/{name}/collaborators/"
COLLABORATOR = "/datasets/{owner}/{name}/collaborators/{username}"


@router.get(COLLABORATORS, response=list[CollaboratorOut], summary="The collaborators of a dataset")
def list_collaborators(request: HttpRequest, owner: str, name: str):
    dataset = access.get_dataset(request.auth, owner, name).dataset
    return [collaborator_to_dict(c) for c in collaborator_services.list_collaborators(dataset)]


@router.post(COLLABORATORS, response={201: CollaboratorOut}, summary="Add a collaborator (manager)")
def add_collaborator(request: HttpRequest, owner: str, name: str, payload: CollaboratorIn):
    dataset_access = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER)
    collaborator = collaborator_services.add_collaborator(
        request.auth, dataset_access, username=payload.user, role=payload.role
    )
    return Status(201, collaborator_to_dict(collaborator))


@router.get(COLLABORATOR, response=CollaboratorOut, summary="One collaborator")
def get_collaborator(request: HttpRequest, owner: str, name: str, username: str):
    dataset = access.get_dataset(request.auth, owner, name).dataset
    return collaborator_to_dict(collaborator_services.get_collaborator(dataset, username))


@router.patch(COLLABORATOR, response=CollaboratorOut, summary="Change a collaborator's role (manager)")
def update_collaborator(request: HttpRequest, owner: str, name: str, username: str, payload: CollaboratorPatchIn):
    dataset_access = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER)
    collaborator = collaborator_services.update_collaborator(
        request.auth, dataset_access, username=username, role=payload.role
    )
    return collaborator_to_dict(collaborator)


@router.delete(COLLABORATOR, response={204: None}, summary="Remove a collaborator (manager)")
def remove_collaborator(request: HttpRequest, owner: str, name: str, username: str):
    dataset_access = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER)
    collaborator_services.remove_collaborator(request.auth, dataset_access, username=username)
    return Status(204, None)


# The same operations with a trailing slash, for clients other than the SDK (hidden from the docs).
router.get(COLLABORATOR + "/", response=CollaboratorOut, include_in_schema=False, operation_id="get_collaborator_")(
    get_collaborator
)
router.patch(
    COLLABORATOR + "/", response=CollaboratorOut, include_in_schema=False, operation_id="update_collaborator_"
)(update_collaborator)
router.delete(COLLABORATOR + "/", response={204: None}, include_in_schema=False, operation_id="remove_collaborator_")(
    remove_collaborator
)
