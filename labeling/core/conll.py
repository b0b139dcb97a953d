"""Text corpora in and out: CoNLL token/tag files (IO, BIO/IOB2, BIOES) and JSONL span files.

A parsed corpus is a list of `TextRecord`: a text, its entity spans (code point offsets into the text, end
exclusive, as the label format counts them, see docs/text.md), and where it came from (line number, document and
sentence index). CoNLL tokens are joined by one space; in one-record-per-document mode the sentences of a
document are joined by a newline, and a newline is where the exporter starts a new CoNLL sentence again.

CoNLL input: one token per line, whitespace-separated columns, the first is the token and the last its tag
(`O`, or `PREFIX-LABEL`); a blank line ends a sentence; a `-DOCSTART-` line starts a new document. JSONL input:
one JSON object per line, `{"text": str, "spans": [{"start": int, "end": int, "label": str}, ...]}`; other keys
are ignored except an integer `doc`, taken as the document index. Every bad line is reported with its 1-based
number; a corpus with any bad line is refused whole (`CorpusError`).
"""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Scheme = Literal["io", "bio", "bioes"]
SCHEMES: tuple[str, ...] = ("io", "bio", "bioes")
DOCUMENT_START = "-DOCSTART-"
MAX_ERRORS = 100  # a corpus in the wrong format would report every line; the first hundred tell the story
_PREFIXES = {"io": "I", "bio": "BI", "bioes": "BIES"}
_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class Span:
    """An entity: code point offsets into its record's text, end exclusive, and its label (category name)."""

    start: int
    end: int
    label: str


@dataclass
class TextRecord:
    """One future sample: its text, entity spans, first line number (1-based), document and sentence index
    (sentence is None for a whole-document record)."""

    text: str
    spans: list[Span] = field(default_factory=list)
    line: int = 1
    document: int = 0
    sentence: int | None = None


@dataclass(frozen=True)
class LineError:
    """A refused line: its 1-based number and why."""

    line: int
    message: str


class CorpusError(ValueError):
    """The corpus has bad lines; `errors` lists them in line order (at most MAX_ERRORS), nothing was taken."""

    def __init__(self, errors: list[LineError]):
        self.errors = errors
        first = "; ".join(f"line {error.line}: {error.message}" for error in errors[:3])
        super().__init__(f"{len(errors)} bad line(s): {first}")


@dataclass
class _Token:
    text: str
    tag: str
    line: int


# ---------------------------------------------------------------------------------------------------- CoNLL in


def read_conll(lines: Iterable[str], *, scheme: Scheme | Literal["auto"] = "auto", per: str = "sentence"):
    """Parse CoNLL lines into TextRecords, one per sentence (`per="sentence"`) or per document (`"document"`).

    `scheme` "auto" takes BIOES when an E- or S- tag appears, else BIO when a B- tag appears, else IO. IO joins
    consecutive tokens of the same label into one entity; BIO (IOB2) needs every entity to open with B-; BIOES
    also needs it to close with E- (or be a single S-). Raises CorpusError listing each bad line; ValueError for
    an unknown scheme or `per`.
    """
    if per not in ("sentence", "document"):
        raise ValueError('per must be "sentence" or "document"')
    errors: list[LineError] = []
    documents = list(_conll_documents(lines, errors))
    if scheme == "auto":
        scheme = _detect_scheme(token.tag for document in documents for sentence in document for token in sentence)
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)} or auto")
    records: list[TextRecord] = []
    for document_index, document in enumerate(documents):
        sentences = [_sentence_record(sentence, scheme, errors) for sentence in document]
        for sentence_index, record in enumerate(sentences):
            record.document, record.sentence = document_index, sentence_index
        if per == "sentence":
            records.extend(sentences)
        elif sentences:
            records.append(_join_sentences(sentences, document_index))
    if errors:
        raise CorpusError(sorted(errors, key=lambda error: error.line)[:MAX_ERRORS])
    return records


def _conll_documents(lines: Iterable[str], errors: list[LineError]) -> Iterator[list[list[_Token]]]:
    """Documents as lists of sentences of tokens; malformed token lines go to `errors`."""
    document: list[list[_Token]] = []
    sentence: list[_Token] = []
    for number, raw in enumerate(lines, start=1):
        columns = raw.split()
        if not columns:
            if sentence:
                document.append(sentence)
            sentence = []
        elif columns[0] == DOCUMENT_START:
            if sentence:
                document.append(sentence)
            if document:
                yield document
            document, sentence = [], []
        elif len(columns) < 2:
            errors.append(LineError(number, f"expected a token and a tag separated by whitespace, got {raw!r:.60}"))
        else:
            sentence.append(_Token(columns[0], columns[-1], number))
    if sentence:
        document.append(sentence)
    if document:
        yield document


def _detect_scheme(tags: Iterable[str]) -> Scheme:
    prefixes = {tag.split("-", 1)[0] for tag in tags if "-" in tag}
    if prefixes & {"E", "S"}:
        return "bioes"
    return "bio" if "B" in prefixes else "io"


def _sentence_record(tokens: list[_Token], scheme: Scheme, errors: list[LineError]) -> TextRecord:
    """One sentence: tokens joined by one space, entities decoded from the tags."""
    starts, cursor = [], 0
    for token in tokens:
        starts.append(cursor)
        cursor += len(token.text) + 1
    spans: list[Span] = []
    open_label, open_start, open_kind = None, 0, ""  # the entity being read, if any
    for index, token in enumerate(tokens):
        prefix, label, problem = _split_tag(token.tag, scheme)
        if problem:
            errors.append(LineError(token.line, problem))
            open_label = None
            continue
        continues = open_label == label and prefix in ("I", "E") and (scheme == "io" or open_kind in ("B", "I"))
        if open_label is not None and not continues:
            if scheme == "bioes":
                errors.append(LineError(tokens[index - 1].line, f"entity {open_label} is not closed by an E- tag"))
            else:
                spans.append(Span(starts[open_start], starts[index] - 1, open_label))
            open_label = None
        if label is None:
            continue
        if not continues:
            if prefix in ("I", "E") and scheme != "io":
                errors.append(LineError(token.line, f"{token.tag} does not continue a {label} entity"))
                continue
            open_label, open_start = label, index
        open_kind = prefix
        if prefix in ("E", "S"):
            spans.append(Span(starts[open_start], starts[index] + len(token.text), label))
            open_label = None
    if open_label is not None:
        if scheme == "bioes":
            errors.append(LineError(tokens[-1].line, f"entity {open_label} is not closed by an E- tag"))
        else:
            spans.append(Span(starts[open_start], cursor - 1, open_label))
    return TextRecord(" ".join(token.text for token in tokens), spans, tokens[0].line)


def _split_tag(tag: str, scheme: Scheme) -> tuple[str, str | None, str | None]:
    """(prefix, label or None for O, problem or None)."""
    if tag == "O":
        return "O", None, None
    prefix, dash, label = tag.partition("-")
    if not dash or not label or prefix not in _PREFIXES[scheme]:
        allowed = ", ".join(f"{p}-LABEL" for p in _PREFIXES[scheme])
        return "", None, f"tag {tag!r:.40} is not O or {allowed} ({scheme.upper()} scheme)"
    return prefix, label, None


def _join_sentences(sentences: list[TextRecord], document: int) -> TextRecord:
    spans: list[Span] = []
    offset = 0
    for sentence in sentences:
        spans.extend(Span(s.start + offset, s.end + offset, s.label) for s in sentence.spans)
        offset += len(sentence.text) + 1
    text = "\n".join(sentence.text for sentence in sentences)
    return TextRecord(text, spans, sentences[0].line, document, None)


# ---------------------------------------------------------------------------------------------------- JSONL in


def read_jsonl(lines: Iterable[str]) -> list[TextRecord]:
    """Parse JSONL lines (`{"text", "spans": [{start, end, label}]}`, blank lines skipped) into TextRecords.

    Offsets are code points into `text`, end exclusive, 0 <= start < end <= len(text). Raises CorpusError
    listing each bad line (not JSON, no text, a bad span)."""
    records: list[TextRecord] = []
    errors: list[LineError] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = _jsonl_record(json.loads(raw), number)
        except (ValueError, TypeError) as error:
            errors.append(LineError(number, str(error)))
            continue
        records.append(record)
    if errors:
        raise CorpusError(errors[:MAX_ERRORS])
    return records


def _jsonl_record(value, number: int) -> TextRecord:
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        raise ValueError('expected an object with a "text" string')
    text, spans = value["text"], value.get("spans", [])
    if not isinstance(spans, list):
        raise ValueError('"spans" must be a list')
    parsed = []
    for index, span in enumerate(spans):
        if not isinstance(span, dict):
            raise ValueError(f"spans[{index}] must be an object")
        start, end, label = span.get("start"), span.get("end"), span.get("label")
        if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
            raise ValueError(f"spans[{index}]: need integers 0 <= start < end <= {len(text)} (the text's length)")
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f'spans[{index}]: "label" must be a non-empty string')
        parsed.append(Span(start, end, label))
    document = value.get("doc")
    return TextRecord(text, parsed, number, document if type(document) is int else 0, None)


# ---------------------------------------------------------------------------------------------------------- out


def write_conll(records: Iterable[TextRecord], *, scheme: Scheme = "bio") -> Iterator[str]:
    """CoNLL lines (each ending in a newline) for `records`: whitespace-separated tokens of each line of the
    text, one `token TAG` line each, a blank line after each sentence, `-DOCSTART- O` between documents.

    A token is tagged with the first span (in text order) that covers any of its characters; CoNLL cannot hold
    overlapping spans or spans that end inside a token (JSONL can)."""
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}")
    previous_document = None
    for record in records:
        if previous_document is not None and record.document != previous_document:
            yield f"{DOCUMENT_START} O\n\n"
        previous_document = record.document
        offset = 0
        for line in record.text.split("\n"):
            tokens = [(match.start() + offset, match.end() + offset, match.group()) for match in _TOKEN.finditer(line)]
            offset += len(line) + 1
            if tokens:
                tags = _tags(tokens, record.spans, scheme)
                yield from (f"{token} {tag}\n" for (_, _, token), tag in zip(tokens, tags, strict=True))
                yield "\n"


def _tags(tokens: list[tuple[int, int, str]], spans: list[Span], scheme: Scheme) -> list[str]:
    owners: list[int | None] = [None] * len(tokens)
    ordered = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end))
    for span_index in ordered:
        span = spans[span_index]
        for token_index, (start, end, _) in enumerate(tokens):
            if owners[token_index] is None and start < span.end and span.start < end:
                owners[token_index] = span_index
    tags = []
    for index, owner in enumerate(owners):
        if owner is None:
            tags.append("O")
            continue
        first = index == 0 or owners[index - 1] != owner
        last = index == len(owners) - 1 or owners[index + 1] != owner
        tags.append(f"{_prefix(scheme, first, last)}-{spans[owner].label}")
    return tags


def _prefix(scheme: Scheme, first: bool, last: bool) -> str:
    if scheme == "io":
        return "I"
    if scheme == "bio":
        return "B" if first else "I"
    if first and last:
        return "S"
    return "B" if first else "E" if last else "I"


def write_jsonl(records: Iterable[TextRecord]) -> Iterator[str]:
    """JSONL lines: `{"text", "spans": [{"start", "end", "label", "text"}]}` per record (code point offsets; the
    span's `text` is a convenience copy of text[start:end])."""
    for record in records:
        spans = [
            {"start": s.start, "end": s.end, "label": s.label, "text": record.text[s.start : s.end]}
            for s in record.spans
        ]
        yield json.dumps({"text": record.text, "spans": spans}, ensure_ascii=False) + "\n"
