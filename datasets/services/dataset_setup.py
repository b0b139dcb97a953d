"""Setting a dataset up from the pages: the task types offered (with a one-line explanation each), the
categories its labels use, settings changes that would orphan labels (refused, naming the categories), and
archiving. Creation itself is datasets.services.datasets.create_dataset (every path goes through it)."""

from collections import Counter

from datasets import access
from datasets.models import Dataset, Label
from datasets.services.dataset_settings import update_dataset
from labeling.exceptions import InvalidInput

# Task type -> (icon: a symbol that every system font has, one-line explanation), in the order the
# "new dataset" page offers them.
TASK_TYPE_HELP: dict[str, tuple[str, str]] = {
    "vector": ("✎", "Images: polygons, polylines, boxes and points, each with a category."),
    "bboxes": ("▭", "Images: bounding boxes only."),
    "keypoints": ("⁘", "Images: keypoints (points with a category)."),
    "segmentation-bitmap": ("▦", "Images: paint a mask per object (instance or semantic segmentation)."),
    "segmentation-bitmap-highres": ("▩", "Large images: mask segmentation at full resolution."),
    "image-vector-sequence": ("⧉", "Image sequences (video frames): tracked shapes with interpolation."),
    "image-segmentation-sequence": ("▤", "Image sequences: a mask per frame, objects tracked over frames."),
    "pointcloud-cuboid": ("⬚", "Lidar point clouds: 3D cuboids around objects."),
    "pointcloud-cuboid-sequence": ("⧈", "Point-cloud sequences: tracked 3D cuboids with interpolation."),
    "pointcloud-segmentation": ("∴", "Point clouds: a category per point."),
    "pointcloud-segmentation-sequence": ("⁂", "Point-cloud sequences: a category per point, per frame."),
    "pointcloud-vector": ("△", "Point clouds: polygons, polylines and points in 3D."),
    "pointcloud-vector-sequence": ("≋", "Point-cloud sequences: tracked 3D vectors (lanes, curbs)."),
    "multisensor-sequence": ("◎", "Lidar plus cameras over time: one label across every sensor."),
    "text-named-entities": ("Aa", "Text: mark spans as named entities (person, place...)."),
    "text-span-categorization": ("¶", "Text: mark and categorise spans, overlapping allowed."),
}


def categories_in_use(dataset: Dataset) -> Counter:
    """{category id: number of labels (any label set) that use it} for `dataset`. Reads every label's
    attributes once, in chunks (annotations of single images, and of every frame of sequences)."""
    used: Counter = Counter()
    labels = Label.objects.filter(sample__dataset=dataset).values_list("attributes", flat=True)
    for attributes in labels.iterator(chunk_size=500):
        used.update(category_ids_of(attributes))
    return used


def category_ids_of(attributes) -> set[int]:
    """The category ids the annotations of label `attributes` use (single images, every frame of sequences,
    every sensor of multi-sensor labels)."""
    if not isinstance(attributes, dict):
        return set()
    ids = set()
    for annotation in attributes.get("annotations") or []:
        if isinstance(annotation, dict) and isinstance(annotation.get("category_id"), int):
            ids.add(annotation["category_id"])
    for frame in attributes.get("frames") or []:
        ids |= category_ids_of(frame)
    for sensor in attributes.get("sensors") or []:
        ids |= category_ids_of(sensor.get("attributes") if isinstance(sensor, dict) else None)
    return ids


def refuse_orphaning_changes(dataset: Dataset, changes: dict) -> None:
    """Raise InvalidInput when `changes` would remove categories that labels of `dataset` use, naming each
    (rule `in_use`, path task_attributes.categories). Renaming, recolouring and reordering are fine."""
    if "task_attributes" not in changes:
        return
    kept = {category.get("id") for category in (changes["task_attributes"] or {}).get("categories") or []}
    removed = [category for category in dataset.categories if category.get("id") not in kept]
    if not removed:
        return
    used = categories_in_use(dataset)
    orphaning = [
        f"{c.get('name')} (id {c.get('id')}, {used[c.get('id')]} labels)" for c in removed if used[c.get("id")]
    ]
    if orphaning:
        message = f"These categories are used by labels and cannot be removed: {', '.join(orphaning)}."
        raise InvalidInput(
            message, errors=[{"path": "task_attributes.categories", "rule": "in_use", "message": message}]
        )


def configure_dataset(actor, dataset_access: access.DatasetAccess, changes: dict) -> Dataset:
    """Apply the settings page's `changes` (Dataset fields) to the dataset, refusing any that would orphan
    labels (refuse_orphaning_changes) or break the task type rules (update_dataset). Raises InvalidInput."""
    refuse_orphaning_changes(dataset_access.dataset, changes)
    return update_dataset(actor, dataset_access.dataset, changes)


def set_archived(actor, dataset_access: access.DatasetAccess, archived: bool) -> Dataset:
    """Archive (hidden from the home page's active list, read-only in spirit) or restore a dataset."""
    return update_dataset(actor, dataset_access.dataset, {"archived": archived})
