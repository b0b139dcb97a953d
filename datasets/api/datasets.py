"""Datasets: list (bare arrays, per_page/page), create for a user or an organization, get, update, delete,
clone. A dataset the caller cannot see answers 404 "Not found." everywhere."""

from django.http import HttpRequest
from ninja import Router, Status

from datasets import access
from datasets.api.common import paginate
from datasets.presenters import dataset_to_dict
from datasets.schemas import DatasetCloneIn, DatasetIn, DatasetOut, DatasetSettingsIn
from datasets.services import dataset_queries, dataset_settings
from labeling.exceptions import NotFound
from labeling.services import find_account

router = Router(tags=["datasets"])


def _present(details: dataset_queries.DatasetDetails) -> dict:
    return dataset_to_dict(
        details.dataset, role=details.role, label_stats=details.label_stats, labelsets=details.labelsets
    )


def _present_page(request: HttpRequest, datasets: list) -> list[dict]:
    return [_present(details) for details in dataset_queries.details_for(request.auth, datasets)]


@router.get("/user/datasets/", response=list[DatasetOut], summary="Datasets you can see")
def list_my_datasets(request: HttpRequest, per_page: str | None = None, page: str | None = None):
    datasets = paginate(dataset_queries.visible_datasets_of(request.auth), per_page, page)
    return _present_page(request, datasets)


@router.get("/users/{owner}/datasets/", response=list[DatasetOut], summary="Datasets of a user or organization")
def list_owner_datasets(request: HttpRequest, owner: str, per_page: str | None = None, page: str | None = None):
    find_account(owner)
    datasets = paginate(dataset_queries.visible_datasets_of(request.auth, owner_name=owner), per_page, page)
    return _present_page(request, datasets)


def _details_of(request: HttpRequest, dataset) -> dict:
    dataset_access = access.get_dataset(request.auth, dataset.owner_name, dataset.name)
    return _present(dataset_queries.dataset_details(request.auth, dataset_access))


@router.post("/user/datasets/", response={201: DatasetOut}, summary="Create a dataset")
def create_dataset(request: HttpRequest, payload: DatasetIn):
    fields = payload.dict(exclude_unset=True, exclude={"data_type"})
    dataset = dataset_settings.add_dataset(request.auth, **_without_nulls(fields))
    return Status(201, _details_of(request, dataset))


@router.post("/organizations/{organization}/datasets/", response={201: DatasetOut}, summary="Create for an org")
def create_organization_dataset(request: HttpRequest, organization: str, payload: DatasetIn):
    fields = payload.dict(exclude_unset=True, exclude={"data_type"})
    dataset = dataset_settings.add_dataset(request.auth, organization=organization, **_without_nulls(fields))
    return Status(201, _details_of(request, dataset))


def _without_nulls(fields: dict) -> dict:
    # On create, a null setting means "the default"; only region_of_interest is nullable in the model.
    return {key: value for key, value in fields.items() if value is not None}


@router.api_operation(["GET", "POST", "PATCH", "DELETE"], "/datasets/{owner}/", include_in_schema=False)
def dataset_without_name(request: HttpRequest, owner: str):
    # The SDK's get_dataset("abcde") calls /datasets/abcde/: not a dataset identifier.
    raise NotFound()


@router.get("/datasets/{owner}/{name}/", response=DatasetOut, summary="A dataset")
def get_dataset(request: HttpRequest, owner: str, name: str):
    dataset_access = access.get_dataset(request.auth, owner, name)
    return _present(dataset_queries.dataset_details(request.auth, dataset_access))


@router.patch("/datasets/{owner}/{name}/", response=DatasetOut, summary="Update settings (admin)")
def update_dataset(request: HttpRequest, owner: str, name: str, payload: DatasetSettingsIn):
    dataset_access = access.get_dataset(request.auth, owner, name, role=access.ROLE_ADMIN)
    dataset_settings.update_dataset(request.auth, dataset_access.dataset, payload.dict(exclude_unset=True))
    return _present(dataset_queries.dataset_details(request.auth, dataset_access))


@router.delete("/datasets/{owner}/{name}/", response={204: None}, summary="Delete (owner)")
def delete_dataset(request: HttpRequest, owner: str, name: str):
    dataset_access = access.get_dataset(request.auth, owner, name, role=access.ROLE_ADMIN)
    dataset_settings.delete_dataset(request.auth, dataset_access)
    return Status(204, None)


@router.post("/datasets/{owner}/{name}/clone/", response={201: DatasetOut}, summary="Clone a dataset")
def clone_dataset(request: HttpRequest, owner: str, name: str, payload: DatasetCloneIn):
    source = access.get_dataset(request.auth, owner, name).dataset
    clone = dataset_settings.clone_dataset(request.auth, source, **payload.dict())
    return Status(201, _details_of(request, clone))
