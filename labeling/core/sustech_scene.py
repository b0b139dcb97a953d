"""A SUSTechPOINTS scene folder, dropped whole, as one sequence sample: which file is what, which frames and
cameras there are, and the sample and label attributes they make. Pure: no Django, no storage; files are named
by their relative path as dropped ("scene-000965/lidar/000965.pcd"; the top folder may have any name or none).

Layout (every part but lidar/ optional; anything else in the folder is left out and listed):

    <scene>/lidar/<frame>.pcd|.bin|.ply|.las      one point cloud per frame (frames = these, by name)
    <scene>/camera/<camera>/<frame>.jpg|.jpeg|.png one image per frame per camera
    <scene>/calib/camera/<camera>.json             that camera's calibration (labeling.core.sustech)
    <scene>/label/<frame>.json                     SUSTechPOINTS boxes of that frame
    <scene>/lidar_pose/<frame>.json                the frame's ego pose

Cameras are taken in name order (front, left, right) — the order of the images of a frame and of the camera
sensors of a multi-sensor sample, after the lidar sensor.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from labeling.core.errors import FormatIssue
from labeling.core.sustech import SceneError, cuboid_from_psr
from labeling.core.uploads import POINTCLOUD_TYPES, natural_key

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png")
LIDAR_SENSOR = "lidar"
CAMERA_SENSOR_TASK_TYPE = "image-vector-sequence"
LAYOUT_HELP = "lidar/<frame>, camera/<camera>/<frame>, calib/camera/<camera>.json, label/<frame>.json, lidar_pose/"


@dataclass(frozen=True)
class SceneFile:
    """One recognised file: `kind` lidar | image | calibration | label | pose; `frame` ('' for calibration);
    `camera` ('' unless image or calibration)."""

    path: str
    kind: str
    frame: str = ""
    camera: str = ""


@dataclass(frozen=True)
class SceneFrame:
    """One frame of the scene: its point cloud (path, wire `pcd.type`), its images {camera: path} in camera
    order ({} for a lidar-only frame), and its label and pose files when there are."""

    name: str
    lidar: str
    pcd_type: str
    images: dict[str, str]
    label: str | None = None
    pose: str | None = None


@dataclass
class Scene:
    """What a dropped folder holds: `root` is the top folder ('' when none), `cameras` the included cameras in
    order with their calibration files, `frames` in time (name) order, `left_out` (path, reason) pairs."""

    root: str
    cameras: tuple[str, ...]
    calibrations: dict[str, str]
    frames: list[SceneFrame]
    left_out: list[tuple[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The sample name: the top folder's, else `scene-<first frame>-<last frame>`."""
        return PurePosixPath(self.root).name or f"scene-{self.frames[0].name}-{self.frames[-1].name}"


def classify(path: str) -> tuple[str, SceneFile] | None:
    """(root, file) of a dropped path that is part of a scene's layout, else None."""
    parts = PurePosixPath(path).parts
    for index in range(len(parts)):
        found = _scene_file(path, parts[index:])
        if found is not None:
            return "/".join(parts[:index]), found
    return None


def _scene_file(path: str, rest: tuple[str, ...]) -> SceneFile | None:
    name = PurePosixPath(rest[-1])
    suffix, stem = name.suffix.lower(), name.stem
    if len(rest) == 2 and rest[0] == "lidar" and suffix in POINTCLOUD_TYPES:
        return SceneFile(path, "lidar", frame=stem)
    if len(rest) == 3 and rest[0] == "camera" and suffix in IMAGE_EXTENSIONS:
        return SceneFile(path, "image", frame=stem, camera=rest[1])
    if len(rest) == 3 and rest[:2] == ("calib", "camera") and suffix == ".json":
        return SceneFile(path, "calibration", camera=stem)
    if len(rest) == 2 and rest[0] in ("label", "lidar_pose") and suffix == ".json":
        return SceneFile(path, "label" if rest[0] == "label" else "pose", frame=stem)
    return None


def read_scene(
    paths: list[str], *, cameras: list[str] | None = None, frame_step: int = 1, every_camera_each_frame: bool = False
) -> Scene:
    """The scene of a dropped folder's `paths` (relative, as dropped).

    cameras: the camera folders to include (None: all, in name order). frame_step: every n-th lidar frame,
    from the first. every_camera_each_frame: leave out (listed in `left_out`) frames with no image at all, as
    a multi-sensor sample needs each camera in each frame; otherwise such frames are lidar-only frames.
    Raises SceneError listing every problem: no point cloud, two scenes, two clouds for one frame, a label,
    pose or image of a frame with no point cloud, an unknown camera (`options.cameras`), a camera without its
    calibration, or a frame with images of some cameras and not others (the missing image's path).
    """
    root, files, left_out = _recognised(paths)
    issues: list[FormatIssue] = []
    lidar = _lidar_files(files, issues)
    found_cameras = sorted({file.camera for file in files if file.kind == "image"})
    chosen = tuple(found_cameras if cameras is None else cameras)
    issues += [
        FormatIssue("options.cameras", "unknown_camera", f"no folder camera/{camera}/ (found: {found_cameras})")
        for camera in chosen
        if camera not in found_cameras
    ]
    calibrations = {file.camera: file.path for file in files if file.kind == "calibration"}
    issues += [
        FormatIssue(
            _join(root, f"calib/camera/{camera}.json"), "calibration_missing", f"camera {camera} has no calibration"
        )
        for camera in chosen
        if camera in found_cameras and camera not in calibrations
    ]
    issues += [
        FormatIssue(file.path, "no_lidar", f"frame {file.frame} has no point cloud in lidar/")
        for file in files
        if file.frame and file.frame not in lidar and (file.kind != "image" or file.camera in chosen)
    ]
    frames = _frames(root, files, lidar, tuple(c for c in chosen if c in found_cameras), frame_step, issues)
    if issues:
        raise SceneError(issues)
    if every_camera_each_frame and chosen:
        left_out += [(frame.lidar, f"frame {frame.name} has no camera image") for frame in frames if not frame.images]
        frames = [frame for frame in frames if frame.images]
        if not frames:
            raise SceneError([FormatIssue(_join(root, "camera/"), "missing_image", "no frame has camera images")])
    return Scene(root, chosen, {camera: calibrations[camera] for camera in chosen}, frames, left_out)


def _join(root: str, path: str) -> str:
    return f"{root}/{path}" if root else path


def _recognised(paths: list[str]) -> tuple[str, list[SceneFile], list[tuple[str, str]]]:
    roots: dict[str, str] = {}
    files, left_out = [], []
    for path in sorted(paths, key=natural_key):
        found = classify(path)
        if found is None:
            left_out.append((path, f"not part of a SUSTechPOINTS scene ({LAYOUT_HELP})"))
            continue
        roots.setdefault(found[0], path)
        files.append(found[1])
    if len(roots) > 1:
        names = ", ".join(repr(root) for root in roots)
        raise SceneError(
            [FormatIssue(path, "one_scene", f"one scene per import; found {names}") for path in roots.values()]
        )
    if not any(file.kind == "lidar" for file in files):
        raise SceneError([FormatIssue(_join(next(iter(roots), ""), "lidar/"), "required", "no point cloud in lidar/")])
    return next(iter(roots)), files, left_out


def _lidar_files(files: list[SceneFile], issues: list[FormatIssue]) -> dict[str, SceneFile]:
    lidar: dict[str, SceneFile] = {}
    for file in files:
        if file.kind != "lidar":
            continue
        if file.frame in lidar:
            issues.append(FormatIssue(file.path, "duplicate_frame", f"frame {file.frame} has two point clouds"))
        lidar.setdefault(file.frame, file)
    return lidar


def _frames(
    root: str,
    files: list[SceneFile],
    lidar: dict[str, SceneFile],
    cameras: tuple[str, ...],
    frame_step: int,
    issues: list[FormatIssue],
) -> list[SceneFrame]:
    images = {(file.frame, file.camera): file.path for file in files if file.kind == "image"}
    extras = {(file.kind, file.frame): file.path for file in files if file.kind in ("label", "pose")}
    frames = []
    for name in sorted(lidar, key=natural_key)[::frame_step]:
        present = {camera: images[name, camera] for camera in cameras if (name, camera) in images}
        for camera in cameras if present else ():
            if camera not in present:
                others = ", ".join(present)
                issues.append(
                    FormatIssue(
                        _join(root, f"camera/{camera}/{name}.jpg"),
                        "missing_image",
                        f"frame {name} has images of {others} but none of camera {camera}",
                    )
                )
        suffix = PurePosixPath(lidar[name].path).suffix.lower()
        frames.append(
            SceneFrame(
                name,
                lidar[name].path,
                POINTCLOUD_TYPES[suffix],
                present,
                extras.get(("label", name)),
                extras.get(("pose", name)),
            )
        )
    return frames


# Sample and label attributes ---------------------------------------------------------------------------------

UrlOf = Callable[[str], str]


def pointcloud_frame_attributes(
    frame: SceneFrame, url_of: UrlOf, calibrations: dict[str, dict], *, ego_pose: dict | None = None, timestamp=None
) -> dict:
    """Spec section 6 point-cloud attributes of one frame: `pcd`, `name`, the calibrated `images` when it has
    some (each {name: camera, url, intrinsics, extrinsics, camera_convention}; `calibrations` by camera), and
    `ego_pose` and `timestamp` when given. `url_of` turns a relative path into the file's absolute URL."""
    attributes: dict = {"pcd": {"url": url_of(frame.lidar), "type": frame.pcd_type}, "name": frame.name}
    if timestamp is not None:
        attributes["timestamp"] = timestamp
    if frame.images:  # `images` is optional (spec: default [])
        attributes["images"] = [
            {"name": camera, "url": url_of(path), **calibrations[camera]} for camera, path in frame.images.items()
        ]
    if ego_pose is not None:
        attributes["ego_pose"] = ego_pose
    return attributes


def pointcloud_sequence_attributes(
    scene: Scene, url_of: UrlOf, calibrations: dict[str, dict], poses: dict[str, dict], timestamps=None
) -> dict:
    """`{"frames": [...]}` of a point-cloud sequence sample: every frame with its calibrated images and ego pose
    (`poses` by frame name); `timestamps` one per frame or None."""
    return {
        "frames": [
            pointcloud_frame_attributes(
                frame, url_of, calibrations, ego_pose=poses.get(frame.name), timestamp=_at(timestamps, index)
            )
            for index, frame in enumerate(scene.frames)
        ]
    }


def multisensor_sequence_attributes(
    scene: Scene,
    url_of: UrlOf,
    calibrations: dict[str, dict],
    poses: dict[str, dict],
    timestamps=None,
    lidar_task_type: str = "pointcloud-cuboid-sequence",
) -> dict:
    """`{"sensors": [lidar, camera...]}` of a multi-sensor sample: the lidar sensor (`lidar_task_type`) is
    the point-cloud sequence (each frame with its calibrated images), then one `image-vector-sequence` sensor
    per camera in `scene.cameras` order, each with that camera's image of every frame."""
    lidar = pointcloud_sequence_attributes(scene, url_of, calibrations, poses, timestamps)
    sensors = [{"name": LIDAR_SENSOR, "task_type": lidar_task_type, "attributes": lidar}]
    for camera in scene.cameras:
        frames = []
        for index, frame in enumerate(scene.frames):
            image_frame: dict = {"image": {"url": url_of(frame.images[camera])}, "name": frame.name}
            if timestamps is not None:
                image_frame["timestamp"] = timestamps[index]
            frames.append(image_frame)
        sensors.append({"name": camera, "task_type": CAMERA_SENSOR_TASK_TYPE, "attributes": {"frames": frames}})
    return {"sensors": sensors}


def _at(values, index: int):
    return None if values is None else values[index]


def category_ids(categories: list[dict]) -> dict[str, int]:
    """{lower-case category name: id} of a task's categories (SUSTechPOINTS obj_type is matched ignoring case)."""
    return {str(category["name"]).lower(): category["id"] for category in categories}


def cuboid_annotations(boxes: list[dict], categories: dict[str, int], path: str) -> list[dict]:
    """Keyframe cuboids (spec section 7, full orientation; `id` = `track_id` = obj_id) of one frame's checked
    boxes (labeling.core.sustech.read_label_file). Raises SceneError naming `path` for an obj_type that is not a
    category (`categories`: category_ids)."""
    unknown = sorted({box["obj_type"] for box in boxes if box["obj_type"].lower() not in categories})
    if unknown:
        message = f"obj_type {', '.join(unknown)} is not a category of the dataset ({', '.join(categories)})"
        raise SceneError([FormatIssue(path, "unknown_category", message)])
    return [
        {
            "id": box["obj_id"],
            "category_id": categories[box["obj_type"].lower()],
            "type": "cuboid",
            "track_id": box["obj_id"],
            "is_keyframe": True,
            **cuboid_from_psr(box["psr"]),
        }
        for box in boxes
    ]


def label_frames(annotations: list[list[dict]], timestamps=None) -> list[dict]:
    """Label frames `[{"annotations", "timestamp"?}]` of per-frame annotation lists."""
    frames = []
    for index, frame_annotations in enumerate(annotations):
        frame: dict = {"annotations": frame_annotations}
        if timestamps is not None:
            frame["timestamp"] = timestamps[index]
        frames.append(frame)
    return frames


def multisensor_label_attributes(scene: Scene, frames: list[dict], lidar_task_type: str) -> dict:
    """`{"sensors": [...]}` of a multi-sensor label: `frames` on the lidar sensor, the cameras unlabeled (`[]`),
    in the sample's sensor order."""
    lidar = {"name": LIDAR_SENSOR, "task_type": lidar_task_type, "attributes": {"frames": frames}}
    cameras = [{"name": camera, "task_type": CAMERA_SENSOR_TASK_TYPE, "attributes": []} for camera in scene.cameras]
    return {"sensors": [lidar, *cameras]}


def parse_cameras(text: str) -> list[str] | None:
    """Camera names of the `cameras` option ("front, left" -> ["front", "left"]); None (all) when blank."""
    names = [name for name in re.split(r"[\s,]+", text or "") if name]
    return names or None
