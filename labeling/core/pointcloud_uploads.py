"""Point clouds uploaded with a pose file and calibrated camera images: which dropped file belongs to which
folder of clouds, and the `ego_pose` and `images` each frame gets. Pure: no Django, no storage.

A folder of clouds (`drive/0001.pcd`, or SUSTechPOINTS-like `drive/lidar/0001.pcd`: then the folder is `drive`)
may also hold:

- `poses.json`: `{"<cloud file name or its stem>": pose}` for every cloud of the folder, a pose being
  `{"position": {x, y, z}, "heading": {qx, qy, qz, qw}}` (metres, unit quaternion, lidar -> world) or a
  row-major lidar -> world matrix as a list of 16 (4x4) or 12 (3x4) numbers;
- `poses.txt`: KITTI odometry poses, one line of 12 numbers (3x4 row-major) per cloud, in the clouds' name
  order (numbers compared as numbers), blank lines ignored;
- `calib/camera/<camera>.json`: SUSTechPOINTS calibration (labeling.core.sustech.read_calibration) and
  `camera/<camera>/<cloud stem>.jpg|.jpeg|.png`: that camera's image of the cloud.

A pose or calibration file that cannot be read refuses the folder's samples (nothing half-made); an image
without its camera's calibration, or of no cloud, is refused by itself.
"""

import json
import math
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from labeling.core.sustech import SceneError, ego_pose_from_matrix, read_calibration

POSE_FILES = ("poses.json", "poses.txt")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
UNIT_TOLERANCE = 1e-3


@dataclass(frozen=True)
class ExtraFile:
    """A pose, calibration or camera image file of a folder of clouds: `root` the folder, `role` poses |
    calibration | image, `camera` and `stem` (the cloud's stem, images only)."""

    path: str
    root: str
    role: str
    camera: str = ""
    stem: str = ""


def extra_file(path: str) -> ExtraFile | None:
    """The role of a dropped file beside point clouds, or None when it has none."""
    parts = PurePosixPath(path).parts
    name = PurePosixPath(path)
    if name.name.lower() in POSE_FILES:
        return ExtraFile(path, "/".join(parts[:-1]), "poses")
    if len(parts) >= 3 and parts[-3:-1] == ("calib", "camera") and name.suffix.lower() == ".json":
        return ExtraFile(path, "/".join(parts[:-3]), "calibration", camera=name.stem)
    if len(parts) >= 3 and parts[-3] == "camera" and name.suffix.lower() in IMAGE_EXTENSIONS:
        return ExtraFile(path, "/".join(parts[:-3]), "image", camera=parts[-2], stem=name.stem)
    return None


def cloud_root(path: str) -> str:
    """The folder a cloud belongs to: its parent, or the parent's parent when the parent is `lidar`."""
    parent = PurePosixPath(path).parent
    if parent.name == "lidar":
        parent = parent.parent
    return "" if str(parent) == "." else str(parent)


@dataclass
class FolderExtras:
    """What the extra files of one folder give its clouds: {cloud path: ego_pose}, {cloud path: [calibrated
    image]}, and the problems: `errors` refuse the folder's samples, `unused` only the file."""

    poses: dict[str, dict] = field(default_factory=dict)
    images: dict[str, list[dict]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    unused: list[tuple[str, str]] = field(default_factory=list)


def folder_extras(clouds: list[str], extras: list[tuple[ExtraFile, str, str | None]]) -> FolderExtras:
    """The extras of one folder. clouds: its cloud paths in frame order; extras: (file, url, text content) of
    its extra files (text None for images)."""
    result = FolderExtras()
    pose_files = [(file, text) for file, _, text in extras if file.role == "poses"]
    if len(pose_files) > 1:
        result.errors += [(file.path, "one pose file per folder: poses.json or poses.txt") for file, _ in pose_files]
    elif pose_files:
        _read_poses(pose_files[0][0].path, pose_files[0][1] or "", clouds, result)
    calibrations = {}
    for file, _, text in extras:
        if file.role == "calibration":
            try:
                calibrations[file.camera] = read_calibration((text or "").encode(), file.path)
            except SceneError as error:
                result.errors += [(issue.path, issue.message) for issue in error.issues]
    _attach_images(clouds, [(file, url) for file, url, _ in extras if file.role == "image"], calibrations, result)
    return result


def _attach_images(
    clouds: list[str], images: list[tuple[ExtraFile, str]], calibrations: dict[str, dict], result: FolderExtras
) -> None:
    by_stem = {PurePosixPath(cloud).stem: cloud for cloud in clouds}
    for file, url in sorted(images, key=lambda item: (item[0].camera, item[0].path)):
        if file.camera not in calibrations:
            reason = f"camera {file.camera} has no calib/camera/{file.camera}.json beside the point clouds"
            result.unused.append((file.path, reason))
        elif file.stem not in by_stem:
            result.unused.append((file.path, f"no point cloud named {file.stem} in this folder"))
        else:
            image = {"name": file.camera, "url": url, **calibrations[file.camera]}
            result.images.setdefault(by_stem[file.stem], []).append(image)


def _read_poses(path: str, text: str, clouds: list[str], result: FolderExtras) -> None:
    try:
        poses = _poses_txt(text, len(clouds)) if path.lower().endswith(".txt") else _poses_json(text, clouds)
    except ValueError as error:
        result.errors.append((path, str(error)))
        return
    result.poses = dict(zip(clouds, poses, strict=True))


def _poses_txt(text: str, count: int) -> list[dict]:
    rows = [line.split() for line in text.splitlines() if line.strip()]
    if len(rows) != count:
        raise ValueError(f"{len(rows)} pose lines for {count} point clouds; one line of 12 numbers per cloud")
    poses = []
    for number, row in enumerate(rows, start=1):
        try:
            values = [float(value) for value in row]
        except ValueError:
            raise ValueError(f"line {number}: not numbers") from None
        poses.append(_pose_of_matrix(values, f"line {number}"))
    return poses


def _poses_json(text: str, clouds: list[str]) -> list[dict]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error})") from None
    if not isinstance(document, dict):
        raise ValueError('expected {"<point cloud file name>": pose}')
    poses = []
    for cloud in clouds:
        name = PurePosixPath(cloud)
        value = document.get(name.name, document.get(name.stem))
        if value is None:
            raise ValueError(f"no pose for {name.name}")
        poses.append(_pose(value, name.name))
    return poses


def _pose(value: Any, where: str) -> dict:
    if isinstance(value, list):
        return _pose_of_matrix(value, where)
    position = value.get("position") if isinstance(value, dict) else None
    heading = value.get("heading") if isinstance(value, dict) else None
    if not (
        isinstance(position, dict)
        and isinstance(heading, dict)
        and _numbers(position, "xyz")
        and _numbers(heading, ("qx", "qy", "qz", "qw"))
    ):
        raise ValueError(f"{where}: expected position {{x, y, z}} and heading {{qx, qy, qz, qw}}")
    norm = math.sqrt(sum(heading[key] ** 2 for key in ("qx", "qy", "qz", "qw")))
    if abs(norm - 1) > UNIT_TOLERANCE:
        raise ValueError(f"{where}: heading is not a unit quaternion (|q| = {norm:.4f})")
    return {
        "position": {axis: float(position[axis]) for axis in "xyz"},
        "heading": {key: float(heading[key]) for key in ("qx", "qy", "qz", "qw")},
    }


def _pose_of_matrix(values: list, where: str) -> dict:
    if len(values) not in (12, 16) or not all(_is_number(value) for value in values):
        raise ValueError(f"{where}: a pose matrix is 12 (3x4) or 16 (4x4) numbers, row-major")
    try:
        return ego_pose_from_matrix(values)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def _numbers(value: dict, keys) -> bool:
    return all(_is_number(value.get(key)) for key in keys)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
