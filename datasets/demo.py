"""Demo data from real input: an organization, an admin and a labeler, and a `vector` dataset over the real
photos in examples/images (public domain / CC0, from scikit-image; see examples/images/LICENSE*), the
point-cloud datasets over the real lidar frames (datasets.demo_pointclouds), and text datasets over the first 300
Wikigold sentences in examples/text (CC BY 4.0, text from Wikipedia; see examples/text/).

Idempotent: running it again reuses what is there and refreshes the image URLs (they are absolute, built
from `site_url`, because the SDK fetches them without our host).
"""

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from datasets import demo_pointclouds as lidar
from datasets.demo_multisensor import create_multisensor_demo
from datasets.models import Collaborator, Dataset, LabelSet, Sample
from datasets.services.datasets import create_dataset
from datasets.services.labels import save_label
from datasets.services.labelsets import add_labelset
from datasets.services.pointclouds import schedule_point_cloud_reads
from labeling.models import ROLE_ADMIN, ROLE_LABELER, Membership, Organization

EXAMPLE_IMAGES = Path(settings.BASE_DIR) / "examples" / "images"
EXAMPLE_SEQUENCE = Path(settings.BASE_DIR) / "examples" / "image_sequence"
EXAMPLE_TEXT_SENTENCES = Path(settings.BASE_DIR) / "examples" / "text" / "wikigold_spans_first300.jsonl"
SEQUENCE_FRAME_INTERVAL_NS = 80_000_000  # 12.5 fps
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
DEMO_ORGANIZATION = "demo-org"
DEMO_DATASET = "photos"
DEMO_SEGMENTATION_DATASET = "photos-segmentation"
DEMO_SEQUENCE_DATASET = "parking-lot"
DEMO_LIDAR_SEQUENCE_DATASET = "lidar-cuboids-sequence"
DEMO_LIDAR_FRAME_DATASET = "lidar-cuboids"
DEMO_LIDAR_SEGMENTATION_DATASET = "lidar-segmentation"
DEMO_LIDAR_SEGMENTATION_SEQUENCE_DATASET = "lidar-segmentation-sequence"
DEMO_NER_DATASET = "wikigold-ner"
DEMO_SPANS_DATASET = "wikigold-spans"
DEMO_SPANS_SENTENCES = 100
DEMO_ADMIN = "admin"
DEMO_LABELER = "labeler"
DEMO_PASSWORDS = {DEMO_ADMIN: "admin-demo-pass", DEMO_LABELER: "labeler-demo-pass"}

VECTOR_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {
            "id": 1,
            "name": "person",
            "color": [230, 57, 70],
            "attributes": [{"name": "occluded", "input_type": "checkbox", "default_value": False}],
        },
        {"id": 2, "name": "animal", "color": [42, 157, 143]},
        {
            "id": 3,
            "name": "vehicle",
            "color": [69, 123, 157],
            "attributes": [{"name": "kind", "input_type": "select", "values": ["car", "rocket", "other"]}],
        },
        {"id": 4, "name": "object", "color": [244, 162, 97]},
    ],
    "image_attributes": [
        {"name": "scene", "input_type": "select", "values": ["indoor", "outdoor", "space", "microscopy"]},
    ],
}


SEGMENTATION_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {"id": 1, "name": "person", "color": [230, 57, 70], "has_instances": True},
        {"id": 2, "name": "animal", "color": [42, 157, 143], "has_instances": True},
        {"id": 3, "name": "background", "color": [120, 120, 120], "has_instances": False},
    ],
}


SEQUENCE_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {
            "id": 1,
            "name": "car",
            "color": [230, 57, 70],
            "attributes": [
                {
                    "name": "color",
                    "input_type": "select",
                    "values": ["silver", "red", "other"],
                    "is_track_level": True,
                }
            ],
        },
        {"id": 2, "name": "person", "color": [42, 157, 143]},
    ],
}


NER_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "text_tokenizer": "words",  # selections snap to whole words (docs/text.md)
    "categories": [  # Wikigold's four CoNLL-2003 entity types
        {"id": 1, "name": "PER", "color": [230, 57, 70]},
        {"id": 2, "name": "LOC", "color": [42, 157, 143]},
        {"id": 3, "name": "ORG", "color": [69, 123, 157]},
        {"id": 4, "name": "MISC", "color": [244, 162, 97]},
    ],
}

SPAN_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [  # overlapping by design: a band's name is a named entity and an organization at once
        {"id": 1, "name": "named-entity", "color": [120, 120, 120]},
        {"id": 2, "name": "person", "color": [230, 57, 70]},
        {"id": 3, "name": "organization", "color": [69, 123, 157]},
        {"id": 4, "name": "place", "color": [42, 157, 143]},
        {"id": 5, "name": "work-title", "color": [244, 162, 97]},
        {"id": 6, "name": "date-or-time", "color": [131, 56, 236]},
    ],
}


@dataclass(frozen=True)
class DemoData:
    dataset: Dataset
    segmentation_dataset: Dataset
    sequence_dataset: Dataset
    admin_password: str
    labeler_password: str
    lidar_datasets: tuple[Dataset, ...] = ()  # cuboid sequence, cuboid frame, segmentation, segmentation sequence
    multisensor_dataset: Dataset | None = None
    text_datasets: list[Dataset] = field(default_factory=list)


def demo_text_sentences() -> list[dict]:
    """The first 300 Wikigold sentences: {"id", "doc", "text", "tokens", "spans"} each (examples/text)."""
    with EXAMPLE_TEXT_SENTENCES.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def demo_image_files() -> list[Path]:
    """The real photos shipped in examples/images, sorted by name."""
    return sorted(path for path in EXAMPLE_IMAGES.iterdir() if path.suffix.lower() in IMAGE_SUFFIXES)


@dataclass(frozen=True)
class DemoDatasetSpec:
    name: str
    task_type: str
    task_attributes: dict
    description: str


PHOTO_DESCRIPTION = "Real photos (scikit-image sample data, public domain / CC0) for {} labeling."
DEMO_DATASETS = {
    DEMO_DATASET: DemoDatasetSpec(DEMO_DATASET, "vector", VECTOR_TASK_ATTRIBUTES, PHOTO_DESCRIPTION.format("vector")),
    DEMO_SEGMENTATION_DATASET: DemoDatasetSpec(
        DEMO_SEGMENTATION_DATASET,
        "segmentation-bitmap",
        SEGMENTATION_TASK_ATTRIBUTES,
        PHOTO_DESCRIPTION.format("segmentation"),
    ),
    DEMO_SEQUENCE_DATASET: DemoDatasetSpec(
        DEMO_SEQUENCE_DATASET,
        "image-vector-sequence",
        SEQUENCE_TASK_ATTRIBUTES,
        "50 real video frames of a parking lot (CC BY 4.0): track the cars with keyframes.",
    ),
    DEMO_LIDAR_SEQUENCE_DATASET: DemoDatasetSpec(
        DEMO_LIDAR_SEQUENCE_DATASET,
        "pointcloud-cuboid-sequence",
        lidar.LIDAR_TASK_ATTRIBUTES,
        "4 real lidar frames (SUSTechPOINTS, GPL-3.0); the ground-truth cuboids are in the `prelabels` label set.",
    ),
    DEMO_LIDAR_FRAME_DATASET: DemoDatasetSpec(
        DEMO_LIDAR_FRAME_DATASET,
        "pointcloud-cuboid",
        lidar.LIDAR_TASK_ATTRIBUTES,
        "One real lidar frame (68,242 points, KITTI-style .bin, GPL-3.0) for cuboid labeling.",
    ),
    DEMO_LIDAR_SEGMENTATION_DATASET: DemoDatasetSpec(
        DEMO_LIDAR_SEGMENTATION_DATASET,
        "pointcloud-segmentation",
        lidar.LIDAR_SEGMENTATION_TASK_ATTRIBUTES,
        "One real lidar frame (68,242 points, KITTI-style .bin, GPL-3.0) for per-point segmentation.",
    ),
    DEMO_LIDAR_SEGMENTATION_SEQUENCE_DATASET: DemoDatasetSpec(
        DEMO_LIDAR_SEGMENTATION_SEQUENCE_DATASET,
        "pointcloud-segmentation-sequence",
        lidar.LIDAR_SEGMENTATION_TASK_ATTRIBUTES,
        "4 real lidar frames (SUSTechPOINTS, GPL-3.0) for per-point segmentation with tracks.",
    ),
    DEMO_NER_DATASET: DemoDatasetSpec(
        DEMO_NER_DATASET,
        "text-named-entities",
        NER_TASK_ATTRIBUTES,
        "The first 300 Wikigold sentences (Wikipedia text, CC BY 4.0), unlabeled: mark PER, LOC, ORG and MISC.",
    ),
    DEMO_SPANS_DATASET: DemoDatasetSpec(
        DEMO_SPANS_DATASET,
        "text-span-categorization",
        SPAN_TASK_ATTRIBUTES,
        f"The first {DEMO_SPANS_SENTENCES} Wikigold sentences, unlabeled: spans may overlap.",
    ),
}


@transaction.atomic
def create_demo_data(site_url: str) -> DemoData:
    """Create (or refresh) the demo organization, users and datasets: `vector` and `segmentation-bitmap` over the
    real photos, `image-vector-sequence` over the real video frames, the point-cloud datasets over the real
    lidar frames (their clouds are read by a worker after commit; the cuboid sequence's ground truth is imported
    once into `prelabels`), `multisensor-sequence` over the real lidar frames and cameras
    (datasets/demo_multisensor.py), `text-named-entities` over the first 300 Wikigold sentences and
    `text-span-categorization` over the first DEMO_SPANS_SENTENCES of them.

    site_url: absolute base the app is served at, like http://127.0.0.1:8000 (image URLs are built from it).
    """
    admin = _demo_user(DEMO_ADMIN, superuser=True)
    labeler = _demo_user(DEMO_LABELER, superuser=False)
    organization, _ = Organization.objects.get_or_create(name=DEMO_ORGANIZATION, defaults={"created_by": admin})
    Membership.objects.get_or_create(organization=organization, user=admin, defaults={"role": ROLE_ADMIN})
    static_base = f"{site_url.rstrip('/')}{settings.STATIC_URL}examples/"
    photos = [(path.name, {"image": {"url": f"{static_base}images/{path.name}"}}) for path in demo_image_files()]
    frames = [
        {
            "image": {"url": f"{static_base}image_sequence/{path.name}"},
            "name": path.stem,
            "timestamp": index * SEQUENCE_FRAME_INTERVAL_NS,
        }
        for index, path in enumerate(sorted(EXAMPLE_SEQUENCE.glob("frame_*.jpg")))
    ]
    sequence = [("parking-lot-000184-000233", {"frames": frames})]
    sentences = [(f"wikigold-{s['id'] + 1:03d}", {"text": s["text"]}) for s in demo_text_sentences()]

    def demo_dataset(name: str, samples: list[tuple[str, dict]]) -> Dataset:
        return _demo_dataset(admin, labeler, organization, DEMO_DATASETS[name], samples)

    clouds = lidar.lidar_samples(static_base)
    lidar_datasets = (
        demo_dataset(DEMO_LIDAR_SEQUENCE_DATASET, clouds["sequence"]),
        demo_dataset(DEMO_LIDAR_FRAME_DATASET, clouds["frame"]),
        demo_dataset(DEMO_LIDAR_SEGMENTATION_DATASET, clouds["frame"]),
        demo_dataset(DEMO_LIDAR_SEGMENTATION_SEQUENCE_DATASET, clouds["sequence"]),
    )
    _import_prelabels(admin, lidar_datasets[0], lidar.cuboid_sequence_label())
    for dataset in lidar_datasets:
        schedule_point_cloud_reads(list(dataset.samples.select_related("dataset")))
    return DemoData(
        demo_dataset(DEMO_DATASET, photos),
        demo_dataset(DEMO_SEGMENTATION_DATASET, photos),
        demo_dataset(DEMO_SEQUENCE_DATASET, sequence),
        DEMO_PASSWORDS[DEMO_ADMIN],
        DEMO_PASSWORDS[DEMO_LABELER],
        lidar_datasets,
        multisensor_dataset=create_multisensor_demo(admin, labeler, organization, static_base),
        text_datasets=[
            demo_dataset(DEMO_NER_DATASET, sentences),
            demo_dataset(DEMO_SPANS_DATASET, sentences[:DEMO_SPANS_SENTENCES]),
        ],
    )


def _import_prelabels(admin, dataset: Dataset, attributes: dict) -> None:
    """Put `attributes` as the PRELABELED label of every sample of `dataset` in its `prelabels` label set,
    validated like any label; samples that have a label there already keep it (make run stays idempotent)."""
    labelset = LabelSet.objects.filter(dataset=dataset, name=lidar.PRELABELS).first()
    if labelset is None:
        labelset = add_labelset(admin, dataset, name=lidar.PRELABELS, description="Ground truth of the source data")
    for sample in dataset.samples.exclude(labels__labelset=labelset):
        save_label(admin, sample, lidar.PRELABELS, attributes=copy.deepcopy(attributes), label_status="PRELABELED")


def _demo_dataset(admin, labeler, organization, spec: DemoDatasetSpec, samples: list[tuple[str, dict]]) -> Dataset:
    """Get or create the dataset of `spec` with the labeler as collaborator, and upsert `samples` (name,
    attributes) so that their URLs follow the current site URL."""
    dataset = Dataset.objects.filter(owner_name=organization.name, name=spec.name).first()
    if dataset is None:
        dataset = create_dataset(
            admin,
            owner_name=organization.name,
            owner_organization=organization,
            name=spec.name,
            description=spec.description,
            task_type=spec.task_type,
            task_attributes=copy.deepcopy(spec.task_attributes),  # never share the module's constant
        )
    Collaborator.objects.get_or_create(dataset=dataset, user=labeler, defaults={"role": ROLE_LABELER})
    for name, attributes in samples:
        Sample.objects.update_or_create(
            dataset=dataset, name=name, defaults={"attributes": attributes, "created_by": admin}
        )
    return dataset


def _demo_user(username: str, *, superuser: bool):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user = user_model.objects.create_user(
            username=username, password=DEMO_PASSWORDS[username], email=f"{username}@example.com"
        )
    if superuser and not user.is_superuser:
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    return user
