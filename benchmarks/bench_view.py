"""Time the article view on a 2 MB document with 20,000 spans (DESIGN.md section 8).

Run: python benchmarks/bench_view.py  (offscreen unless QT_QPA_PLATFORM says otherwise)
Targets: open and fully highlighted <= 250 ms, add a span + repaint <= 16 ms (without the database
commit), full repaint at 1200x900 <= 16 ms, peak RSS <= 250 MB.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from PySide6.QtWidgets import QApplication

from annotator.ui.span_text_view import SpanTextView, ViewSpan

COLORS = {
    "strategic messaging": "#4e79a7",
    "economic outcome": "#59a14f",
    "leverage": "#f28e2b",
    "framing": "#b07aa1",
}
SAMPLE = Path(__file__).resolve().parent.parent / "resources" / "sample-article.txt"


def make_text(size: int) -> str:
    # The real article, with CRLF, emoji and an astral letter so the offset mapping has work to do.
    base = SAMPLE.read_text(encoding="utf-8").replace("\n", "\r\n") + "Emoji 👩‍👩‍👧 and 𝐀 bold.\r\n"
    return (base * (size // len(base) + 1))[:size]


def make_spans(text: str, count: int, rng: random.Random) -> list[ViewSpan]:
    labels = list(COLORS)
    spans: list[ViewSpan] = []
    n = len(text)
    i = 0
    while len(spans) < count:
        start = rng.randrange(0, n - 400)
        end = start + rng.randint(5, 200)
        label = labels[i % len(labels)]
        spans.append(ViewSpan(i, start, end, COLORS[label], label, None))
        i += 1
        if i % 10 == 0 and len(spans) < count:  # a nested one inside the last
            inner_start = rng.randint(start, end - 2)
            inner_end = rng.randint(inner_start + 1, end)
            label = labels[(i + 1) % len(labels)]
            spans.append(ViewSpan(i, inner_start, inner_end, COLORS[label], label, "nested"))
            i += 1
    return spans


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    rng = random.Random(1)
    text = make_text(2_000_000)
    spans = make_spans(text, 20_000, rng)

    view = SpanTextView()
    view.resize(1200, 900)
    view.show()
    app.processEvents()

    opens = []
    for _ in range(5):
        t0 = time.perf_counter()
        view.set_document(text, spans)
        view.viewport().repaint()
        opens.append(time.perf_counter() - t0)
        app.processEvents()
    # Repaint at ten places through the document, not only its flattering start.
    bar = view.verticalScrollBar()
    repaints = []
    for place in range(10):
        bar.setValue(bar.maximum() * place // 10)
        app.processEvents()
        for _ in range(10):
            t0 = time.perf_counter()
            view.viewport().repaint()
            repaints.append(time.perf_counter() - t0)
    bar.setValue(bar.maximum() // 3)
    app.processEvents()

    visible = view.firstVisibleBlock().position()
    first_cp = view.mapping.to_cp_start(visible)
    adds = []
    next_id = 1_000_000
    for _ in range(200):
        start = first_cp + rng.randint(0, 1500)
        span = ViewSpan(next_id, start, start + rng.randint(3, 80), COLORS["leverage"], "leverage", None)
        next_id += 1
        t0 = time.perf_counter()
        view.add_span(span)
        view.viewport().repaint()
        adds.append(time.perf_counter() - t0)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"document: {len(text):,} code points, {len(spans):,} spans, viewport 1200x900")
    print(f"open and fully highlighted: first {ms(opens[0])}, median {ms(statistics.median(opens))}")
    print(f"add one span + repaint: median {ms(statistics.median(adds))}, max {ms(max(adds))}")
    print(f"full repaint: median {ms(statistics.median(repaints))}, max {ms(max(repaints))}")
    print(f"peak RSS: {peak_mb:.0f} MB")
    view.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
