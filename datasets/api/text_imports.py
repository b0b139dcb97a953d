"""Text corpus import: POST /datasets/{owner}/{name}/imports/text/ (manager), a multipart form with the CoNLL or
JSONL `file` and the options `format`, `scheme`, `per` and `labelset` (pre-labels go there when given).
201 with the summary; a file over INLINE_IMPORT_BYTES is imported by a worker: 202 with its `import_id`, the
outcome arrives as `text_import.finished` on the dataset's live events."""

from dataclasses import asdict
from typing import Any, cast

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from datasets import access
from datasets.services import text_imports

router = Router(tags=["samples"])


class TextImportQueuedOut(Schema):
    import_id: str
    file_name: str
    status: str


class TextImportOut(Schema):
    samples_created: int
    labels_created: int
    entities: dict[str, int]
    categories_added: list[str]
    first_sample: str | None
    last_sample: str | None


@router.post(
    "/datasets/{owner}/{name}/imports/text/",
    response={201: TextImportOut, 202: TextImportQueuedOut},
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
    content = file.read(text_imports.MAX_IMPORT_BYTES + 1)
    file_name = cast(str, file.name)  # Django's multipart parser drops file parts that have no file name
    options: dict[str, Any] = {"file_format": format, "scheme": scheme, "per": per, "labelset_name": labelset or None}
    if len(content) > text_imports.INLINE_IMPORT_BYTES:
        queued = text_imports.queue_text_import(request.auth, dataset, content=content, file_name=file_name, **options)
        return Status(202, {**asdict(queued), "status": "queued"})
    summary = text_imports.import_text_corpus(request.auth, dataset, content=content, file_name=file_name, **options)
    return Status(201, asdict(summary))
