"""Releases of a dataset: list, get, create (admin; PENDING, then built by a worker) and delete (admin).

A succeeded release's `attributes.url` is a public, unguessable URL of its JSON file (spec §9.1).
"""

from django.http import HttpRequest
from ninja import Router, Status

from datasets import access
from datasets.api.common import base_url
from datasets.presenters import release_to_dict
from datasets.schemas import ReleaseIn, ReleaseOut
from datasets.services import releases as release_services

router = Router(tags=["releases"])


@router.get("/datasets/{owner}/{name}/releases/", response=list[ReleaseOut], summary="Releases, newest first")
def list_releases(request: HttpRequest, owner: str, name: str):
    dataset = access.get_dataset(request.auth, owner, name).dataset
    url = base_url(request)
    return [release_to_dict(release, base_url=url) for release in release_services.list_releases(dataset)]


@router.post("/datasets/{owner}/{name}/releases/", response={201: ReleaseOut}, summary="Create a release (admin)")
def create_release(request: HttpRequest, owner: str, name: str, payload: ReleaseIn):
    dataset = access.get_dataset(request.auth, owner, name, role=access.ROLE_ADMIN).dataset
    release = release_services.create_release(request.auth, dataset, name=payload.name, description=payload.description)
    return Status(201, release_to_dict(release, base_url=base_url(request)))


@router.get("/datasets/{owner}/{name}/releases/{release}/", response=ReleaseOut, summary="A release")
def get_release(request: HttpRequest, owner: str, name: str, release: str):
    dataset = access.get_dataset(request.auth, owner, name).dataset
    return release_to_dict(release_services.get_release(dataset, release), base_url=base_url(request))


@router.delete("/datasets/{owner}/{name}/releases/{release}/", response={204: None}, summary="Delete (admin)")
def delete_release(request: HttpRequest, owner: str, name: str, release: str):
    dataset = access.get_dataset(request.auth, owner, name, role=access.ROLE_ADMIN).dataset
    release_services.delete_release(request.auth, dataset, release)
    return Status(204, None)
