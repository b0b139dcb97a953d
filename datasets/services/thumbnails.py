"""Thumbnails: a small JPEG per image sample (its first frame for sequences), made by a worker from the
image stored on this server and kept as an asset, so the dataset page never downloads an original.

Images uploaded (assets/) or saved by an import (imports/<job>/: the frames of a video) get one; images
elsewhere (URLs of other hosts) get none: the server never fetches sample URLs.
"""

import io
import logging
import secrets
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image

from datasets.models import Asset, Sample
from datasets.services.browse import image_url_of
from datasets.services.outbox import enqueue_on_commit

logger = logging.getLogger(__name__)

# The longest side of a thumbnail (pixels): the page draws them at 72 x 54 CSS pixels, sharp up to 2x DPI
# and then some.
THUMBNAIL_SIDE = 192
THUMBNAIL_QUALITY = 80
# Storage folders of sample images made on this server: uploads, and what imports saved (imports/<job hex>/).
IMAGE_PREFIXES = ("assets/", "imports/")


def local_asset_name(url: str | None) -> str | None:
    """The storage name ("assets/<hex>/<file>", "imports/<job hex>/<file>") of a URL of this server's
    /media/assets/ (uploads) or /media/imports/ (files an import made: decoded video frames), else None."""
    if not url:
        return None
    path = unquote(urlsplit(url).path)
    name = path.removeprefix(settings.MEDIA_URL)
    if name == path or not name.startswith(IMAGE_PREFIXES) or ".." in name.split("/"):
        return None
    return name


def thumbnail_bytes(source) -> bytes:
    """A JPEG of at most THUMBNAIL_SIDE pixels a side of the image in file object `source`. Raises OSError
    (Pillow's UnidentifiedImageError) for something that is not an image, DecompressionBombError for one
    above Pillow's pixel limit."""
    with Image.open(source) as image:
        image.draft("RGB", (THUMBNAIL_SIDE, THUMBNAIL_SIDE))  # JPEG: decode at a reduced scale, much faster
        image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        output = io.BytesIO()
        image.convert("RGB").save(output, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return output.getvalue()


def make_thumbnail(sample_id: int) -> bool:
    """Make the thumbnail of sample `sample_id` if it has none yet; True when one was made. Idempotent: a
    sample gone, already done, or without an image of this server is left alone (False), as is an image
    Pillow cannot read (logged)."""
    sample = Sample.objects.filter(pk=sample_id, thumbnail__isnull=True).only("attributes").first()
    name = local_asset_name(image_url_of(sample.attributes)) if sample else None
    if name is None or not default_storage.exists(name):
        return False
    try:
        with default_storage.open(name, "rb") as source:
            data = thumbnail_bytes(source)
    except (OSError, Image.DecompressionBombError) as error:
        logger.warning("no thumbnail for sample %s: %s", sample_id, error)
        return False
    stored = default_storage.save(f"assets/{secrets.token_hex(16)}/thumbnail.jpg", ContentFile(data))
    with transaction.atomic():
        asset = Asset.objects.create(
            filename="thumbnail.jpg", file=stored, content_type="image/jpeg", size=len(data), uploaded_at=timezone.now()
        )
        if Sample.objects.filter(pk=sample_id, thumbnail__isnull=True).update(thumbnail=asset):
            return True
        asset.delete()  # another run made it meanwhile
    default_storage.delete(stored)
    return False


def schedule_thumbnails(sample_ids: list[int]) -> None:
    """Enqueue the thumbnails of these samples once the current transaction commits."""
    if sample_ids:
        enqueue_on_commit("datasets.tasks.make_thumbnails", list(sample_ids))
