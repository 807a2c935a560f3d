"""The token-based writers give the same bytes as the saved exports (made by the writers before the
windowed tokenizer of issue 16) on the offset-breaking samples and seeded random documents, also when
the text is tokenized in windows of a few characters; Label Studio's, written in pieces, the same
bytes as its whole-task writer gave."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain import tokenize
from annotator.domain.formats import conll, json_text, labelstudio, prodigy
from annotator.domain.formats.offsets import OffsetUnit
from tests.domain.golden_records import golden_records
from tests.domain.labelstudio_golden import labelstudio_records

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


@pytest.mark.parametrize("offsets", ["codepoints", "utf16"])
@pytest.mark.parametrize(
    ("span_piece", "text_piece"), [(labelstudio.SPAN_PIECE, json_text.TEXT_PIECE), (1, 3), (2, 1)]
)
def test_labelstudio_output_is_byte_identical_to_the_saved_one(
    offsets: OffsetUnit, span_piece: int, text_piece: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saved from the writer that built one dict per task (before it wrote in pieces)."""
    monkeypatch.setattr(labelstudio, "SPAN_PIECE", span_piece)
    monkeypatch.setattr(json_text, "TEXT_PIECE", text_piece)
    tasks = [labelstudio.dump_task(r, offsets, n + 1) for n, r in enumerate(labelstudio_records())]
    assert b",\n".join(tasks) + b"\n" == (GOLDEN / f"labelstudio-{offsets}.json").read_bytes()
