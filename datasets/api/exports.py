"""Server-side export of a release: GET .../releases/{release}/export/?format=coco-instance|yolo (readers),
streamed as it is produced."""

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from datasets import access
from datasets.services import exports as export_services
from datasets.services import releases as release_services

router = Router(tags=["releases"])


@router.get(
    "/datasets/{owner}/{name}/releases/{release}/export/",
    summary="A release as COCO instance JSON or a YOLO zip",
    response={200: None},
)
def export_release(request: HttpRequest, owner: str, name: str, release: str, format: str = "coco-instance"):
    dataset = access.get_dataset(request.auth, owner, name).dataset
    exported = export_services.export_release(release_services.get_release(dataset, release), format)
    response = StreamingHttpResponse(exported.chunks(), content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.file_name}"'
    return response
