"""Errors raised by the pure label-format core.

Every validator collects all problems before raising, so one upload gets one complete list of what is wrong.
Each problem is a `FormatIssue` naming the JSON path (`frames[3].annotations[0].points[1]`; root fields are
bare names, the root object itself is the empty string) and a stable rule identifier that the API, the editors
and the tests can switch on. The rules are listed in `labeling.core.label_formats`.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FormatIssue:
    """One broken rule at one place in a JSON document."""

    path: str
    rule: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return `{"path", "rule", "message"}`, the shape the API puts in its 400/422 answers."""
        return {"path": self.path, "rule": self.rule, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path or '(root)'}: {self.message} (rule: {self.rule})"


class LabelFormatError(ValueError):
    """Sample, label or task attributes that break one or more format rules; `.issues` lists all of them."""

    def __init__(self, issues: Iterable[FormatIssue]) -> None:
        self.issues: list[FormatIssue] = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))

    def to_list(self) -> list[dict[str, str]]:
        """Return the issues as plain dicts, in the order they were found."""
        return [issue.to_dict() for issue in self.issues]


class BitmapFormatError(LabelFormatError):
    """A segmentation bitmap PNG that is not a valid label bitmap (path `segmentation_bitmap` by default).

    A subclass of `LabelFormatError`, so callers that map label errors to HTTP 400/422 need no extra case.
    """


class PointCloudFormatError(ValueError):
    """A point-cloud file that cannot be read faithfully: unknown format, truncated, or lying about its
    size; never answered with garbage coordinates."""
