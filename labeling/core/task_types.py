"""Task types, sample types and label statuses: the wire values of the Segments.ai API (spec section 2).

REGISTRY is the one table of task types (sample type, label type, editor, interpolation, exports); every
other list of task types is derived from it."""

from dataclasses import dataclass

# Label types: the annotation format of one frame (or of the whole label for text and multi-sensor labels).
BITMAP = "bitmap"  # a segmentation bitmap (PNG of instance ids) plus annotations
IMAGE_VECTOR = "image-vector"  # bbox, polygon, polyline, point annotations on an image
CUBOID = "cuboid"
POINTCLOUD_VECTOR = "pointcloud-vector"
POINTCLOUD_SEGMENTATION = "pointcloud-segmentation"  # point annotations (one category per point)
MULTISENSOR = "multisensor"  # one label per sensor
TEXT_SPANS = "text-spans"
# Interpolation kinds: what the worker (datasets.services.interpolation) does after a save.
KEYFRAMES = "keyframes"  # fill every frame of each track from its keyframes
SENSORS = "sensors"  # KEYFRAMES, sensor by sensor
# Server-side release exports (datasets.services.exports).
COCO_INSTANCE = "coco-instance"
YOLO = "yolo"
CONLL = "conll"
JSONL = "jsonl"
_TEXT_EXPORTS = (CONLL, JSONL)


@dataclass(frozen=True)
class TaskType:
    """Everything the server knows about one task type, in one row of REGISTRY.

    name: the wire value (spec section 2); sample_type: one of SAMPLE_TYPES; label_type: the annotation
    format (BITMAP, IMAGE_VECTOR, ...); sequence: whether the label holds `frames`; editor: the key of its
    editor page (datasets.editors.EDITOR_TEMPLATES) or None when it has none yet; interpolation: KEYFRAMES,
    SENSORS or None; exports: the server-side export formats of its releases.
    """

    name: str
    sample_type: str
    label_type: str
    sequence: bool = False
    editor: str | None = None
    interpolation: str | None = None
    exports: tuple[str, ...] = ()


_IMAGE_EXPORTS = (COCO_INSTANCE, YOLO)

# The one table of task types: validation, interpolation, label files, exports and the editor pages read it.
REGISTRY: tuple[TaskType, ...] = (
    TaskType("segmentation-bitmap", "image", BITMAP, editor="segmentation"),
    TaskType("segmentation-bitmap-highres", "image", BITMAP, editor="segmentation"),
    TaskType("bboxes", "image", IMAGE_VECTOR, editor="vector", exports=_IMAGE_EXPORTS),
    TaskType("vector", "image", IMAGE_VECTOR, editor="vector", exports=_IMAGE_EXPORTS),
    TaskType("keypoints", "image", IMAGE_VECTOR, editor="vector", exports=_IMAGE_EXPORTS),
    TaskType(
        "image-segmentation-sequence", "image-sequence", BITMAP, sequence=True, editor="image-segmentation-sequence"
    ),
    TaskType(
        "image-vector-sequence",
        "image-sequence",
        IMAGE_VECTOR,
        sequence=True,
        editor="image-vector-sequence",
        interpolation=KEYFRAMES,
        exports=_IMAGE_EXPORTS,
    ),
    TaskType("pointcloud-cuboid", "pointcloud", CUBOID, editor="cuboid"),
    TaskType(
        "pointcloud-cuboid-sequence",
        "pointcloud-sequence",
        CUBOID,
        sequence=True,
        editor="cuboid",
        interpolation=KEYFRAMES,
    ),
    TaskType("pointcloud-segmentation", "pointcloud", POINTCLOUD_SEGMENTATION, editor="pointcloud-segmentation"),
    TaskType(
        "pointcloud-segmentation-sequence",
        "pointcloud-sequence",
        POINTCLOUD_SEGMENTATION,
        sequence=True,
        editor="pointcloud-segmentation",
    ),
    TaskType("pointcloud-vector", "pointcloud", POINTCLOUD_VECTOR, editor="pointcloud-vector"),
    TaskType(
        "pointcloud-vector-sequence",
        "pointcloud-sequence",
        POINTCLOUD_VECTOR,
        sequence=True,
        editor="pointcloud-vector",
        interpolation=KEYFRAMES,
    ),
    TaskType(
        "multisensor-sequence",
        "multisensor-sequence",
        MULTISENSOR,
        sequence=True,
        editor="multisensor",
        interpolation=SENSORS,
    ),
    TaskType("text-named-entities", "text", TEXT_SPANS, editor="text", exports=_TEXT_EXPORTS),
    TaskType("text-span-categorization", "text", TEXT_SPANS, editor="text", exports=_TEXT_EXPORTS),
)
TASK_TYPE_REGISTRY: dict[str, TaskType] = {task_type.name: task_type for task_type in REGISTRY}

TASK_TYPES: tuple[str, ...] = tuple(TASK_TYPE_REGISTRY)

SEQUENCE_TASK_TYPES: tuple[str, ...] = tuple(task_type.name for task_type in REGISTRY if task_type.sequence)


def task_type_of(name: str) -> TaskType:
    """The registry row of task type `name`; raises ValueError for a name that is not in TASK_TYPES."""
    try:
        return TASK_TYPE_REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown task type {name!r}; expected one of {', '.join(TASK_TYPES)}") from None


def task_types_where(**wanted) -> tuple[str, ...]:
    """The names of the task types whose fields equal `wanted` (e.g. label_type=BITMAP, sequence=False)."""
    return tuple(
        task_type.name
        for task_type in REGISTRY
        if all(getattr(task_type, field) == value for field, value in wanted.items())
    )


def task_types_with_export(export_format: str) -> tuple[str, ...]:
    """The task types whose releases export to `export_format`."""
    return tuple(task_type.name for task_type in REGISTRY if export_format in task_type.exports)


def editor_of(name: str) -> str | None:
    """The editor that labels task type `name` (None: none yet, or an unknown task type)."""
    task_type = TASK_TYPE_REGISTRY.get(name)
    return task_type.editor if task_type else None


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
    return task_type_of(task_type).sample_type
