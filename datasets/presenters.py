"""Turn model rows into the API's response dicts (one place, so pages, API and events agree).

Presenters never query: callers preload what they read (the list endpoints pin their query counts). Absolute
URLs are built from `base_url` (SITE_URL or the request's scheme and host), passed in by the caller.
"""

from datasets.models import (
    Asset,
    Collaborator,
    Dataset,
    Issue,
    Label,
    LabelSet,
    LabelVersion,
    Release,
    Sample,
    Workunit,
)


def username(user) -> str | None:
    return user.username if user is not None else None


def media_url(base_url: str, name: str) -> str:
    """Absolute public URL of a file in the default storage (served by datasets.urls_media at /media/)."""
    return f"{base_url.rstrip('/')}/media/{name}"


def label_to_dict(label: Label) -> dict:
    """Label row -> the SDK's Label shape (§3): `created_by` is never null, `attributes` never `{}`."""
    sample = label.sample
    return {
        "sample_uuid": str(sample.uuid),
        "label_type": sample.dataset.task_type,
        "label_status": label.label_status,
        "labelset": label.labelset.name,
        "attributes": label.attributes or None,
        "created_at": label.created_at,
        "created_by": username(label.created_by) or "",
        "updated_at": label.updated_at,
        "updated_by": username(label.updated_by),
        "score": label.score,
        "rating": label.rating,
        "reviewed_at": label.reviewed_at,
        "reviewed_by": username(label.reviewed_by),
        "version": label.version,
    }


def label_version_to_dict(version: LabelVersion) -> dict:
    """A saved version of a label -> LabelVersionOut (its writer preloaded; not its attributes)."""
    return {
        "version": version.version,
        "label_status": version.label_status,
        "created_by": username(version.created_by),
        "created_at": version.created_at,
        "raw_size": version.raw_size,
        "stored_size": version.stored_size,
    }


def label_summary_to_dict(label: Label) -> dict:
    """The LabelSummary of get_samples items: status, score and who, without the attributes."""
    return {
        "label_status": label.label_status,
        "score": label.score,
        "updated_at": label.updated_at,
        "created_by": username(label.created_by),
        "reviewed_by": username(label.reviewed_by),
    }


def user_to_dict(user, *, email: bool = False) -> dict:
    """A user as the SDK's User (`is_organization: false`); the e-mail only when `email` (the user itself)."""
    return {
        "username": user.username,
        "created_at": user.date_joined,
        "is_organization": False,
        "email": user.email if email else None,
    }


def organization_to_dict(organization, *, role: str | None = None, members: list | None = None) -> dict:
    """An organization as the SDK's User with `is_organization: true`; `members` are Membership rows."""
    return {
        "username": organization.name,
        "created_at": organization.created_at,
        "is_organization": True,
        "organization_role": role,
        "organization_created_by": username(organization.created_by),
        "members": None if members is None else [member_to_dict(m)["user"] for m in members],
    }


def member_to_dict(membership) -> dict:
    return {
        "user": {**user_to_dict(membership.user), "organization_role": membership.role},
        "role": membership.role,
    }


def collaborator_to_dict(collaborator: Collaborator) -> dict:
    """Collaborator: the same nested User for POST, GET and PATCH (the resource API compares them)."""
    return {"user": user_to_dict(collaborator.user), "role": collaborator.role}


def labelset_to_dict(labelset: LabelSet) -> dict:
    return {
        "name": labelset.name,
        "description": labelset.description,
        "is_groundtruth": labelset.is_groundtruth,
        "created_at": labelset.created_at,
    }


def owner_to_dict(dataset: Dataset) -> dict:
    owner = dataset.owner_user or dataset.owner_organization
    created_at = getattr(owner, "date_joined", None) or getattr(owner, "created_at", None) or dataset.created_at
    return {"username": dataset.owner_name, "created_at": created_at}


_DATASET_FLAGS = (
    "public",
    "archived",
    "enable_ratings",
    "enable_skip_labeling",
    "enable_skip_reviewing",
    "enable_save_button",
    "enable_label_status_verified",
    "enable_same_dimensions_track_constraint",
    "enable_3d_region_of_interest",
    "enable_3d_cuboid_rotation",
    "enable_confirm_on_submit",
    "enable_interpolation",
    "enable_extrapolation",
    "use_timestamps_for_interpolation",
    "enable_object_linking",
    "enable_object_link_category_restrictions",
)


def dataset_to_dict(
    dataset: Dataset, *, role: str | None, label_stats: dict[str, int], labelsets: list[LabelSet]
) -> dict:
    """Dataset row -> the SDK's strict Dataset. `samples_count`/`collaborators_count` are annotations (or set
    as attributes) by the loader; `label_stats` counts ground-truth labels per status, UNLABELED and TOTAL."""
    return {
        "name": dataset.name,
        "full_name": dataset.full_name,
        "cloned_from": dataset.cloned_from or None,
        "description": dataset.description,
        "readme": dataset.readme,
        "category": dataset.category,
        "owner": owner_to_dict(dataset),
        "created_at": dataset.created_at,
        "task_type": dataset.task_type,
        "task_attributes": dataset.task_attributes or {},
        "labelsets": [labelset_to_dict(labelset) for labelset in labelsets],
        "label_stats": label_stats,
        "role": role,
        "samples_count": dataset.samples_count,  # type: ignore[attr-defined]  # dataset_queries.with_counts
        "collaborators_count": dataset.collaborators_count,  # type: ignore[attr-defined]
        "metadata": dataset.metadata or {},
        "region_of_interest": dataset.region_of_interest,
        "labeling_inactivity_timeout_seconds": dataset.labeling_inactivity_timeout_seconds,
        **{flag: bool(getattr(dataset, flag)) for flag in _DATASET_FLAGS},
    }


def sample_to_dict(sample: Sample, *, label: dict | None = None) -> dict:
    """Sample row -> the SDK's Sample: `metadata` {} not null, `attributes` null not {}, usernames for people.
    `label` is an already presented Label or LabelSummary dict (or None)."""
    return {
        "uuid": str(sample.uuid),
        "name": sample.name,
        "attributes": sample.attributes or None,
        "metadata": sample.metadata or {},
        "created_at": sample.created_at,
        "created_by": username(sample.created_by) or "",
        "updated_at": sample.updated_at,
        "readme": sample.readme or "",
        "priority": sample.priority,
        "assigned_labeler": _assignee_name(sample, "assigned_labeler"),
        "assigned_reviewer": _assignee_name(sample, "assigned_reviewer"),
        "label": label,
        "dataset_full_name": sample.dataset.full_name,
    }


def _assignee_name(sample: Sample, field: str) -> str | None:
    """The assigned user's name, else the assigned organization's (read only when one is set), else None."""
    if getattr(sample, f"{field}_id") is not None:
        return username(getattr(sample, field))
    if getattr(sample, f"{field}_organization_id") is not None:
        return getattr(sample, f"{field}_organization").name
    return None


def issue_to_dict(issue: Issue) -> dict:
    """Issue row (sample, people, comments preloaded) -> the SDK's Issue; `updated_by` is never null."""
    created_by = username(issue.created_by) or ""
    return {
        "uuid": str(issue.uuid),
        "description": issue.description,
        "status": issue.status,
        "anchor": issue.anchor,
        "comments": [
            {"created_at": c.created_at, "created_by": username(c.created_by) or "", "text": c.text}
            for c in issue.comments.all()
        ],
        "created_at": issue.created_at,
        "created_by": created_by,
        "updated_at": issue.updated_at,
        "updated_by": username(issue.updated_by) or created_by,
        "sample_uuid": str(issue.sample.uuid),
        "sample_name": issue.sample.name,
    }


def release_to_dict(release: Release, *, base_url: str) -> dict:
    """Release row -> the SDK's Release; `attributes.url` is the public release file once it is built."""
    url = media_url(base_url, release.file.name) if release.file.name else None
    return {
        "uuid": str(release.uuid),
        "name": release.name,
        "description": release.description,
        "release_type": "JSON",
        "attributes": {"url": url, "signed_url": url},
        "status": release.status,
        "created_at": release.created_at,
        "samples_count": release.samples_count,
    }


def workunit_to_dict(workunit: Workunit, *, session_time_metrics: bool = False) -> dict:
    metrics = {"time": workunit.time, "inactive_time": workunit.inactive_time} if session_time_metrics else None
    return {
        "uuid": str(workunit.uuid),
        "created_at": workunit.created_at,
        "created_by": username(workunit.created_by) or "",
        "work_type": workunit.work_type,
        "next_label_status": workunit.next_label_status or None,
        "time": workunit.time,
        "inactive_time": workunit.inactive_time,
        "sample_uuid": str(workunit.sample.uuid),
        "sample_name": workunit.sample.name,
        "session_time_metrics": metrics,
    }


def asset_to_dict(asset: Asset, *, base_url: str, upload_fields: dict[str, str]) -> dict:
    """Asset row -> the SDK's File: the public `url` and the presigned-POST-style form to upload to."""
    return {
        "uuid": str(asset.uuid),
        "filename": asset.filename,
        "url": media_url(base_url, asset.file.name or ""),
        "created_at": asset.created_at,
        "presignedPostFields": {
            "url": f"{base_url.rstrip('/')}/uploads/{asset.uuid}/",
            "fields": upload_fields,
        },
    }
