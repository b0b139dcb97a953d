"""Workunits: records of time spent labeling or reviewing one sample (written by the editors)."""

from datetime import datetime

from django.db.models import QuerySet

from datasets.models import Dataset, Sample, Workunit


def list_workunits(
    dataset: Dataset, *, start: datetime | None = None, end: datetime | None = None, ascending: bool = False
) -> QuerySet[Workunit]:
    """The workunits of `dataset`'s samples created in [start, end] (either bound optional), newest first
    unless `ascending`, with sample and user preloaded."""
    workunits = Workunit.objects.filter(sample__dataset=dataset).select_related("sample", "created_by")
    if start is not None:
        workunits = workunits.filter(created_at__gte=start)
    if end is not None:
        workunits = workunits.filter(created_at__lte=end)
    direction = "" if ascending else "-"
    return workunits.order_by(f"{direction}created_at", f"{direction}pk")


def record_workunit(
    actor, sample: Sample, *, work_type: str, time: int, inactive_time: int = 0, next_label_status: str = ""
) -> Workunit:
    """Record that `actor` spent `time` seconds (of which `inactive_time` idle) on `sample`."""
    return Workunit.objects.create(
        sample=sample,
        work_type=work_type,
        time=time,
        inactive_time=inactive_time,
        next_label_status=next_label_status,
        created_by=actor,
    )
