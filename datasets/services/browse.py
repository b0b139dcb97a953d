"""Read-side use cases for the pages: sample listing with label status, neighbours, progress counts."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from datasets.models import GROUND_TRUTH, Dataset, Label, Sample

UNLABELED = "UNLABELED"
SAMPLES_PER_PAGE = 50


@dataclass(frozen=True)
class SampleRow:
    sample: Sample
    label_status: str
    image_url: str | None


def samples_with_status(dataset: Dataset, labelset_name: str = GROUND_TRUTH) -> QuerySet[Sample]:
    """Samples of `dataset` ordered by name, annotated with `label_status` in `labelset_name` (None if none)."""
    status = Label.objects.filter(sample=OuterRef("pk"), labelset__name=labelset_name).values("label_status")[:1]
    return (
        Sample.objects.filter(dataset=dataset)
        .select_related("assigned_labeler", "assigned_reviewer")
        .annotate(label_status=Subquery(status))
        .order_by("name", "pk")
    )


def sample_page(dataset: Dataset, *, status: str | None, page_number: int | str | None) -> tuple[Page, list]:
    """One page of SAMPLES_PER_PAGE sample rows, filtered by label status (UNLABELED = no label). Two queries."""
    samples = samples_with_status(dataset)
    # `label_status` is the annotation of samples_with_status, which django-stubs does not follow.
    if status == UNLABELED:
        samples = samples.filter(label_status__isnull=True)  # type: ignore[misc]
    elif status:
        samples = samples.filter(label_status=status)  # type: ignore[misc]
    page = Paginator(samples, SAMPLES_PER_PAGE).get_page(page_number)
    rows = [SampleRow(s, s.label_status or UNLABELED, image_url_of(s.attributes)) for s in page.object_list]  # type: ignore[attr-defined]
    return page, rows


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
            Q(collaborations__dataset=dataset) | Q(memberships__organization_id=dataset.owner_organization_id)
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
