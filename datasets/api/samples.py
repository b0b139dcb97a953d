"""Samples: list with filters, label summaries and sort; add one or many (bodies often gzip); get, update
(null unassigns), delete one or many. Managers and above change samples; anyone who sees the dataset reads.

Query parsing is lenient where the SDK sends odd values (spec §4.4, §12): an unknown sort, a non-integer
per_page or an unknown label set fall back to the defaults instead of failing.
"""

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from datasets import access
from datasets.api.common import flag, paginate, query_value
from datasets.presenters import label_summary_to_dict, label_to_dict, sample_to_dict
from datasets.schemas import DeleteSamplesIn, DeleteSamplesOut, SampleIn, SampleOut, SamplePatchIn
from datasets.services import pointclouds as pointcloud_services
from datasets.services import samples as sample_services

router = Router(tags=["samples"])


class SampleListQuery(Schema):
    per_page: str | None = None
    page: str | None = None
    labelset: str | None = None
    include_full_label: str | None = None
    name__contains: str | None = None
    filters: str | None = None
    label_status: str | None = None
    sort: str | None = None

    def parsed(self) -> sample_services.SampleQuery:
        sort = query_value(self.sort) or "name"
        metadata = [item.split(":", 1) for item in (query_value(self.filters) or "").split(",") if ":" in item]
        return sample_services.SampleQuery(
            name_contains=query_value(self.name__contains),
            metadata=tuple((key, value) for key, value in metadata),
            label_statuses=tuple(s.strip().upper() for s in (query_value(self.label_status) or "").split(",") if s),
            labelset=query_value(self.labelset),
            sort=sort.lstrip("-"),
            descending=sort.startswith("-"),
        )


def _present(samples: list, labels: dict, *, full: bool) -> list[dict]:
    result = []
    for sample in samples:
        label = labels.get(sample.pk)
        if label is not None:
            label.sample = sample
            label = label_to_dict(label) if full else label_summary_to_dict(label)
        result.append(sample_to_dict(sample, label=label))
    return result


@router.get("/datasets/{owner}/{name}/samples/", response=list[SampleOut], summary="Samples, filtered and sorted")
def list_samples(request: HttpRequest, owner: str, name: str, filters: Query[SampleListQuery]):
    dataset = access.get_dataset(request.auth, owner, name).dataset
    query = filters.parsed()
    labelset = sample_services.find_labelset(dataset, query.labelset)
    samples = paginate(sample_services.list_samples(dataset, query, labelset), filters.per_page, filters.page)
    labels = sample_services.labels_by_sample(samples, labelset) if labelset and samples else {}
    return _present(samples, labels, full=flag(filters.include_full_label))


@router.post("/datasets/{owner}/{name}/samples/", response={201: SampleOut}, summary="Add a sample (manager)")
def add_sample(request: HttpRequest, owner: str, name: str, payload: SampleIn):
    dataset = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER).dataset
    sample = sample_services.create_sample(request.auth, dataset, payload.dict())
    return Status(201, sample_to_dict(sample))


@router.post("/datasets/{owner}/{name}/samples_bulk/", response={201: list[SampleOut]}, summary="Add samples")
def add_samples(request: HttpRequest, owner: str, name: str, payload: list[SampleIn]):
    dataset = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER).dataset
    samples = sample_services.create_samples(request.auth, dataset, [item.dict() for item in payload])
    return Status(201, [sample_to_dict(sample) for sample in samples])


@router.delete("/datasets/{owner}/{name}/samples_bulk/", response=DeleteSamplesOut, summary="Delete samples")
def delete_samples(request: HttpRequest, owner: str, name: str, payload: DeleteSamplesIn):
    dataset = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER).dataset
    return {"deleted_count": sample_services.delete_samples(request.auth, dataset, payload.uuids)}


@router.get("/samples/{sample_uuid}/", response=SampleOut, summary="A sample (with a label set's label)")
def get_sample(request: HttpRequest, sample_uuid: str, labelset: str | None = None):
    sample, _ = access.get_sample(request.auth, sample_uuid)
    found = sample_services.find_labelset(sample.dataset, query_value(labelset))
    labels = sample_services.labels_by_sample([sample], found) if found else {}
    return _present([sample], labels, full=True)[0]


class PointCloudFrameOut(Schema):
    frame: int
    sensor: str
    status: str
    point_count: int | None
    has_intensity: bool
    buffer: str | None
    error: str


@router.get(
    "/samples/{sample_uuid}/pointclouds/",
    response=list[PointCloudFrameOut],
    summary="The clouds the server read for a point-cloud sample: point counts and derived-buffer URLs",
)
def sample_point_clouds(request: HttpRequest, sample_uuid: str):
    sample, _ = access.get_sample(request.auth, sample_uuid)
    return pointcloud_services.sample_point_cloud_frames(sample)


@router.patch("/samples/{sample_uuid}/", response=SampleOut, summary="Update a sample (manager)")
def update_sample(request: HttpRequest, sample_uuid: str, payload: SamplePatchIn):
    sample, _ = access.get_sample(request.auth, sample_uuid, role=access.ROLE_MANAGER)
    sample = sample_services.update_sample(request.auth, sample, payload.dict(exclude_unset=True))
    return sample_to_dict(sample)


@router.delete("/samples/{sample_uuid}/", response={204: None}, summary="Delete a sample (manager)")
def delete_sample(request: HttpRequest, sample_uuid: str):
    sample, _ = access.get_sample(request.auth, sample_uuid, role=access.ROLE_MANAGER)
    sample_services.delete_sample(request.auth, sample)
    return Status(204, None)
