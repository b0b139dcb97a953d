"""Any other path answers 404 {"detail": "Not found."} in JSON (the SDK reads every error body as text, and
Django's HTML 404 page would not be JSON)."""

from django.http import HttpRequest
from ninja import Router

from labeling.exceptions import NotFound

router = Router(auth=None)


@router.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:path}", include_in_schema=False)
def not_found(request: HttpRequest, path: str):
    raise NotFound()
