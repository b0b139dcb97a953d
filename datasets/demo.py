"""Demo data from real input: an organization, an admin and a labeler, and a `vector` dataset over the real
photos in examples/images (public domain / CC0, from scikit-image; see examples/images/LICENSE*).

Idempotent: running it again reuses what is there and refreshes the image URLs (they are absolute, built
from `site_url`, because the SDK fetches them without our host).
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from datasets.models import Collaborator, Dataset, Sample
from datasets.services.datasets import create_dataset
from labeling.models import ROLE_ADMIN, ROLE_LABELER, Membership, Organization

EXAMPLE_IMAGES = Path(settings.BASE_DIR) / "examples" / "images"
EXAMPLE_SEQUENCE = Path(settings.BASE_DIR) / "examples" / "image_sequence"
SEQUENCE_FRAME_INTERVAL_NS = 80_000_000  # 12.5 fps
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}
DEMO_ORGANIZATION = "demo-org"
DEMO_DATASET = "photos"
DEMO_SEGMENTATION_DATASET = "photos-segmentation"
DEMO_SEQUENCE_DATASET = "parking-lot"
DEMO_ADMIN = "admin"
DEMO_LABELER = "labeler"
DEMO_PASSWORDS = {DEMO_ADMIN: "admin-demo-pass", DEMO_LABELER: "labeler-demo-pass"}

VECTOR_TASK_ATTRIBUTES = {
    "format_version": "0.1",
    "categories": [
        {"id": 1, "name": "person", "color": [230, 57, 70],
         "attributes": [{"name": "occluded", "input_type": "checkbox", "default_value": False}]},
        {"id": 2, "name": "animal", "color": [42, 157, 143]},
        {"id": 3, "name": "vehicle", "color": [69, 123, 157],
         "attributes": [{"name": "kind", "input_type": "select", "values": ["car", "rocket", "other"]}]},
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
        {"id": 1, "name": "car", "color": [230, 57, 70],
         "attributes": [{"name": "color", "input_type": "select", "values": ["silver", "red", "other"],
                         "is_track_level": True}]},
        {"id": 2, "name": "person", "color": [42, 157, 143]},
    ],
}


@dataclass(frozen=True)
class DemoData:
    dataset: Dataset
    segmentation_dataset: Dataset
    sequence_dataset: Dataset
    admin_password: str
    labeler_password: str


def demo_image_files() -> list[Path]:
    """The real photos shipped in examples/images, sorted by name."""
    return sorted(path for path in EXAMPLE_IMAGES.iterdir() if path.suffix.lower() in IMAGE_SUFFIXES)


@transaction.atomic
def create_demo_data(site_url: str) -> DemoData:
    """Create (or refresh) the demo organization, users and the `vector` and `segmentation-bitmap` datasets.

    site_url: absolute base the app is served at, like http://127.0.0.1:8000 (image URLs are built from it).
    """
    admin = _demo_user(DEMO_ADMIN, superuser=True)
    labeler = _demo_user(DEMO_LABELER, superuser=False)
    organization, _ = Organization.objects.get_or_create(name=DEMO_ORGANIZATION, defaults={"created_by": admin})
    Membership.objects.get_or_create(organization=organization, user=admin, defaults={"role": ROLE_ADMIN})
    dataset = _demo_dataset(admin, labeler, organization, DEMO_DATASET, "vector", VECTOR_TASK_ATTRIBUTES, site_url)
    segmentation_dataset = _demo_dataset(
        admin, labeler, organization, DEMO_SEGMENTATION_DATASET, "segmentation-bitmap",
        SEGMENTATION_TASK_ATTRIBUTES, site_url,
    )
    sequence_dataset = _demo_sequence_dataset(admin, labeler, organization, site_url)
    return DemoData(dataset, segmentation_dataset, sequence_dataset, DEMO_PASSWORDS[DEMO_ADMIN], DEMO_PASSWORDS[DEMO_LABELER])


def _demo_dataset(admin, labeler, organization, name, task_type, task_attributes, site_url) -> Dataset:
    dataset = Dataset.objects.filter(owner_name=organization.name, name=name).first()
    if dataset is None:
        dataset = create_dataset(
            admin,
            owner_name=organization.name,
            owner_organization=organization,
            name=name,
            description=f"Real photos (scikit-image sample data, public domain / CC0) for {task_type} labeling.",
            task_type=task_type,
            task_attributes=task_attributes,
        )
    Collaborator.objects.get_or_create(dataset=dataset, user=labeler, defaults={"role": ROLE_LABELER})
    base = site_url.rstrip("/")
    for path in demo_image_files():
        url = f"{base}{settings.STATIC_URL}examples/images/{path.name}"
        Sample.objects.update_or_create(
            dataset=dataset, name=path.name, defaults={"attributes": {"image": {"url": url}}, "created_by": admin}
        )
    return dataset


def _demo_sequence_dataset(admin, labeler, organization, site_url) -> Dataset:
    dataset = Dataset.objects.filter(owner_name=organization.name, name=DEMO_SEQUENCE_DATASET).first()
    if dataset is None:
        dataset = create_dataset(
            admin,
            owner_name=organization.name,
            owner_organization=organization,
            name=DEMO_SEQUENCE_DATASET,
            description="50 real video frames of a parking lot (CC BY 4.0): track the cars with keyframes.",
            task_type="image-vector-sequence",
            task_attributes=SEQUENCE_TASK_ATTRIBUTES,
        )
    Collaborator.objects.get_or_create(dataset=dataset, user=labeler, defaults={"role": ROLE_LABELER})
    base = f"{site_url.rstrip('/')}{settings.STATIC_URL}examples/image_sequence/"
    frames = [
        {"image": {"url": f"{base}{path.name}"}, "name": path.stem, "timestamp": index * SEQUENCE_FRAME_INTERVAL_NS}
        for index, path in enumerate(sorted(EXAMPLE_SEQUENCE.glob("frame_*.jpg")))
    ]
    Sample.objects.update_or_create(
        dataset=dataset, name="parking-lot-000184-000233", defaults={"attributes": {"frames": frames}, "created_by": admin}
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
