"""COCO JSON (instances and person_keypoints) -> per-image plans, checked before anything is stored. Pure: no
Django, no storage.

`read_coco(content)` parses and checks a COCO file and returns a `CocoFile` (categories, images in file order,
each with its annotations). Every problem is collected into one `CocoFormatError` (a `LabelFormatError`)
whose issues name the COCO path (`annotations[3].bbox`) and, for annotations and images, their COCO id in the
message. Rules: `json` (not JSON / not UTF-8), `not_coco` (no `images`/`annotations`/`categories` lists),
`too_large`, `too_many`, `nesting`, `invalid` (a field of the wrong type or range), `duplicate_id`,
`duplicate_name`, `unknown_image` (an annotation's `image_id`), `unknown_category` (its `category_id`),
`bbox`, `segmentation`, `keypoints`, `image_not_uploaded`, `ambiguous_file_name`.

`match_uploads` pairs each COCO image with an uploaded file by relative path, else by file name. The label
builders turn one image's annotations into our label formats: `vector_label` (image-vector task types, see
docs/keypoints.md for keypoint objects; the same form the COCO export reads back, labeling.core.exports) and
`bitmap_label` (segmentation-bitmap task types: one instance-id bitmap, labeling.core.bitmaps, masks drawn
with pycocotools). Coordinates are COCO's: pixels, origin at the image's top-left corner, as in our labels.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, cast

import numpy as np
import orjson

from labeling.core.checks import Issues
from labeling.core.errors import LabelFormatError

# Bounds on what one import may hold: the whole file is parsed in memory (about 10x its size as Python
# objects), so the file is bounded first; the counts bound the transaction that stores the result.
MAX_COCO_BYTES = 128 * 1024 * 1024
MAX_IMAGES = 20_000
MAX_ANNOTATIONS = 500_000
MAX_CATEGORIES = 10_000
MAX_KEYPOINTS = 1_000  # keypoint names of one category
MAX_POLYGON_POINTS = 10_000  # vertices of one polygon ring
MAX_RINGS = 100  # polygon rings of one annotation
MAX_IMAGE_SIDE = 65_536  # pixels
MAX_NESTING = 64  # JSON nesting depth of the file


class CocoFormatError(LabelFormatError):
    """A COCO file refused as a whole; `.issues` lists each problem with its COCO path and rule."""


class _CocoIssues(Issues):
    MAX_ISSUES = 100


@dataclass(frozen=True)
class CocoCategory:
    """A COCO category; `keypoints` (names) and `skeleton` (1-based index pairs) are empty unless given."""

    id: int
    name: str
    keypoints: tuple[str, ...] = ()
    skeleton: tuple[tuple[int, int], ...] = ()


@dataclass
class CocoImage:
    """A COCO image with its annotations (COCO dicts, checked), in file order."""

    id: int
    file_name: str
    width: int
    height: int
    annotations: list[dict] = field(default_factory=list)


@dataclass
class CocoFile:
    """A checked COCO file: categories by id, images in file order."""

    categories: dict[int, CocoCategory]
    images: list[CocoImage]

    @property
    def annotation_count(self) -> int:
        return sum(len(image.annotations) for image in self.images)


def read_coco(content: bytes) -> CocoFile:
    """Parse and check a COCO file (UTF-8 JSON, at most MAX_COCO_BYTES).

    Raises CocoFormatError listing every problem found (module docstring for the rules); nothing is returned
    half-checked.
    """
    document = _parse(content)
    issues = _CocoIssues()
    categories = _categories(issues, document["categories"])
    images = _images(issues, document["images"])
    _annotations(issues, document["annotations"], images, categories)
    issues.raise_if_any(CocoFormatError)
    return CocoFile(categories=categories, images=list(images.values()))


def _refuse(path: str, rule: str, message: str) -> CocoFormatError:
    issues = _CocoIssues()
    issues.add(path, rule, message)
    return CocoFormatError(issues.found)


def _parse(content: bytes) -> dict:
    if len(content) > MAX_COCO_BYTES:
        raise _refuse("", "too_large", f"{len(content)} bytes is over the limit of {MAX_COCO_BYTES} bytes")
    depth = _nesting_depth(content)
    if depth > MAX_NESTING:
        raise _refuse("", "nesting", f"JSON nested {depth} levels deep; at most {MAX_NESTING}")
    try:
        document = orjson.loads(content.removeprefix(b"\xef\xbb\xbf"))  # orjson: about half json's memory
    except orjson.JSONDecodeError as error:  # invalid UTF-8 included
        raise _refuse("", "json", f"not JSON: {error}") from None
    if not isinstance(document, dict):
        raise _refuse("", "not_coco", "a COCO file is a JSON object with images, annotations and categories")
    missing = [key for key in ("images", "annotations", "categories") if not isinstance(document.get(key), list)]
    if missing:
        raise _refuse(missing[0], "not_coco", f"a COCO file has lists {', '.join(missing)}; not found")
    for key, limit in (("images", MAX_IMAGES), ("annotations", MAX_ANNOTATIONS), ("categories", MAX_CATEGORIES)):
        if len(document[key]) > limit:
            raise _refuse(key, "too_many", f"{len(document[key])} {key}; at most {limit} per import")
    return document


_DEPTH_CHUNK_BYTES = 4 * 1024 * 1024


def _nesting_depth(content: bytes) -> int:
    """The deepest bracket nesting of a JSON text, brackets inside strings excluded. NumPy over chunks of
    _DEPTH_CHUNK_BYTES (bounded memory), no loop per byte; checked before parsing so that a deeply nested file
    is refused with its depth rather than by the parser's recursion limit."""
    deepest, state = 0, (0, 0, 0)  # (depth, quotes seen mod 2, trailing backslash run)
    for offset in range(0, len(content), _DEPTH_CHUNK_BYTES):
        chunk_deepest, state = _chunk_depth(content[offset : offset + _DEPTH_CHUNK_BYTES], state)
        deepest = max(deepest, chunk_deepest)
    return deepest


def _chunk_depth(chunk: bytes, state: tuple[int, int, int]) -> tuple[int, tuple[int, int, int]]:
    depth, quotes, backslashes = state
    data = np.frombuffer(chunk, dtype=np.uint8)
    if not data.size:
        return depth, state
    index = np.arange(data.size, dtype=np.int32)
    backslash = data == ord("\\")
    # Length of the backslash run ending at each byte; a quote after an odd run is escaped.
    run_start = np.maximum.accumulate(np.where(backslash, -1 - backslashes, index))
    run_length = index - run_start
    before = np.concatenate(([backslashes], run_length[:-1]))
    quote = (data == ord('"')) & (before % 2 == 0)
    inside = ((np.cumsum(quote, dtype=np.int32) + quotes) % 2 == 1) & ~quote
    opening = ((data == ord("[")) | (data == ord("{"))) & ~inside
    closing = ((data == ord("]")) | (data == ord("}"))) & ~inside
    levels = depth + np.cumsum(opening.astype(np.int32) - closing.astype(np.int32), dtype=np.int32)
    state = (int(levels[-1]), (quotes + int(quote.sum())) % 2, int(run_length[-1]))
    return int(levels.max()), state


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _categories(issues: Issues, items: list) -> dict[int, CocoCategory]:
    categories: dict[int, CocoCategory] = {}
    names: set[str] = set()
    for index, item in enumerate(items):
        path = f"categories[{index}]"
        category = _category(issues, item, path)
        if category is None:
            continue
        if category.id in categories:
            issues.add(f"{path}.id", "duplicate_id", f"category id {category.id} is used twice")
        elif category.name in names:
            issues.add(f"{path}.name", "duplicate_name", f"category name {category.name!r} is used twice")
        else:
            categories[category.id] = category
            names.add(category.name)
    return categories


def _category(issues: Issues, item: Any, path: str) -> CocoCategory | None:
    if not isinstance(item, dict):
        issues.add(path, "invalid", "a category is an object {id, name}")
        return None
    if not _is_int(item.get("id")) or not 0 < item["id"] < 2**31:
        issues.add(f"{path}.id", "invalid", "a category id is a positive integer")
        return None
    name = item.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        issues.add(f"{path}.name", "invalid", f"category {item['id']}: the name is a non-empty string")
        return None
    keypoints = item.get("keypoints") or []
    if (
        not isinstance(keypoints, list)
        or len(keypoints) > MAX_KEYPOINTS
        or not all(isinstance(name, str) and name for name in keypoints)
    ):
        issues.add(f"{path}.keypoints", "keypoints", f"at most {MAX_KEYPOINTS} non-empty keypoint names")
        return None
    skeleton = item.get("skeleton") or []
    edges_ok = isinstance(skeleton, list) and all(
        isinstance(edge, list) and len(edge) == 2 and all(_is_int(i) and 1 <= i <= len(keypoints) for i in edge)
        for edge in skeleton
    )
    if not edges_ok:
        issues.add(f"{path}.skeleton", "keypoints", "skeleton edges are [a, b], 1-based indices into keypoints")
        return None
    return CocoCategory(item["id"], name, tuple(keypoints), tuple((a, b) for a, b in skeleton))


def _images(issues: Issues, items: list) -> dict[int, CocoImage]:
    images: dict[int, CocoImage] = {}
    for index, item in enumerate(items):
        path = f"images[{index}]"
        if not isinstance(item, dict) or not _is_int(item.get("id")):
            issues.add(path, "invalid", "an image is an object {id, file_name, width, height}, id an integer")
            continue
        image_id, file_name = item["id"], item.get("file_name")
        if not isinstance(file_name, str) or not file_name.strip() or len(file_name) > 255:
            issues.add(f"{path}.file_name", "invalid", f"image id {image_id}: file_name is a non-empty string")
            continue
        width, height = item.get("width"), item.get("height")
        if not all(isinstance(size, int) and _is_int(size) and 0 < size <= MAX_IMAGE_SIDE for size in (width, height)):
            message = f"image id {image_id}: width and height are integers in 1..{MAX_IMAGE_SIDE}"
            issues.add(f"{path}.width", "invalid", message)
            continue
        if image_id in images:
            issues.add(f"{path}.id", "duplicate_id", f"image id {image_id} is used twice")
            continue
        images[image_id] = CocoImage(image_id, file_name, cast(int, width), cast(int, height))
    return images


def _annotations(issues: Issues, items: list, images: dict[int, CocoImage], categories: dict) -> None:
    seen: set[int] = set()
    for index, item in enumerate(items):
        path = f"annotations[{index}]"
        if not isinstance(item, dict) or not _is_int(item.get("id")):
            issues.add(path, "invalid", "an annotation is an object with an integer id")
            continue
        annotation_id = item["id"]
        if annotation_id in seen:
            issues.add(f"{path}.id", "duplicate_id", f"annotation id {annotation_id} is used twice")
            continue
        seen.add(annotation_id)
        image = images.get(item.get("image_id"))  # type: ignore[arg-type]
        if image is None:
            message = f"annotation id {annotation_id}: image_id {item.get('image_id')!r:.40} is not in images"
            issues.add(f"{path}.image_id", "unknown_image", message)
            continue
        category = categories.get(item.get("category_id"))  # type: ignore[arg-type]
        if category is None:
            message = f"annotation id {annotation_id}: category_id {item.get('category_id')!r:.40} is not in categories"
            issues.add(f"{path}.category_id", "unknown_category", message)
            continue
        if _annotation_ok(issues, item, path, image, category):
            image.annotations.append(item)


def _annotation_ok(issues: Issues, item: dict, path: str, image: CocoImage, category: CocoCategory) -> bool:
    before = len(issues)
    label = f"annotation id {item['id']}"
    bbox = item.get("bbox")
    if bbox is not None and not _bbox_ok(bbox):
        issues.add(f"{path}.bbox", "bbox", f"{label}: bbox is [x, y, width, height], finite, width/height >= 0")
    segmentation = item.get("segmentation")
    if segmentation not in (None, []):
        problem = _segmentation_problem(segmentation, image)
        if problem:
            issues.add(f"{path}.segmentation", "segmentation", f"{label}: {problem}")
    keypoints = item.get("keypoints")
    if keypoints not in (None, []):
        problem = _keypoints_problem(keypoints, category)
        if problem:
            issues.add(f"{path}.keypoints", "keypoints", f"{label}: {problem}")
    return len(issues) == before


def _bbox_ok(bbox: Any) -> bool:
    return isinstance(bbox, list) and len(bbox) == 4 and all(map(_is_number, bbox)) and min(bbox[2:]) >= 0


def _segmentation_problem(segmentation: Any, image: CocoImage) -> str | None:
    """Why a `segmentation` (polygon rings, or an RLE {size, counts}) cannot be drawn on `image`, or None."""
    if isinstance(segmentation, dict):
        return _rle_problem(segmentation, image)
    if not isinstance(segmentation, list) or len(segmentation) > MAX_RINGS:
        return f"segmentation is a list of at most {MAX_RINGS} polygons or an RLE object"
    low_x, low_y, high_x, high_y = -image.width, -image.height, 2 * image.width, 2 * image.height
    for ring in segmentation:
        if not isinstance(ring, list) or len(ring) % 2 or not 6 <= len(ring) <= 2 * MAX_POLYGON_POINTS:
            return f"a polygon is a flat list [x1, y1, x2, y2, ...] of 3 to {MAX_POLYGON_POINTS} points"
        if not all(map(_is_number, ring)):
            return "polygon coordinates are finite numbers"
        xs, ys = ring[0::2], ring[1::2]
        if min(xs) < low_x or max(xs) > high_x or min(ys) < low_y or max(ys) > high_y:
            return f"a polygon lies far outside its {image.width}x{image.height} image"
    return None


def _rle_problem(rle: dict, image: CocoImage) -> str | None:
    if rle.get("size") != [image.height, image.width]:
        return f"an RLE's size must be the image's [height, width] [{image.height}, {image.width}]"
    counts = rle.get("counts")
    if isinstance(counts, str):
        try:
            counts = rle_counts(counts)
        except ValueError as error:
            return f"RLE counts: {error}"
    elif not isinstance(counts, list) or not all(_is_int(count) for count in counts):
        return "RLE counts are a list of integers or a compressed string"
    counts_array = np.asarray(counts, dtype=np.int64)
    if (counts_array < 0).any() or int(counts_array.sum()) != image.width * image.height:
        return f"RLE counts are >= 0 and add up to {image.width * image.height} pixels"
    return None


def rle_counts(compressed: str) -> list[int]:
    """The run lengths of a compressed COCO RLE string (pycocotools' `rleFrString`), decoded with NumPy.

    Each count is 5-bit groups (char - 48; bit 0x20: more groups follow; the last group's bit 0x10 is the
    sign); counts after the second are deltas from the count two before. Raises ValueError for characters
    outside the alphabet or a count cut short. Decoding separately lets a count that does not add up to the
    image be refused before pycocotools (which trusts the counts) writes a mask.
    """
    codes = np.frombuffer(compressed.encode("ascii", errors="replace"), dtype=np.uint8).astype(np.int64) - 48
    if codes.size == 0:
        return []
    if (codes < 0).any() or (codes > 63).any():
        raise ValueError("characters outside the RLE alphabet")
    more = (codes & 0x20) != 0
    if more[-1]:
        raise ValueError("the last count is cut short")
    ends = np.flatnonzero(~more)
    group = np.concatenate(([0], np.cumsum(~more)[:-1]))  # which count each character belongs to
    starts = np.concatenate(([0], ends[:-1] + 1))
    position = np.arange(codes.size) - starts[group]  # group index k within its count
    if position.max() > 6:
        raise ValueError("a count is too long")
    values = np.zeros(ends.size, dtype=np.int64)
    np.add.at(values, group, (codes & 0x1F) << (5 * position))
    negative = (codes[ends] & 0x10) != 0
    values[negative] -= np.int64(1) << (5 * (position[ends][negative] + 1))
    counts = values.copy()
    # counts[i] += counts[i - 2] for i > 2: two running sums, over odd positions from 1 and even ones from 2.
    counts[1::2] = np.cumsum(values[1::2])
    counts[2::2] = np.cumsum(values[2::2])
    return counts.tolist()


@dataclass
class UploadMatch:
    """COCO image id -> the uploaded path it uses; uploaded paths no COCO image uses."""

    paths: dict[int, str]
    unused: list[str]


def match_uploads(coco: CocoFile, uploaded_paths: Iterable[str]) -> UploadMatch:
    """Pair each COCO image with an uploaded file: same relative path, else same file name (the last part of
    both). Raises CocoFormatError (rules `image_not_uploaded`, `ambiguous_file_name`) naming each image."""
    uploaded = list(uploaded_paths)
    exact = set(uploaded)
    by_name: dict[str, list[str]] = {}
    for path in uploaded:
        by_name.setdefault(PurePosixPath(path).name, []).append(path)
    issues, paths = _CocoIssues(), {}
    for index, image in enumerate(coco.images):
        candidates = [image.file_name] if image.file_name in exact else by_name.get(PurePosixPath(image.file_name).name)
        label = f"images[{index}].file_name"
        if not candidates:
            issues.add(label, "image_not_uploaded", f"image id {image.id}: {image.file_name!r} was not uploaded")
        elif len(candidates) > 1:
            message = f"image id {image.id}: {image.file_name!r} matches {len(candidates)} uploaded files"
            issues.add(label, "ambiguous_file_name", message)
        else:
            paths[image.id] = candidates[0]
    issues.raise_if_any(CocoFormatError)
    used = set(paths.values())
    return UploadMatch(paths=paths, unused=[path for path in uploaded if path not in used])


@dataclass
class CategoryMerge:
    """The dataset's categories after an import (`categories`, the whole new list), COCO category id ->
    dataset category id (`ids`), the names added, and whether anything changed."""

    categories: list[dict]
    ids: dict[int, int]
    added: list[str]
    changed: bool


def keypoint_attributes(names: Iterable[str]) -> list[dict]:
    """The object attributes a keypoint category declares (docs/keypoints.md): `keypoint` (select of the
    names), `object` (number shared by one object's annotations), `visibility` (COCO's v, 1 or 2)."""
    return [
        {"name": "keypoint", "input_type": "select", "values": list(names)},
        {"name": "object", "input_type": "number"},
        {"name": "visibility", "input_type": "number", "min": 1, "max": 2},
    ]


def merge_categories(existing: list[dict], coco: CocoFile, *, with_keypoints: bool) -> CategoryMerge:
    """Map COCO categories onto the dataset's `existing` categories by name; add the missing ones (with their
    COCO id when the dataset has no category of that id, else ids after the largest). With `with_keypoints`
    (vector task types) a COCO keypoint category's dataset category gets `keypoints`, `skeleton` and the
    keypoint attributes when it has none. Raises CocoFormatError (rule
    `keypoints_differ`) when a dataset category of the same name lists other keypoint names."""
    categories = [dict(category) for category in existing]
    by_name = {category["name"]: category for category in categories}
    next_id = max((category["id"] for category in categories), default=0) + 1
    merge = CategoryMerge(categories=categories, ids={}, added=[], changed=False)
    issues = _CocoIssues()
    for index, source in enumerate(coco.categories.values()):
        target = by_name.get(source.name)
        if target is None:
            taken = {category["id"] for category in categories}
            target = {"id": source.id if source.id not in taken else next_id, "name": source.name}
            next_id = max(next_id, target["id"] + 1)
            categories.append(target)
            by_name[source.name] = target
            merge.added.append(source.name)
            merge.changed = True
        merge.ids[source.id] = target["id"]
        if with_keypoints and source.keypoints:
            merge.changed |= _add_keypoints(issues, target, source, f"categories[{index}].keypoints")
    issues.raise_if_any(CocoFormatError)
    return merge


def _add_keypoints(issues: Issues, target: dict, source: CocoCategory, path: str) -> bool:
    if target.get("keypoints"):
        if list(target["keypoints"]) != list(source.keypoints):
            message = f"category {source.name!r}: the dataset's category lists other keypoint names"
            issues.add(path, "keypoints_differ", message)
        return False
    target["keypoints"] = list(source.keypoints)
    target["skeleton"] = [list(edge) for edge in source.skeleton]
    declared = {attribute.get("name") for attribute in target.get("attributes") or []}
    missing = [a for a in keypoint_attributes(source.keypoints) if a["name"] not in declared]
    target["attributes"] = [*(target.get("attributes") or []), *missing]
    return True


def _pairs(flat: list) -> list[list[float]]:
    return [[float(x), float(y)] for x, y in zip(flat[0::2], flat[1::2], strict=True)]


def _box_points(bbox: list) -> list[list[float]]:
    x, y, width, height = map(float, bbox)
    return [[x, y], [x + width, y + height]]


def vector_label(image: CocoImage, coco: CocoFile, category_ids: dict[int, int]) -> tuple[dict | None, dict]:
    """An image-vector label (`{"format_version", "annotations"}`, ids from 1) of one COCO image, and the
    count of each annotation type written ({"bbox": n, "polygon": n, "point": n}); None when the image has
    no annotations.

    A keypoint category's annotation becomes one object (attribute `object`: its 1-based number in the image):
    its polygon(s), its box, and a `point` per keypoint with v > 0 (attributes `keypoint`, `visibility`), as
    the COCO export reads them back. Another category's annotation becomes its polygon(s), or its box when it
    has no polygon (an RLE mask: its box); the export then derives the box from the polygon again.
    """
    annotations: list[dict] = []
    counts = {"bbox": 0, "polygon": 0, "point": 0}

    def add(kind: str, category_id: int, points: list, attributes: dict | None) -> None:
        annotation = {"id": len(annotations) + 1, "category_id": category_id, "type": kind, "points": points}
        if attributes is not None:
            annotation["attributes"] = attributes
        annotations.append(annotation)
        counts[kind] += 1

    for number, source in enumerate(image.annotations, start=1):
        category = coco.categories[source["category_id"]]
        category_id = category_ids[category.id]
        attributes = {"object": number} if category.keypoints else None
        rings = source.get("segmentation") if isinstance(source.get("segmentation"), list) else []
        for ring in rings or []:
            add("polygon", category_id, _pairs(ring), attributes)
        if source.get("bbox") is not None and (category.keypoints or not rings):
            add("bbox", category_id, _box_points(source["bbox"]), attributes)
        values = source.get("keypoints") or []
        for index, name in enumerate(category.keypoints if values else ()):
            x, y, visibility = values[3 * index : 3 * index + 3]
            if visibility > 0:
                point_attributes = {"object": number, "keypoint": name, "visibility": int(visibility)}
                add("point", category_id, [[float(x), float(y)]], point_attributes)
    if not annotations:
        return None, counts
    return {"format_version": "0.1", "annotations": annotations}, counts


def _keypoints_problem(keypoints: Any, category: CocoCategory) -> str | None:
    count = len(category.keypoints)
    if not isinstance(keypoints, list) or len(keypoints) != 3 * count or not count:
        return f"keypoints is [x, y, v] for each of the category's {count} keypoint names"
    if not all(map(_is_number, keypoints)):
        return "keypoint coordinates are finite numbers"
    if any(v not in (0, 1, 2) for v in keypoints[2::3]):
        return "a keypoint's visibility v is 0, 1 or 2"
    return None


def annotation_mask(source: dict, height: int, width: int) -> np.ndarray | None:
    """The (height, width) bool mask of a checked COCO annotation's `segmentation` (polygons or RLE, drawn by
    pycocotools as COCO draws them), or None when it has none."""
    from pycocotools import mask as mask_utils  # the C extension: only loaded by imports that draw masks

    segmentation = source.get("segmentation")
    if not segmentation:
        return None
    if isinstance(segmentation, list):
        rle = mask_utils.merge(mask_utils.frPyObjects(segmentation, height, width))
    elif isinstance(segmentation["counts"], list):
        rle = mask_utils.frPyObjects(segmentation, height, width)
    else:  # compressed counts, checked to add up to the image by _rle_problem
        rle = {"size": [height, width], "counts": segmentation["counts"].encode("ascii")}
    return mask_utils.decode(rle).astype(bool)


def bitmap_label(image: CocoImage, category_ids: dict[int, int]) -> tuple[np.ndarray, list[dict], list[int]]:
    """One COCO image's masks as an instance-id bitmap: ((height, width) uint32 ids, the label's `annotations`
    [{id, category_id}] with ids from 1 in file order, COCO ids of annotations without a mask (left out)).

    Crowd regions (`iscrowd`) are drawn first, so that instances on them stay visible; otherwise a later
    annotation covers an earlier one where they overlap.
    """
    ids = np.zeros((image.height, image.width), dtype=np.uint32)
    annotations, unmasked = [], []
    drawn = sorted(image.annotations, key=lambda source: not source.get("iscrowd"))  # stable: file order kept
    number = {id(source): index for index, source in enumerate(image.annotations, start=1)}
    for source in drawn:
        mask = annotation_mask(source, image.height, image.width)
        if mask is None:
            unmasked.append(source["id"])
            continue
        ids[mask] = number[id(source)]
    for source in image.annotations:
        if source["id"] not in unmasked:
            annotations.append({"id": number[id(source)], "category_id": category_ids[source["category_id"]]})
    return ids, annotations, unmasked
