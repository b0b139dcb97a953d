"""Label set use cases: add and delete (the ground truth stays); lookups by name."""

from django.db import IntegrityError, transaction

from datasets.models import Dataset, LabelSet
from labeling.exceptions import AlreadyExists, InvalidInput, NotFound


def list_labelsets(dataset: Dataset):
    """The label sets of `dataset`, ground truth first, then by name."""
    return LabelSet.objects.filter(dataset=dataset)


def get_labelset(dataset: Dataset, name: str) -> LabelSet:
    """The label set `name` of `dataset`; raises NotFound."""
    labelset = LabelSet.objects.filter(dataset=dataset, name=name).first()
    if labelset is None:
        raise NotFound()
    return labelset


def add_labelset(actor, dataset: Dataset, *, name: str, description: str = "") -> LabelSet:
    """Add an (empty) label set, e.g. to hold a model's predictions. Raises AlreadyExists."""
    try:
        with transaction.atomic():
            return LabelSet.objects.create(dataset=dataset, name=name, description=description)
    except IntegrityError:
        raise AlreadyExists("A label set with this name already exists in this dataset.") from None


def delete_labelset(actor, dataset: Dataset, name: str) -> None:
    """Delete the label set `name` with its labels. Raises NotFound, InvalidInput for the ground truth."""
    labelset = get_labelset(dataset, name)
    if labelset.is_groundtruth:
        raise InvalidInput("The ground-truth label set cannot be deleted.")
    labelset.delete()
