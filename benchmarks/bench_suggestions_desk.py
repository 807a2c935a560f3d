"""Suggestions at the desk, on a real SQLite database (issue #14, speed).

Run: python benchmarks/bench_suggestions_desk.py
Prints: how long after opening a 2 MB document its stored suggestions are on screen (desk open +
reading the suggestions this annotator may see + drawing them, first paint included), and the
median time to accept one (Ctrl+Return's path: span stored through the desk, undo entry, overlay
refiltered, repaint). Targets: suggestions shown <= 200 ms after opening; accepting <= 16 ms.

What it measures is the storage and display path: the suggestions are stored before opening, as
the background worker stores them for the next documents (ui/suggestions/background.py). The
phrase recommender's own time to compute them (branch suggest-models) is not included.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from annotator.app import make_application, open_window  # noqa: E402
from annotator.domain.suggestions.model import Suggestion  # noqa: E402
from annotator.services.settings import Settings  # noqa: E402
from annotator.services.workspace import Workspace  # noqa: E402

LABELS = ["strategic messaging", "economic outcome", "leverage", "framing"]
SUGGESTIONS = 5_000


def build(folder: Path) -> tuple[Path, int]:
    base = (ROOT / "resources" / "sample-article.txt").read_text("utf-8").replace("\n", "\r\n")
    text = (base * (2_000_000 // len(base) + 1))[:2_000_000]
    source = folder / "big.jsonl"
    source.write_bytes(orjson.dumps({"id": "big", "title": "Big", "text": text}))
    db = folder / "bench.db"
    ws = Workspace.open(str(db))
    ws.ensure_sample()
    assert ws.importer.import_paths([source]).ok
    doc = next(d for d in ws.documents.list_for(0) if d.uid == "big")
    rng = random.Random(3)
    words = [(i, i + 6) for i in range(0, len(text) - 10, 97)]
    chosen = rng.sample(words, SUGGESTIONS)
    ws.suggestions.store(
        doc.id,
        "phrase",
        [Suggestion(s, e, rng.choice(LABELS), rng.uniform(0.55, 1.0), "phrase", "1") for s, e in chosen],
    )
    ws.close()
    return db, doc.id


def main() -> None:
    app = make_application()
    with tempfile.TemporaryDirectory() as tmp:
        db, doc_id = build(Path(tmp))
        ws = Workspace.open(str(db))
        me = ws.annotators.sign_in("bench")
        window = open_window(ws, me, Settings(Path(tmp) / "settings.json"))
        window.resize(1380, 860)
        window.show()
        app.processEvents()
        opens, parts = [], []
        controller = window.suggestions
        reload = controller.reload

        def timed_reload() -> None:  # the suggestions' share of opening: read + draw
            t = time.perf_counter()
            reload()
            window.view.viewport().repaint()
            parts.append((time.perf_counter() - t) * 1000)

        controller.reload = timed_reload  # type: ignore[method-assign]
        for _ in range(7):
            window.open_document(window.documents.visible_ids()[0])  # the sample article
            app.processEvents()
            parts.clear()
            t0 = time.perf_counter()
            window.open_document(doc_id)
            window.view.viewport().repaint()
            opens.append(((time.perf_counter() - t0) * 1000, parts[0]))
            assert len(controller.shown) == SUGGESTIONS, len(controller.shown)
        controller.reload = reload  # type: ignore[method-assign]
        accepts = []
        for _ in range(60):
            controller.step(True)
            t0 = time.perf_counter()
            controller.accept_selected()
            window.view.viewport().repaint()
            accepts.append((time.perf_counter() - t0) * 1000)
        plain = []
        text = window.desk.document.text
        label_id = next(iter(window.desk.labels))
        for i in range(60):  # the same path without a suggestion: a span stored through the desk
            start = 50 + i * 1009
            t0 = time.perf_counter()
            window.desk.accept(label_id, start, start + 3 + (i % 5))
            window.view.viewport().repaint()
            plain.append((time.perf_counter() - t0) * 1000)
        assert text
        print(f"2 MB document, {SUGGESTIONS:,} stored suggestions")
        total = statistics.median(t for t, _ in opens)
        share = statistics.median(p for _, p in opens)
        print(f"opening it, suggestions drawn: median {total:.0f} ms in all")
        print(
            f"  of which the suggestions (read {SUGGESTIONS:,} + draw): median {share:.0f} ms (target <= 200 ms)"
        )
        print(f"accept a suggestion: median {statistics.median(accepts):.1f} ms (target <= 16 ms)")
        print(
            f"  (a span stored through the desk without a suggestion, same run: median {statistics.median(plain):.1f} ms)"
        )
        window.close()
        ws.close()


if __name__ == "__main__":
    main()
