"""Prodigy/spaCy JSONL, checked the way spaCy's ``Doc(words, spaces)`` and ``doc.char_span`` consume it."""

from __future__ import annotations

import orjson
import pytest

from annotator.domain.formats import prodigy
from annotator.domain.records import DocumentRecord, FormatError, SpanRecord
from tests.domain.format_samples import TEXTS, record


def spacy_doc_check(task: dict) -> None:
    """What ``Doc(vocab, words, spaces)`` + ``doc.char_span`` require (spaCy is not installed here)."""
    text, tokens = task["text"], task["tokens"]
    words = [t["text"] for t in tokens]
    spaces = [t["ws"] for t in tokens]
    assert all(isinstance(w, str) and w for w in words)
    assert all(isinstance(s, bool) for s in spaces)
    # Doc.text is the words joined with a single space after each token whose ws is True.
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == text
    # token.idx in spaCy is the running sum of len(text_with_ws): it must equal our start.
    idx = 0
    for i, tok in enumerate(tokens):
        assert tok["id"] == i
        assert (tok["start"], tok["end"]) == (idx, idx + len(tok["text"]))
        assert text[tok["start"] : tok["end"]] == tok["text"]
        idx = tok["end"] + (1 if tok["ws"] else 0)
    for span in task["spans"]:
        start, end, ts, te = span["start"], span["end"], span["token_start"], span["token_end"]
        assert 0 <= ts <= te < len(tokens)
        # char_span(alignment_mode="expand"): the first token touching start, the last touching end.
        assert tokens[ts]["start"] <= start < tokens[ts]["end"] + (1 if tokens[ts]["ws"] else 0)
        assert tokens[te]["start"] < end <= tokens[te]["end"] + (1 if tokens[te]["ws"] else 0)
        # ...and no text outside those tokens is lost.
        assert tokens[ts]["start"] <= start and end <= tokens[te]["end"] + 1


def strict_char_span(task: dict, start: int, end: int) -> tuple[int, int] | None:
    """spaCy's default ``char_span`` (strict): start and end must be token boundaries."""
    starts = {t["start"]: t["id"] for t in task["tokens"]}
    ends = {t["end"]: t["id"] for t in task["tokens"]}
    if start in starts and end in ends:
        return starts[start], ends[end]
    return None


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_tasks_load_into_a_spacy_doc_with_exact_offsets(name):
    rec = record(name)
    raw, warnings = prodigy.dump_with_warnings(rec)
    lines = raw.splitlines()
    assert len(lines) == 1 and raw.endswith(b"\n")
    task = orjson.loads(lines[0])
    assert task["text"] == rec.text
    assert task["_annotator_id"] == "alice" and task["answer"] == "accept"
    assert task["meta"] == {"id": rec.uid, "title": name}
    spacy_doc_check(task)
    assert len(task["spans"]) == len(rec.spans)
    for span in task["spans"]:
        assert set(span) == {"start", "end", "label", "token_start", "token_end"}
        covered = rec.text[span["start"] : span["end"]]
        assert any(
            s.start == span["start"] and s.end == span["end"] and s.label == span["label"] for s in rec.spans
        )
        # spans that start and end on tokens are found by strict char_span with the same tokens
        strict = strict_char_span(task, span["start"], span["end"])
        if strict is not None:
            assert strict == (span["token_start"], span["token_end"]), covered
        else:
            assert any(repr(covered) in w for w in warnings), (covered, warnings)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_round_trip_keeps_spans(name):
    rec = record(name)
    back = prodigy.parse(orjson.loads(prodigy.dump(rec)), "in.jsonl", 1, "nobody")
    assert back is not None
    assert (back.uid, back.text, back.title) == (rec.uid, rec.text, rec.title)
    assert sorted(back.spans, key=lambda s: (s.start, s.end)) == sorted(
        rec.spans, key=lambda s: (s.start, s.end)
    )


def test_misaligned_span_is_kept_with_covering_tokens_and_a_warning():
    rec = DocumentRecord(uid="d1", text="Putin met Xi.", spans=[SpanRecord(1, 7, "framing", "alice")])
    raw, warnings = prodigy.dump_with_warnings(rec)
    task = orjson.loads(raw)
    assert task["spans"] == [{"start": 1, "end": 7, "label": "framing", "token_start": 0, "token_end": 1}]
    assert [t["text"] for t in task["tokens"]] == ["Putin", "met", "Xi", "."]
    assert len(warnings) == 1 and "'d1'" in warnings[0] and "'utin m'" in warnings[0]


def test_whitespace_only_span_is_dropped_with_a_warning():
    rec = DocumentRecord(uid="d2", text="a\n\nb", spans=[SpanRecord(1, 3, "framing", "alice")])
    raw, warnings = prodigy.dump_with_warnings(rec)
    assert orjson.loads(raw)["spans"] == []
    assert len(warnings) == 1 and "covers no token" in warnings[0]


def test_whitespace_tokens_for_newlines_and_space_runs():
    task = orjson.loads(prodigy.dump(DocumentRecord(uid="d", text=" a  b\r\nc ")))
    assert [(t["text"], t["ws"]) for t in task["tokens"]] == [
        (" ", False),
        ("a", True),
        (" ", False),
        ("b", False),
        ("\r\n", False),
        ("c", True),
    ]
    assert task["_annotator_id"] is None and task["spans"] == []


def test_one_line_per_annotator_and_overlaps_kept():
    rec = DocumentRecord(
        uid="d",
        text="Putin met Xi in Beijing.",
        spans=[
            SpanRecord(0, 12, "framing", "bob"),
            SpanRecord(0, 5, "leverage", "bob"),
            SpanRecord(10, 12, "framing", "alice"),
        ],
    )
    lines = prodigy.dump(rec).splitlines()
    tasks = [orjson.loads(line) for line in lines]
    assert [t["_annotator_id"] for t in tasks] == ["alice", "bob"]
    assert len(tasks[1]["spans"]) == 2
    back = [prodigy.parse(t, "f", i, "x") for i, t in enumerate(tasks, 1)]
    assert {(s.start, s.end, s.label, s.annotator) for r in back if r for s in r.spans} == {
        (s.start, s.end, s.label, s.annotator) for s in rec.spans
    }


def test_parse_uses_default_annotator_and_skips_rejected_and_ignored():
    rec = prodigy.parse({"text": "abc", "spans": [{"start": 0, "end": 1, "label": "x"}]}, "f", 1, "carol")
    assert rec is not None and rec.spans[0].annotator == "carol" and rec.uid is None
    for answer in ("reject", "ignore"):
        assert prodigy.parse({"text": "abc", "answer": answer}, "f", 1, "carol") is None


T = "Putin met Xi."


@pytest.mark.parametrize(
    ("obj", "field"),
    [
        ({}, "text"),
        ({"text": ["a"]}, "text"),
        ({"text": T, "answer": "maybe"}, "answer"),
        ({"text": T, "_annotator_id": 3}, "_annotator_id"),
        ({"text": T, "_annotator_id": ""}, "_annotator_id"),
        ({"text": T, "meta": "doc-1"}, "meta"),
        ({"text": T, "meta": {"id": 1.5}}, "meta.id"),
        ({"text": T, "spans": {"start": 0}}, "spans"),
        ({"text": T, "spans": [[0, 5, "x"]]}, "spans[0]"),
        ({"text": T, "spans": [{"end": 5, "label": "x"}]}, "spans[0].start"),
        ({"text": T, "spans": [{"start": 0, "label": "x"}]}, "spans[0].end"),
        ({"text": T, "spans": [{"start": 0, "end": 5}]}, "spans[0].label"),
        ({"text": T, "spans": [{"start": False, "end": 5, "label": "x"}]}, "spans[0].start"),
        ({"text": T, "spans": [{"start": 0, "end": "5", "label": "x"}]}, "spans[0].end"),
        ({"text": T, "spans": [{"start": -2, "end": 5, "label": "x"}]}, "spans[0].start"),
        ({"text": T, "spans": [{"start": 0, "end": 99, "label": "x"}]}, "spans[0].end"),
        ({"text": T, "spans": [{"start": 5, "end": 2, "label": "x"}]}, "spans[0].start"),
        ({"text": T, "spans": [{"start": 0, "end": 5, "label": None}]}, "spans[0].label"),
        ({"text": T, "spans": [{"start": 0, "end": 5, "label": "x", "text": "Putim"}]}, "spans[0].text"),
    ],
)
def test_bad_fields_name_file_line_and_field(obj, field):
    with pytest.raises(FormatError) as info:
        prodigy.parse(obj, "prodigy.jsonl", 12, "alice")
    err = info.value
    assert err.line == 12 and err.field_name == field
    assert str(err).startswith(f"prodigy.jsonl, line 12, field '{field}': ")


def test_a_document_finished_without_spans_is_a_task_of_its_annotator() -> None:
    rec = DocumentRecord(
        uid="d",
        text="Nothing to see.",
        spans=[],
        status={"alice": "done"},
        meta={"source": "wire", "lang": "en"},
    )
    [task] = [orjson.loads(line) for line in prodigy.dump(rec).splitlines()]
    assert task["_annotator_id"] == "alice" and task["spans"] == [] and task["answer"] == "accept"
    assert task["meta"] == {"source": "wire", "lang": "en", "id": "d"}


def test_every_task_has_the_same_keys() -> None:
    recs = [
        DocumentRecord(uid="a", text="Putin met Xi.", spans=[SpanRecord(0, 5, "framing", "bob")]),
        DocumentRecord(uid="b", text="Untouched."),
        DocumentRecord(uid="c", text="Done.", status={"alice": "done"}),
    ]
    keys = {tuple(orjson.loads(line)) for r in recs for line in prodigy.dump(r).splitlines()}
    assert len(keys) == 1 and "_annotator_id" in next(iter(keys))


def test_an_accepted_answer_is_a_finished_document_and_meta_comes_back() -> None:
    obj = {
        "text": "Putin met Xi.",
        "spans": [{"start": 0, "end": 5, "label": "framing"}],
        "_annotator_id": "ner-alice",
        "answer": "accept",
        "meta": {"id": "d", "source": "wire", "lang": "en"},
    }
    rec = prodigy.parse(obj, "p.jsonl", 1, None)
    assert (
        rec is not None
        and rec.status == {"ner-alice": "done"}
        and rec.meta == {"source": "wire", "lang": "en"}
    )
    assert prodigy.parse({**obj, "_annotator_id": None}, "p.jsonl", 1, "bob").status == {"bob": "done"}
