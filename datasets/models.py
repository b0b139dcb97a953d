"""Datasets, samples, label sets, labels, assets, releases, issues and workunits.

Label and sample `attributes` are stored exactly as received (the SDK compares what it PUT with what it
GETs); the formats are checked by `labeling.core.label_formats` before anything is written.
"""

import uuid

from django.conf import settings
from django.db import models

from labeling.core.task_types import LABEL_STATUSES, TASK_TYPES
from labeling.models import ROLE_CHOICES, ROLE_LABELER, Organization

TASK_TYPE_CHOICES = [(task_type, task_type) for task_type in TASK_TYPES]
LABEL_STATUS_CHOICES = [(status, status) for status in LABEL_STATUSES]
DATASET_CATEGORIES = (
    "street_scenery",
    "garden",
    "agriculture",
    "satellite",
    "people",
    "medical",
    "fruit",
    "other",
)
GROUND_TRUTH = "ground-truth"


def default_task_attributes() -> dict:
    return {"format_version": "0.1", "categories": [{"id": 1, "name": "object"}]}


class Dataset(models.Model):
    """A collection of samples of one type, labeled with the label type its `task_type` fixes.

    Owned by a user or an organization; `owner_name` is that owner's name, so `owner_name/name` is the
    dataset's full name and its URL.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    owner_name = models.CharField(max_length=150, db_index=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="datasets"
    )
    owner_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="datasets"
    )
    description = models.TextField(blank=True)
    readme = models.TextField(blank=True)
    category = models.CharField(max_length=32, default="other")
    public = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    task_type = models.CharField(max_length=40, choices=TASK_TYPE_CHOICES, default="segmentation-bitmap")
    task_attributes = models.JSONField(default=default_task_attributes)
    metadata = models.JSONField(default=dict, blank=True)
    region_of_interest = models.JSONField(null=True, blank=True)
    cloned_from = models.CharField(max_length=300, blank=True)
    labeling_inactivity_timeout_seconds = models.PositiveIntegerField(default=300)
    enable_ratings = models.BooleanField(default=False)
    enable_skip_labeling = models.BooleanField(default=True)
    enable_skip_reviewing = models.BooleanField(default=False)
    enable_save_button = models.BooleanField(default=False)
    enable_label_status_verified = models.BooleanField(default=False)
    enable_same_dimensions_track_constraint = models.BooleanField(default=False)
    enable_3d_region_of_interest = models.BooleanField(default=False)
    enable_3d_cuboid_rotation = models.BooleanField(default=False)
    enable_interpolation = models.BooleanField(default=True)
    enable_extrapolation = models.BooleanField(default=False)
    use_timestamps_for_interpolation = models.BooleanField(default=False)
    enable_object_linking = models.BooleanField(default=False)
    enable_object_link_category_restrictions = models.BooleanField(default=False)
    enable_confirm_on_submit = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner_name", "name"], name="unique_dataset_per_owner"),
            models.CheckConstraint(
                condition=models.Q(owner_user__isnull=False) | models.Q(owner_organization__isnull=False),
                name="dataset_has_owner",
            ),
        ]
        ordering = ["owner_name", "name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.owner_name}/{self.name}"

    @property
    def categories(self) -> list[dict]:
        return list((self.task_attributes or {}).get("categories") or [])


class Collaborator(models.Model):
    """A user's role on one dataset."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="collaborators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaborations")
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default=ROLE_LABELER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "user"], name="unique_collaborator")]

    def __str__(self) -> str:
        return f"{self.user} on {self.dataset} ({self.role})"


class Sample(models.Model):
    """A data point to label: an image, a sequence, a point cloud, a multi-sensor sequence or a text."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="samples")
    name = models.CharField(max_length=255)
    attributes = models.JSONField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    priority = models.FloatField(default=0)
    readme = models.TextField(blank=True)
    assigned_labeler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # An organization as assignee (the SDK accepts an organization name, spec section 4.4): the sample is the
    # team's; any member with the role may take it (then it becomes that member's). Never set with the user.
    assigned_labeler_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_reviewer_organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    thumbnail = models.ForeignKey(
        "Asset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A small JPEG made by a worker from the sample's image (the dataset page shows it, never the "
        "original); empty until made, and for samples whose image is not an asset of this server.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "name"], name="unique_sample_name")]
        indexes = [models.Index(fields=["dataset", "priority"])]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LabelSet(models.Model):
    """A named set of labels per dataset: `ground-truth` always exists; more hold model predictions."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="labelsets")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    is_groundtruth = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "name"], name="unique_labelset")]
        ordering = ["-is_groundtruth", "name"]

    def __str__(self) -> str:
        return self.name


class Label(models.Model):
    """The label of one sample in one label set. `version` increases on every write."""

    # No single-column indexes: `unique_label` (sample, labelset) and (labelset, label_status) lead with them,
    # and each index is one more write on every label save.
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="labels", db_index=False)
    labelset = models.ForeignKey(LabelSet, on_delete=models.CASCADE, related_name="labels", db_index=False)
    attributes = models.JSONField(null=True, blank=True)
    label_status = models.CharField(max_length=32, choices=LABEL_STATUS_CHOICES, default="PRELABELED")
    score = models.FloatField(null=True, blank=True)
    rating = models.IntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    interpolated_from = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Set when the interpolation worker wrote this version from that one: a writer who started "
        "from that version is not stale (the worker's output is derived from it and is recomputed).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    labeled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The last writer of a labeling status (LABELING_IN_PROGRESS, LABELED, SKIPPED); a prelabel or "
        "a review leaves it alone.",
    )
    labeled_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    save_id = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="The client's save id (Idempotency-Key header) of the write that made this version: a retry "
        "of that write, whose first attempt stored it, is answered with this label instead of a conflict.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample", "labelset"], name="unique_label")]
        indexes = [models.Index(fields=["labelset", "label_status"])]

    def __str__(self) -> str:
        return f"{self.sample} [{self.labelset}] v{self.version}"


class LabelVersion(models.Model):
    """One saved version of a label (its history, docs/history.md): written in the same statement or
    transaction as every label write, pruned to the retention settings (LABEL_HISTORY_KEEP, _DAYS).

    `attributes` holds the label's attributes as compressed JSON (labeling.core.label_history, `codec`);
    `raw_size` and `stored_size` are its bytes before and after compression. Deleting a label deletes its
    history (CASCADE).
    """

    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="versions", db_index=False)
    version = models.PositiveIntegerField()
    label_status = models.CharField(max_length=32, choices=LABEL_STATUS_CHOICES)
    attributes = models.BinaryField()
    codec = models.CharField(max_length=8, default="zlib")
    raw_size = models.PositiveIntegerField()
    stored_size = models.PositiveIntegerField()
    # No index: deleting a user (SET_NULL) is rare, a label save is not.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    created_at = models.DateTimeField()

    class Meta:
        # Also the index of a label's history (label first), so no index on `label` alone.
        constraints = [models.UniqueConstraint(fields=["label", "version"], name="unique_label_version")]

    def __str__(self) -> str:
        return f"label {self.label_id} v{self.version}"


class Asset(models.Model):
    """An uploaded file (image, segmentation bitmap, point cloud) served at a public, unguessable URL.

    `POST /assets/` creates the row with an upload token; the presigned-POST-style upload fills `file`.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filename = models.CharField(max_length=255)
    file = models.FileField(upload_to="assets/", max_length=300, blank=True)
    upload_token_hash = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    uploaded_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.filename


class Release(models.Model):
    """A consistent snapshot of a dataset, written to a JSON file by a Celery worker."""

    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    STATUS_CHOICES = [(PENDING, PENDING), (SUCCEEDED, SUCCEEDED), (FAILED, FAILED)]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="releases")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=PENDING)
    file = models.FileField(upload_to="releases/", max_length=300, blank=True)
    samples_count = models.PositiveIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "name"], name="unique_release")]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dataset} @ {self.name}"


class Issue(models.Model):
    """A review issue raised on a sample, optionally anchored to a track, location or frame."""

    OPEN = "OPEN"
    CLOSED = "CLOSED"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="issues")
    description = models.TextField()
    status = models.CharField(max_length=8, choices=[(OPEN, OPEN), (CLOSED, CLOSED)], default=OPEN)
    anchor = models.JSONField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.description[:50]


class IssueComment(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:50]


class Workunit(models.Model):
    """Time a user spent labeling or reviewing one sample."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="workunits")
    work_type = models.CharField(max_length=32, default="LABELING")
    time = models.PositiveIntegerField(default=0, help_text="seconds")
    inactive_time = models.PositiveIntegerField(default=0, help_text="seconds")
    next_label_status = models.CharField(max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.work_type} {self.time}s on {self.sample_id}"


class PointCloudFrame(models.Model):
    """What the server read from one point-cloud file of a sample: a single-frame cloud (frame 0), one frame of
    a point-cloud sequence, or one frame of a multi-sensor sample's lidar sensor (`sensor` = its name).

    A Celery worker fills it (datasets.services.pointclouds): `point_count` and the derived `buffer` (little-
    endian float32 x, y, z of every point in file order, then one float32 intensity per point when the file
    has intensity; see docs/pointclouds.md), or `error` naming why the file could not be read.
    `label_issue` flags labels saved before the count was known whose `point_annotations` do not match it.
    """

    PENDING = "PENDING"
    READ = "READ"
    FAILED = "FAILED"
    STATUS_CHOICES = [(PENDING, PENDING), (READ, READ), (FAILED, FAILED)]

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="point_cloud_frames")
    sensor = models.CharField(max_length=255, blank=True)
    frame = models.PositiveIntegerField(default=0)
    url = models.TextField(help_text="The `pcd.url` that was read; a changed URL is read again.")
    pcd_type = models.CharField(max_length=32)
    status = models.CharField(max_length=8, choices=STATUS_CHOICES, default=PENDING)
    point_count = models.PositiveIntegerField(null=True, blank=True)
    has_intensity = models.BooleanField(default=False)
    buffer = models.FileField(upload_to="assets/pointclouds/", max_length=300, blank=True)
    error = models.TextField(blank=True)
    label_issue = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample", "sensor", "frame"], name="unique_point_cloud_frame")]
        ordering = ["sample", "sensor", "frame"]

    def __str__(self) -> str:
        return f"{self.sample_id}/{self.sensor or '-'}/{self.frame}: {self.status}"


class PendingTask(models.Model):
    """A Celery task that must follow a committed write (the transactional outbox).

    Written in the transaction of the write it follows, so the two commit or roll back together; deleted once
    the broker has accepted the task (datasets.services.outbox). Rows left behind while the broker was down
    are sent by the relay the workers run (docs/outbox.md). Tasks are looked up by name and are idempotent,
    so a task sent twice (a relay racing the first delivery) does no harm.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)  # JSON-serialisable positional arguments (ids)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)}"


class ImportJob(models.Model):
    """An import of uploaded files into a dataset (COCO, video, scene folder...), run by a Celery worker.

    `kind` names the importer (datasets.services.imports); `asset_uuids` the uploaded files it reads; `done` and
    `total` its progress in the importer's own unit (images, frames); `report` what it created and refused,
    `errors` why a FAILED import was refused ([{path, rule, message}]); nothing is stored for a FAILED one.
    """

    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    STATUS_CHOICES = [(QUEUED, QUEUED), (RUNNING, RUNNING), (SUCCEEDED, SUCCEEDED), (FAILED, FAILED)]

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=QUEUED)
    options = models.JSONField(default=dict)
    asset_uuids = models.JSONField(default=list)
    site_url = models.CharField(max_length=300, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    report = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import into {self.dataset_id}: {self.status}"


class CalibrationRanking(models.Model):
    """The stored ranking of the 48 candidate corrections of one camera of a sample (the calibration check),
    made by a Celery worker (datasets.services.calibration.rank_and_store).

    `fingerprint` hashes what the ranking was computed from (the checked frames' point-cloud and image URLs and
    the camera's calibration, and the scoring's version): a ranking whose fingerprint no longer matches the
    sample is stale and ranked again. `scored` counts the candidates scored so far (0..48) while RANKING;
    `candidates` is the ranked list (Candidate fields, best first) once DONE; `error` says why when FAILED.
    """

    PENDING = "PENDING"
    RANKING = "RANKING"
    DONE = "DONE"
    FAILED = "FAILED"
    STATUS_CHOICES = [(PENDING, PENDING), (RANKING, RANKING), (DONE, DONE), (FAILED, FAILED)]

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="calibration_rankings")
    camera = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=STATUS_CHOICES, default=PENDING)
    scored = models.PositiveIntegerField(default=0)
    candidates = models.JSONField(default=list)
    error = models.TextField(blank=True)
    ranked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample", "camera"], name="unique_calibration_ranking")]

    def __str__(self) -> str:
        return f"{self.sample_id}/{self.camera}: {self.status}"
