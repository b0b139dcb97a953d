"""Issues: per dataset and per sample, raise (reviewer), update and delete (reviewer), comment (labeler).

The SDK's resource API calls `GET /datasets/{sample_uuid}/issues/` for Sample.get_issues() (an SDK bug); a
uuid in that place is answered with that sample's issues.
"""

from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Status

from datasets import access
from datasets.presenters import issue_to_dict
from datasets.schemas import IssueCommentIn, IssueIn, IssueOut, IssuePatchIn
from datasets.services import issues as issue_services

router = Router(tags=["issues"])


def _anchor(anchor) -> dict | None:
    return anchor.dict(exclude_none=True) if anchor is not None else None


@router.get("/datasets/{owner}/{name}/issues/", response=list[IssueOut], summary="The issues of a dataset")
def list_issues(request: HttpRequest, owner: str, name: str):
    dataset = access.get_dataset(request.auth, owner, name).dataset
    return [issue_to_dict(issue) for issue in issue_services.list_issues(dataset)]


@router.get("/datasets/{uuid:sample_uuid}/issues/", response=list[IssueOut], include_in_schema=False)
def list_issues_of_sample_sdk_path(request: HttpRequest, sample_uuid: UUID):
    return list_sample_issues(request, str(sample_uuid))


@router.get("/samples/{sample_uuid}/issues/", response=list[IssueOut], summary="The issues of a sample")
def list_sample_issues(request: HttpRequest, sample_uuid: str):
    sample, _ = access.get_sample(request.auth, sample_uuid)
    return [issue_to_dict(issue) for issue in issue_services.list_sample_issues(sample)]


@router.post("/samples/{sample_uuid}/issues/", response={201: IssueOut}, summary="Raise an issue (reviewer)")
def add_issue(request: HttpRequest, sample_uuid: str, payload: IssueIn):
    sample, _ = access.get_sample(request.auth, sample_uuid, role=access.ROLE_REVIEWER)
    issue = issue_services.add_issue(
        request.auth,
        sample,
        description=payload.description,
        status=payload.status,
        anchor=_anchor(payload.anchor),
    )
    return Status(201, issue_to_dict(issue))


@router.get("/issues/{issue_uuid}/", response=IssueOut, summary="An issue")
def get_issue(request: HttpRequest, issue_uuid: str):
    return issue_to_dict(issue_services.get_issue(request.auth, issue_uuid))


@router.patch("/issues/{issue_uuid}/", response=IssueOut, summary="Update an issue (reviewer; its labeler resolves)")
def update_issue(request: HttpRequest, issue_uuid: str, payload: IssuePatchIn):
    changes = {
        "description": payload.description,
        "status": payload.status,
        "anchor": _anchor(payload.anchor),
    }
    return issue_to_dict(issue_services.change_issue(request.auth, issue_uuid, changes))


@router.delete("/issues/{issue_uuid}/", response={204: None}, summary="Delete an issue (reviewer)")
def delete_issue(request: HttpRequest, issue_uuid: str):
    issue = issue_services.get_issue(request.auth, issue_uuid, role=access.ROLE_REVIEWER)
    issue_services.delete_issue(request.auth, issue)
    return Status(204, None)


@router.post("/issues/{issue_uuid}/comments/", response={201: IssueOut}, summary="Comment (labeler)")
def add_comment(request: HttpRequest, issue_uuid: str, payload: IssueCommentIn):
    issue = issue_services.get_issue(request.auth, issue_uuid, role=access.ROLE_LABELER)
    return Status(201, issue_to_dict(issue_services.add_comment(request.auth, issue, text=payload.text)))
