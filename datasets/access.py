"""Load datasets, samples and labels only through these helpers: they check the user's role.

A dataset the user cannot see raises NotFound (it does not exist for them); one they can see but may not
change raises PermissionDenied. The same rules serve the API and the pages.
"""

import uuid
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet

from datasets.models import Collaborator, Dataset, Label, LabelSet, Sample
from labeling.exceptions import NotFound, PermissionDenied
from labeling.models import (
    BASE_ROLE_MEMBER,
    ROLE_ADMIN,
    ROLE_LABELER,
    ROLE_MANAGER,
    ROLE_REVIEWER,
    Membership,
    Organization,
    grants_dataset_role,
)
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
    role (when the organization's base role lets members' roles apply, labeling.models.grants_dataset_role)
    and the collaborator role. Anyone signed in may view a public dataset. Costs up to two queries.
    """
    if not user.is_authenticated or dataset.owner_user_id == user.pk:
        return _effective_role(user, dataset, [])
    roles = list(dataset.collaborators.filter(user_id=user.pk).values_list("role", flat=True))
    if dataset.owner_organization_id:
        memberships = Membership.objects.filter(grants_dataset_role(), organization_id=dataset.owner_organization_id)
        roles += memberships.filter(user_id=user.pk).values_list("role", flat=True)
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
        | Q(
            owner_organization__in=Membership.objects.filter(grants_dataset_role(), user_id=user.pk).values(
                "organization"
            )
        )
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
    sample, roles, _ = found
    return sample, _checked_access(sample.dataset, _effective_role(user, sample.dataset, roles), role)


def get_label(user: User, sample_uuid: str, labelset_name: str, *, role: str = VIEWER) -> tuple[Label, DatasetAccess]:
    """Load the label of a sample in label set `labelset_name` for `user`, who must have at least `role` on the
    dataset (default: see it).

    Raises NotFound when the sample is not visible, the label set does not exist or the sample has no label
    in it, PermissionDenied when the role is short. One query (the SDK's get_label): what get_sample reads,
    plus the label, its label set and the usernames of its creator, last editor and reviewer.
    """
    found = _sample_with_roles(_parse_uuid(sample_uuid), user.pk if user.is_authenticated else None, labelset_name)
    if found is None:
        raise NotFound()
    sample, roles, label = found
    access = _checked_access(sample.dataset, _effective_role(user, sample.dataset, roles), role)
    if label is None:
        raise NotFound()
    return label, access


# The hand-written query of get_sample and get_label (labeling.sql) ------------------------------------------

LABEL_USER_FIELDS = ("created_by", "updated_by", "reviewed_by")


class _SampleReaders(NamedTuple):
    sample: RowReader
    dataset: RowReader
    label: RowReader
    labelset: RowReader
    username: RowReader


@cache
def _readers() -> _SampleReaders:
    users = RowReader(get_user_model(), ["id", "username"])
    return _SampleReaders(RowReader(Sample), RowReader(Dataset), RowReader(Label), RowReader(LabelSet), users)


@cache
def _sample_query(with_label: bool) -> str:
    """Sample, dataset and the user's two roles (params: user id, user id[, label set name], sample uuid);
    with_label: then the label's columns, its label set's and (id, username) of each LABEL_USER_FIELDS."""
    readers, User = _readers(), get_user_model()
    selected = [
        readers.sample.columns("s"),
        readers.dataset.columns("d"),
        f"(SELECT c.{column(Collaborator, 'role')} FROM {table(Collaborator)} c"  # noqa: S608
        f" WHERE c.{column(Collaborator, 'dataset')} = d.{column(Dataset, 'id')}"
        f" AND c.{column(Collaborator, 'user')} = %s)",
        f"(SELECT m.{column(Membership, 'role')} FROM {table(Membership)} m"  # noqa: S608
        f" JOIN {table(Organization)} o ON o.{column(Organization, 'id')} = m.{column(Membership, 'organization')}"
        f" WHERE m.{column(Membership, 'organization')} = d.{column(Dataset, 'owner_organization')}"
        f" AND m.{column(Membership, 'user')} = %s"
        # grants_dataset_role, with our own constants (never user input) in the text
        f" AND (m.{column(Membership, 'role')} = '{ROLE_ADMIN}'"
        f" OR o.{column(Organization, 'default_member_role')} = '{BASE_ROLE_MEMBER}'))",
    ]
    joins = [f"JOIN {table(Dataset)} d ON d.{column(Dataset, 'id')} = s.{column(Sample, 'dataset')}"]
    if with_label:
        selected += [readers.label.columns("l"), readers.labelset.columns("ls")]
        # Subqueries rather than three more joins: PostgreSQL plans a 7-way join in about 0.8 ms, every time.
        selected += [
            f"l.{column(Label, u)}, (SELECT {column(User, 'username')} FROM {table(User)}"  # noqa: S608
            f" WHERE {column(User, 'id')} = l.{column(Label, u)})"
            for u in LABEL_USER_FIELDS
        ]
        joins += [
            f"LEFT JOIN {table(LabelSet)} ls ON ls.{column(LabelSet, 'dataset')} = d.{column(Dataset, 'id')}"
            f" AND ls.{column(LabelSet, 'name')} = %s",
            f"LEFT JOIN {table(Label)} l ON l.{column(Label, 'sample')} = s.{column(Sample, 'id')}"
            f" AND l.{column(Label, 'labelset')} = ls.{column(LabelSet, 'id')}",
        ]
    # Only model metadata goes into the text; every value is a parameter.
    return (
        f"SELECT {', '.join(selected)} FROM {table(Sample)} s {' '.join(joins)}"  # noqa: S608
        f" WHERE s.{column(Sample, 'uuid')} = %s"
    )


def _sample_with_roles(
    sample_uuid: str, user_id: int | None, labelset_name: str | None = None
) -> tuple[Sample, list[str], Label | None] | None:
    """The sample (its dataset loaded), the user's collaborator and organization roles, and with a label set
    name its label in that set (None when there is none); None when there is no such sample."""
    readers, with_label = _readers(), labelset_name is not None
    params = [user_id, user_id, *([adapt(LabelSet, "name", labelset_name)] if with_label else [])]
    with connection.cursor() as cursor:
        cursor.execute(_sample_query(with_label), [*params, adapt(Sample, "uuid", sample_uuid)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    sample = readers.sample.read(_take(values, len(readers.sample)))
    sample.dataset = readers.dataset.read(_take(values, len(readers.dataset)))
    roles = [role for role in _take(values, 2) if role]
    return sample, roles, _read_label(readers, values, sample) if with_label else None


def _read_label(readers: _SampleReaders, values, sample: Sample) -> Label | None:
    label_values, labelset_values = _take(values, len(readers.label)), _take(values, len(readers.labelset))
    if label_values[0] is None:  # the LEFT JOIN found no label
        return None
    label = readers.label.read(label_values)
    label.sample, label.labelset = sample, readers.labelset.read(labelset_values)
    for field in LABEL_USER_FIELDS:
        user_id, username = _take(values, 2)
        if user_id is not None:
            setattr(label, field, readers.username.read([user_id, username]))
    return label


def _take(values, count: int) -> list:
    return [next(values) for _ in range(count)]


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
    "get_label",
    "get_sample",
    "role_for",
    "visible_datasets",
]
