"""Release samples (spec §9.1 sample objects) -> COCO instance JSON and YOLO text files.

Pure conversion: no Django, no I/O. Image sizes come from the caller (`image_size(url) -> (width, height) or
None`). Coordinates are pixels, origin at the image's top-left corner, as in our labels. Annotations marked
removed (`labeling.core.interpolation.visible_annotations`) are skipped. Sequence samples
(`attributes.frames`) give one image per frame. Supported annotation types: `bbox` and `polygon` (COCO and
YOLO, which gets the polygon's bounding box) and `point` (COCO keypoints only); others are skipped.

Keypoint objects (docs/keypoints.md): a category that lists COCO's `keypoints` (K names) and optionally its
`skeleton` (pairs of 1-based indices into `keypoints`) in the dataset's task attributes is a keypoint category.
Each keypoint of one object is a `point` annotation of that category whose object attributes name the keypoint
(`keypoint`: one of the names), the object (`object`: any str or int shared by the object's annotations; absent
= one object) and optionally COCO's visibility (`visibility`: 1 labeled but not visible, 2 visible; default 2).
A `bbox` or `polygon` annotation of the same category and `object` gives the object's box and segmentation.
The COCO export writes one annotation per object: `keypoints` [x, y, v] * K in the category's order
(unlabeled keypoints [0, 0, 0]), `num_keypoints` (those with v > 0), and the box of its bbox, else of its
polygon, else of its labeled keypoints.

Everything is a generator over the samples, so that an export of any size is written as it is read
(datasets.services.exports streams it to the client).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import numpy as np

from labeling.core.interpolation import visible_annotations

ImageSize = Callable[[str | None], tuple[int, int] | None]


@dataclass(frozen=True)
class ExportImage:
    """One image to export: a sample, or one frame of a sequence sample."""

    file_name: str
    url: str | None
    annotations: list[dict]


def export_images(samples: Iterable[dict], labelset: str) -> Iterator[ExportImage]:
    """The images of labeled samples in `labelset` (unlabeled samples and labels without attributes are
    skipped), with their visible annotations."""
    for sample in samples:
        label = (sample.get("labels") or {}).get(labelset)
        if not label or not label.get("attributes"):
            continue
        attributes = label["attributes"]
        sample_attributes = sample.get("attributes") or {}
        if "frames" in attributes:
            frames = sample_attributes.get("frames") or []
            stem = PurePosixPath(sample["name"]).stem
            for index, frame in enumerate(attributes["frames"]):
                url = ((frames[index] if index < len(frames) else {}).get("image") or {}).get("url")
                name = f"{stem}_{index:06}{_extension(url)}"
                yield ExportImage(name, url, visible_annotations(frame))
        else:
            url = (sample_attributes.get("image") or {}).get("url")
            yield ExportImage(sample["name"], url, visible_annotations(attributes))


def _extension(url: str | None) -> str:
    return PurePosixPath(urlsplit(url or "").path).suffix or ".jpg"


def coco_images(samples: Iterable[dict], *, labelset: str, image_size: ImageSize) -> Iterator[dict]:
    """The `images` of COCO instance JSON: {id, file_name, width, height}, ids counting from 1 in the order of
    `export_images`; width/height 0 when the size is unknown."""
    for image_id, image in enumerate(export_images(samples, labelset), start=1):
        width, height = image_size(image.url) or (0, 0)
        yield {"id": image_id, "file_name": image.file_name, "width": width, "height": height}


def coco_annotations(samples: Iterable[dict], *, labelset: str, categories: Iterable[dict] = ()) -> Iterator[dict]:
    """The `annotations` of COCO instance JSON, for the same `samples` as coco_images (image ids match):
    `bbox` [x, y, width, height], `polygon` as a one-ring `segmentation` with its bounding box and area,
    `point` as one keypoint (visibility 2) with a zero-size box. The annotations of a keypoint category of
    `categories` (the dataset's) are merged into one COCO keypoint annotation per object (module docstring).
    Annotation ids count from 1."""
    keypoint_names = {
        category["id"]: list(category["keypoints"]) for category in categories if _is_keypoint_category(category)
    }
    annotation_id = 0
    for image_id, image in enumerate(export_images(samples, labelset), start=1):
        for coco in _image_annotations(image.annotations, keypoint_names):
            annotation_id += 1
            coco.update(id=annotation_id, image_id=image_id)
            yield coco


def coco_categories(categories: list[dict]) -> list[dict]:
    """The `categories` of COCO instance JSON: {id, name} of each of the dataset's categories, plus
    `keypoints` (names) and `skeleton` (1-based index pairs, [] when not given) for keypoint categories."""
    exported = []
    for category in categories:
        coco = {"id": category["id"], "name": category["name"]}
        if _is_keypoint_category(category):
            coco.update(keypoints=list(category["keypoints"]), skeleton=list(category.get("skeleton") or []))
        exported.append(coco)
    return exported


def _is_keypoint_category(category: dict) -> bool:
    names = category.get("keypoints")
    return isinstance(names, list) and bool(names) and all(isinstance(name, str) for name in names)


def _image_annotations(annotations: list[dict], keypoint_names: dict) -> Iterator[dict]:
    """The COCO annotations of one image (without id/image_id): single annotations, then the keypoint objects
    in order of first mention."""
    objects: dict[tuple, list[dict]] = {}
    for annotation in annotations:
        category_id = annotation.get("category_id")
        if category_id in keypoint_names:
            key = (category_id, str(_attribute(annotation, "object")))  # str: an attribute may be a list
            objects.setdefault(key, []).append(annotation)  # emitted after the image's other annotations
            continue
        coco = _coco_annotation(annotation)
        if coco is not None:
            coco["category_id"] = category_id
            yield coco
    for (category_id, _object), members in objects.items():
        coco = _keypoint_object(members, keypoint_names[category_id])
        if coco is not None:
            coco["category_id"] = category_id
            yield coco


def _attribute(annotation: dict, name: str):
    attributes = annotation.get("attributes")
    return attributes.get(name) if isinstance(attributes, dict) else None


def _keypoint_object(members: list[dict], names: list[str]) -> dict | None:
    """One COCO keypoint annotation from the annotations of one object (see the module docstring)."""
    keypoints = np.zeros((len(names), 3))
    index_of = {name: index for index, name in enumerate(names)}
    shapes: dict[str, dict | None] = {}  # None: the first such shape was not drawable
    for annotation in members:
        kind, name = annotation.get("type"), _attribute(annotation, "keypoint")
        points = np.asarray(annotation.get("points") or [], dtype=float).reshape(-1, 2)
        if kind == "point" and len(points) == 1 and name in index_of:
            visibility = 1 if _attribute(annotation, "visibility") in (1, "1") else 2
            keypoints[index_of[name]] = (*points[0], visibility)
        elif kind in ("bbox", "polygon") and kind not in shapes:
            shapes[kind] = _coco_annotation(annotation)
    labeled = keypoints[keypoints[:, 2] > 0]
    shape = shapes.get("polygon") or shapes.get("bbox")
    if shape is None:
        if not len(labeled):
            return None
        (x0, y0), (x1, y1) = labeled[:, :2].min(axis=0), labeled[:, :2].max(axis=0)
        shape = {"bbox": _box(x0, y0, x1, y1), "area": float((x1 - x0) * (y1 - y0)), "iscrowd": 0}
    drawn_box = shapes.get("bbox")
    if drawn_box:  # a drawn box wins over the polygon's extent; the polygon keeps its area
        shape = {**shape, "bbox": drawn_box["bbox"]}
    flat = [value for x, y, v in keypoints.tolist() for value in (float(x), float(y), int(v))]
    return {**shape, "keypoints": flat, "num_keypoints": len(labeled)}


def _coco_annotation(annotation: dict) -> dict | None:
    kind = annotation.get("type")
    points = np.asarray(annotation.get("points") or [], dtype=float).reshape(-1, 2)
    if kind == "bbox" and len(points) == 2:
        (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
        return {"bbox": _box(x0, y0, x1, y1), "area": float((x1 - x0) * (y1 - y0)), "iscrowd": 0}
    if kind == "polygon" and len(points) >= 3:
        (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
        x, y = points[:, 0], points[:, 1]
        area = 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))  # shoelace
        segmentation = [points.ravel().tolist()]
        return {"bbox": _box(x0, y0, x1, y1), "area": area, "segmentation": segmentation, "iscrowd": 0}
    if kind == "point" and len(points) == 1:
        x, y = points[0]
        return {
            "bbox": [float(x), float(y), 0.0, 0.0],
            "area": 0.0,
            "keypoints": [float(x), float(y), 2],
            "num_keypoints": 1,
            "iscrowd": 0,
        }
    return None


def _box(x0: float, y0: float, x1: float, y1: float) -> list[float]:
    return [float(x0), float(y0), float(x1 - x0), float(y1 - y0)]


def yolo_files(
    samples: Iterable[dict], *, categories: list[dict], labelset: str, image_size: ImageSize
) -> Iterator[tuple[str, str]]:
    """(file name, text) pairs: first "classes.txt" (one category name per line), then "<image stem>.txt" per
    image with lines "class x_center y_center width height", coordinates normalised to [0, 1] by the image
    size and `class` the category's 0-based position in `categories`. Boxes of `bbox` and `polygon`
    annotations; images of unknown size are skipped (they cannot be normalised)."""
    class_of = {category["id"]: index for index, category in enumerate(categories)}
    yield "classes.txt", "".join(f"{category['name']}\n" for category in categories)
    for image in export_images(samples, labelset):
        size = image_size(image.url)
        if size is None:
            continue
        lines = []
        for annotation in image.annotations:
            points = np.asarray(annotation.get("points") or [], dtype=float).reshape(-1, 2)
            if annotation.get("type") not in ("bbox", "polygon") or len(points) < 2:
                continue
            if annotation.get("category_id") not in class_of:
                continue
            low, high = points.min(axis=0), points.max(axis=0)
            center, extent = (low + high) / 2 / size, (high - low) / size
            values = " ".join(f"{value:.6f}" for value in (*center, *extent))
            lines.append(f"{class_of[annotation['category_id']]} {values}\n")
        yield f"{PurePosixPath(image.file_name).stem}.txt", "".join(lines)
