"""The review window opening a 2 MB document with 3 x 20,000 spans (target <= 500 ms).

Run: python benchmarks/bench_review.py
Prints the median time of ReviewWindow.open_document (comparison query, passages, both views,
gold desk, passage table) plus a full repaint, and the agreement refresh for the same database.
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

from annotator.app import make_application  # noqa: E402
from annotator.services.workspace import Workspace  # noqa: E402
from annotator.ui.review_window import ReviewWindow  # noqa: E402

LABELS = ["strategic messaging", "economic outcome", "leverage", "framing"]


def build(folder: Path) -> Path:
    base = (ROOT / "resources" / "sample-article.txt").read_text("utf-8")
    text = (base * (2_000_000 // len(base) + 1))[:2_000_000]
    rng = random.Random(5)
    shared = [
        (rng.randrange(0, len(text) - 300), rng.randint(3, 120), rng.choice(LABELS)) for _ in range(20_000)
    ]
    spans = []
    for name in ("alice", "bob", "carol"):
        mine = {}
        for start, length, label in shared:
            if rng.random() < 0.2:  # a fifth of each annotator's spans differ from the shared ones
                start, length, label = (
                    start + rng.randint(-5, 5),
                    length + rng.randint(-5, 5),
                    rng.choice(LABELS),
                )
            start, end = max(0, start), max(0, start) + max(1, length)
            mine[(start, end, label)] = {"start": start, "end": end, "label": label, "annotator": name}
        spans += list(mine.values())
    source = folder / "review.jsonl"
    status = {"alice": "done", "bob": "done", "carol": "done"}
    source.write_bytes(
        orjson.dumps({"id": "big", "title": "Big", "text": text, "spans": spans, "status": status})
    )
    db = folder / "review.db"
    workspace = Workspace.open(str(db))
    workspace.ensure_sample()
    assert workspace.importer.import_paths([source]).ok
    workspace.close()
    return db


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="annotator-review-bench-"))
    db = build(folder)
    app = make_application()
    workspace = Workspace.open(str(db))
    supervisor = workspace.annotators.sign_in("sam", "supervisor")
    t0 = time.perf_counter()
    window = ReviewWindow(workspace, supervisor)
    construct = time.perf_counter() - t0
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    big = next(r.document_id for r in window.rows if r.uid == "big")
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        window.open_document(big)
        window.repaint()
        times.append(time.perf_counter() - t0)
    spans = sum(len(v) for v in window.comparison.spans.values())
    print(f"2 MB document, {spans:,} spans from 3 annotators, {len(window.comparison.passages):,} passages")
    print(
        f"review window opens the document: median {statistics.median(times) * 1000:.0f} ms "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})   target <= 500 ms"
    )
    print(f"window start incl. agreement over the database: {construct * 1000:.0f} ms")
    workspace.close()


if __name__ == "__main__":
    main()
