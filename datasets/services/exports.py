"""Server-side export of a built release to COCO (instance) JSON or a YOLO zip, streamed.

Reads the published release file (it is immutable), so an export shows exactly the release's snapshot. The
file is parsed as it is read (ijson) and the export is produced as it goes, in chunks of about CHUNK_BYTES:
memory stays flat and the first bytes leave at once, whatever the size of the release. COCO lists every
image before any annotation, so its export reads the release file twice. The conversion itself is
labeling.core.exports; image sizes are read from our own static and media files.
"""

import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import ijson
from django.core.files.storage import default_storage

from datasets.models import GROUND_TRUTH, Release
from datasets.services.label_files import image_size
from labeling import fastjson
from labeling.core.exports import coco_annotations, coco_categories, coco_images, yolo_files
from labeling.core.task_types import COCO_INSTANCE, YOLO, task_type_of, task_types_with_export
from labeling.exceptions import InvalidInput

EXPORT_FORMATS = (COCO_INSTANCE, YOLO)
CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True)
class ExportFile:
    """An export ready to stream: `chunks()` produces its bytes (each call starts from the beginning)."""

    file_name: str
    content_type: str
    chunks: Callable[[], Iterator[bytes]]


def export_release(release: Release, export_format: str, *, labelset: str = GROUND_TRUTH) -> ExportFile:
    """The release `release` as a COCO instance JSON file or a zip of YOLO text files, to be streamed.

    Raises InvalidInput for an unknown format, a release that is not SUCCEEDED, or a task type without
    vector annotations; these are checked here, before any byte is produced. In a YOLO zip, of two images
    with the same file stem (which YOLO cannot tell apart) the first one's labels are kept.
    """
    if export_format not in EXPORT_FORMATS:
        raise InvalidInput(f"Unknown export format; use one of: {', '.join(EXPORT_FORMATS)}.")
    if release.status != Release.SUCCEEDED or not release.file:
        raise InvalidInput("This release is not built yet (or its build failed).")
    if export_format not in task_type_of(release.dataset.task_type).exports:
        supported = ", ".join(task_types_with_export(export_format))
        raise InvalidInput(f"This export needs one of the task types {supported}.")
    stored_name = str(release.file.name)
    with default_storage.open(stored_name, "rb") as stored:  # the release's own snapshot of the categories
        task_attributes = next(ijson.items(stored, "dataset.task_attributes"), None) or {}
    categories = task_attributes.get("categories") or []
    stem = f"{release.dataset.owner_name}_{release.dataset.name}_{release.name}"

    def samples() -> Iterator[dict]:
        with default_storage.open(stored_name, "rb") as stored:
            yield from ijson.items(stored, "dataset.samples.item", use_float=True)

    if export_format == "coco-instance":
        return ExportFile(
            f"{stem}_coco-instance.json",
            "application/json",
            lambda: _coco_chunks(samples, categories, labelset, cache(image_size)),
        )
    return ExportFile(
        f"{stem}_yolo.zip", "application/zip", lambda: _yolo_chunks(samples, categories, labelset, cache(image_size))
    )


def _coco_chunks(samples, categories: list[dict], labelset: str, sizes) -> Iterator[bytes]:
    yield b'{"images":'
    yield from _json_array(coco_images(samples(), labelset=labelset, image_size=sizes))
    yield b',"annotations":'
    yield from _json_array(coco_annotations(samples(), labelset=labelset))
    yield b',"categories":' + fastjson.dumps(coco_categories(categories)) + b"}"


def _json_array(items: Iterable) -> Iterator[bytes]:
    batch = bytearray(b"[")
    for index, item in enumerate(items):
        if index:
            batch += b","
        batch += fastjson.dumps(item)
        if len(batch) >= CHUNK_BYTES:
            yield bytes(batch)
            batch.clear()
    batch += b"]"
    yield bytes(batch)


def _yolo_chunks(samples, categories: list[dict], labelset: str, sizes) -> Iterator[bytes]:
    sink = _ZipSink()
    written: set[str] = set()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in yolo_files(samples(), categories=categories, labelset=labelset, image_size=sizes):
            if name in written:
                continue
            written.add(name)
            archive.writestr(name, text)
            if sink.size >= CHUNK_BYTES:
                yield sink.take()
    yield sink.take()  # the rest, with the zip's central directory


class _ZipSink(io.RawIOBase):
    """The unseekable file zipfile writes the archive to (it then writes sizes after each entry); the export
    takes what was written so far."""

    def __init__(self):
        super().__init__()
        self._parts: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        taken = b"".join(self._parts)
        self._parts, self.size = [], 0
        return taken
