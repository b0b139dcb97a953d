"""Text corpus import: POST /datasets/{owner}/{name}/imports/text/ (manager), a multipart form with the CoNLL or
JSONL `file` and the options `format`, `scheme`, `per` and `labelset` (pre-labels go there when given)."""

from dataclasses import asdict

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from datasets import access
from datasets.services import text_imports

router = Router(tags=["samples"])


class TextImportOut(Schema):
    samples_created: int
    labels_created: int
    entities: dict[str, int]
    categories_added: list[str]
    first_sample: str | None
    last_sample: str | None


@router.post(
    "/datasets/{owner}/{name}/imports/text/",
    response={201: TextImportOut},
    summary="Import samples (and pre-labels) from a CoNLL or JSONL file (manager)",
)
def import_text(
    request: HttpRequest,
    owner: str,
    name: str,
    file: File[UploadedFile],
    format: Form[str] = "auto",
    scheme: Form[str] = "auto",
    per: Form[str] = "sentence",
    labelset: Form[str] = "",
):
    dataset = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER).dataset
    summary = text_imports.import_text_corpus(
        request.auth,
        dataset,
        content=file.read(text_imports.MAX_IMPORT_BYTES + 1),
        file_name=file.name or "text",
        file_format=format,
        scheme=scheme,
        per=per,
        labelset_name=labelset or None,
    )
    return Status(201, asdict(summary))
