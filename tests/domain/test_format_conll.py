"""CoNLL BIO: tokens match the tokenizer, tags are valid BIO, overlaps are resolved and reported."""

from __future__ import annotations

import io

import pytest

from annotator.domain.formats import conll
from annotator.domain.records import DocumentRecord, SpanRecord
from annotator.domain.tokenize import align_span_to_tokens, tokenize
from tests.domain.format_samples import TEXTS, record


def flat(sentences):
    return [pair for sentence in sentences for pair in sentence]


def check_bio(tags: list[str]) -> None:
    previous = "O"
    for tag in tags:
        assert tag == "O" or tag[:2] in ("B-", "I-")
        if tag.startswith("I-"):
            assert previous[2:] == tag[2:] and previous != "O", (previous, tag)
        previous = tag


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_tokens_tags_and_spans_match_the_text(name):
    rec = record(name)
    block, warnings = conll.dump(rec)
    assert warnings == []
    assert block.startswith("-DOCSTART- -X- O O\n\n") and block.endswith("\n\n")
    # What a Hugging Face / flair reader sees after universal-newline decoding is the same.
    assert io.StringIO(block, newline=None).read() == block
    for line in block.split("\n"):
        assert line in ("", "-DOCSTART- -X- O O") or line.count("\t") == 1
    sentences = conll.read_conll(block)
    tokens = tokenize(rec.text)
    assert [tok for tok, _ in flat(sentences)] == [t.text for t in tokens]
    for sentence in sentences:
        check_bio([tag for _, tag in sentence])  # a sentence never starts with I-
    tags = [tag for _, tag in flat(sentences)]
    for span in rec.spans:
        first, last = align_span_to_tokens(tokens, span.start, span.end)
        label = span.label.replace(" ", "_")
        assert tags[first : last + 1] == [f"B-{label}"] + [f"I-{label}"] * (last - first)
        assert tokens[first].start == span.start and tokens[last].end == span.end
    assert sum(tag.startswith("B-") for tag in tags) == len(rec.spans)


def test_safe_labels():
    assert conll.safe_label("strategic messaging") == "strategic_messaging"
    assert conll.safe_label(" economic \t outcome ") == "economic_outcome"
    block, _ = conll.dump(
        DocumentRecord("d", "Putin visits.", spans=[SpanRecord(0, 5, "strategic messaging", "a")])
    )
    assert "Putin\tB-strategic_messaging\n" in block


def test_sentences_split_at_line_breaks_but_not_inside_a_span():
    rec = record("crlf")  # three lines; one span crosses "\r\n\r\n"
    sentences = conll.read_conll(conll.dump(rec)[0])
    assert [[tok for tok, _ in s] for s in sentences] == [
        ["Putin", "met", "Xi", "."],
        ["The", "visit", "was", "framed", "as", "strategic", ".", "End", "of", "story", "."],
    ]
    rec2 = DocumentRecord("d", "a b\nc\u2028d\r\n\r\ne", spans=[])
    assert len(conll.read_conll(conll.dump(rec2)[0])) == 4


def test_overlaps_keep_longest_then_earliest_and_warn_about_the_rest():
    text = "Putin met Xi in Beijing on Monday for talks."

    def at(s: str, label: str, who: str = "alice") -> SpanRecord:
        return SpanRecord(text.index(s), text.index(s) + len(s), label, who)

    spans = [
        at("Putin met Xi in Beijing", "framing"),  # longest: kept
        at("Xi", "leverage"),  # nested: dropped
        at("Beijing on Monday", "framing"),  # partial overlap: dropped
        at("for talks", "leverage"),  # separate: kept
        at("talks.", "framing"),  # same length as "Monday": overlaps "for talks" which is longer
        at("Monday", "economic outcome"),  # free after the drops: kept
    ]
    rec = DocumentRecord("doc-42", text, spans=spans)
    block, warnings = conll.dump(rec)
    tags = dict(flat(conll.read_conll(block)))
    assert tags["Putin"] == "B-framing" and tags["Beijing"] == "I-framing" and tags["Xi"] == "I-framing"
    assert tags["on"] == "O" and tags["Monday"] == "B-economic_outcome"
    assert tags["for"] == "B-leverage" and tags["talks"] == "I-leverage" and tags["."] == "O"
    assert len(warnings) == 1
    warning = warnings[0]
    assert "'doc-42'" in warning and "3 overlapping span(s) dropped" in warning
    for dropped in ("'Xi'", "'Beijing on Monday'", "'talks.'"):
        assert dropped in warning


def test_equal_length_overlap_keeps_the_earlier_span():
    rec = DocumentRecord("d", "aa bb cc", spans=[SpanRecord(3, 8, "y", "a"), SpanRecord(0, 5, "x", "a")])
    block, warnings = conll.dump(rec)
    assert [tag for _, tag in flat(conll.read_conll(block))] == ["B-x", "I-x", "O"]
    assert "[3, 8) 'y' 'bb cc'" in warnings[0]


def test_identical_spans_from_two_annotators_are_not_a_conflict():
    spans = [SpanRecord(0, 5, "framing", "alice"), SpanRecord(0, 5, "framing", "bob")]
    block, warnings = conll.dump(DocumentRecord("d", "Putin met Xi.", spans=spans))
    assert warnings == []
    assert conll.read_conll(block)[0][0] == ("Putin", "B-framing")


def test_misaligned_and_whitespace_spans_are_reported():
    rec = DocumentRecord(
        "d7", "Putin met  Xi.", spans=[SpanRecord(1, 7, "framing", "a"), SpanRecord(9, 11, "leverage", "a")]
    )
    block, warnings = conll.dump(rec)
    assert [tag for _, tag in flat(conll.read_conll(block))] == ["B-framing", "I-framing", "O", "O"]
    assert len(warnings) == 2
    assert any("covers no token" in w and "'d7'" in w for w in warnings)
    assert any("does not fall on token boundaries" in w and "'utin m'" in w for w in warnings)


def test_documents_are_separated_by_a_blank_line():
    a, _ = conll.dump(DocumentRecord("a", "One doc."))
    b, _ = conll.dump(DocumentRecord("b", ""))
    c, _ = conll.dump(DocumentRecord("c", "Two."))
    joined = a + b + c
    assert (
        joined
        == "-DOCSTART- -X- O O\n\nOne\tO\ndoc\tO\n.\tO\n\n-DOCSTART- -X- O O\n\n-DOCSTART- -X- O O\n\nTwo\tO\n.\tO\n\n"
    )
    assert conll.read_conll(joined) == [[("One", "O"), ("doc", "O"), (".", "O")], [("Two", "O"), (".", "O")]]
