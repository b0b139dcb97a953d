"""Dataset use cases: create (with its ground-truth label set)."""

from django.db import transaction

from datasets.models import GROUND_TRUTH, Dataset, LabelSet
from datasets.services.labels import format_error_to_invalid_input
from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import validate_task_attributes
from labeling.exceptions import AlreadyExists


def create_dataset(actor, *, owner_name: str, owner_user=None, owner_organization=None, **fields) -> Dataset:
    """Create a dataset owned by `owner_user` or `owner_organization` (named `owner_name`), with `ground-truth`.

    `fields` are Dataset model fields (name, task_type, task_attributes, flags...). Raises AlreadyExists for a
    duplicate name, InvalidInput for bad task attributes.
    """
    task_type = fields.get("task_type", "segmentation-bitmap")
    if "task_attributes" in fields:
        try:
            validate_task_attributes(task_type, fields["task_attributes"])
        except LabelFormatError as error:
            raise format_error_to_invalid_input(error, prefix="task_attributes") from error
    if Dataset.objects.filter(owner_name=owner_name, name=fields["name"]).exists():
        raise AlreadyExists(f"A dataset with this name already exists for {owner_name}.")
    with transaction.atomic():
        dataset = Dataset.objects.create(
            owner_name=owner_name,
            owner_user=owner_user,
            owner_organization=owner_organization,
            created_by=actor,
            **fields,
        )
        LabelSet.objects.create(dataset=dataset, name=GROUND_TRUTH, is_groundtruth=True)
    return dataset
