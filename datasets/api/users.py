"""Users and organizations: /user, /users/{name} (a user or an organization), organizations and members.

/user and /users/{name} are called without a trailing slash by the SDK; both forms are routed, never
redirected. Organizations and members are this server's own endpoints (the SDK has no calls for them).
"""

from django.http import HttpRequest
from ninja import Router, Status

from datasets.presenters import member_to_dict, organization_to_dict, user_to_dict
from datasets.schemas import (
    MemberIn,
    MemberOut,
    MemberPatchIn,
    OrganizationIn,
    OrganizationPatchIn,
    OrganizationSettingsOut,
    UserOut,
)
from datasets.services import people
from labeling import services as accounts
from labeling.exceptions import PermissionDenied
from labeling.models import Organization

router = Router(tags=["users"])


@router.get("/user", response=UserOut, summary="The user behind the API key, with their organizations")
def get_me(request: HttpRequest):
    user = request.auth
    organizations = [organization_to_dict(m.organization, role=m.role) for m in accounts.memberships_of(user)]
    return {**user_to_dict(user, email=True), "organizations": organizations}


router.get("/user/", response=UserOut, include_in_schema=False, operation_id="get_me_slash")(get_me)


@router.get("/users/{name}", response=UserOut, summary="A user, or an organization (is_organization: true)")
def get_account(request: HttpRequest, name: str):
    account = accounts.find_account(name)
    if not isinstance(account, Organization):
        return user_to_dict(account, email=account.pk == request.auth.pk)
    role = accounts.organization_role(request.auth, account)
    members = accounts.members_of(account) if role else None
    return organization_to_dict(account, role=role, members=members)


router.get("/users/{name}/", response=UserOut, include_in_schema=False, operation_id="get_account_slash")(get_account)


@router.post("/organizations/", response={201: UserOut}, summary="Create an organization (you become admin)")
def create_organization(request: HttpRequest, payload: OrganizationIn):
    organization = accounts.create_organization(request.auth, name=payload.name, email=payload.email)
    return Status(201, organization_to_dict(organization, role="admin"))


@router.patch(
    "/organizations/{organization}/", response=OrganizationSettingsOut, summary="Set the members' base role (admin)"
)
def update_organization(request: HttpRequest, organization: str, payload: OrganizationPatchIn):
    owner = accounts.get_organization(organization)
    owner = accounts.update_organization(request.auth, owner, default_member_role=payload.default_member_role)
    return {"name": owner.name, "default_member_role": owner.default_member_role}


@router.get("/organizations/{organization}/members/", response=list[MemberOut], summary="Members (members only)")
def list_members(request: HttpRequest, organization: str):
    owner = accounts.get_organization(organization)
    if accounts.organization_role(request.auth, owner) is None:
        raise PermissionDenied()
    return [member_to_dict(m) for m in accounts.members_of(owner)]


@router.post("/organizations/{organization}/members/", response={201: MemberOut}, summary="Add a member")
def add_member(request: HttpRequest, organization: str, payload: MemberIn):
    owner = accounts.get_organization(organization)
    membership = accounts.add_member(request.auth, owner, username=payload.user, role=payload.role)
    return Status(201, member_to_dict(membership))


@router.patch("/organizations/{organization}/members/{username}", response=MemberOut, summary="Change a role")
def update_member(request: HttpRequest, organization: str, username: str, payload: MemberPatchIn):
    owner = accounts.get_organization(organization)
    membership = accounts.update_member(request.auth, owner, username=username, role=payload.role)
    return member_to_dict(membership)


@router.delete("/organizations/{organization}/members/{username}", response={204: None}, summary="Remove")
def remove_member(request: HttpRequest, organization: str, username: str):
    owner = accounts.get_organization(organization)
    people.remove_organization_member(request.auth, owner, username=username)  # closes their websockets
    return Status(204, None)
