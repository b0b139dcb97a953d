"""Files a label points at: segmentation bitmaps uploaded as our own assets are checked against the label and
the sample image before the label is stored (RGBA PNG, same size as the image, ids all in `annotations`).

Only files in our own storage are read: a bitmap URL elsewhere is stored as given, unchecked, because
fetching arbitrary URLs from the server would let any user make it call into the internal network.
"""

from collections.abc import Iterator
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

from datasets.models import Asset
from labeling.core.bitmaps import validate_bitmap
from labeling.core.errors import LabelFormatError
from labeling.core.task_types import BITMAP, task_type_of

MAX_BITMAP_BYTES = 64 * 1024 * 1024


def check_label_files(task_type: str, attributes: dict, sample_attributes: dict | None) -> None:
    """Check every segmentation bitmap of a label that lives in our storage.

    attributes: label attributes already valid in shape (labeling.core.label_formats). Raises
    LabelFormatError with every issue, paths like `segmentation_bitmap` or `frames[2].segmentation_bitmap`.
    """
    issues = []
    for path, frame, image_url in _bitmaps(task_type, attributes, sample_attributes or {}):
        png = read_own_file((frame.get("segmentation_bitmap") or {}).get("url"))
        if png is None:
            continue
        annotation_ids = [annotation.get("id") for annotation in frame.get("annotations") or []]
        try:
            validate_bitmap(png, image_size=image_size(image_url), annotation_ids=annotation_ids, path=path)
        except LabelFormatError as error:
            issues.extend(error.issues)
    if issues:
        raise LabelFormatError(issues)


def _bitmaps(task_type: str, attributes: dict, sample_attributes: dict) -> Iterator[tuple[str, dict, str | None]]:
    registered = task_type_of(task_type)
    if registered.label_type != BITMAP:
        return
    if not registered.sequence:
        yield "segmentation_bitmap", attributes, ((sample_attributes.get("image") or {}).get("url"))
    else:
        sample_frames = sample_attributes.get("frames") or []
        for index, frame in enumerate(attributes.get("frames") or []):
            if isinstance(frame, dict) and frame.get("segmentation_bitmap"):
                image = sample_frames[index].get("image") if index < len(sample_frames) else None
                yield f"frames[{index}].segmentation_bitmap", frame, (image or {}).get("url")


def storage_name_of(url: str | None) -> str | None:
    """The default-storage name behind one of our uploaded asset URLs (`/media/assets/...` on this site, with
    or without scheme and host), or None for anything else."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.hostname not in _own_hosts():
        return None
    if not parts.path.startswith(f"{settings.MEDIA_URL}assets/"):
        return None
    name = parts.path.removeprefix(settings.MEDIA_URL)
    if ".." in name.split("/"):
        return None
    return name if Asset.objects.filter(file=name, uploaded_at__isnull=False).exists() else None


def read_own_file(url: str | None) -> bytes | None:
    """The bytes of one of our uploaded assets (None when the URL is not ours or the file is too big)."""
    name = storage_name_of(url)
    if name is None or default_storage.size(name) > MAX_BITMAP_BYTES:
        return None
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def image_size(url: str | None) -> tuple[int, int] | None:
    """(width, height) in pixels of a sample image in our storage or static files; None when unknown."""
    if not isinstance(url, str):
        return None
    try:
        name = storage_name_of(url)
        if name is not None:
            with default_storage.open(name, "rb") as stored, Image.open(stored) as image:
                return image.size
        path = _static_path(url)
        if path is not None:
            with Image.open(path) as image:
                return image.size
    except (OSError, UnidentifiedImageError):
        return None
    return None


def _static_path(url: str) -> str | None:
    parts = urlsplit(url)
    if (parts.netloc and parts.hostname not in _own_hosts()) or not parts.path.startswith(settings.STATIC_URL):
        return None
    relative = parts.path.removeprefix(settings.STATIC_URL)
    return None if ".." in relative.split("/") else finders.find(relative)


def _own_hosts() -> set[str]:
    hosts = {host.strip("[]") for host in settings.ALLOWED_HOSTS if host != "*"}
    if settings.SITE_URL:
        hosts.add(urlsplit(settings.SITE_URL).hostname or "")
    return hosts
