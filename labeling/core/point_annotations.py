"""Point-cloud segmentation `point_annotations`: one annotation id per point, 0 = unlabeled.

The array arrives as a Python list from JSON parsing and may hold millions of entries, so it is checked with
NumPy: one pass to learn the element types, one conversion to int64, then vector checks. Only problems are
located element by element, and at most `MAX_REPORTED` of them per array are reported.
"""

from collections.abc import Set
from typing import Any

import numpy as np

from labeling.core.checks import Issues, check_array, item, json_type

MAX_REPORTED = 20


def check_point_annotations(
    issues: Issues, value: Any, path: str, annotation_ids: Set[int], point_count: int | None
) -> None:
    """Check a `point_annotations` list at `path`.

    Every element is an integer >= 0; every non-zero value is the `id` of an annotation of the same frame
    (rule `unknown_annotation_id`, reported at its first occurrence); the length equals `point_count` (the
    number of points in the cloud) when that is known (rule `point_count`).
    """
    if not check_array(issues, value, path):
        return
    if point_count is not None and len(value) != point_count:
        issues.add(path, "point_count", f"has {len(value)} entries but the point cloud has {point_count} points")
    ids = _as_int64(issues, value, path)
    if ids is None or ids.size == 0:
        return
    if ids.min() < 0:
        negative = ids < 0
        first = int(np.argmax(negative))
        count = int(negative.sum())
        issues.add(item(path, first), "non_negative", f"ids must be >= 0 ({count} negative value(s))")
    _check_ids_known(issues, ids, path, annotation_ids)


def _as_int64(issues: Issues, value: list, path: str) -> np.ndarray | None:
    # `type(x) is int` excludes booleans, which NumPy would silently turn into 0 and 1.
    if set(map(type, value)) <= {int}:
        try:
            return np.fromiter(value, dtype=np.int64, count=len(value))
        except OverflowError:
            pass
    reported = 0
    for index, element in enumerate(value):
        if type(element) is not int or not -(2**63) <= element < 2**63:
            issues.add(item(path, index), "type", f"expected an integer id, got {json_type(element)} {element!r}")
            reported += 1
            if reported == MAX_REPORTED:
                break
    return None


def _present_ids(ids: np.ndarray) -> np.ndarray:
    if ids.size == 0:
        return ids
    highest = int(ids.max())
    if highest <= 4 * ids.size + 65536:  # bincount is O(n) but allocates highest+1 counters
        return np.flatnonzero(np.bincount(ids))
    return np.unique(ids)


def _check_ids_known(issues: Issues, ids: np.ndarray, path: str, annotation_ids: Set[int]) -> None:
    present = {int(object_id) for object_id in _present_ids(ids[ids >= 0] if ids.min() < 0 else ids)}
    unknown = sorted(present - set(annotation_ids) - {0})
    for object_id in unknown[:MAX_REPORTED]:
        first = int(np.argmax(ids == object_id))
        issues.add(item(path, first), "unknown_annotation_id", f"id {object_id} is not an annotation id")
    if len(unknown) > MAX_REPORTED:
        more = len(unknown) - MAX_REPORTED
        issues.add(path, "unknown_annotation_id", f"{more} more ids are not annotation ids")
