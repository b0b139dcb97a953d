"""Who may set which label status: labelers label, reviewers also review (the same rule for API and pages)."""

from datasets import access

REVIEW_STATUSES = frozenset({"REVIEWED", "REJECTED", "VERIFIED"})


def role_to_set_label_status(label_status: str | None) -> str:
    """The least role that may write a label with `label_status`: reviewer for REVIEWED, REJECTED and
    VERIFIED, labeler for every other status (and for a write that leaves the status alone)."""
    return access.ROLE_REVIEWER if label_status in REVIEW_STATUSES else access.ROLE_LABELER
