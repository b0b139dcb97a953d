"""The COCO importer (kind "coco") of the import-job framework: one COCO JSON file (instances or
person_keypoints) uploaded with its images becomes one image sample per COCO image and its label in one label
set, all in one transaction.

Vector datasets (bboxes, vector, keypoints) get boxes, polygons and keypoint objects (docs/keypoints.md);
segmentation-bitmap datasets get one instance-id bitmap per image (labeling.core.coco_import). COCO
categories map onto the dataset's by name; missing ones are added. Images are matched by file name among the
uploaded files. Option `labelset`: the label set the labels go to, "ground-truth" by default (labels
PRELABELED); any other name is a prediction label set (labels LABELED), created by the import when the
dataset has none of that name.

The whole import is refused, nothing created, for a file that is not COCO, an annotation whose image or
category does not exist, a malformed box, polygon, mask or keypoint list, an image not uploaded with the file,
an image whose size differs from the COCO file's, more than one JSON file, or a label the dataset's task type
refuses; each error names the file and the COCO path (and the image or annotation id). Uploaded images the
COCO file does not list, images whose sample name is taken, and annotations without a mask in a segmentation
dataset are left out and listed in the report's refused items.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from datasets.models import Asset, Dataset, Label, LabelSet
from datasets.services import samples as sample_services
from datasets.services.dataset_settings import update_dataset
from datasets.services.imports import (
    ImportContext,
    ImporterSpec,
    ImportFileRefused,
    ImportReport,
    OptionSpec,
    register_importer,
)
from datasets.services.labelsets import add_labelset
from labeling.core import coco_import, uploads
from labeling.core.bitmaps import encode_bitmap
from labeling.core.errors import FormatIssue, LabelFormatError
from labeling.core.label_formats import validate_label_attributes
from labeling.core.task_types import BITMAP, IMAGE_VECTOR, task_type_of, task_types_where
from labeling.exceptions import InvalidInput

KIND = "coco"
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp")
VECTOR_TASK_TYPES = frozenset(task_types_where(label_type=IMAGE_VECTOR, sequence=False))
BITMAP_TASK_TYPES = frozenset(task_types_where(label_type=BITMAP, sequence=False))
GROUND_TRUTH = "ground-truth"
MAX_LABELSET_NAME = 100  # LabelSet.name
LABEL_BATCH_SIZE = 1000
# Annotation types written -> their name in the report's counts (points are keypoints: COCO has no others).
REPORTED_KINDS = {"bbox": "boxes", "polygon": "polygons", "point": "keypoints", "mask": "masks"}


def check_file(path: str, head: bytes, size: int) -> None:
    """Refuse (ImportFileRefused) a .json file that does not start like a JSON object, an image whose content
    is not what its extension says, and any other kind of file."""
    extension = PurePosixPath(path).suffix.lower()
    if extension == ".json":
        if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            raise ImportFileRefused("a COCO file is a JSON object; this file does not start with '{'")
        if size > coco_import.MAX_COCO_BYTES:
            raise ImportFileRefused(f"a COCO file may hold at most {coco_import.MAX_COCO_BYTES} bytes")
        return
    if extension not in IMAGE_EXTENSIONS:
        raise ImportFileRefused(f"a COCO import takes one .json file and its images ({', '.join(IMAGE_EXTENSIONS)})")
    try:
        uploads.detect_kind(path, head, size)
    except uploads.UploadRefused as error:
        raise ImportFileRefused(str(error)) from None


def clean_options(dataset: Dataset, options: dict) -> dict:
    """{"labelset": name}: "ground-truth" when not given; any other name at most MAX_LABELSET_NAME characters
    (created by the import when missing). Raises InvalidInput naming `options.labelset`."""
    name = options.get("labelset") or GROUND_TRUTH
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_LABELSET_NAME:
        message = f"a label set name of 1 to {MAX_LABELSET_NAME} characters"
        raise InvalidInput(
            f"options.labelset: {message}",
            errors=[{"path": "options.labelset", "rule": "labelset", "message": message}],
        )
    return {"labelset": name.strip()}


@dataclass
class _Plan:
    """What the import will write: sample items, label attributes per sample name, counts, refused items."""

    items: list[dict] = field(default_factory=list)
    labels: dict[str, dict] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    refused: list[tuple[str, str]] = field(default_factory=list)


def run(ctx: ImportContext) -> ImportReport:
    """Read the COCO file and images, build every label, then write samples, labels and categories in one
    transaction. Raises InvalidInput (the whole import refused) as described in the module docstring."""
    dataset = ctx.dataset
    if dataset.task_type not in SPEC.task_types:
        message = f"a {dataset.task_type} dataset cannot import COCO"
        raise InvalidInput(message, errors=[{"path": "dataset", "rule": "task_type", "message": message}])
    json_asset, images = _split_files(ctx.assets)
    coco, json_name = _read(ctx, json_asset), json_asset.filename
    match = _checked(json_name, lambda: coco_import.match_uploads(coco, images))
    is_bitmap = dataset.task_type in BITMAP_TASK_TYPES
    merge = _checked(
        json_name,
        lambda: coco_import.merge_categories(dataset.categories, coco, with_keypoints=not is_bitmap),
    )
    task_attributes = {"format_version": "0.1", **(dataset.task_attributes or {}), "categories": merge.categories}
    plan = _plan(ctx, coco, match, merge, task_attributes, json_name)
    plan.refused[:0] = [(path, "not listed in the COCO file's images") for path in match.unused]
    labelset_name = ctx.options["labelset"]
    ctx.progress(len(coco.images), len(coco.images), "writing samples and labels", force=True)
    with transaction.atomic():
        if merge.changed:
            update_dataset(ctx.actor, dataset, {"task_attributes": task_attributes})
        labelset = _labelset(ctx.actor, dataset, labelset_name)
        created = sample_services.create_samples(ctx.actor, dataset, plan.items) if plan.items else []
        labels = _write_labels(ctx.actor, created, plan.labels, labelset)
    return _report(plan, created, labels, merge, labelset_name)


def _split_files(assets: list[Asset]) -> tuple[Asset, dict[str, Asset]]:
    json_files = [asset for asset in assets if asset.filename.lower().endswith(".json")]
    if len(json_files) != 1:
        message = f"a COCO import takes exactly one .json file, got {len(json_files)}"
        raise InvalidInput(message, errors=[{"path": "files", "rule": "one_coco_file", "message": message}])
    return json_files[0], {asset.filename: asset for asset in assets if asset is not json_files[0]}


def _read(ctx: ImportContext, asset: Asset) -> coco_import.CocoFile:
    ctx.progress(0, 1, f"reading {asset.filename}")
    if (asset.size or 0) > coco_import.MAX_COCO_BYTES:
        message = f"{asset.size} bytes is over the limit of {coco_import.MAX_COCO_BYTES} bytes"
        raise InvalidInput(message, errors=[{"path": asset.filename, "rule": "too_large", "message": message}])
    with ctx.open(asset) as stored:
        content = stored.read(coco_import.MAX_COCO_BYTES + 1)
    return _checked(asset.filename, lambda: coco_import.read_coco(content))


def _checked(file_name: str, step) -> Any:
    """step() with a CocoFormatError turned into InvalidInput whose paths start with the COCO file's name."""
    try:
        return step()
    except coco_import.CocoFormatError as error:
        raise _refusal(file_name, error) from None


def _refusal(file_name: str, error: LabelFormatError) -> InvalidInput:
    errors = [{**issue.to_dict(), "path": f"{file_name}:{issue.path}".rstrip(":")} for issue in error.issues]
    first = "; ".join(f"{e['path']}: {e['message']}" for e in errors[:3])
    return InvalidInput(f"COCO import refused, nothing was imported: {first}", errors=errors)


def _plan(ctx: ImportContext, coco, match, merge, task_attributes: dict, json_name: str) -> _Plan:
    """Every sample item and label of the import, checked; raises InvalidInput with every image-size and
    label problem (paths `<file>:images[i]...`)."""
    plan, dataset = _Plan(), ctx.dataset
    is_bitmap = task_type_of(dataset.task_type).label_type == BITMAP
    names = [match.paths[image.id][:255] for image in coco.images]
    taken = set(dataset.samples.filter(name__in=names).values_list("name", flat=True))
    issues: list[FormatIssue] = []
    planned: set[str] = set()
    assets = {asset.filename: asset for asset in ctx.assets}
    for index, (image, name) in enumerate(zip(coco.images, names, strict=True)):
        ctx.progress(index, len(coco.images), f"image {index + 1} of {len(coco.images)}")
        if name in taken:
            reason = "a sample with this name already exists" if name not in planned else "an earlier image uses it"
            plan.refused.append((f"image id {image.id} ({name})", reason))
            continue
        taken.add(name)
        planned.add(name)
        asset = assets[match.paths[image.id]]
        issues += _size_issues(ctx, asset, image, f"images[{index}]")
        attributes = {"image": {"url": ctx.asset_url(asset)}}
        plan.items.append({"name": name, "attributes": attributes})
        label = _bitmap_label(ctx, image, merge, plan) if is_bitmap else _vector_label(coco, image, merge, plan)
        if label is not None:
            issues += _label_issues(dataset.task_type, label, task_attributes, image, f"images[{index}]")
            plan.labels[name] = label
    if issues:
        raise _refusal(json_name, LabelFormatError(issues[:100]))
    return plan


def _size_issues(ctx: ImportContext, asset: Asset, image: coco_import.CocoImage, path: str) -> list[FormatIssue]:
    """The image file must be readable and of the COCO file's width and height (Pillow reads the header only)."""
    try:
        with ctx.open(asset) as stored, Image.open(stored) as opened:
            size = opened.size
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
        return [FormatIssue(path, "image_file", f"image id {image.id}: {asset.filename} cannot be read as an image")]
    if size != (image.width, image.height):
        message = f"image id {image.id}: the COCO file says {image.width}x{image.height}, {asset.filename} is "
        return [FormatIssue(f"{path}.width", "image_size", message + f"{size[0]}x{size[1]}")]
    return []


def _vector_label(coco, image, merge, plan: _Plan) -> dict | None:
    label, counts = coco_import.vector_label(image, coco, merge.ids)
    plan.counts.update(counts)
    return label


def _bitmap_label(ctx: ImportContext, image, merge, plan: _Plan) -> dict | None:
    """The segmentation label of one image; its bitmap PNG is saved now (the framework deletes it if the
    import fails). Annotations without a mask are listed as refused items."""
    if not image.annotations:
        return None
    ids, annotations, unmasked = coco_import.bitmap_label(image, merge.ids)
    plan.refused += [(f"annotation id {annotation_id}", "no mask (segmentation) to draw") for annotation_id in unmasked]
    plan.counts["mask"] += len(annotations)
    url = ctx.save_file(f"bitmaps/{image.id}.png", encode_bitmap(ids))
    return {"format_version": "0.1", "annotations": annotations, "segmentation_bitmap": {"url": url}}


def _label_issues(task_type: str, label: dict, task_attributes: dict, image, path: str) -> list[FormatIssue]:
    try:
        validate_label_attributes(task_type, label, task_attributes=task_attributes)
    except LabelFormatError as error:
        prefix = f"{path} (image id {image.id}) label"
        return [FormatIssue(f"{prefix}.{issue.path}", issue.rule, issue.message) for issue in error.issues]
    return []


def _labelset(actor, dataset: Dataset, name: str) -> LabelSet:
    labelset = LabelSet.objects.filter(dataset=dataset, name=name).first()
    return labelset if labelset is not None else add_labelset(actor, dataset, name=name)


def _write_labels(actor, samples: list, labels: dict[str, dict], labelset: LabelSet) -> list[Label]:
    """Bulk-create the labels (already validated): PRELABELED in the ground truth, LABELED (by the importing
    user) in a prediction label set."""
    status = "PRELABELED" if labelset.is_groundtruth else "LABELED"
    labeled = {} if labelset.is_groundtruth else {"labeled_by": actor, "labeled_at": timezone.now()}
    rows = [
        Label(
            sample=sample,
            labelset=labelset,
            attributes=labels[sample.name],
            label_status=status,
            created_by=actor,
            updated_by=actor,
            **labeled,
        )
        for sample in samples
        if sample.name in labels
    ]
    return Label.objects.bulk_create(rows, batch_size=LABEL_BATCH_SIZE)


def _report(plan: _Plan, samples: list, labels: list, merge, labelset_name: str) -> ImportReport:
    created = {"samples": len(samples), "labels": len(labels), "objects": sum(plan.counts.values())}
    created.update({REPORTED_KINDS[kind]: count for kind, count in sorted(plan.counts.items()) if count})
    notes = [f"labels in label set {labelset_name!r}"]
    if merge.added:
        notes.append(f"categories added: {', '.join(merge.added)}")
    return ImportReport(created=created, refused=plan.refused, notes=notes)


SPEC = ImporterSpec(
    kind=KIND,
    label="COCO JSON",
    help="A COCO instances or person_keypoints .json with its images: boxes, polygons, keypoints or masks.",
    accept=(".json", *IMAGE_EXTENSIONS),
    task_types=VECTOR_TASK_TYPES | BITMAP_TASK_TYPES,
    options=(
        OptionSpec(
            name="labelset",
            label="Label set",
            kind="labelset",
            default=GROUND_TRUTH,
            help="ground-truth: pre-labels; another label set: predictions (through the API a new name creates it)",
        ),
    ),
    check_file=check_file,
    clean_options=clean_options,
    run=run,
)
register_importer(SPEC)
