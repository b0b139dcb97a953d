"""Server-side export of a built release to COCO (instance) JSON or a YOLO zip.

Reads the published release file (it is immutable), so an export shows exactly the release's snapshot. The
conversion itself is labeling.core.exports; image sizes are read from our own static and media files.
"""

import io
import json
import zipfile
from dataclasses import dataclass
from functools import cache

from django.core.files.storage import default_storage

from datasets.models import GROUND_TRUTH, Release
from datasets.services.label_files import image_size
from labeling.core.exports import to_coco_instance, to_yolo
from labeling.exceptions import InvalidInput

EXPORT_FORMATS = ("coco-instance", "yolo")
IMAGE_TASK_TYPES = ("vector", "bboxes", "keypoints", "image-vector-sequence")


@dataclass(frozen=True)
class ExportFile:
    file_name: str
    content_type: str
    content: bytes


def export_release(release: Release, export_format: str, *, labelset: str = GROUND_TRUTH) -> ExportFile:
    """The release `release` as a COCO instance JSON file or a zip of YOLO text files.

    Raises InvalidInput for an unknown format, a release that is not SUCCEEDED, or a task type without
    vector annotations. The release file is read whole (exports are per release, not per request row).
    """
    if export_format not in EXPORT_FORMATS:
        raise InvalidInput(f"Unknown export format; use one of: {', '.join(EXPORT_FORMATS)}.")
    if release.status != Release.SUCCEEDED or not release.file:
        raise InvalidInput("This release is not built yet (or its build failed).")
    if release.dataset.task_type not in IMAGE_TASK_TYPES:
        raise InvalidInput(f"COCO and YOLO exports need one of the task types {', '.join(IMAGE_TASK_TYPES)}.")
    with default_storage.open(release.file.name, "rb") as stored:
        document = json.load(stored)
    dataset = document["dataset"]
    options = {
        "categories": (dataset.get("task_attributes") or {}).get("categories") or [],
        "labelset": labelset,
        "image_size": cache(image_size),
    }
    stem = f"{release.dataset.owner_name}_{release.dataset.name}_{release.name}"
    if export_format == "coco-instance":
        coco = to_coco_instance(dataset["samples"], **options)
        return ExportFile(f"{stem}_coco-instance.json", "application/json", json.dumps(coco).encode())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in to_yolo(dataset["samples"], **options).items():
            archive.writestr(name, text)
    return ExportFile(f"{stem}_yolo.zip", "application/zip", buffer.getvalue())
