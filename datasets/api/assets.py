"""Assets: `POST /assets/` announces an upload and answers with the public URL and a presigned-POST-style form
whose target is this server's /uploads/<uuid>/ (datasets.urls_media), as the SDK's upload_asset expects."""

from django.http import HttpRequest
from ninja import Router, Status

from datasets.api.common import base_url
from datasets.presenters import asset_to_dict
from datasets.schemas import AssetIn, FileOut
from datasets.services import assets as asset_services

router = Router(tags=["assets"])


@router.post("/assets/", response={201: FileOut}, summary="Announce an upload: public URL and upload form")
def create_asset(request: HttpRequest, payload: AssetIn):
    asset, fields = asset_services.create_asset(request.auth, filename=payload.filename)
    return Status(201, asset_to_dict(asset, base_url=base_url(request), upload_fields=fields))
