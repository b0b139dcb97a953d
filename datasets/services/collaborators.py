"""Collaborator use cases: add, change the role of, and remove a user's role on one dataset.

The caller holds at least the manager role (checked by the endpoint). Nobody grants a role above their own,
nor changes or removes someone whose role is above their own; the owner is never a collaborator.
"""

from django.db import IntegrityError, transaction

from datasets import access
from datasets.models import Collaborator, Dataset
from datasets.realtime import broadcast_access_changed
from labeling.exceptions import DomainError, NotFound, PermissionDenied
from labeling.services import get_user_by_name


class CollaboratorRefused(DomainError):
    """The texts the SDK maps to CollaboratorError."""

    status_code = 400


def _require_outranks(dataset_access: access.DatasetAccess, role: str) -> None:
    if access.ROLE_RANK[role] > access.ROLE_RANK[dataset_access.role]:
        raise PermissionDenied()


def get_collaborator(dataset: Dataset, username: str) -> Collaborator:
    """Return the collaborator `username` of `dataset`, user preloaded; raises NotFound."""
    collaborator = dataset.collaborators.select_related("user").filter(user__username=username).first()
    if collaborator is None:
        raise NotFound()
    return collaborator


def list_collaborators(dataset: Dataset):
    """The collaborators of `dataset` with their users, by username."""
    return dataset.collaborators.select_related("user").order_by("user__username")


def add_collaborator(actor, dataset_access: access.DatasetAccess, *, username: str, role: str) -> Collaborator:
    """Give the user `username` `role` on the dataset.

    Raises NotFound (no such user), CollaboratorRefused ("is already a collaborator", or the owner "cannot be
    added as collaborator"), PermissionDenied (role above the actor's).
    """
    _require_outranks(dataset_access, role)
    dataset = dataset_access.dataset
    user = get_user_by_name(username)
    if dataset.owner_user_id == user.pk:
        raise CollaboratorRefused("The owner of the dataset cannot be added as collaborator.")
    try:
        with transaction.atomic():
            collaborator = Collaborator.objects.create(dataset=dataset, user=user, role=role)
    except IntegrityError:
        raise CollaboratorRefused("This user is already a collaborator on this dataset.") from None
    return collaborator


def update_collaborator(actor, dataset_access: access.DatasetAccess, *, username: str, role: str) -> Collaborator:
    """Change the role of collaborator `username`. Raises NotFound, PermissionDenied (either role above the
    actor's)."""
    collaborator = get_collaborator(dataset_access.dataset, username)
    _require_outranks(dataset_access, collaborator.role)
    _require_outranks(dataset_access, role)
    collaborator.role = role
    collaborator.save(update_fields=["role"])
    return collaborator


def remove_collaborator(actor, dataset_access: access.DatasetAccess, *, username: str) -> None:
    """Remove collaborator `username`; their open websockets on the dataset close at once unless they can still
    see it otherwise. Raises NotFound, PermissionDenied (their role is above the actor's)."""
    collaborator = get_collaborator(dataset_access.dataset, username)
    _require_outranks(dataset_access, collaborator.role)
    with transaction.atomic():
        collaborator.delete()
        broadcast_access_changed(collaborator.user_id)
