"""Task types, sample types and label statuses: the wire values of the Segments.ai API (spec section 2)."""

TASK_TYPES: tuple[str, ...] = (
    "segmentation-bitmap",
    "segmentation-bitmap-highres",
    "bboxes",
    "vector",
    "keypoints",
    "image-segmentation-sequence",
    "image-vector-sequence",
    "pointcloud-cuboid",
    "pointcloud-cuboid-sequence",
    "pointcloud-segmentation",
    "pointcloud-segmentation-sequence",
    "pointcloud-vector",
    "pointcloud-vector-sequence",
    "multisensor-sequence",
    "text-named-entities",
    "text-span-categorization",
)

SEQUENCE_TASK_TYPES: tuple[str, ...] = tuple(task_type for task_type in TASK_TYPES if "sequence" in task_type)

LABEL_STATUSES: tuple[str, ...] = (
    "REVIEWED",
    "REVIEWING_IN_PROGRESS",
    "LABELED",
    "LABELING_IN_PROGRESS",
    "REJECTED",
    "PRELABELED",
    "SKIPPED",
    "VERIFIED",
    "UNLABELED",
)

# Statuses that claim the label is complete: only these enforce `is_mandatory` attributes.
COMPLETE_LABEL_STATUSES: frozenset[str] = frozenset({"LABELED", "REVIEWED", "VERIFIED"})

SAMPLE_TYPES: tuple[str, ...] = (
    "image",
    "image-sequence",
    "pointcloud",
    "pointcloud-sequence",
    "multisensor-sequence",
    "text",
)

_SAMPLE_TYPE_BY_TASK_TYPE: dict[str, str] = {
    "segmentation-bitmap": "image",
    "segmentation-bitmap-highres": "image",
    "bboxes": "image",
    "vector": "image",
    "keypoints": "image",
    "image-segmentation-sequence": "image-sequence",
    "image-vector-sequence": "image-sequence",
    "pointcloud-cuboid": "pointcloud",
    "pointcloud-segmentation": "pointcloud",
    "pointcloud-vector": "pointcloud",
    "pointcloud-cuboid-sequence": "pointcloud-sequence",
    "pointcloud-segmentation-sequence": "pointcloud-sequence",
    "pointcloud-vector-sequence": "pointcloud-sequence",
    "multisensor-sequence": "multisensor-sequence",
    "text-named-entities": "text",
    "text-span-categorization": "text",
}

# The task types a sensor of a multi-sensor sequence may have (spec section 6 and 7).
POINTCLOUD_SENSOR_TASK_TYPES: tuple[str, ...] = (
    "pointcloud-cuboid-sequence",
    "pointcloud-vector-sequence",
    "pointcloud-segmentation-sequence",
)
IMAGE_SENSOR_TASK_TYPES: tuple[str, ...] = ("image-vector-sequence", "image-segmentation-sequence")
SENSOR_TASK_TYPES: tuple[str, ...] = POINTCLOUD_SENSOR_TASK_TYPES + IMAGE_SENSOR_TASK_TYPES

# `kitti` is an alias of binary-xyzi and `nuscenes` of binary-xyzir; `splat` is accepted as a sample type
# (the SDK knows it) but has no reader.
PCD_TYPES: tuple[str, ...] = (
    "pcd",
    "binary-xyzi",
    "kitti",
    "binary-xyzir",
    "nuscenes",
    "ply",
    "las",
    "splat",
)


def sample_type_for_task_type(task_type: str) -> str:
    """The sample type a dataset of `task_type` holds: one of `SAMPLE_TYPES`.

    Raises ValueError for a task type that is not in `TASK_TYPES`.
    """
    try:
        return _SAMPLE_TYPE_BY_TASK_TYPE[task_type]
    except KeyError:
        raise ValueError(f"unknown task type {task_type!r}; expected one of {', '.join(TASK_TYPES)}") from None


# The editor of each task type (a key of datasets.editors.EDITOR_TEMPLATES); task types without one are absent.
_EDITOR_BY_TASK_TYPE: dict[str, str] = {
    "vector": "vector",
    "bboxes": "vector",
    "keypoints": "vector",
    "segmentation-bitmap": "segmentation",
    "segmentation-bitmap-highres": "segmentation",
    "image-vector-sequence": "image-vector-sequence",
    "image-segmentation-sequence": "image-segmentation-sequence",
    "text-named-entities": "text",
    "text-span-categorization": "text",
}


def editor_of(task_type: str) -> str | None:
    """The editor that labels `task_type` (None: none yet)."""
    return _EDITOR_BY_TASK_TYPE.get(task_type)
