"""Workunits (time spent labeling and reviewing) of a dataset: managers and above read them."""

from datetime import UTC, datetime

from django.http import HttpRequest
from ninja import Router

from datasets import access
from datasets.api.common import flag, paginate, query_value
from datasets.presenters import workunit_to_dict
from datasets.schemas import WorkunitOut
from datasets.services import workunits as workunit_services

router = Router(tags=["workunits"])


def _moment(raw: str | None) -> datetime | None:
    """`YYYY-MM-DDTHH:MM:SS` (naive means UTC), or None when missing or unreadable (lenient, like §12)."""
    try:
        moment = datetime.fromisoformat(query_value(raw) or "")
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@router.get("/datasets/{owner}/{name}/workunits/", response=list[WorkunitOut], summary="Workunits (manager)")
def list_workunits(
    request: HttpRequest,
    owner: str,
    name: str,
    per_page: str | None = None,
    page: str | None = None,
    sort: str | None = None,
    start: str | None = None,
    end: str | None = None,
    include_session_time_metrics: str | None = None,
):
    dataset = access.get_dataset(request.auth, owner, name, role=access.ROLE_MANAGER).dataset
    ascending = query_value(sort) == "created_at"
    workunits = workunit_services.list_workunits(dataset, start=_moment(start), end=_moment(end), ascending=ascending)
    metrics = flag(include_session_time_metrics)
    return [workunit_to_dict(w, session_time_metrics=metrics) for w in paginate(workunits, per_page, page)]
