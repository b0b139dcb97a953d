"""Sample `attributes` per sample type (spec section 6, the SDK's `SampleAttributes` union, plus text).

Validation is structural: URLs are never fetched nor required to be reachable (the SDK's tests use dummy URLs
such as "url" and ""), and the ego pose heading is not required to be unit length (the SDK fixture's is all
zeros). A camera's calibration, though, must be usable for projection, or every projection drawn with it is
wrong: its `extrinsics.rotation` must be a unit quaternion (rule `quaternion_not_unit`) and its intrinsic matrix
invertible, [[fx, s, cx], [0, fy, cy], [0, 0, 1]] with fx, fy > 0 (rule `intrinsics_not_invertible`). Unknown
keys are accepted and stored as given.
"""

from typing import Any

from labeling.core.checks import (
    NUMBER,
    QUATERNION,
    STRING,
    URL,
    XYZ,
    Checker,
    Issues,
    array_of,
    check_timestamp,
    integer,
    item,
    join,
    nullable,
    one_of,
    positive_number,
    shape,
)
from labeling.core.projection import check_calibration
from labeling.core.task_types import (
    IMAGE_SENSOR_TASK_TYPES,
    PCD_TYPES,
    SENSOR_TASK_TYPES,
    TASK_TYPES,
    sample_type_for_task_type,
)

TIMESTAMP = nullable(check_timestamp)


def _matrix_3x3(issues: Issues, value: Any, path: str) -> bool:
    if not array_of(array_of(NUMBER))(issues, value, path):
        return False
    if len(value) != 3 or any(len(row) != 3 for row in value):
        issues.add(path, "matrix_shape", "intrinsic_matrix must be 3x3")
        return False
    return True


_COEFFICIENTS = {
    "fisheye": shape({key: NUMBER for key in ("k1", "k2", "k3", "k4")}),
    "brown-conrady": shape(
        {key: NUMBER for key in ("k1", "k2", "p1", "p2", "k3")},
        {key: nullable(NUMBER) for key in ("k4", "k5", "k6")},
    ),
}


def _distortion(issues: Issues, value: Any, path: str) -> bool:
    if not shape({"model": one_of(*_COEFFICIENTS)})(issues, value, path):
        return False
    return shape({"coefficients": _COEFFICIENTS[value["model"]]})(issues, value, path)


def _bounds(issues: Issues, value: Any, path: str) -> bool:
    axes = ("x", "y", "z")
    if not shape({}, {f"{end}_{axis}": nullable(NUMBER) for axis in axes for end in ("min", "max")})(
        issues, value, path
    ):
        return False
    for axis in axes:
        low, high = value.get(f"min_{axis}"), value.get(f"max_{axis}")
        if low is not None and high is not None and low > high:
            issues.add(join(path, f"max_{axis}"), "bounds_order", f"max_{axis} {high} is below min_{axis} {low}")
    return True


_CALIBRATED_IMAGE_SHAPE = shape(
    {},
    {
        "url": nullable(STRING),
        "signed_url": nullable(STRING),
        "row": nullable(integer(0)),
        "col": nullable(integer(0)),
        "intrinsics": nullable(shape({"intrinsic_matrix": _matrix_3x3})),
        "extrinsics": nullable(shape({"translation": XYZ, "rotation": QUATERNION})),
        "distortion": nullable(_distortion),
        "camera_convention": one_of("OpenGL", "OpenCV"),
        "name": nullable(STRING),
        "rotation": nullable(NUMBER),
    },
)


def _calibrated_image(issues: Issues, value: Any, path: str) -> bool:
    """A CalibratedImage; once well formed, its calibration must be usable for projection: a unit rotation
    quaternion and an invertible intrinsic matrix (labeling.core.projection.check_calibration)."""
    if not _CALIBRATED_IMAGE_SHAPE(issues, value, path):
        return False
    before = len(issues)
    check_calibration(issues, value, path, required=False)
    return len(issues) == before


_CORNER = shape({"x": NUMBER, "y": NUMBER})
_ORTHO_IMAGE = shape(
    {
        "url": STRING,
        "corners": shape({key: _CORNER for key in ("top_left", "top_right", "bottom_right", "bottom_left")}),
    },
    {
        "signed_url": nullable(STRING),
        "height_map": nullable(
            shape(
                {"url": STRING, "encoding": one_of("rgb16")},
                {"signed_url": nullable(STRING), "offset": NUMBER, "scale": positive_number},
            )
        ),
    },
)
POINTCLOUD_FRAME: Checker = shape(
    {"pcd": shape({"url": STRING, "type": one_of(*PCD_TYPES)}, {"signed_url": nullable(STRING)})},
    {
        "images": array_of(_calibrated_image),
        "ego_pose": nullable(shape({"position": XYZ, "heading": QUATERNION})),
        "default_z": nullable(NUMBER),
        "name": nullable(STRING),
        "timestamp": TIMESTAMP,
        "bounds": nullable(_bounds),
        "ortho_images": nullable(array_of(_ORTHO_IMAGE)),
    },
)
IMAGE_FRAME: Checker = shape({"image": URL}, {"name": nullable(STRING), "timestamp": TIMESTAMP})
IMAGE_SEQUENCE: Checker = shape({"frames": array_of(IMAGE_FRAME, min_items=1)})
POINTCLOUD_SEQUENCE: Checker = shape(
    {"frames": array_of(POINTCLOUD_FRAME, min_items=1)}, {"ortho_images": nullable(array_of(_ORTHO_IMAGE))}
)


def _sensor(issues: Issues, value: Any, path: str) -> bool:
    if not shape({"name": STRING, "task_type": one_of(*SENSOR_TASK_TYPES)})(issues, value, path):
        return False
    is_image = value["task_type"] in IMAGE_SENSOR_TASK_TYPES
    return shape({"attributes": IMAGE_SEQUENCE if is_image else POINTCLOUD_SEQUENCE})(issues, value, path)


def _multisensor(issues: Issues, value: Any, path: str) -> bool:
    if not shape({"sensors": array_of(_sensor, min_items=1)})(issues, value, path):
        return False
    names = [sensor["name"] for sensor in value["sensors"]]
    for index, name in enumerate(names):
        if name in names[:index]:
            name_path = join(item(join(path, "sensors"), index), "name")
            issues.add(name_path, "duplicate_name", f"sensor name {name!r} is used twice")
    return True


SAMPLE_CHECKERS: dict[str, Checker] = {
    "image": shape({"image": URL}),
    "image-sequence": IMAGE_SEQUENCE,
    "pointcloud": POINTCLOUD_FRAME,
    "pointcloud-sequence": POINTCLOUD_SEQUENCE,
    "multisensor-sequence": _multisensor,
    "text": shape({"text": STRING}),
}


def validate_sample_attributes(task_type: str, attributes: Any) -> None:
    """Check a sample's `attributes` against the format of the dataset's sample type.

    image: `{"image": {url?, signed_url?}}`; image-sequence: `{"frames": [{image, name?, timestamp?}]}`;
    pointcloud: `{"pcd": {url, type}, images?, ego_pose?, default_z?, name?, timestamp?, bounds?,
    ortho_images?}`;
    pointcloud-sequence: `{"frames": [pointcloud...]}`; multisensor-sequence: `{"sensors": [{name, task_type,
    attributes}]}` with unique names; text: `{"text": str}`. Sequences need at least one frame.
    Raises LabelFormatError with every issue found (path, rule, message).
    """
    issues = Issues()
    if task_type not in TASK_TYPES:
        issues.add("", "unknown_task_type", f"unknown task type {task_type!r}")
    else:
        SAMPLE_CHECKERS[sample_type_for_task_type(task_type)](issues, attributes, "")
    issues.raise_if_any()


def sample_frame_count(attributes: Any) -> int | None:
    """Number of frames of a sequence sample's attributes, or None when it has no readable `frames` list."""
    frames = attributes.get("frames") if isinstance(attributes, dict) else None
    return len(frames) if isinstance(frames, list) else None


def sample_sensors(attributes: Any) -> list[dict] | None:
    """The `sensors` list of a multi-sensor sample's attributes, or None when absent or malformed."""
    sensors = attributes.get("sensors") if isinstance(attributes, dict) else None
    if not isinstance(sensors, list) or not all(isinstance(sensor, dict) for sensor in sensors):
        return None
    return sensors
