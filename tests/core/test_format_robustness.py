"""No input crashes a validator: every value of every valid example, replaced by each awkward JSON value,
either validates or raises LabelFormatError with located issues (never TypeError, KeyError, OverflowError)."""

import math
from typing import Any

import pytest

from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import (
    TASK_TYPES,
    validate_label_attributes,
    validate_sample_attributes,
    validate_task_attributes,
)
from tests.core.label_examples import DELETE, TASK_ATTRIBUTES, labels, mutate, samples

AWKWARD = [None, "x", [], {}, math.nan, -1, 10**400, True, DELETE]


def _paths(document: Any, path: str = "") -> list[str]:
    """Every path inside a JSON document (lists beyond their first two elements are skipped)."""
    found = []
    if isinstance(document, dict):
        children = [(f"{path}.{key}" if path else key, value) for key, value in document.items()]
    elif isinstance(document, list):
        children = [(f"{path}[{index}]", value) for index, value in enumerate(document[:2])]
    else:
        children = []
    for child_path, value in children:
        found.append(child_path)
        found += _paths(value, child_path)
    return found


def _rejections(validate, document: Any) -> list[LabelFormatError]:
    rejected = []
    for path in _paths(document):
        for value in AWKWARD:
            try:
                validate(mutate(document, path, value))
            except LabelFormatError as error:
                rejected.append(error)
    return rejected


def _outcomes(validate, document: Any) -> int:
    rejected = _rejections(validate, document)
    assert all(error.issues for error in rejected)
    assert all(isinstance(issue.path, str) and issue.rule for error in rejected for issue in error.issues)
    return len(rejected)


@pytest.mark.parametrize("task_type", TASK_TYPES)
def test_label_validation_never_crashes(task_type):
    sample = samples()[task_type]

    def validate(label):
        validate_label_attributes(
            task_type,
            label,
            task_attributes=TASK_ATTRIBUTES,
            sample_attributes=sample,
            label_status="LABELED",
        )

    assert _outcomes(validate, labels()[task_type]) > 20


@pytest.mark.parametrize("task_type", ["vector", "image-vector-sequence", "pointcloud-cuboid", "multisensor-sequence"])
def test_sample_validation_never_crashes(task_type):
    assert _outcomes(lambda sample: validate_sample_attributes(task_type, sample), samples()[task_type]) > 10


def test_task_attributes_validation_never_crashes():
    assert _outcomes(lambda config: validate_task_attributes("vector", config), TASK_ATTRIBUTES) > 100


def test_label_validation_never_crashes_on_a_broken_sample_or_configuration():
    rules = set()
    for task_type in TASK_TYPES:
        for broken in (None, [], "x", {"frames": "x", "sensors": [1], "text": 5}):
            with pytest.raises(LabelFormatError) as raised:
                validate_label_attributes(
                    task_type, labels()[task_type], task_attributes=broken, sample_attributes=broken
                )
            rules |= {issue.rule for issue in raised.value.issues}

    assert rules == {"unknown_category"}
