"""Asset use cases: announce an upload (the SDK's POST /assets/) and receive it through the
presigned-POST-style form the SDK sends to our own upload target.

The asset's public URL is `/media/assets/<32 random hex>/<file name>`: unguessable, and ending in the real
extension (the SDK's SegmentsDataset derives cached file names from it). The upload form carries a one-time
token in `x-amz-signature`; only its SHA-256 is stored, and it is cleared by the upload that uses it.
"""

import base64
import hashlib
import json
import mimetypes
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import get_valid_filename

from datasets.models import Asset, Collaborator, Dataset
from labeling.exceptions import InvalidInput, NotFound, PermissionDenied, TooLarge
from labeling.models import Membership

UPLOAD_WINDOW = timedelta(hours=1)
REFUSED_UPLOAD = "This upload form is invalid, already used or expired: ask POST /assets/ for a new one."
NO_ROLE = "Only users with a role on a dataset or in an organization may upload assets."


def has_any_role(user) -> bool:
    """True when `user` owns a dataset, collaborates on one or belongs to an organization. Up to 3 queries."""
    return (
        Dataset.objects.filter(owner_user=user).exists()
        or Collaborator.objects.filter(user=user).exists()
        or Membership.objects.filter(user=user).exists()
    )


def stored_bytes(user) -> int:
    """The total size in bytes of the assets `user` has uploaded (their use of ASSET_QUOTA_BYTES)."""
    used = Asset.objects.filter(created_by=user, uploaded_at__isnull=False).aggregate(total=Sum("size"))["total"]
    return used or 0


def _quota_error(used: int, adding: int) -> TooLarge:
    quota = settings.ASSET_QUOTA_BYTES
    return TooLarge(f"Storage quota exceeded: {used} of {quota} bytes used, this upload needs {adding} more.")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _storage_name(filename: str) -> str:
    try:
        safe = get_valid_filename(filename)
    except Exception:  # Django raises SuspiciousFileOperation for names like ".."; the schema refuses most
        safe = "file"
    return f"assets/{secrets.token_hex(16)}/{safe}"


def create_asset(actor, *, filename: str) -> tuple[Asset, dict[str, str]]:
    """Create an asset waiting for its upload. Returns it with the 8 form fields the SDK posts back
    (acl, Content-Type, key, x-amz-algorithm, x-amz-credential, x-amz-date, policy, x-amz-signature).

    The fields mimic an S3 presigned POST; `x-amz-signature` is the one-time upload token, valid for
    UPLOAD_WINDOW. Raises PermissionDenied (NO_ROLE) for a user with no role anywhere, TooLarge when the
    user's quota (settings.ASSET_QUOTA_BYTES) is already used up.
    """
    if not has_any_role(actor):
        raise PermissionDenied(NO_ROLE)
    used = stored_bytes(actor)
    if used >= settings.ASSET_QUOTA_BYTES:
        raise _quota_error(used, 1)
    token = secrets.token_urlsafe(32)
    asset = Asset(filename=filename, upload_token_hash=_token_hash(token), created_by=actor)
    asset.file.name = _storage_name(filename)
    asset.content_type = mimetypes.guess_type(asset.file.name)[0] or "application/octet-stream"
    asset.save()
    now = timezone.now()
    policy = {"expiration": (now + UPLOAD_WINDOW).isoformat(), "conditions": [{"key": asset.file.name}]}
    fields = {
        "acl": "public-read",
        "Content-Type": asset.content_type,
        "key": asset.file.name,
        "x-amz-algorithm": "AWS4-HMAC-SHA256",
        "x-amz-credential": f"{asset.uuid}/labeling/upload",
        "x-amz-date": now.strftime("%Y%m%dT%H%M%SZ"),
        "policy": base64.b64encode(json.dumps(policy).encode()).decode(),
        "x-amz-signature": token,
    }
    return asset, fields


def store_upload(asset_uuid, *, token: str, key: str, upload) -> Asset:
    """Store the uploaded file of asset `asset_uuid`, checking the one-time token and the storage key.

    `upload` is a Django UploadedFile. Raises NotFound (no such asset), PermissionDenied with REFUSED_UPLOAD
    (wrong, used or expired token, or a key that is not the asset's), InvalidInput (no file), TooLarge (over
    settings.ASSET_MAX_BYTES, or past the uploader's ASSET_QUOTA_BYTES; the token stays usable then).
    """
    asset = Asset.objects.filter(uuid=asset_uuid).first()
    if asset is None:
        raise NotFound()
    if upload is None:
        raise InvalidInput("The form has no file part named 'file'.")
    expired = timezone.now() - asset.created_at > UPLOAD_WINDOW
    if expired or key != asset.file.name or not asset.upload_token_hash:
        raise PermissionDenied(REFUSED_UPLOAD)
    if upload.size > settings.ASSET_MAX_BYTES:
        raise TooLarge(f"The file is {upload.size} bytes; the limit is {settings.ASSET_MAX_BYTES} bytes.")
    with transaction.atomic():
        # The uploader's row is locked so that two concurrent uploads cannot both fit in the last of the quota.
        if asset.created_by_id is not None:
            get_user_model().objects.select_for_update().filter(pk=asset.created_by_id).first()
            used = stored_bytes(asset.created_by_id)
            if used + upload.size > settings.ASSET_QUOTA_BYTES:
                raise _quota_error(used, upload.size)
        # Claim the token with a conditional UPDATE first: of two concurrent uploads only one gets through.
        claimed = Asset.objects.filter(pk=asset.pk, upload_token_hash=_token_hash(token)).update(
            upload_token_hash="", uploaded_at=timezone.now(), size=upload.size
        )
    if not claimed:
        raise PermissionDenied(REFUSED_UPLOAD)
    stored_name = default_storage.save(asset.file.name, upload)
    if stored_name != asset.file.name:  # the storage renamed it: keep the URL we promised pointing at the file
        default_storage.delete(stored_name)
        raise InvalidInput("The upload could not be stored under its announced name.")
    asset.refresh_from_db()
    return asset
