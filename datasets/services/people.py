"""People from the pages: create an account with a one-time "set your password" link (given a role on a
dataset or in an organization at once), and organization members whose removal closes their websockets.

The link is Django's password-reset link (django.contrib.auth.tokens): it stops working once the password is
set. It is shown to the admin who made the account; mailed too when EMAIL_HOST is configured.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from datasets import access
from datasets.realtime import broadcast_access_changed
from datasets.services.collaborators import add_collaborator
from labeling import services as accounts
from labeling.exceptions import AlreadyExists, InvalidInput
from labeling.models import Organization


def password_link(user) -> str:
    """The path of the one-time "set your password" page of `user` (valid until the password changes or
    settings.PASSWORD_RESET_TIMEOUT passes)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


def _create_user(username: str, email: str):
    if accounts.name_is_taken(username):
        raise AlreadyExists(f"The name {username} is taken by a user or an organization.")
    user = get_user_model().objects.create_user(username=username, email=email)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def create_collaborator_account(
    actor, dataset_access: access.DatasetAccess, *, username: str, email: str, role: str, site_url: str = ""
) -> tuple[object, str]:
    """Create the user `username` with no password and give them `role` on the dataset (the actor needs the
    manager role, and may not grant above their own). Returns (user, password link path).

    Raises AlreadyExists (name taken), PermissionDenied (role above the actor's).
    """
    with transaction.atomic():
        user = _create_user(username, email)
        add_collaborator(actor, dataset_access, username=username, role=role)
    return user, _link_and_mail(user, site_url)


def create_member_account(
    actor, organization: Organization, *, username: str, email: str, role: str, site_url: str = ""
):
    """Create the user `username` with no password as a member of `organization` with `role` (actor: an admin
    there). Returns (user, password link path). Raises AlreadyExists, PermissionDenied."""
    accounts.require_organization_admin(actor, organization)
    with transaction.atomic():
        user = _create_user(username, email)
        accounts.add_member(actor, organization, username=username, role=role)
    return user, _link_and_mail(user, site_url)


def _link_and_mail(user, site_url: str) -> str:
    """The link path; mailed (as `site_url` + path) after commit when EMAIL_HOST is set and the user has an
    email address."""
    link = password_link(user)
    if settings.EMAIL_HOST and user.email:
        transaction.on_commit(
            lambda: send_mail(
                "Your labeling account",
                f"An account named {user.username} was made for you. Set your password here: {site_url}{link}",
                None,
                [user.email],
                fail_silently=True,
            )
        )
    return link


def remove_organization_member(actor, organization: Organization, *, username: str) -> None:
    """Remove a member (labeling.services.remove_member's rules); their open websockets on the organization's
    datasets close at once."""
    with transaction.atomic():
        accounts.remove_member(actor, organization, username=username)
        user_id = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
        if user_id is not None:
            broadcast_access_changed(user_id)


def organizations_administered(user) -> list[Organization]:
    """The organizations where `user` is an admin (they may own datasets there), by name."""
    return [m.organization for m in accounts.memberships_of(user) if m.role == accounts.ROLE_ADMIN]


def check_role(role: str) -> str:
    """`role` when it is a known role, else InvalidInput."""
    if role not in accounts.ROLES:
        raise InvalidInput(f"Unknown role {role}: expected one of {', '.join(accounts.ROLES)}.")
    return role
