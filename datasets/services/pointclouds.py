"""Point-cloud use cases: read the clouds of a sample in a worker, store the derived buffer and point count,
check segmentation labels against those counts.

A point-cloud sample (`pointcloud`, `pointcloud-sequence`, the point-cloud sensors of `multisensor-sequence`)
gets one PointCloudFrame per cloud when it is created or its attributes change; a Celery task then reads the
files (`read_sample_point_clouds`). Creating a sample never touches its URLs (the SDK's own fixtures use dummy
ones): an unreadable cloud is a FAILED frame with the message naming the problem, shown on the dataset page.

Where a file comes from (see docs/pointclouds.md):
- a URL of this server (relative, or whose host is in ALLOWED_HOSTS or SITE_URL) under MEDIA_URL `assets/` or
  `imports/` (files uploaded for an import), or under STATIC_URL, is read directly from storage or static files;
- any other URL is fetched only when its host is in POINTCLOUD_FETCH_ALLOWED_HOSTS, without following
  redirects, with POINTCLOUD_FETCH_TIMEOUT_SECONDS and POINTCLOUD_MAX_BYTES; every other URL is refused.
"""

import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from datasets.models import Label, PointCloudFrame, Sample
from datasets.services.outbox import enqueue_on_commit
from labeling.core.errors import PointCloudFormatError
from labeling.core.pointclouds import derived_buffer, read_point_cloud
from labeling.core.sample_formats import sample_type_for_task_type

SEGMENTATION_TASK_TYPES = ("pointcloud-segmentation", "pointcloud-segmentation-sequence")
POINTCLOUD_SENSOR_TASK_TYPES = (
    "pointcloud-cuboid-sequence",
    "pointcloud-vector-sequence",
    "pointcloud-segmentation-sequence",
)


# Folders of the default storage whose files may be clouds: assets, and files uploaded for an import.
STORED_PREFIXES = ("assets/", "imports/")


class CloudSourceError(Exception):
    """The file of a cloud cannot be obtained (host not allowed, too big, timeout, HTTP error, missing)."""


@dataclass(frozen=True)
class CloudRef:
    """One cloud named by a sample's attributes: `sensor` ('' unless multi-sensor), frame index, pcd url/type."""

    sensor: str
    frame: int
    url: str
    pcd_type: str


def cloud_refs(task_type: str, attributes) -> list[CloudRef]:
    """The clouds a sample's (already validated) attributes name, in frame order; [] for other sample types."""
    sample_type = sample_type_for_task_type(task_type)
    if sample_type == "pointcloud":
        return [_ref("", 0, attributes)]
    if sample_type == "pointcloud-sequence":
        return [_ref("", index, frame) for index, frame in enumerate(attributes["frames"])]
    if sample_type == "multisensor-sequence":
        return [
            _ref(sensor["name"], index, frame)
            for sensor in attributes["sensors"]
            if sensor["task_type"] in POINTCLOUD_SENSOR_TASK_TYPES
            for index, frame in enumerate(sensor["attributes"]["frames"])
        ]
    return []


def _ref(sensor: str, frame: int, attributes: dict) -> CloudRef:
    return CloudRef(sensor, frame, attributes["pcd"]["url"], attributes["pcd"]["type"])


def schedule_point_cloud_reads(samples: list[Sample]) -> None:
    """Enqueue, after the current transaction commits, the read of every point-cloud sample in `samples`
    (other sample types are ignored). Called by the sample services on create and on attribute changes."""
    for sample in samples:
        if cloud_refs(sample.dataset.task_type, sample.attributes):
            enqueue_on_commit("datasets.tasks.read_sample_point_clouds", sample.pk)


def read_sample_point_clouds(sample_id: int) -> list[PointCloudFrame]:
    """Read every cloud of sample `sample_id` that is not read yet (or whose URL or type changed), store its
    derived buffer and point count or its error, drop frames the attributes no longer name, then check the
    sample's segmentation labels against the counts. Idempotent: a frame already read is not read again.
    Returns the sample's frames; [] when the sample is gone."""
    sample = Sample.objects.select_related("dataset").filter(pk=sample_id).first()
    if sample is None:
        return []
    refs = cloud_refs(sample.dataset.task_type, sample.attributes)
    existing = {(frame.sensor, frame.frame): frame for frame in sample.point_cloud_frames.all()}
    stale = [frame.pk for key, frame in existing.items() if key not in {(ref.sensor, ref.frame) for ref in refs}]
    _delete_frames(PointCloudFrame.objects.filter(pk__in=stale))
    frames = []
    for ref in refs:
        frame = existing.get((ref.sensor, ref.frame))
        if frame is None or frame.url != ref.url or frame.pcd_type != ref.pcd_type or frame.status == frame.PENDING:
            frame = _read_frame(sample, ref, frame)
        frames.append(frame)
    check_label_point_counts(sample)
    return frames


def delete_buffers_on_commit(samples) -> None:
    """Delete the derived buffers of `samples` (a Sample queryset about to be deleted) from storage once the
    transaction commits; their rows go with the samples (CASCADE). One query."""
    names = [
        name for name in PointCloudFrame.objects.filter(sample__in=samples).values_list("buffer", flat=True) if name
    ]
    if names:

        def delete_buffers() -> None:
            for name in names:
                default_storage.delete(name)

        transaction.on_commit(delete_buffers)


def _delete_frames(frames) -> None:
    for frame in frames:
        if frame.buffer:
            default_storage.delete(frame.buffer.name)
    frames.delete()


def _read_frame(sample: Sample, ref: CloudRef, frame: PointCloudFrame | None) -> PointCloudFrame:
    values = {"url": ref.url, "pcd_type": ref.pcd_type, "read_at": timezone.now(), "label_issue": ""}
    old_buffer = frame.buffer.name if frame is not None and frame.buffer else ""
    try:
        cloud = read_point_cloud(fetch_cloud_bytes(ref.url), ref.pcd_type)
    except (CloudSourceError, PointCloudFormatError) as error:
        values.update(status=PointCloudFrame.FAILED, error=str(error), point_count=None, has_intensity=False)
        values["buffer"] = ""
    else:
        name = f"{PointCloudFrame.buffer.field.upload_to}{secrets.token_hex(16)}/frame-{ref.frame:06d}.f32"
        values.update(status=PointCloudFrame.READ, error="", point_count=cloud.count)
        values.update(has_intensity=cloud.intensity is not None)
        values["buffer"] = default_storage.save(name, ContentFile(derived_buffer(cloud)))
    frame, _ = PointCloudFrame.objects.update_or_create(
        sample=sample, sensor=ref.sensor, frame=ref.frame, defaults=values
    )
    if old_buffer and old_buffer != frame.buffer.name:
        default_storage.delete(old_buffer)
    return frame


# Where the bytes come from -------------------------------------------------------------------------------------


def fetch_cloud_bytes(url: str) -> bytes:
    """The bytes of the cloud at `url`: read from this server's storage or static files when the URL is this
    server's, fetched over HTTP(S) only from POINTCLOUD_FETCH_ALLOWED_HOSTS, at most POINTCLOUD_MAX_BYTES.
    Raises CloudSourceError naming the problem."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https"):
        raise CloudSourceError(f"cannot read {url!r}: only http(s) URLs and files of this server are read")
    if not parts.netloc or _is_this_server(parts.netloc):
        local = _local_bytes(parts.path)
        if local is not None:
            return local
    if not parts.netloc:
        raise CloudSourceError(f"{url!r} is not a file stored on this server")
    if not _host_allowed(parts):
        raise CloudSourceError(
            f"host {parts.hostname!r} is not in POINTCLOUD_FETCH_ALLOWED_HOSTS; the server does not fetch it "
            "(an administrator may allow it, or upload the file as an asset)"
        )
    return _download(url)


def _is_this_server(netloc: str) -> bool:
    hosts = {host.lower() for host in settings.ALLOWED_HOSTS if host and not host.startswith((".", "*"))}
    if settings.SITE_URL:
        hosts.add(urlsplit(settings.SITE_URL).hostname or "")
    return (urlsplit(f"//{netloc}").hostname or "") in hosts


def _local_bytes(path: str) -> bytes | None:
    if path.startswith(tuple(f"{settings.MEDIA_URL}{prefix}" for prefix in STORED_PREFIXES)):
        name = path[len(settings.MEDIA_URL) :]
        if ".." in name.split("/") or not default_storage.exists(name):
            raise CloudSourceError(f"no stored file {name!r}")
        _check_size(default_storage.size(name))
        with default_storage.open(name, "rb") as file:
            return file.read()
    if path.startswith(settings.STATIC_URL):
        relative = path[len(settings.STATIC_URL) :]
        found = finders.find(relative) if ".." not in relative.split("/") else None
        if not found:
            raise CloudSourceError(f"no static file {relative!r}")
        with open(found, "rb") as file:
            return _read_capped(file)
    return None


def _host_allowed(parts) -> bool:
    allowed = {host.lower() for host in settings.POINTCLOUD_FETCH_ALLOWED_HOSTS}
    host = (parts.hostname or "").lower()
    return host in allowed or (parts.port is not None and f"{host}:{parts.port}" in allowed)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise CloudSourceError(f"{req.full_url} redirects to {newurl}; redirects are not followed")


def _download(url: str) -> bytes:
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(url, timeout=settings.POINTCLOUD_FETCH_TIMEOUT_SECONDS) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit():
                _check_size(int(length))
            return _read_capped(response)
    except urllib.error.HTTPError as error:
        raise CloudSourceError(f"fetching {url} answered HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise CloudSourceError(f"fetching {url} failed: {reason}") from error


def _read_capped(file) -> bytes:
    limit = settings.POINTCLOUD_MAX_BYTES
    data = file.read(limit + 1)
    _check_size(len(data))
    return data


def _check_size(size: int) -> None:
    if size > settings.POINTCLOUD_MAX_BYTES:
        raise CloudSourceError(f"the file is larger than POINTCLOUD_MAX_BYTES ({settings.POINTCLOUD_MAX_BYTES} bytes)")


# Point counts of segmentation labels ----------------------------------------------------------------------------


def point_counts(sample: Sample) -> list[int | None] | None:
    """The point count of each frame of a point-cloud segmentation sample (None where not read yet or
    unreadable), for the label-format check; None for other task types or when no count is known. One query."""
    if sample.dataset.task_type not in SEGMENTATION_TASK_TYPES:
        return None
    refs = cloud_refs(sample.dataset.task_type, sample.attributes)
    known = {
        frame: count
        for frame, count in PointCloudFrame.objects.filter(
            sample=sample, sensor="", status=PointCloudFrame.READ
        ).values_list("frame", "point_count")
    }
    counts = [known.get(ref.frame) for ref in refs]
    return counts if any(count is not None for count in counts) else None


def recheck_flagged_point_counts(sample: Sample) -> None:
    """After a label save: check the sample's labels again only when one of its frames is flagged (one query
    otherwise), so that a corrected label clears the flag without every save re-reading every label."""
    if sample.dataset.task_type not in SEGMENTATION_TASK_TYPES:
        return
    if PointCloudFrame.objects.filter(sample=sample).exclude(label_issue="").exists():
        check_label_point_counts(sample)


def check_label_point_counts(sample: Sample) -> None:
    """Flag (PointCloudFrame.label_issue) every frame whose point count is known and that a stored
    segmentation label of the sample, in any label set, covers with another number of ids; clear the flag
    where they agree. Only lengths are compared: labels saved after the count was known were checked fully."""
    if sample.dataset.task_type not in SEGMENTATION_TASK_TYPES:
        return
    frames = {frame.frame: frame for frame in sample.point_cloud_frames.filter(sensor="", status=PointCloudFrame.READ)}
    if not frames:
        return
    issues: dict[int, list[str]] = {index: [] for index in frames}
    labels = Label.objects.filter(sample=sample).select_related("labelset").order_by("labelset__name")
    for label in labels:
        attributes = label.attributes
        if not isinstance(attributes, dict):  # no point ids to count (_label_lengths would find none)
            continue
        for index, length in _label_lengths(attributes).items():
            frame = frames.get(index)
            if frame is not None and length != frame.point_count:
                where = (
                    "point_annotations"
                    if index == 0 and "frames" not in attributes
                    else (f"frames[{index}].point_annotations")
                )
                issues[index].append(
                    f"label set {label.labelset.name!r}: {where} has {length} ids, the cloud has "
                    f"{frame.point_count} points"
                )
    for index, frame in frames.items():
        text = "; ".join(issues[index])
        if frame.label_issue != text:
            frame.label_issue = text
            frame.save(update_fields=["label_issue"])


def _label_lengths(attributes) -> dict[int, int]:
    if not isinstance(attributes, dict):
        return {}
    frames = attributes["frames"] if isinstance(attributes.get("frames"), list) else [attributes]
    return {
        index: len(frame["point_annotations"])
        for index, frame in enumerate(frames)
        if isinstance(frame, dict) and isinstance(frame.get("point_annotations"), list)
    }


def label_problems(sample_ids: list[int]) -> dict[int, list[str]]:
    """{sample id: messages} for the dataset page: clouds that could not be read and labels whose number of
    point ids does not match the cloud. One query."""
    problems: dict[int, list[str]] = {}
    rows = PointCloudFrame.objects.filter(sample_id__in=sample_ids).exclude(error="", label_issue="")
    for frame in rows.order_by("sample_id", "sensor", "frame"):
        where = f"{frame.sensor} frame {frame.frame}" if frame.sensor else f"frame {frame.frame}"
        if frame.error:
            problems.setdefault(frame.sample_id, []).append(f"Point cloud of {where} could not be read: {frame.error}")
        if frame.label_issue:
            problems.setdefault(frame.sample_id, []).append(f"Point count mismatch on {where}: {frame.label_issue}")
    return problems


def sample_point_cloud_frames(sample: Sample) -> list[dict]:
    """What the editor needs to load a sample's clouds, in (sensor, frame) order: [{frame, sensor, status,
    point_count, has_intensity, buffer (URL path of the derived buffer, or None), error}]. One query."""
    return [
        {
            "frame": frame.frame,
            "sensor": frame.sensor,
            "status": frame.status,
            "point_count": frame.point_count,
            "has_intensity": frame.has_intensity,
            "buffer": f"{settings.MEDIA_URL}{frame.buffer.name}" if frame.buffer else None,
            "error": frame.error,
        }
        for frame in sample.point_cloud_frames.order_by("sensor", "frame")
    ]
