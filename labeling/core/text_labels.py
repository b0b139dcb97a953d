"""Text labels: `text-named-entities` and `text-span-categorization` (spec section 0).

Attributes: `{"format_version"?: "0.1", "annotations": [{"start": int, "end": int, "category_id": int,
"attributes"?: {...}}]}`. Offsets count characters (Unicode code points, as Python's `str` indexes them) into
the sample's `text`; `end` is exclusive, so `text[start:end]` is the span and `start < end <= len(text)`.
Named entities may not overlap; span categories may.
"""

from typing import Any

from labeling.core.annotations import LabelContext, check_category
from labeling.core.checks import Issues, check_array, check_object, field, integer, item, join


def _check_span(
    issues: Issues, annotation: Any, path: str, context: LabelContext, text: str | None
) -> tuple[int, int] | None:
    if not check_object(issues, annotation, path):
        return None
    check_category(issues, annotation, path, context)
    start = field(issues, annotation, "start", path, integer(0))
    end = field(issues, annotation, "end", path, integer(0))
    if start is None or end is None:
        return None
    if end <= start:
        issues.add(join(path, "end"), "span_order", f"end ({end}) must be greater than start ({start})")
        return None
    if text is not None and end > len(text):
        issues.add(join(path, "end"), "text_bounds", f"end ({end}) is past the end of the text ({len(text)})")
        return None
    return start, end


def _check_no_overlap(issues: Issues, spans: list[tuple[int, int, int]], path: str) -> None:
    # Sweep in text order; each overlap is reported at the later annotation of the two in the array.
    # The message names both spans by their full path and offsets, so a client can point at each.
    furthest: tuple[int, int, int] = (-1, -1, -1)  # (start, end, index) of the span reaching furthest right
    for span in sorted(spans):
        start, end, _ = span
        if start < furthest[1]:
            (first, second) = sorted((span, furthest), key=lambda s: s[2])
            message = (
                f"named entities may not overlap: {item(path, first[2])} [{first[0]}, {first[1]}) and "
                f"{item(path, second[2])} [{second[0]}, {second[1]}) overlap"
            )
            issues.add(item(path, second[2]), "entity_overlap", message)
        if end > furthest[1]:
            furthest = span


def check_text_label(
    issues: Issues,
    attributes: dict,
    path: str,
    context: LabelContext,
    *,
    text: str | None,
    allow_overlap: bool,
) -> None:
    """Check a text label's annotations; offsets are only bounded by the text when `text` is known."""
    annotations = field(issues, attributes, "annotations", path, check_array)
    if annotations is None:
        return
    annotations_path = join(path, "annotations")
    spans = []
    for index, annotation in enumerate(annotations):
        span = _check_span(issues, annotation, item(annotations_path, index), context, text)
        if span is not None:
            spans.append((*span, index))
    if not allow_overlap:
        _check_no_overlap(issues, spans, annotations_path)
