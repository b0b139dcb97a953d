"""Read-side use cases for the pages: sample listing with label status, neighbours, progress counts."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from datasets.models import GROUND_TRUTH, Dataset, Label, Sample
from labeling.models import grants_dataset_role

UNLABELED = "UNLABELED"
SAMPLES_PER_PAGE = 50


def label_status_counts(dataset: Dataset, labelset_name: str = GROUND_TRUTH) -> dict[str, int]:
    """{label status: number of samples}, UNLABELED included, plus TOTAL. Two queries."""
    counts = dict(
        Label.objects.filter(sample__dataset=dataset, labelset__name=labelset_name)
        .values_list("label_status")
        .annotate(n=Count("pk"))
    )
    total = Sample.objects.filter(dataset=dataset).count()
    counts[UNLABELED] = total - sum(counts.values())
    counts["TOTAL"] = total
    return counts


def neighbour_samples(sample: Sample) -> tuple[Sample | None, Sample | None]:
    """The previous and next sample of the same dataset in name order (the editor's navigation)."""
    siblings = Sample.objects.filter(dataset_id=sample.dataset_id)
    previous = siblings.filter(name__lt=sample.name).order_by("-name").first()
    following = siblings.filter(name__gt=sample.name).order_by("name").first()
    return previous, following


def assignable_users(dataset: Dataset) -> list:
    """Users who may be assigned samples of `dataset`: its collaborators and its organization's members."""
    user_model = get_user_model()
    return list(
        user_model.objects.filter(
            Q(collaborations__dataset=dataset)
            | (Q(memberships__organization_id=dataset.owner_organization_id) & grants_dataset_role("memberships__"))
        )
        .distinct()
        .order_by("username")
    )


def frames_of(attributes: dict | None) -> list[dict]:
    """The frames of an image-sequence sample as [{"image_url", "name", "timestamp"}]; [] for other samples."""
    frames = attributes.get("frames") if isinstance(attributes, dict) else None
    if not isinstance(frames, list):
        return []
    return [
        {"image_url": image_url_of(frame), "name": frame.get("name"), "timestamp": frame.get("timestamp")}
        for frame in frames
        if isinstance(frame, dict)
    ]


def image_url_of(attributes: dict | None) -> str | None:
    """The image URL of image sample attributes, or the first frame's for sequences; None otherwise."""
    if not isinstance(attributes, dict):
        return None
    image = attributes.get("image")
    if isinstance(image, dict):
        return image.get("url")
    frames = attributes.get("frames")
    if isinstance(frames, list) and frames and isinstance(frames[0], dict):
        return image_url_of(frames[0])
    return None
