"""Prodigy lines whose spans are serialized, and CoNLL blocks whose spans are placed, a few at a time
are still the saved golden bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain import tokenize
from annotator.domain.formats import prodigy
from tests.domain.golden_records import golden_records

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "export_golden"


@pytest.mark.parametrize("span_piece", [1, 2, 7])
def test_spans_in_pieces_give_the_saved_bytes(span_piece: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prodigy, "SPAN_PIECE", span_piece)
    got = b"".join(prodigy.dump_with_warnings(record)[0] for record in golden_records())
    assert got == (GOLDEN / "prodigy.jsonl").read_bytes()


@pytest.mark.parametrize("span_piece", [1, 2, 7])
def test_conll_spans_placed_in_pieces_give_the_saved_bytes(
    span_piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.domain.formats import conll

    monkeypatch.setattr(conll, "SPAN_PIECE", span_piece)
    monkeypatch.setattr(conll, "NUMPY_FROM_CHARS", 0)  # every text by the array path
    got = "".join(conll.dump(record)[0] for record in golden_records()).encode("utf-8")
    assert got == (GOLDEN / "conll.txt").read_bytes()


@pytest.mark.parametrize("numpy_from", [0, 50, 10**9])
@pytest.mark.parametrize("window", [tokenize.WINDOW_CHARS, 7])
def test_conll_by_either_path_gives_the_saved_bytes(
    numpy_from: int, window: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Short texts are written without numpy, longer ones by array operations: the same bytes."""
    from annotator.domain.formats import conll

    monkeypatch.setattr(conll, "NUMPY_FROM_CHARS", numpy_from)
    monkeypatch.setattr(tokenize, "WINDOW_CHARS", window)
    got = "".join(conll.dump(record)[0] for record in golden_records()).encode("utf-8")
    assert got == (GOLDEN / "conll.txt").read_bytes()
