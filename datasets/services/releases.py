"""Release use cases: create (PENDING, built by a Celery task after commit), delete, and the build itself.

The build writes the release file of spec §9.1 (the JSON the SDK's SegmentsDataset reads) to the default
storage under an unguessable name, served publicly at /media/. This first version builds the whole document in
memory (no streaming) and reads the labels as they are when the task runs, not as they were when the release
was asked for.
"""

import json
import logging
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from datasets.models import Dataset, Label, LabelSet, Release
from labeling.exceptions import AlreadyExists, NotFound

logger = logging.getLogger(__name__)


def list_releases(dataset: Dataset):
    """The releases of `dataset`, newest first."""
    return Release.objects.filter(dataset=dataset).order_by("-created_at", "-pk")


def get_release(dataset: Dataset, name: str) -> Release:
    """The release `name` of `dataset`; raises NotFound."""
    release = Release.objects.filter(dataset=dataset, name=name).first()
    if release is None:
        raise NotFound()
    return release


def create_release(actor, dataset: Dataset, *, name: str, description: str = "") -> Release:
    """Create a PENDING release and enqueue its build (datasets.tasks.build_release) after commit.

    Raises AlreadyExists for a duplicate name.
    """
    from datasets.tasks import build_release  # tasks import this module: import late to avoid a cycle

    try:
        with transaction.atomic():
            release = Release.objects.create(
                dataset=dataset, name=name, description=description, created_by=actor
            )
            transaction.on_commit(lambda: build_release.delay(release.pk))
    except IntegrityError:
        raise AlreadyExists("A release with this name already exists in this dataset.") from None
    return release


def delete_release(actor, dataset: Dataset, name: str) -> None:
    """Delete the release `name` and, after commit, its file. Raises NotFound."""
    release = get_release(dataset, name)
    file_name = release.file.name
    with transaction.atomic():
        release.delete()
        if file_name:
            transaction.on_commit(lambda: default_storage.delete(file_name))


def build_release_file(release_id: int) -> None:
    """Write the release file of a PENDING release and mark it SUCCEEDED (FAILED on any error).

    Safe to run twice: a release that is no longer PENDING, or gone, is left alone. The row stays locked
    while the file is written, so two workers cannot both build it.
    """
    with transaction.atomic():
        release = Release.objects.select_for_update().select_related("dataset").filter(pk=release_id).first()
        if release is None or release.status != Release.PENDING:
            return
        try:
            document = release_document(release)
            name = f"releases/{secrets.token_hex(16)}/{release.dataset.name}-{release.name}.json"
            content = json.dumps(document, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
            release.file.name = default_storage.save(name, ContentFile(content))
            release.samples_count = len(document["dataset"]["samples"])
            release.status = Release.SUCCEEDED
        except Exception as error:  # a release must never stay PENDING: any failure is reported as FAILED
            logger.exception("Release %s failed", release_id)
            release.status = Release.FAILED
            release.failure_reason = f"{type(error).__name__}: {error}"[:1000]
        release.finished_at = timezone.now()
        release.save(update_fields=["file", "samples_count", "status", "failure_reason", "finished_at"])


def release_document(release: Release) -> dict:
    """The §9.1 document: the dataset's settings and every sample with its label in every label set (null
    when it has none). Three queries."""
    dataset = release.dataset
    labelsets = list(LabelSet.objects.filter(dataset=dataset))
    labels: dict[int, dict[str, dict]] = {}
    for label in Label.objects.filter(sample__dataset=dataset).select_related("labelset", "created_by"):
        labels.setdefault(label.sample_id, {})[label.labelset.name] = {
            "label_status": label.label_status,
            "attributes": label.attributes,
            "score": label.score,
            "created_at": label.created_at,
            "created_by": label.created_by.username if label.created_by else "",
            "updated_at": label.updated_at,
        }
    samples = [
        {
            "uuid": str(sample.uuid),
            "name": sample.name,
            "metadata": sample.metadata or {},
            "attributes": sample.attributes,
            "priority": sample.priority,
            "labels": {labelset.name: labels.get(sample.pk, {}).get(labelset.name) for labelset in labelsets},
        }
        for sample in dataset.samples.order_by("name", "pk")
    ]
    return {
        "name": release.name,
        "description": release.description,
        "created_at": release.created_at,
        "dataset": {
            "name": dataset.name,
            "owner": dataset.owner_name,
            "task_type": dataset.task_type,
            "task_attributes": dataset.task_attributes,
            "labelsets": [{"name": ls.name, "description": ls.description} for ls in labelsets],
            "samples": samples,
        },
    }
