"""Accounts: organizations (owners of datasets, with members) and API keys.

A user and an organization share one namespace of names: both can own datasets (`owner/name`), and the SDK
reads an organization as a User with `is_organization: true`.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models

ROLE_LABELER = "labeler"
ROLE_REVIEWER = "reviewer"
ROLE_MANAGER = "manager"
ROLE_ADMIN = "admin"
ROLES = (ROLE_LABELER, ROLE_REVIEWER, ROLE_MANAGER, ROLE_ADMIN)
ROLE_CHOICES = [(role, role) for role in ROLES]
# An organization's base role for its members on its datasets: "member" (each member's own role applies to
# every dataset the organization owns) or "none" (only the organization's admins have a role everywhere;
# other members see a dataset once they are invited to it as collaborators).
BASE_ROLE_MEMBER = "member"
BASE_ROLE_NONE = "none"
BASE_ROLE_CHOICES = [(BASE_ROLE_MEMBER, "each member's role"), (BASE_ROLE_NONE, "none until invited")]


class Organization(models.Model):
    name = models.CharField(max_length=150, unique=True)
    email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    default_member_role = models.CharField(max_length=16, choices=BASE_ROLE_CHOICES, default=BASE_ROLE_MEMBER)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in an organization: the role applies to every dataset the organization owns, unless the
    organization's `default_member_role` is "none" (then only an admin's role does; see
    grants_dataset_role)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default=ROLE_LABELER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


def grants_dataset_role(prefix: str = "") -> models.Q:
    """The memberships whose role applies to the organization's datasets, as a Q on Membership (or on the
    relation `prefix`, e.g. "memberships__"): admins always, other members when the organization's base role
    is "member"."""
    return models.Q(**{f"{prefix}role": ROLE_ADMIN}) | models.Q(
        **{f"{prefix}organization__default_member_role": BASE_ROLE_MEMBER}
    )


def hash_api_key(key: str) -> str:
    """Return the SHA-256 hex digest stored for an API key (keys are 256-bit random, so no salt is needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKey(models.Model):
    """An API key: only its hash is stored; the key itself is shown once, when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8, help_text="First characters of the key, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def generate_key() -> str:
        """Return a new random key: 43 URL-safe characters (256 bits)."""
        return secrets.token_urlsafe(32)
