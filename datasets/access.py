"""Load datasets, samples and labels only through these helpers: they check the user's role.

A dataset the user cannot see raises NotFound (it does not exist for them); one they can see but may not
change raises PermissionDenied. The same rules serve the API and the pages.
"""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from datasets.models import Dataset, Sample
from labeling.exceptions import NotFound, PermissionDenied
from labeling.models import ROLE_ADMIN, ROLE_LABELER, ROLE_MANAGER, ROLE_REVIEWER, Membership

VIEWER = "viewer"
OWNER = "owner"
ROLE_RANK = {VIEWER: 0, ROLE_LABELER: 1, ROLE_REVIEWER: 2, ROLE_MANAGER: 3, ROLE_ADMIN: 4, OWNER: 5}

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class DatasetAccess:
    """A dataset together with the acting user's effective role on it."""

    dataset: Dataset
    role: str

    def allows(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def role_for(user: User, dataset: Dataset) -> str | None:
    """Return the user's effective role on `dataset` (owner, admin, manager, reviewer, labeler, viewer) or None.

    Owner of the dataset or admin of its organization: owner/admin. Otherwise the higher of the organization
    role and the collaborator role. Anyone signed in may view a public dataset. Costs up to two queries.
    """
    if not user.is_authenticated:
        return VIEWER if dataset.public else None
    if dataset.owner_user_id == user.pk:
        return OWNER
    roles = list(dataset.collaborators.filter(user=user).values_list("role", flat=True))
    if dataset.owner_organization_id:
        roles += Membership.objects.filter(organization_id=dataset.owner_organization_id, user=user).values_list(
            "role", flat=True
        )
    if roles:
        return max(roles, key=ROLE_RANK.__getitem__)
    return VIEWER if dataset.public else None


def visible_datasets(user: User) -> QuerySet[Dataset]:
    """Datasets the user may see: owned, shared through an organization or as collaborator, or public."""
    if not user.is_authenticated:
        return Dataset.objects.filter(public=True)
    return Dataset.objects.filter(
        Q(owner_user=user)
        | Q(collaborators__user=user)
        | Q(owner_organization__memberships__user=user)
        | Q(public=True)
    ).distinct()


def get_dataset(user: User, owner_name: str, name: str, *, role: str = VIEWER) -> DatasetAccess:
    """Load the dataset `owner_name/name` for `user`, requiring at least `role`.

    Raises NotFound when it does not exist or the user cannot see it, PermissionDenied when the role is short.
    """
    dataset = (
        Dataset.objects.select_related("owner_user", "owner_organization")
        .filter(owner_name=owner_name, name=name)
        .first()
    )
    return _check(user, dataset, role)


def get_sample(user: User, sample_uuid: str, *, role: str = VIEWER) -> tuple[Sample, DatasetAccess]:
    """Load a sample by uuid for `user`, requiring at least `role` on its dataset (NotFound / PermissionDenied)."""
    sample = (
        Sample.objects.select_related("dataset", "dataset__owner_user", "assigned_labeler", "assigned_reviewer")
        .filter(uuid=_parse_uuid(sample_uuid))
        .first()
    )
    access = _check(user, sample.dataset if sample else None, role)
    return sample, access


def _check(user: User, dataset: Dataset | None, role: str) -> DatasetAccess:
    effective = role_for(user, dataset) if dataset else None
    if effective is None:
        raise NotFound()
    access = DatasetAccess(dataset=dataset, role=effective)
    if not access.allows(role):
        raise PermissionDenied()
    return access


def _parse_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise NotFound() from None


__all__ = [
    "OWNER",
    "ROLE_ADMIN",
    "ROLE_LABELER",
    "ROLE_MANAGER",
    "ROLE_RANK",
    "ROLE_REVIEWER",
    "VIEWER",
    "DatasetAccess",
    "get_dataset",
    "get_sample",
    "role_for",
    "visible_datasets",
]
