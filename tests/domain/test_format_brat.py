"""brat standoff: .ann read back with brat's own parsing rules against the exact .txt."""

from __future__ import annotations

import codecs
import re

import pytest

from annotator.domain.formats import brat
from annotator.domain.records import DocumentRecord, SpanRecord
from tests.domain.format_samples import TEXTS, record

SAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def _brat_reads(tmp_path, txt: str, ann: str) -> tuple[str, str]:
    """Write as the service must (UTF-8, no newline translation) and read back as brat does (codecs)."""
    (tmp_path / "doc.txt").write_bytes(txt.encode("utf-8"))
    (tmp_path / "doc.ann").write_bytes(ann.encode("utf-8"))
    with codecs.open(str(tmp_path / "doc.txt"), "r", encoding="utf8") as f:
        text = f.read()
    with codecs.open(str(tmp_path / "doc.ann"), "r", encoding="utf8") as f:
        ann_back = "".join(f.readlines())
    return text, ann_back


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_brat_reads_every_span_at_the_right_offsets(tmp_path, name):
    rec = record(name)
    txt, ann = brat.dump(rec)
    assert txt == rec.text  # unchanged: BOM, CRLF and U+2028 included
    text, ann_back = _brat_reads(tmp_path, txt, ann)
    assert text == rec.text and ann_back == ann
    bounds = brat.parse_ann(ann_back, text)  # raises on anything brat would reject
    assert len(bounds) == len(rec.spans)
    for bound, span in zip(bounds, sorted(rec.spans, key=lambda s: (s.start, s.end, s.label)), strict=True):
        assert SAFE.match(bound.label)
        assert bound.label == span.label.replace(" ", "_")
        # fragments cover the span except its line breaks, which brat cannot hold in a fragment
        covered = "".join(text[s:e] for s, e in bound.fragments)
        assert covered == "".join(c for c in text[span.start : span.end] if c not in brat._LINE_BREAKS)
        assert bound.fragments[0][0] == span.start and bound.fragments[-1][1] == span.end
        assert all(not set(text[s:e]) & set(brat._LINE_BREAKS) for s, e in bound.fragments)
        assert bound.text == " ".join(text[s:e] for s, e in bound.fragments)


def test_a_span_across_crlf_is_discontinuous():
    text = "strategic.\r\n\r\nEnd"
    _, ann = brat.dump(DocumentRecord("d", text, spans=[SpanRecord(0, len(text), "leverage", "a")]))
    assert ann == "T1\tleverage 0 10;14 17\tstrategic. End\n"
    assert brat.parse_ann(ann, text) == [
        brat.TextBound("leverage", [(0, 10), (14, 17)], "strategic. End", "T1")
    ]


def test_u2028_and_nel_split_fragments_too():
    text = "a\u2028b\x85c"
    _, ann = brat.dump(DocumentRecord("d", text, spans=[SpanRecord(0, 5, "x", "a")]))
    assert ann == "T1\tx 0 1;2 3;4 5\ta b c\n"
    assert len(ann.splitlines()) == 1


def test_offsets_count_the_bom_and_emoji_as_one_code_point_each():
    text = "\ufeff😀 Putin"
    _, ann = brat.dump(DocumentRecord("d", text, spans=[SpanRecord(3, 8, "framing", "a")]))
    assert ann == "T1\tframing 3 8\tPutin\n"
    assert brat.parse_ann(ann, text)[0].fragments == [(3, 8)]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("strategic messaging", "strategic_messaging"),
        ("economic outcome", "economic_outcome"),
        ("Économie réelle", "Economie_reelle"),
        ("a/b:c", "a_b_c"),
        ("well-known_x1", "well-known_x1"),
        ("金融", "__"),
        ("  ", "label"),
    ],
)
def test_safe_types(label, expected):
    assert brat.safe_type(label) == expected
    assert SAFE.match(brat.safe_type(label))


def test_notes_become_annotator_notes():
    rec = DocumentRecord(
        "d",
        "Putin met Xi.",
        spans=[SpanRecord(0, 5, "framing", "a", "check\nthis\tone"), SpanRecord(10, 12, "leverage", "a")],
    )
    _, ann = brat.dump(rec)
    assert ann == ("T1\tframing 0 5\tPutin\n#1\tAnnotatorNotes T1\tcheck this one\nT2\tleverage 10 12\tXi\n")
    assert brat.parse_ann_notes(ann) == {"T1": "check this one"}
    assert [b.ann_id for b in brat.parse_ann(ann, rec.text)] == ["T1", "T2"]


def test_line_break_only_span_is_dropped_with_a_warning():
    rec = DocumentRecord("d9", "a\r\nb", spans=[SpanRecord(1, 3, "x", "a"), SpanRecord(0, 4, "y", "a")])
    _, ann, warnings = brat.dump_with_warnings(rec)
    assert ann == "T1\ty 0 1;3 4\ta b\n"
    assert len(warnings) == 1 and "'d9'" in warnings[0]


def test_overlapping_spans_are_all_kept():
    rec = DocumentRecord(
        "d", "Putin met Xi.", spans=[SpanRecord(0, 9, "x", "a"), SpanRecord(6, 12, "y", "a")]
    )
    assert len(brat.parse_ann(brat.dump(rec)[1], rec.text)) == 2


@pytest.mark.parametrize(
    "ann",
    [
        "T1\tx 0 5\tPutim\n",  # text mismatch
        "T1\tx 0 99\tPutin\n",  # past the end
        "T1\tx 0\tPutin\n",  # no end offset
        "T1\tx 0 5\n",  # no text
        "T1 x 0 5 Putin\n",  # spaces instead of tabs
        "T1\tx 0 3;2 5\tPut tin\n",  # overlapping fragments
    ],
)
def test_parse_ann_rejects_what_brat_rejects(ann):
    with pytest.raises(brat.BratError):
        brat.parse_ann(ann, "Putin met Xi.")


def test_annotation_conf_lists_safe_types():
    conf = brat.annotation_conf(["framing", "strategic messaging", "framing"])
    assert conf == "[entities]\nframing\nstrategic_messaging\n[relations]\n[events]\n[attributes]\n"
