"""Where the open of the 20 MB / 200,000-span document goes (issue 16), stage by stage, in-process.

Run: python benchmarks/profile_big_open.py [DB] [--cprofile]
Builds the database with bench_gui_scale.build_big when DB does not exist yet. Prints each stage of
the desk's open (database reads, the view's mapping and text, the span index, the span table, the first
paint) with its wall time and the growth of peak RSS it caused.
"""

from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    db = Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else Path("/tmp/big20.db")
    if not db.exists():
        from bench_gui_scale import build_big

        build_big(db, 20_000_000, 200_000, random.Random(16))
    from annotator.app import make_application, open_window
    from annotator.services.settings import Settings
    from annotator.services.workspace import Workspace

    app = make_application()
    ws = Workspace.open(str(db))
    me = ws.annotators.sign_in("bench")
    settings = Settings(Path(tempfile.mkdtemp()) / "settings.json")
    settings.set("last_document", 1)  # the window opens on the sample first, as bench_gui_scale does
    w = open_window(ws, me, settings)
    w.resize(1400, 900)
    w.show()
    app.processEvents()
    doc = 2  # build_big: the sample first, then the big one
    desk, view = w.desk, w.view
    stages: list[tuple[str, float, float]] = []
    last = [time.perf_counter(), rss()]

    def mark(name: str) -> None:
        now, peak = time.perf_counter(), rss()
        stages.append((name, now - last[0], peak - last[1]))
        last[0], last[1] = time.perf_counter(), rss()

    print(f"before open: peak RSS {rss():.0f} MB")
    if "--cprofile" in sys.argv:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        w.open_document(doc)
        view.viewport().repaint()
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
        return
    t0 = time.perf_counter()
    reads = ws.reads
    document = reads.document(doc)
    mark("reads.document (text)")
    spans = reads.spans_for(doc, me.id)
    mark(f"reads.spans_for ({len(spans):,} SpanInfo)")
    desk.document = document
    desk.spans = {s.id: s for s in spans}
    mark("desk.spans (dict by id)")
    view_spans = desk._spans_for_view(spans)
    mark("desk._spans_for_view (SpanRows when windowed)")
    view.set_document(document.text, view_spans)
    mark("view.set_document (mapping + Qt text + index)")
    view.viewport().repaint()
    mark("first paint")
    w.span_table.show_spans(document.text, spans, desk.labels)
    mark("span table show_spans")
    total = time.perf_counter() - t0
    for name, dt, drss in stages:
        print(f"{name:48s} {dt * 1000:8.0f} ms   peak RSS +{drss:6.0f} MB")
    print(f"{'total':48s} {total * 1000:8.0f} ms   peak RSS {rss():.0f} MB")
    t0 = time.perf_counter()
    w.open_document(doc)
    view.viewport().repaint()
    print(
        f"whole w.open_document again + paint: {(time.perf_counter() - t0) * 1000:.0f} ms, peak RSS {rss():.0f} MB"
    )


if __name__ == "__main__":
    main()
