"""Dataset use cases besides creation itself: create for a user or an organization, update settings, delete,
clone (samples, and labels on request)."""

from django.core.files.storage import default_storage
from django.db import transaction

from datasets import access
from datasets.models import Dataset, Label, LabelSet, Release, Sample
from datasets.services import label_versions
from datasets.services.datasets import create_dataset
from datasets.services.labels import format_error_to_invalid_input
from datasets.services.pointclouds import delete_buffers_on_commit, schedule_point_cloud_reads
from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import validate_task_attributes
from labeling.exceptions import InvalidInput, PermissionDenied
from labeling.models import ROLE_ADMIN, Membership
from labeling.services import get_organization, require_organization_admin

CLONE_BATCH_SIZE = 1000

# Settings a PATCH may set to null; every other one needs a value.
NULLABLE_SETTINGS = {"region_of_interest"}
# Copied by clone besides the enable_*/use_* flags.
_CLONED_FIELDS = {
    "description",
    "readme",
    "category",
    "task_attributes",
    "metadata",
    "region_of_interest",
    "labeling_inactivity_timeout_seconds",
}


def add_dataset(actor, *, organization: str | None = None, **fields) -> Dataset:
    """Create a dataset for `actor`, or for the organization named `organization` (actor must be its admin;
    naming oneself means a personal dataset). `fields` are Dataset fields.

    Raises NotFound (no such organization), PermissionDenied (not its admin), AlreadyExists, InvalidInput.
    """
    owner = _owner_fields(actor, organization)
    return create_dataset(actor, **owner, **fields)


def _owner_fields(actor, organization: str | None) -> dict:
    if organization is None or organization == actor.username:
        return {"owner_name": actor.username, "owner_user": actor}
    owner = get_organization(organization)
    require_organization_admin(actor, owner)
    return {"owner_name": owner.name, "owner_organization": owner}


def update_dataset(actor, dataset: Dataset, changes: dict) -> Dataset:
    """Apply the settings in `changes` (keys of DatasetSettingsIn) to `dataset` (the caller checked the role).

    Task attributes are validated against the (new) task type. The task type of a dataset that has labels
    cannot change (its labels would no longer be valid). Raises InvalidInput.
    """
    nulls = [key for key, value in changes.items() if value is None and key not in NULLABLE_SETTINGS]
    if nulls:
        errors = [{"path": key, "rule": "required", "message": "may not be null"} for key in nulls]
        raise InvalidInput(f"Invalid request: {', '.join(nulls)} may not be null", errors=errors)
    task_type = changes.get("task_type", dataset.task_type)
    if task_type != dataset.task_type and Label.objects.filter(sample__dataset=dataset).exists():
        raise InvalidInput(
            "The task type of a dataset with labels cannot change.",
            errors=[{"path": "task_type", "rule": "immutable", "message": "the dataset has labels"}],
        )
    if "task_attributes" in changes or "task_type" in changes:
        _validate_task_attributes(task_type, changes.get("task_attributes", dataset.task_attributes))
    for key, value in changes.items():
        setattr(dataset, key, value)
    if changes:
        dataset.save(update_fields=[*changes, "updated_at"])
    return dataset


def _validate_task_attributes(task_type: str, task_attributes: dict) -> None:
    try:
        validate_task_attributes(task_type, task_attributes)
    except LabelFormatError as error:
        raise format_error_to_invalid_input(error, prefix="task_attributes") from error


def delete_dataset(actor, dataset_access: access.DatasetAccess) -> None:
    """Delete a dataset with its samples, labels, issues and releases (release files after commit).

    Only its owner may, or for an organization's dataset an admin of that organization; else PermissionDenied.
    """
    dataset = dataset_access.dataset
    if dataset_access.role != access.OWNER and not _is_organization_admin(actor, dataset):
        raise PermissionDenied()
    files = [name for name in Release.objects.filter(dataset=dataset).values_list("file", flat=True) if name]
    with transaction.atomic():
        delete_buffers_on_commit(dataset.samples.all())  # the point-cloud buffers the worker derived
        dataset.delete()
        transaction.on_commit(lambda: _delete_files(files))


def _is_organization_admin(actor, dataset: Dataset) -> bool:
    return (
        bool(dataset.owner_organization_id)
        and Membership.objects.filter(
            organization_id=dataset.owner_organization_id or 0, user=actor, role=ROLE_ADMIN
        ).exists()
    )


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def clone_dataset(
    actor,
    source: Dataset,
    *,
    name: str | None = None,
    task_type: str | None = None,
    public: bool | None = None,
    owner: str | None = None,
    clone_labels: bool = False,
) -> Dataset:
    """Copy `source` (settings, label sets, samples; labels too when `clone_labels` and the task type stays)
    into a new dataset `name` (default "<name>-clone") owned by `actor` or the organization `owner`.

    Raises as add_dataset. Assignments, issues, releases and workunits are not copied; point clouds are read
    again for the copies by the worker (each dataset owns its derived buffers).
    """
    task_type = task_type or source.task_type
    settings = {
        field.name: getattr(source, field.name)
        for field in Dataset._meta.concrete_fields
        if field.name.startswith(("enable_", "use_")) or field.name in _CLONED_FIELDS
    }
    settings.update(
        name=name or f"{source.name}-clone",
        task_type=task_type,
        public=source.public if public is None else public,
        cloned_from=source.full_name,
    )
    with transaction.atomic():
        clone = add_dataset(actor, organization=owner, **settings)
        labelsets = _clone_labelsets(source, clone)
        samples = _clone_samples(actor, source, clone)
        if clone_labels and task_type == source.task_type:
            _clone_labels(actor, samples, labelsets)
        schedule_point_cloud_reads(list(samples.values()))  # the copies get their own frames and buffers
    return clone


def _clone_labelsets(source: Dataset, clone: Dataset) -> dict[int, LabelSet]:
    """{source label set id: clone's label set}; the ground truth exists already in the clone."""
    mapping = {}
    ground_truth = clone.labelsets.get(is_groundtruth=True)
    for labelset in source.labelsets.all():
        if labelset.is_groundtruth:
            mapping[labelset.pk] = ground_truth
        else:
            mapping[labelset.pk] = LabelSet.objects.create(
                dataset=clone, name=labelset.name, description=labelset.description
            )
    return mapping


def _clone_samples(actor, source: Dataset, clone: Dataset) -> dict[int, Sample]:
    """{source sample id: its copy}, created in batches."""
    originals = list(source.samples.order_by("pk"))
    copies = [
        Sample(
            dataset=clone,
            name=s.name,
            attributes=s.attributes,
            metadata=s.metadata,
            priority=s.priority,
            readme=s.readme,
            created_by=actor,
        )
        for s in originals
    ]
    Sample.objects.bulk_create(copies, batch_size=CLONE_BATCH_SIZE)
    return {original.pk: copy for original, copy in zip(originals, copies, strict=True)}


def _clone_labels(actor, samples: dict[int, Sample], labelsets: dict[int, LabelSet]) -> None:
    labels = Label.objects.filter(sample_id__in=samples.keys()).order_by("pk").iterator(chunk_size=CLONE_BATCH_SIZE)
    copies = [
        Label(
            sample=samples[label.sample_id],
            labelset=labelsets[label.labelset_id],
            attributes=label.attributes,
            label_status=label.label_status,
            score=label.score,
            rating=label.rating,
            created_by=actor,
            updated_by=actor,
        )
        for label in labels
    ]
    Label.objects.bulk_create(copies, batch_size=CLONE_BATCH_SIZE)
    label_versions.record_versions(copies, actor)  # a clone starts a new history
