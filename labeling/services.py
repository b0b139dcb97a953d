"""Account use cases: API keys (organizations and members are added here as the API grows)."""

from labeling.models import ApiKey, hash_api_key


def create_api_key(user, *, name: str = "") -> str:
    """Create an API key for `user` and return the key itself: it is stored only as a hash, shown once."""
    key = ApiKey.generate_key()
    ApiKey.objects.create(user=user, name=name, prefix=key[:8], key_hash=hash_api_key(key))
    return key


# Organizations and members ----------------------------------------------------------------------------
# A user and an organization share one namespace of names (both own datasets as `name/dataset`).

from django.contrib.auth import get_user_model  # noqa: E402 - appended section, kept self-contained
from django.db import IntegrityError, transaction  # noqa: E402

from labeling.exceptions import AlreadyExists, DomainError, NotFound, PermissionDenied  # noqa: E402
from labeling.models import ROLE_ADMIN, ROLES, Membership, Organization  # noqa: E402

ORGANIZATION_ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}


class LastAdministrator(DomainError):
    """The last admin of an organization may not leave it or step down (the SDK maps this text to
    AuthorizationError)."""

    status_code = 400

    def __init__(self):
        super().__init__("The last administrator cannot leave the organization.")


def name_is_taken(name: str) -> bool:
    """True when a user or an organization already uses `name` (case-insensitive, as URLs are shared)."""
    return (
        get_user_model().objects.filter(username__iexact=name).exists()
        or Organization.objects.filter(name__iexact=name).exists()
    )


def get_user_by_name(username: str):
    """Return the active user named `username`; raises NotFound."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound()
    return user


def organization_role(user, organization: Organization) -> str | None:
    """The user's role in `organization` (labeler, reviewer, manager, admin) or None. One query."""
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.filter(organization=organization, user=user)
    return memberships.values_list("role", flat=True).first()


def require_organization_admin(user, organization: Organization) -> None:
    """Raise PermissionDenied unless `user` is an admin of `organization`."""
    if organization_role(user, organization) != ROLE_ADMIN:
        raise PermissionDenied()


def get_organization(name: str) -> Organization:
    """Return the organization named `name`; raises NotFound. Organizations are public, like user profiles."""
    organization = Organization.objects.select_related("created_by").filter(name=name).first()
    if organization is None:
        raise NotFound()
    return organization


def create_organization(actor, *, name: str, email: str = "") -> Organization:
    """Create an organization named `name`, with `actor` as its first admin.

    Raises AlreadyExists when a user or an organization already has that name.
    """
    if name_is_taken(name):
        raise AlreadyExists("An account with this name already exists.")
    try:
        with transaction.atomic():
            organization = Organization.objects.create(name=name, email=email, created_by=actor)
            Membership.objects.create(organization=organization, user=actor, role=ROLE_ADMIN)
    except IntegrityError:
        raise AlreadyExists("An account with this name already exists.") from None
    return organization


def update_organization(actor, organization: Organization, *, default_member_role: str) -> Organization:
    """Set the organization's base role for members on its datasets (labeling.models BASE_ROLE_MEMBER or
    BASE_ROLE_NONE; with "none" a member who is not an admin sees a dataset only once invited to it as a
    collaborator). Raises PermissionDenied unless `actor` is an admin of the organization."""
    require_organization_admin(actor, organization)
    organization.default_member_role = default_member_role
    organization.save(update_fields=["default_member_role"])
    return organization


def add_member(actor, organization: Organization, *, username: str, role: str) -> Membership:
    """Add the user `username` to `organization` with `role` (actor must be an admin there).

    Raises PermissionDenied, NotFound (no such user), AlreadyExists (already a member).
    """
    require_organization_admin(actor, organization)
    user = get_user_by_name(username)
    try:
        with transaction.atomic():
            return Membership.objects.create(organization=organization, user=user, role=role)
    except IntegrityError:
        raise AlreadyExists("This user is already a member of the organization.") from None


def get_member(organization: Organization, username: str) -> Membership:
    """Return the membership of `username` in `organization`; raises NotFound."""
    memberships = Membership.objects.select_related("user").filter(organization=organization)
    membership = memberships.filter(user__username=username).first()
    if membership is None:
        raise NotFound()
    return membership


def update_member(actor, organization: Organization, *, username: str, role: str) -> Membership:
    """Change a member's role (actor: an admin); the last admin cannot step down (LastAdministrator)."""
    require_organization_admin(actor, organization)
    with transaction.atomic():
        membership = _locked_member(organization, username)
        if membership.role == ROLE_ADMIN and role != ROLE_ADMIN:
            _refuse_if_last_admin(organization)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_member(actor, organization: Organization, *, username: str) -> None:
    """Remove a member (an admin removes anyone; a member may leave). The last admin cannot leave."""
    if actor.username != username:
        require_organization_admin(actor, organization)
    with transaction.atomic():
        membership = _locked_member(organization, username)
        if membership.role == ROLE_ADMIN:
            _refuse_if_last_admin(organization)
        membership.delete()


def _locked_member(organization: Organization, username: str) -> Membership:
    # Lock every admin row of the organization first, so two admins demoting each other cannot both win.
    list(Membership.objects.select_for_update().filter(organization=organization, role=ROLE_ADMIN))
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(organization=organization, user__username=username)
        .first()
    )
    if membership is None:
        raise NotFound()
    return membership


def _refuse_if_last_admin(organization: Organization) -> None:
    if Membership.objects.filter(organization=organization, role=ROLE_ADMIN).count() <= 1:
        raise LastAdministrator()


def memberships_of(user) -> list[Membership]:
    """The user's memberships with their organizations (and creators) preloaded, by organization name."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("organization", "organization__created_by")
        .order_by("organization__name")
    )


def members_of(organization: Organization) -> list[Membership]:
    """The memberships of `organization` with their users, by username."""
    memberships = Membership.objects.filter(organization=organization).select_related("user")
    return list(memberships.order_by("user__username"))


def find_account(name: str):
    """The active user or the organization named `name` (they share one namespace); raises NotFound."""
    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is not None:
        return user
    return get_organization(name)


# API keys on the user's settings page -------------------------------------------------------------------------


def api_keys_of(user) -> list[ApiKey]:
    """The user's API keys that are not revoked, newest first (the key itself is never stored: prefix only)."""
    return list(ApiKey.objects.filter(user=user, revoked=False).order_by("-created_at", "-pk"))


def revoke_api_key(user, key_id: int) -> None:
    """Revoke the user's API key `key_id`: every later request with it gets 401. Raises NotFound when the user
    has no such key (another user's key is not found either)."""
    if not ApiKey.objects.filter(user=user, pk=key_id, revoked=False).update(revoked=True):
        raise NotFound()
