"""The token-based writers give the same bytes as the saved exports (made by the writers before the
windowed tokenizer of issue 16) on the offset-breaking samples and seeded random documents, also when
the text is tokenized in windows of a few characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain import tokenize
from annotator.domain.formats import conll, prodigy
from tests.domain.golden_records import golden_records

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "export_golden"


@pytest.fixture(params=[tokenize.WINDOW_CHARS, 1, 7])
def window(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(tokenize, "WINDOW_CHARS", request.param)
    return int(request.param)


@pytest.mark.parametrize("token_window", [prodigy.TOKEN_WINDOW, 1, 3])
def test_prodigy_output_is_byte_identical_to_the_saved_one(
    window: int, token_window: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prodigy, "TOKEN_WINDOW", token_window)
    got = b"".join(prodigy.dump_with_warnings(record)[0] for record in golden_records())
    assert got == (GOLDEN / "prodigy.jsonl").read_bytes()


@pytest.mark.parametrize("piece_lines", [conll.PIECE_LINES, 1, 3])
def test_conll_output_is_byte_identical_to_the_saved_one(
    window: int, piece_lines: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conll, "PIECE_LINES", piece_lines)
    got = "".join(conll.dump(record)[0] for record in golden_records()).encode("utf-8")
    assert got == (GOLDEN / "conll.txt").read_bytes()
