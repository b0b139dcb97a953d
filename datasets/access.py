"""Load datasets, samples and labels only through these helpers: they check the user's role.

A dataset the user cannot see raises NotFound (it does not exist for them); one they can see but may not
change raises PermissionDenied. The same rules serve the API and the pages.
"""

import uuid
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet

from datasets.models import Collaborator, Dataset, Sample
from labeling.exceptions import NotFound, PermissionDenied
from labeling.models import ROLE_ADMIN, ROLE_LABELER, ROLE_MANAGER, ROLE_REVIEWER, Membership
from labeling.sql import RowReader, adapt, column, table

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
    if not user.is_authenticated or dataset.owner_user_id == user.pk:
        return _effective_role(user, dataset, [])
    roles = list(dataset.collaborators.filter(user=user).values_list("role", flat=True))
    if dataset.owner_organization_id:
        roles += Membership.objects.filter(organization_id=dataset.owner_organization_id, user=user).values_list(
            "role", flat=True
        )
    return _effective_role(user, dataset, roles)


def _effective_role(user: User, dataset: Dataset, roles: list[str]) -> str | None:
    """roles: the user's collaborator and organization roles on `dataset`, as stored."""
    if not user.is_authenticated:
        return VIEWER if dataset.public else None
    if dataset.owner_user_id == user.pk:
        return OWNER
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
    """Load a sample by uuid for `user`, requiring at least `role` on its dataset (NotFound / PermissionDenied).

    One query: the sample, its dataset and the user's collaborator and organization roles on it (the label
    endpoints' hot path, see labeling.sql). Its users (assignees, the dataset's owner) load on first use.
    """
    found = _sample_with_roles(_parse_uuid(sample_uuid), user.pk if user.is_authenticated else None)
    if found is None:
        raise NotFound()
    sample, roles = found
    return sample, _checked_access(sample.dataset, _effective_role(user, sample.dataset, roles), role)


@cache
def _sample_query() -> tuple[str, RowReader, RowReader]:
    """The SQL of _sample_with_roles and the readers of its sample and dataset columns (built once)."""
    samples, datasets = RowReader(Sample), RowReader(Dataset)
    sql = (
        f"SELECT {samples.columns('s')}, {datasets.columns('d')},"  # noqa: S608 - metadata only, values are parameters
        f" (SELECT c.{column(Collaborator, 'role')} FROM {table(Collaborator)} c"
        f"  WHERE c.{column(Collaborator, 'dataset')} = d.{column(Dataset, 'id')}"
        f"  AND c.{column(Collaborator, 'user')} = %s),"
        f" (SELECT m.{column(Membership, 'role')} FROM {table(Membership)} m"
        f"  WHERE m.{column(Membership, 'organization')} = d.{column(Dataset, 'owner_organization')}"
        f"  AND m.{column(Membership, 'user')} = %s)"
        f" FROM {table(Sample)} s JOIN {table(Dataset)} d ON d.{column(Dataset, 'id')} = s.{column(Sample, 'dataset')}"
        f" WHERE s.{column(Sample, 'uuid')} = %s"
    )
    return sql, samples, datasets


def _sample_with_roles(sample_uuid: str, user_id: int | None) -> tuple[Sample, list[str]] | None:
    """The sample (its dataset loaded) and the user's collaborator and organization roles, or None."""
    sql, samples, datasets = _sample_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id, adapt(Sample, "uuid", sample_uuid)])
        row = cursor.fetchone()
    if row is None:
        return None
    sample = samples.read(row[: len(samples)])
    sample.dataset = datasets.read(row[len(samples) : len(samples) + len(datasets)])
    return sample, [role for role in row[-2:] if role]


def _check(user: User, dataset: Dataset | None, role: str) -> DatasetAccess:
    return _checked_access(dataset, role_for(user, dataset) if dataset else None, role)


def _checked_access(dataset: Dataset | None, effective: str | None, role: str) -> DatasetAccess:
    """NotFound when the user has no role (cannot see the dataset), PermissionDenied when it is short of `role`."""
    if dataset is None or effective is None:
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
