"""CoNLL (IO, BIO, BIOES) and JSONL corpora in and out (labeling.core.conll), on the real Wikigold corpus."""

import json
from pathlib import Path

import pytest

from labeling.core.conll import CorpusError, Span, TextRecord, read_conll, read_jsonl, write_conll, write_jsonl

TEXT_DATA = Path(__file__).resolve().parents[2] / "examples" / "text"
WIKIGOLD = (TEXT_DATA / "wikigold.conll.txt").read_text(encoding="utf-8").splitlines(keepends=True)


def token_lines(lines) -> list[tuple[str, str]]:
    """(token, tag) of every token line, in order: what 'token for token' compares."""
    return [tuple(line.split()) for line in lines if line.strip() and not line.startswith("-DOCSTART-")]


def entities(records) -> list[tuple[str, str]]:
    return [(r.text[s.start : s.end], s.label) for r in records for s in r.spans]


def test_wikigold_by_sentence_matches_the_spans_file_with_exact_offsets():
    records = read_conll(WIKIGOLD)
    spans_file = [json.loads(line) for line in (TEXT_DATA / "wikigold_spans_first300.jsonl").open(encoding="utf-8")]

    assert len(records) == 1696  # 1,841 blank lines, of which 145 follow a -DOCSTART- line
    assert [(r.document, r.sentence) for r in records[:2]] == [(0, 0), (0, 1)]
    assert len({r.document for r in records}) == 145
    for record, expected in zip(records, spans_file, strict=False):
        assert record.text == expected["text"]
        assert [(s.start, s.end, s.label) for s in record.spans] == [
            (s["start"], s["end"], s["label"]) for s in expected["spans"]
        ]


@pytest.mark.parametrize("per", ["sentence", "document"])
def test_wikigold_round_trips_token_for_token_in_io(per):
    records = read_conll(WIKIGOLD, per=per)
    written = list(write_conll(records, scheme="io"))

    assert token_lines(written) == token_lines(WIKIGOLD)
    assert sum(line.startswith("-DOCSTART-") for line in written) == 144  # between the 145 documents


@pytest.mark.parametrize("scheme", ["bio", "bioes"])
def test_wikigold_through_bio_and_bioes_keeps_every_entity(scheme):
    records = read_conll(WIKIGOLD)
    again = read_conll(write_conll(records, scheme=scheme), scheme=scheme)
    assert entities(again) == entities(records)
    assert len(entities(records)) > 3000


def test_bio_separates_adjacent_entities_of_one_label_that_io_merges():
    lines = ["New B-LOC\n", "York I-LOC\n", "Boston B-LOC\n", "is O\n", "big O\n"]
    bio = read_conll(lines)
    io = read_conll([line.replace("B-", "I-") for line in lines])
    assert entities(bio) == [("New York", "LOC"), ("Boston", "LOC")]
    assert entities(io) == [("New York Boston", "LOC")]
    assert list(write_conll(bio, scheme="bio")) == [*lines, "\n"]


def test_bioes_single_and_multi_token_entities():
    lines = ["Ada S-PER\n", "met O\n", "Grace B-PER\n", "Brewster I-PER\n", "Hopper E-PER\n", ". O\n"]
    records = read_conll(lines)
    assert entities(records) == [("Ada", "PER"), ("Grace Brewster Hopper", "PER")]
    assert list(write_conll(records, scheme="bioes")) == [*lines, "\n"]


def test_documents_become_one_record_each_with_sentences_on_their_own_lines():
    lines = ["A I-X\n", "b O\n", "\n", "C I-Y\n", "\n", "-DOCSTART- O\n", "\n", "d O\n", "E I-X\n"]
    records = read_conll(lines, per="document")
    assert [(r.text, r.line, r.document) for r in records] == [("A b\nC", 1, 0), ("d E", 8, 1)]
    assert records[0].spans == [Span(0, 1, "X"), Span(4, 5, "Y")]


def test_bad_lines_are_reported_with_their_numbers_and_nothing_is_returned():
    lines = ["Ada B-PER\n", "Lovelace\n", "wrote I-PER\n", "\n", "London X-LOC\n", "ok O\n"]
    with pytest.raises(CorpusError) as raised:
        read_conll(lines, scheme="bio")
    assert [(e.line, e.message.split(" ")[0]) for e in raised.value.errors] == [
        (2, "expected"),
        (5, "tag"),
    ]


def test_bio_refuses_an_entity_that_does_not_open_with_b():
    with pytest.raises(CorpusError) as raised:
        read_conll(["the O\n", "York I-LOC\n"], scheme="bio")
    assert [(e.line, e.message) for e in raised.value.errors] == [(2, "I-LOC does not continue a LOC entity")]


def test_bioes_refuses_an_unclosed_entity():
    with pytest.raises(CorpusError) as raised:
        read_conll(["New B-LOC\n", "York I-LOC\n", "is O\n"], scheme="bioes")
    assert [e.line for e in raised.value.errors] == [2]


def test_jsonl_round_trips_non_ascii_offsets():
    cases = json.loads((Path(__file__).resolve().parents[1] / "data" / "text_offsets.json").read_text("utf-8"))
    records = [
        TextRecord(case["text"], [Span(s["start"], s["end"], "X") for s in case["spans"]]) for case in cases["cases"]
    ]
    again = read_jsonl(write_jsonl(records))
    assert [(r.text, r.spans) for r in again] == [(r.text, r.spans) for r in records]
    first = json.loads(next(write_jsonl(records[:1])))
    assert [s["text"] for s in first["spans"]] == [s["text"] for s in cases["cases"][0]["spans"]]


def test_jsonl_bad_lines_are_reported_with_their_numbers():
    lines = [
        '{"text": "Ada", "spans": [{"start": 0, "end": 3, "label": "PER"}]}',
        "",
        "not json",
        '{"text": "Ada", "spans": [{"start": 2, "end": 9, "label": "PER"}]}',
        '{"spans": []}',
        '{"text": "Ada", "spans": [{"start": 0, "end": 1, "label": ""}]}',
    ]
    with pytest.raises(CorpusError) as raised:
        read_jsonl(lines)
    assert [e.line for e in raised.value.errors] == [3, 4, 5, 6]
    assert "0 <= start < end <= 3" in raised.value.errors[1].message


def test_the_wikigold_spans_file_reads_as_jsonl():
    records = read_jsonl((TEXT_DATA / "wikigold_spans_first300.jsonl").open(encoding="utf-8"))
    assert len(records) == 300
    assert entities(records)[:2] == [("010", "MISC"), ("Japanese", "MISC")]
    assert records[-1].document == 16
