"""Request and response schemas of the JSON API (wire shapes from tests/data/specs/segments-api.md §3).

Response schemas mirror the SDK's strict pydantic models: a field the SDK requires is never null here, sample
and label `attributes` are null rather than `{}`, and the Dataset booleans are always booleans.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, field_validator

from datasets.models import DATASET_CATEGORIES
from labeling.core.label_formats import LABEL_STATUSES, TASK_TYPES

LabelStatus = Literal[LABEL_STATUSES]  # type: ignore[valid-type]  # the wire values, from the core (a tuple subscript lists them all)
TaskType = Literal[TASK_TYPES]  # type: ignore[valid-type]
Category = Literal[DATASET_CATEGORIES]  # type: ignore[valid-type]
Role = Literal["labeler", "reviewer", "manager", "admin"]
IssueStatus = Literal["OPEN", "CLOSED"]

# Names travel unescaped in the SDK's URLs (spec §1.5): URL-safe characters only, never only dots.
NAME_PATTERN = r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$"
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=NAME_PATTERN)]
# Integers stored in PostgreSQL `integer` columns (PositiveIntegerField): at most 2**31 - 1.
MAX_DB_INTEGER = 2**31 - 1


# Labels -----------------------------------------------------------------------------------------------------


class LabelIn(Schema):
    label_status: LabelStatus = "PRELABELED"
    attributes: dict[str, Any] | None = None
    score: float | None = None
    version: int | None = Field(
        default=None,
        ge=0,
        le=MAX_DB_INTEGER,
        description="Version the write started from (0: no label yet). Stale: 409.",
    )


class LabelPatchIn(Schema):
    label_status: LabelStatus | None = None
    attributes: dict[str, Any] | None = None
    score: float | None = None
    version: int | None = Field(default=None, ge=0, le=MAX_DB_INTEGER)


class LabelOut(Schema):
    sample_uuid: str
    label_type: str
    label_status: str
    labelset: str
    attributes: dict[str, Any] | None
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str | None
    score: float | None
    rating: int | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    version: int


class LabelSummaryOut(Schema):
    """The `label` of a get_samples item when a label set is asked for without `include_full_label`."""

    label_status: str
    score: float | None = None
    updated_at: datetime | None = None
    created_by: str | None = None
    reviewed_by: str | None = None


class LabelVersionOut(Schema):
    """One saved version of a label, in its history (docs/history.md): sizes in bytes of its attributes' JSON
    (`raw_size`) and of what is stored (`stored_size`, compressed)."""

    version: int
    label_status: str
    created_by: str | None
    created_at: datetime
    raw_size: int
    stored_size: int


class LabelVersionDetailOut(LabelVersionOut):
    attributes: dict[str, Any] | None


# Users and organizations ------------------------------------------------------------------------------------


class UserOut(Schema):
    """A user, or an organization (`is_organization: true`): the SDK's User model."""

    username: str
    created_at: datetime
    is_organization: bool
    email: str | None = None
    organization_role: Role | None = None
    organization_created_by: str | None = None
    organizations: list["UserOut"] | None = None
    members: list["UserOut"] | None = None


class OrganizationIn(Schema):
    name: Name
    email: str = ""


class OrganizationPatchIn(Schema):
    default_member_role: Literal["member", "none"] = Field(
        description="Members' base role on the organization's datasets: \"member\" (each member's own role) or "
        '"none" (only admins; other members need an invitation as collaborators).'
    )


class OrganizationSettingsOut(Schema):
    name: str
    default_member_role: Literal["member", "none"]


class MemberIn(Schema):
    user: str = Field(min_length=1, max_length=150)
    role: Role = "labeler"


class MemberPatchIn(Schema):
    role: Role


class MemberOut(Schema):
    user: UserOut
    role: Role


# Datasets ---------------------------------------------------------------------------------------------------


class OwnerOut(Schema):
    username: str
    created_at: datetime


class LabelsetOut(Schema):
    name: str
    description: str
    is_groundtruth: bool
    created_at: datetime


class DatasetOut(Schema):
    name: str
    full_name: str
    cloned_from: str | None
    description: str
    readme: str
    category: Category
    public: bool
    archived: bool
    owner: OwnerOut
    created_at: datetime
    task_type: str
    task_attributes: dict[str, Any]
    labelsets: list[LabelsetOut]
    label_stats: dict[str, int]
    role: str | None
    samples_count: int
    collaborators_count: int
    metadata: dict[str, Any]
    region_of_interest: dict[str, Any] | None
    labeling_inactivity_timeout_seconds: int
    enable_ratings: bool
    enable_skip_labeling: bool
    enable_skip_reviewing: bool
    enable_save_button: bool
    enable_label_status_verified: bool
    enable_same_dimensions_track_constraint: bool
    enable_3d_region_of_interest: bool
    enable_3d_cuboid_rotation: bool
    enable_confirm_on_submit: bool
    enable_interpolation: bool
    enable_extrapolation: bool
    use_timestamps_for_interpolation: bool
    enable_object_linking: bool
    enable_object_link_category_restrictions: bool


class DatasetSettingsIn(Schema):
    """The settings add_dataset and update_dataset share. Every field is optional so PATCH stays partial."""

    description: str | None = None
    task_type: TaskType | None = None
    task_attributes: dict[str, Any] | None = None
    category: Category | None = None
    public: bool | None = None
    readme: str | None = None
    metadata: dict[str, Any] | None = None
    labeling_inactivity_timeout_seconds: int | None = Field(default=None, ge=0, le=MAX_DB_INTEGER)
    region_of_interest: dict[str, Any] | None = None
    enable_skip_labeling: bool | None = None
    enable_skip_reviewing: bool | None = None
    enable_ratings: bool | None = None
    enable_interpolation: bool | None = None
    enable_extrapolation: bool | None = None
    enable_same_dimensions_track_constraint: bool | None = None
    enable_save_button: bool | None = None
    enable_label_status_verified: bool | None = None
    enable_3d_cuboid_rotation: bool | None = None
    enable_3d_region_of_interest: bool | None = None
    enable_confirm_on_submit: bool | None = None
    enable_object_linking: bool | None = None
    enable_object_link_category_restrictions: bool | None = None
    use_timestamps_for_interpolation: bool | None = None
    archived: bool | None = None


class DatasetIn(DatasetSettingsIn):
    """add_dataset's body. `data_type` ("IMAGE", even for point clouds) is accepted and ignored."""

    name: Name
    data_type: str | None = None


class DatasetCloneIn(Schema):
    name: Name | None = None
    task_type: TaskType | None = None
    public: bool | None = None
    owner: str | None = Field(default=None, description="Organization (or your own username) to own the clone.")
    clone_labels: bool = False


# Collaborators ----------------------------------------------------------------------------------------------


class CollaboratorIn(Schema):
    user: str = Field(min_length=1, max_length=150)
    role: Role = "labeler"


class CollaboratorPatchIn(Schema):
    role: Role


class CollaboratorOut(Schema):
    user: UserOut
    role: Role


# Samples ----------------------------------------------------------------------------------------------------


class SampleIn(Schema):
    name: str = Field(min_length=1, max_length=255)
    attributes: dict[str, Any]
    metadata: dict[str, Any] | None = None
    priority: float = 0
    assigned_labeler: str | None = None
    assigned_reviewer: str | None = None
    readme: str = ""


class SamplePatchIn(Schema):
    """Partial: a missing key leaves the field alone; `assigned_labeler: null` unassigns."""

    name: str | None = Field(default=None, min_length=1, max_length=255)
    attributes: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    priority: float | None = None
    assigned_labeler: str | None = None
    assigned_reviewer: str | None = None
    readme: str | None = None


class SampleOut(Schema):
    uuid: str
    name: str
    attributes: dict[str, Any] | None
    metadata: dict[str, Any]
    created_at: datetime
    created_by: str
    updated_at: datetime
    readme: str
    priority: float
    assigned_labeler: str | None
    assigned_reviewer: str | None
    label: LabelOut | LabelSummaryOut | None = None
    dataset_full_name: str


class DeleteSamplesIn(Schema):
    uuids: list[str] = Field(min_length=1, max_length=1000)


class DeleteSamplesOut(Schema):
    deleted_count: int


# Label sets -------------------------------------------------------------------------------------------------


class LabelsetIn(Schema):
    """add_labelset's body; the SDK also sends `"attributes": "{}"` (a string), which is ignored."""

    name: Name
    description: str = ""
    attributes: Any = None


# Issues -----------------------------------------------------------------------------------------------------


class _AnchorBase(Schema):
    sensor: str | None = None
    frame: int | None = Field(default=None, ge=-MAX_DB_INTEGER, le=MAX_DB_INTEGER)


class Location2D(Schema):
    type: Literal["2d"]
    x: float
    y: float


class Location3D(Schema):
    type: Literal["3d"]
    x: float
    y: float
    z: float


class BasicAnchor(_AnchorBase):
    type: Literal["basic"]


class TrackAnchor(_AnchorBase):
    type: Literal["track"]
    trackNumber: int = Field(ge=-(2**63), le=2**63 - 1)
    trackAttribute: str | None = None


class SceneAttributeAnchor(_AnchorBase):
    type: Literal["sceneAttribute"]
    sceneAttribute: str


class LocationAnchor(_AnchorBase):
    type: Literal["location"]
    location: Annotated[Location2D | Location3D, Field(discriminator="type")]


IssueAnchor = Annotated[BasicAnchor | TrackAnchor | SceneAttributeAnchor | LocationAnchor, Field(discriminator="type")]


class IssueIn(Schema):
    """add_issue's body. The SDK passes `anchor` unchecked; it is validated here so that every stored issue
    reads back through the SDK's strict Issue model."""

    description: str = Field(max_length=10_000)
    status: IssueStatus = "OPEN"
    anchor: IssueAnchor | None = None


class IssuePatchIn(Schema):
    description: str | None = Field(default=None, max_length=10_000)
    status: IssueStatus | None = None
    anchor: IssueAnchor | None = None


class IssueCommentIn(Schema):
    text: str = Field(min_length=1, max_length=10_000)


class IssueCommentOut(Schema):
    created_at: datetime
    created_by: str
    text: str


class IssueOut(Schema):
    uuid: str
    description: str
    status: IssueStatus
    anchor: dict[str, Any] | None
    comments: list[IssueCommentOut]
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    sample_uuid: str
    sample_name: str


class ReviewAnchorIn(Schema):
    """Where a rejection points: an object (its track_id) and/or a frame; stored on the issue as a `track`
    anchor (trackNumber = track_id) or, with a frame only, a `basic` one."""

    track_id: int | None = None
    frame: int | None = Field(default=None, ge=0)


class ReviewIn(Schema):
    """A reviewer's verdict on a label: accept (REVIEWED) or reject (REJECTED, with a reason)."""

    decision: Literal["accept", "reject"]
    reason: str = Field(default="", max_length=10_000)
    anchor: ReviewAnchorIn | None = None
    version: int | None = Field(default=None, ge=0, description="Version the reviewer saw. Stale: 409.")


class ReviewOut(Schema):
    label: LabelOut
    issue: IssueOut | None
    next_url: str | None


# Releases ---------------------------------------------------------------------------------------------------


class ReleaseIn(Schema):
    name: Name
    description: str = ""


class ReleaseFileOut(Schema):
    url: str | None
    signed_url: str | None


class ReleaseOut(Schema):
    uuid: str
    name: str
    description: str
    release_type: Literal["JSON"]
    attributes: ReleaseFileOut
    status: Literal["PENDING", "SUCCEEDED", "FAILED"]
    created_at: datetime
    samples_count: int


# Workunits --------------------------------------------------------------------------------------------------


class WorkunitOut(Schema):
    uuid: str
    created_at: datetime
    created_by: str
    work_type: str
    next_label_status: str | None
    time: int
    inactive_time: int
    sample_uuid: str
    sample_name: str
    label_rating: int | None = None
    session_time_metrics: dict[str, Any] | None = None


# Assets -----------------------------------------------------------------------------------------------------


class AssetIn(Schema):
    filename: str = Field(min_length=1, max_length=200)

    @field_validator("filename")
    @classmethod
    def no_path(cls, value: str) -> str:
        if "/" in value or "\\" in value or value.strip(".") == "":
            raise ValueError("a file name, not a path")
        return value


class PresignedPostOut(Schema):
    url: str
    fields: dict[str, str]


class FileOut(Schema):
    uuid: str
    filename: str
    url: str
    created_at: datetime
    presignedPostFields: PresignedPostOut
