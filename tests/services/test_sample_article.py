"""The bundled sample is the cleaned article; the raw seed (body repeated, blank lines at the end)
still imports and exports exactly as it came."""

from __future__ import annotations

from pathlib import Path

import orjson

from annotator.paths import resource_path
from annotator.services.exporting import ExportFilter

RAW = Path(__file__).resolve().parents[1] / "data" / "sample-article-raw.txt"


def test_the_bundled_sample_is_the_clean_article() -> None:
    text = resource_path("sample-article.txt").read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    assert paragraphs[0].startswith("Putin’s latest visit highlights strategic messaging")
    assert len(paragraphs) == 16  # the title and 15 paragraphs, a blank line between them
    assert len(set(paragraphs)) == len(paragraphs)  # the body once, not repeated
    assert not text.endswith("\n\n")  # no trailing blank lines


def test_raw_seed_round_trips_exactly(ws, tmp_path) -> None:
    raw = RAW.read_text(encoding="utf-8")
    assert raw.endswith("\n\n\n") and raw.count("This asymmetry shapes the pace") == 2  # as it came
    first = ws.importer.import_paths([RAW])
    assert first.ok and first.files[0].documents_added == 1
    out = tmp_path / "out.jsonl"
    ws.exporter.export("jsonl", ExportFilter(), path=out)
    [record] = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert record["text"] == raw
    again = ws.importer.import_paths([out])
    assert again.ok and again.files[0].documents_added == 0 and ws.documents.count() == 1
