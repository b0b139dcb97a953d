"""Import a text corpus (CoNLL or JSONL) into a text dataset: its samples, and optionally its entities as
pre-labels in a label set, all in one transaction.

The corpus is parsed by labeling.core.conll; every record becomes a sample named `<stem>-<number>` (numbers
zero-padded, so releases, which list samples by name, keep the corpus order) with metadata
`{"source", "line", "document", "sentence"?}`. Labels the dataset has no category for are added to its
categories. Bad lines, an existing sample name, or a label the task type refuses (overlapping named entities)
refuse the whole import with every problem and its line number; nothing is stored then.

Files up to INLINE_IMPORT_BYTES import in the request; bigger ones are stored and imported by a Celery worker
(`queue_text_import` -> tasks.import_text_file -> `run_queued_text_import`), which tells the dataset's watchers
`text_import.progress` and `text_import.finished` (with the summary or the refused lines) over its live events.
"""

import logging
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.text import get_valid_filename

from datasets import realtime
from datasets.models import Dataset, Label, LabelSet, Sample
from datasets.realtime import broadcast_samples_imported
from datasets.services import label_versions
from datasets.services.dataset_settings import update_dataset
from datasets.services.outbox import enqueue_on_commit
from labeling.core.conll import CorpusError, LineError, TextRecord, read_conll, read_jsonl
from labeling.core.errors import LabelFormatError
from labeling.core.label_formats import validate_label_attributes
from labeling.core.task_types import sample_type_for_task_type
from labeling.exceptions import InvalidInput

IMPORT_FORMATS = ("conll", "jsonl")
# The import runs in the request (Wikigold, 1 MB and 1,696 samples, takes about 3 s): bounded so a request
# stays well under a minute; split bigger corpora.
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_SAMPLES = 50_000
# Bigger files go to a Celery worker; the limits above bound both paths.
INLINE_IMPORT_BYTES = 2 * 1024 * 1024
PRELABEL_STATUS = "PRELABELED"

logger = logging.getLogger(__name__)


@dataclass
class TextImportSummary:
    """What an import created: sample and label counts, entities per category name, the categories it added
    and the first and last sample names."""

    samples_created: int = 0
    labels_created: int = 0
    entities: dict[str, int] = field(default_factory=dict)
    categories_added: list[str] = field(default_factory=list)
    first_sample: str | None = None
    last_sample: str | None = None


def import_text_corpus(
    actor,
    dataset: Dataset,
    *,
    content: bytes,
    file_name: str,
    file_format: str = "auto",
    scheme: str = "auto",
    per: str = "sentence",
    labelset_name: str | None = None,
) -> TextImportSummary:
    """Create `dataset`'s samples (and pre-labels in `labelset_name`, when given) from a corpus file.

    content: the file's bytes, UTF-8 (a BOM is allowed), at most MAX_IMPORT_BYTES. file_format: "conll",
    "jsonl" or "auto" (by the file name: .jsonl/.json is JSONL, anything else CoNLL). scheme: CoNLL tags, "io",
    "bio", "bioes" or "auto"; per: "sentence" or "document" (CoNLL only). Raises InvalidInput listing each
    problem ({"path", "rule", "message", "line"}); then nothing was stored.
    """
    file_format = _format_for(file_format, file_name)
    if sample_type_for_task_type(dataset.task_type) != "text":
        raise _refused("dataset", "task_type", "only text datasets import CoNLL or JSONL")
    labelset = _labelset(dataset, labelset_name)
    records = _parse(content, file_format, scheme, per)
    stem = PurePosixPath(file_name).stem.split(".")[0] or "text"
    with transaction.atomic():
        categories, added = _categories(actor, dataset, records)
        samples = _samples(actor, dataset, records, stem, file_name)
        labels = _labels(dataset, samples, records, categories, labelset, actor) if labelset else []
        try:
            with transaction.atomic():
                Sample.objects.bulk_create(samples)
        except IntegrityError:
            raise _refused("file", "duplicate_name", "a sample with one of these names already exists") from None
        Label.objects.bulk_create(labels)
        label_versions.record_versions(labels, actor)
        broadcast_samples_imported(actor, dataset, samples=samples, labels_created=len(labels))
    return _summary(records, samples, labels, added)


@dataclass(frozen=True)
class QueuedTextImport:
    """An import handed to a worker: its id (in the live events that report it) and the file name."""

    import_id: str
    file_name: str


def queue_text_import(actor, dataset: Dataset, *, content: bytes, file_name: str, **options) -> QueuedTextImport:
    """Check what can be checked at once (task type, format, label set, size), store the file and enqueue its
    import after commit. `options`: file_format, scheme, per, labelset_name as for import_text_corpus.
    Raises InvalidInput."""
    _format_for(options.get("file_format", "auto"), file_name)
    if sample_type_for_task_type(dataset.task_type) != "text":
        raise _refused("dataset", "task_type", "only text datasets import CoNLL or JSONL")
    _labelset(dataset, options.get("labelset_name"))
    if len(content) > MAX_IMPORT_BYTES:
        raise _refused("file", "too_large", f"the file is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
    import_id = uuid.uuid4().hex
    stored_name = default_storage.save(
        f"imports/{import_id}/{get_valid_filename(file_name) or 'corpus'}", ContentFile(content)
    )
    enqueue_on_commit(
        "datasets.tasks.import_text_file", dataset.pk, actor.pk, stored_name, file_name, import_id, options
    )
    return QueuedTextImport(import_id, file_name)


def run_queued_text_import(
    dataset_id: int, user_id: int, stored_name: str, file_name: str, import_id: str, options: dict
) -> None:
    """The worker's side of queue_text_import: import the stored file, tell the outcome over the dataset's live
    events, delete the file. Safe to run twice: a second run finds no file and does nothing."""
    if not default_storage.exists(stored_name):
        return
    dataset = Dataset.objects.filter(pk=dataset_id).first()
    actor = get_user_model().objects.filter(pk=user_id).first()
    if dataset is None or actor is None:
        default_storage.delete(stored_name)
        return
    with default_storage.open(stored_name, "rb") as stored:
        content = stored.read()
    realtime.broadcast_text_import_progress(dataset, import_id=import_id, file_name=file_name, phase="importing")
    try:
        summary = import_text_corpus(actor, dataset, content=content, file_name=file_name, **options)
    except InvalidInput as error:
        realtime.broadcast_text_import_finished(
            dataset, import_id=import_id, file_name=file_name, summary=None, detail=error.message, errors=error.errors
        )
    else:
        realtime.broadcast_text_import_finished(
            dataset, import_id=import_id, file_name=file_name, summary=asdict(summary), detail="", errors=[]
        )
    default_storage.delete(stored_name)
    logger.info("text import %s into dataset %s done", import_id, dataset_id)


def _format_for(file_format: str, file_name: str) -> str:
    if file_format == "auto":
        return "jsonl" if file_name.lower().endswith((".jsonl", ".json")) else "conll"
    if file_format not in IMPORT_FORMATS:
        raise _refused("format", "one_of", f"use one of: auto, {', '.join(IMPORT_FORMATS)}")
    return file_format


def _labelset(dataset: Dataset, name: str | None) -> LabelSet | None:
    if not name:
        return None
    labelset = LabelSet.objects.filter(dataset=dataset, name=name).first()
    if labelset is None:
        raise _refused("labelset", "not_found", f"the dataset has no label set {name!r:.60}")
    return labelset


def _parse(content: bytes, file_format: str, scheme: str, per: str) -> list[TextRecord]:
    if len(content) > MAX_IMPORT_BYTES:
        raise _refused("file", "too_large", f"the file is over {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
    try:
        lines = content.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise _refused("file", "encoding", f"the file is not UTF-8 (byte {error.start})") from None
    try:
        records = read_jsonl(lines) if file_format == "jsonl" else read_conll(lines, scheme=scheme, per=per)  # type: ignore[arg-type]
    except CorpusError as error:
        raise _line_errors(error.errors) from None
    except ValueError as error:  # an unknown scheme or `per`
        raise _refused("scheme" if "scheme" in str(error) else "per", "one_of", str(error)) from None
    if not records:
        raise _refused("file", "empty", "the file holds no text")
    if len(records) > MAX_IMPORT_SAMPLES:
        raise _refused("file", "too_many", f"more than {MAX_IMPORT_SAMPLES} samples")
    return records


def _categories(actor, dataset: Dataset, records: list[TextRecord]) -> tuple[dict[str, int], list[str]]:
    """Category id per label name; names the dataset lacks are added as new categories (ids after the last)."""
    existing = dataset.categories
    by_name = {category["name"]: category["id"] for category in existing}
    added = sorted({span.label for record in records for span in record.spans} - set(by_name))
    if added:
        next_id = max((category["id"] for category in existing), default=0) + 1
        new = [{"id": next_id + index, "name": name} for index, name in enumerate(added)]
        by_name.update({category["name"]: category["id"] for category in new})
        task_attributes = {**(dataset.task_attributes or {}), "categories": [*existing, *new]}
        task_attributes.setdefault("format_version", "0.1")
        update_dataset(actor, dataset, {"task_attributes": task_attributes})
    return by_name, added


def _samples(actor, dataset: Dataset, records: list[TextRecord], stem: str, file_name: str) -> list[Sample]:
    width = max(5, len(str(len(records))))
    samples = []
    for number, record in enumerate(records, start=1):
        metadata: dict = {"source": file_name, "line": record.line, "document": record.document}
        if record.sentence is not None:
            metadata["sentence"] = record.sentence
        samples.append(
            Sample(
                dataset=dataset,
                created_by=actor,
                name=f"{stem}-{number:0{width}d}",
                attributes={"text": record.text},
                metadata=metadata,
            )
        )
    existing = set(dataset.samples.filter(name__in=[s.name for s in samples]).values_list("name", flat=True))
    if existing:
        first = min(existing)
        raise _refused("file", "duplicate_name", f"{len(existing)} sample name(s) already exist, e.g. {first!r}")
    return samples


def _labels(dataset, samples, records, categories, labelset, actor) -> list[Label]:
    labels, errors = [], []
    for sample, record in zip(samples, records, strict=True):
        annotations = [
            {"start": span.start, "end": span.end, "category_id": categories[span.label]} for span in record.spans
        ]
        attributes = {"format_version": "0.1", "annotations": annotations}
        try:
            validate_label_attributes(
                dataset.task_type,
                attributes,
                task_attributes=dataset.task_attributes,
                sample_attributes=sample.attributes,
            )
        except LabelFormatError as error:
            errors += [LineError(record.line, f"{issue.path}: {issue.message}") for issue in error.issues]
            continue
        labels.append(
            Label(
                sample=sample,
                labelset=labelset,
                attributes=attributes,
                label_status=PRELABEL_STATUS,
                created_by=actor,
                updated_by=actor,
            )
        )
    if errors:
        raise _line_errors(errors)
    return labels


def _summary(records, samples, labels, added) -> TextImportSummary:
    entities: dict[str, int] = {}
    for record in records:
        for span in record.spans:
            entities[span.label] = entities.get(span.label, 0) + 1
    return TextImportSummary(
        samples_created=len(samples),
        labels_created=len(labels),
        entities=dict(sorted(entities.items())),
        categories_added=added,
        first_sample=samples[0].name,
        last_sample=samples[-1].name,
    )


def _refused(path: str, rule: str, message: str) -> InvalidInput:
    return InvalidInput(f"Import refused: {path}: {message}", errors=[{"path": path, "rule": rule, "message": message}])


def _line_errors(errors: list[LineError]) -> InvalidInput:
    issues: list[dict[str, Any]] = [
        {"path": "file", "rule": "line", "line": error.line, "message": f"line {error.line}: {error.message}"}
        for error in errors
    ]
    first = "; ".join(issue["message"] for issue in issues[:3])
    return InvalidInput(f"Import refused, nothing was imported: {len(issues)} bad line(s): {first}", errors=issues)
