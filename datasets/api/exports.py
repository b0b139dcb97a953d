"""Server-side export of a release: GET .../releases/{release}/export/?format=coco-instance|yolo|conll|jsonl
(readers; `scheme`=io|bio|bioes for CoNLL, `labelset` for the labels), streamed as it is produced."""

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from datasets import access
from datasets.services import exports as export_services
from datasets.services import releases as release_services

router = Router(tags=["releases"])


@router.get(
    "/datasets/{owner}/{name}/releases/{release}/export/",
    summary="A release as COCO instance JSON, a YOLO zip, CoNLL or JSONL",
    response={200: None},
)
def export_release(
    request: HttpRequest,
    owner: str,
    name: str,
    release: str,
    format: str = "coco-instance",
    scheme: str = "bio",
    labelset: str = "ground-truth",
):
    dataset = access.get_dataset(request.auth, owner, name).dataset
    found = release_services.get_release(dataset, release)
    exported = export_services.export_release(found, format, labelset=labelset, scheme=scheme)
    response = StreamingHttpResponse(exported.chunks(), content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.file_name}"'
    return response
