"""Files uploaded from the browser: what each one is (its extension, confirmed by its first bytes) and how
a batch of them becomes samples of one sample type. Pure: no Django, no storage.

A file whose content is not what its extension says is refused with a reason; so is a file of a kind the
dataset's sample type cannot hold (a text file in an image dataset).
"""

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from labeling.core import pointcloud_uploads

IMAGE = "image"
POINTCLOUD = "pointcloud"
TEXT = "text"
JSON = "json"  # pose and calibration files beside point clouds (labeling.core.pointcloud_uploads)

# Extension -> the signatures its content may start with.
_IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".bmp": (b"BM",),
    ".webp": (b"RIFF",),  # and "WEBP" at offset 8, checked below
}
# Extension -> the point cloud's `pcd.type` on the wire (spec: PCD_TYPES).
POINTCLOUD_TYPES = {".pcd": "pcd", ".bin": "binary-xyzi", ".ply": "ply", ".las": "las"}
TEXT_EXTENSIONS = (".txt",)
JSON_EXTENSIONS = (".json",)
# Not uploaded as samples: the video import decodes them (labeling.core.video.VIDEO_EXTENSIONS).
VIDEO_EXTENSIONS = (".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi")
# Bytes of a binary-xyzi point: four little-endian float32 (x, y, z, intensity).
BINARY_XYZI_POINT_BYTES = 16
# How many leading bytes `detect_kind` needs to decide.
HEAD_BYTES = 4096


class UploadRefused(ValueError):
    """A file that cannot become (part of) a sample; the message says why, for the upload summary."""


@dataclass(frozen=True)
class FileKind:
    kind: str  # IMAGE, POINTCLOUD or TEXT
    pointcloud_type: str | None = None  # the wire `pcd.type` of a point cloud


def detect_kind(filename: str, head: bytes, size: int) -> FileKind:
    """What the file `filename` is, from its extension confirmed by `head` (its first HEAD_BYTES bytes or
    fewer) and `size` (bytes). Raises UploadRefused naming the rule it breaks."""
    extension = PurePosixPath(filename).suffix.lower()
    if size == 0:
        raise UploadRefused("the file is empty")
    if extension in _IMAGE_SIGNATURES:
        webp_ok = extension != ".webp" or head[8:12] == b"WEBP"
        if not head.startswith(_IMAGE_SIGNATURES[extension]) or not webp_ok:
            raise UploadRefused(f"the content is not a {extension[1:].upper()} image")
        return FileKind(IMAGE)
    if extension in POINTCLOUD_TYPES:
        _check_pointcloud(extension, head, size)
        return FileKind(POINTCLOUD, POINTCLOUD_TYPES[extension])
    if extension in TEXT_EXTENSIONS:
        _check_text(head)
        return FileKind(TEXT)
    if extension in JSON_EXTENSIONS:
        _check_text(head)
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
            raise UploadRefused("the content is not JSON (no { or [ at the start)")
        return FileKind(JSON)
    known = sorted([*_IMAGE_SIGNATURES, *POINTCLOUD_TYPES, *TEXT_EXTENSIONS, *JSON_EXTENSIONS])
    hint = "; videos become image sequences through Import, Video" if extension in VIDEO_EXTENSIONS else ""
    raise UploadRefused(f"unsupported file type {extension or '(none)'}: expected one of {', '.join(known)}{hint}")


def _check_pointcloud(extension: str, head: bytes, size: int) -> None:
    if extension == ".pcd":
        lines = [line.strip() for line in head.split(b"\n") if line.strip() and not line.startswith(b"#")]
        if not lines or not lines[0].startswith((b"VERSION", b"FIELDS")):
            raise UploadRefused("the content is not a PCD point cloud (no VERSION/FIELDS header)")
    elif extension == ".ply" and not head.startswith((b"ply\n", b"ply\r\n")):
        raise UploadRefused("the content is not a PLY point cloud (no 'ply' header)")
    elif extension == ".las" and not head.startswith(b"LASF"):
        raise UploadRefused("the content is not a LAS point cloud (no 'LASF' signature)")
    elif extension == ".bin" and size % BINARY_XYZI_POINT_BYTES:
        raise UploadRefused(f"a .bin point cloud holds 16-byte x,y,z,intensity points; {size} bytes is not that")


def _check_text(head: bytes) -> None:
    if b"\x00" in head:
        raise UploadRefused("the content is not text (it holds NUL bytes)")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the head is fine; anything earlier is not UTF-8.
        if error.start < len(head) - 3:
            raise UploadRefused("the content is not UTF-8 text") from None


@dataclass(frozen=True)
class UploadedFile:
    """One stored upload: `path` is its name with the folders it was dropped in ("run1/0001.png")."""

    path: str
    url: str
    kind: FileKind
    text: str | None = None  # the content of a text or JSON file


@dataclass
class SamplePlan:
    """What a batch becomes: (sample name, sample attributes) pairs, and the files refused with a reason."""

    samples: list[tuple[str, dict]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


_ACCEPTED_KINDS = {
    "image": IMAGE,
    "image-sequence": IMAGE,
    "pointcloud": POINTCLOUD,
    "pointcloud-sequence": POINTCLOUD,
    "text": TEXT,
}


def plan_samples(files: list[UploadedFile], sample_type: str, *, text_per_line: bool = False) -> SamplePlan:
    """Turn uploaded files into samples of `sample_type` (labeling.core.task_types.SAMPLE_TYPES).

    image / pointcloud: one sample per file, named by its path. image-sequence / pointcloud-sequence: one
    sample per folder, or, for files dropped without a folder, per numbered-name stem ("cam_0001.png",
    "cam_0002.png" -> "cam"), frames ordered by name with numbers compared as numbers. text: one sample per
    file, or per non-blank line when `text_per_line` ("<file>:<line number>").

    Point clouds: a folder's clouds may sit in `<folder>/lidar/` (the sequence is then named `<folder>`) and
    the folder may hold a pose file and calibrated camera images (labeling.core.pointcloud_uploads): each
    frame gets its `ego_pose` and `images`; a bad pose or calibration file refuses the folder's samples.
    """
    plan, accepted = SamplePlan(), _ACCEPTED_KINDS.get(sample_type)
    extras = _pointcloud_extras(files) if accepted == POINTCLOUD else []
    files = [uploaded for uploaded in files if uploaded not in {extra for _, extra in extras}]
    usable = []
    for uploaded in files:
        if accepted is None:
            plan.refused.append(
                (uploaded.path, f"a {sample_type} dataset cannot be filled by upload{_hint(sample_type)}")
            )
        elif uploaded.kind.kind != accepted:
            plan.refused.append((uploaded.path, f"a {uploaded.kind.kind} file cannot be a {sample_type} sample"))
        else:
            usable.append(uploaded)
    if sample_type in ("image", "pointcloud"):
        plan.samples += [(uploaded.path, _frame(uploaded)) for uploaded in usable]
    elif sample_type.endswith("-sequence"):
        folder_of = pointcloud_uploads.cloud_root if accepted == POINTCLOUD else _parent
        for name, frames in sorted(_sequences(usable, folder_of).items()):
            plan.samples.append((name, {"frames": [_frame(f, name=_file_name(f.path)) for f in frames]}))
    elif sample_type == TEXT:
        plan.samples += _text_samples(usable, text_per_line)
    if accepted == POINTCLOUD:
        _attach_extras(plan, usable, extras)
    return plan


def _hint(sample_type: str) -> str:
    if sample_type == "multisensor-sequence":
        return "; use Import (SUSTechPOINTS scene) to make a multi-sensor sample from a scene folder"
    return ""


def _pointcloud_extras(files: list[UploadedFile]) -> list[tuple[pointcloud_uploads.ExtraFile, UploadedFile]]:
    """The pose, calibration and camera image files among `files` (by path, and of the right kind)."""
    kinds = {"poses": (JSON, TEXT), "calibration": (JSON,), "image": (IMAGE,)}
    extras = []
    for uploaded in files:
        extra = pointcloud_uploads.extra_file(uploaded.path)
        if extra is not None and uploaded.kind.kind in kinds[extra.role]:
            extras.append((extra, uploaded))
    return extras


def _attach_extras(plan: SamplePlan, clouds: list[UploadedFile], extras: list) -> None:
    """Give the planned point-cloud frames their ego poses and calibrated images from their folder's extra
    files; a folder whose pose or calibration file is bad loses its samples (each refused with the reason)."""
    folders: dict[str, list[str]] = {}
    for cloud in sorted(clouds, key=lambda f: natural_key(f.path)):
        folders.setdefault(pointcloud_uploads.cloud_root(cloud.path), []).append(cloud.path)
    by_folder: dict[str, list] = {}
    for extra, uploaded in extras:
        if extra.root not in folders:
            plan.refused.append((uploaded.path, "no point cloud in this folder"))
        else:
            by_folder.setdefault(extra.root, []).append((extra, uploaded.url, uploaded.text))
    path_of = {cloud.url: cloud.path for cloud in clouds}
    for root, folder_files in by_folder.items():
        found = pointcloud_uploads.folder_extras(folders[root], folder_files)
        plan.refused += found.unused + found.errors
        plan.samples = [sample for sample in plan.samples if _apply_extras(plan, sample, root, found, path_of)]


def _apply_extras(plan: SamplePlan, sample: tuple[str, dict], root: str, found, path_of: dict[str, str]) -> bool:
    """Give `sample`'s frames their extras when it is of folder `root`; False (and refused) when the folder's
    extra files are bad."""
    name, attributes = sample
    frames = attributes.get("frames", [attributes])
    paths = [path_of[frame["pcd"]["url"]] for frame in frames]
    if pointcloud_uploads.cloud_root(paths[0]) != root:
        return True
    if found.errors:
        plan.refused.append((name, f"not created: {found.errors[0][0]} is refused"))
        return False
    for frame, path in zip(frames, paths, strict=True):
        frame.update(_extras_of(found, path))
    return True


def _extras_of(found: pointcloud_uploads.FolderExtras, path: str) -> dict:
    extras: dict = {}
    if path in found.images:
        extras["images"] = found.images[path]
    if path in found.poses:
        extras["ego_pose"] = found.poses[path]
    return extras


def _frame(uploaded: UploadedFile, name: str | None = None) -> dict:
    if uploaded.kind.kind == IMAGE:
        frame: dict = {"image": {"url": uploaded.url}}
    else:
        frame = {"pcd": {"url": uploaded.url, "type": uploaded.kind.pointcloud_type}}
    if name is not None:
        frame["name"] = name
    return frame


def _file_name(path: str) -> str:
    return PurePosixPath(path).name


def natural_key(name: str) -> list:
    """Sort key comparing digit runs as numbers: frame2 < frame10."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", name)]


def _parent(path: str) -> str:
    return str(PurePosixPath(path).parent)


def _sequences(files: list[UploadedFile], folder_of) -> dict[str, list[UploadedFile]]:
    groups: dict[str, list[UploadedFile]] = {}
    for uploaded in files:
        folder = folder_of(uploaded.path)
        if folder in ("", "."):
            stem = PurePosixPath(uploaded.path).stem
            folder = re.sub(r"[\s_.-]*\d+$", "", stem) or "sequence"
        groups.setdefault(folder, []).append(uploaded)
    return {name: sorted(frames, key=lambda f: natural_key(f.path)) for name, frames in groups.items()}


def _text_samples(files: list[UploadedFile], per_line: bool) -> list[tuple[str, dict]]:
    samples = []
    for uploaded in files:
        text = uploaded.text or ""
        if not per_line:
            samples.append((uploaded.path, {"text": text}))
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                samples.append((f"{uploaded.path}:{number}", {"text": line}))
    return samples
