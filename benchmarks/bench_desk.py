"""The annotating desk end to end, on a real SQLite database (issue: speed of the core loop).

Run: python benchmarks/bench_desk.py
Prints: opening a 2 MB document with 20,000 stored spans in the real window (load from the
database + highlight + first paint), the same while the phrase recommender learns from those spans in
its background process (suggestions are on, the default), adding a span through the desk (database commit + view
update + repaint), and cold start of a fresh process to a window showing the sample article (through the app's own
start-up path; exit not included).
Targets: open <= 250 ms, add a span <= 16 ms median, cold start <= 1.0 s, peak RSS <= 250 MB.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from annotator.app import make_application, open_window  # noqa: E402
from annotator.services.settings import Settings  # noqa: E402
from annotator.services.workspace import Workspace  # noqa: E402

LABELS = ["strategic messaging", "economic outcome", "leverage", "framing"]
# The app's own start-up path (annotator.app.GuiSession, as `annotator --db X` runs it, with the
# annotator remembered): the window opens before the ORM is imported, as it does for people.
STARTUP_PROBE = """
import sys, time
from annotator.startup_preload import start_preloading
start_preloading()  # as annotator.cli does on the GUI path
from pathlib import Path
from PySide6.QtCore import QTimer
from annotator.app import GuiSession, make_application
from annotator.services.settings import Settings
app = make_application()
session = GuiSession(Settings(Path(sys.argv[2])))
assert session.open(sys.argv[1])
w = session.windows[0]
def shown():
    w.repaint()
    print("shown", time.time() - float(sys.argv[3]), flush=True)  # from process start, exit excluded
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def build_database(folder: Path) -> Path:
    base = (ROOT / "resources" / "sample-article.txt").read_text("utf-8").replace(
        "\n", "\r\n"
    ) + "Emoji 👩‍👩‍👧.\r\n"
    text = (base * (2_000_000 // len(base) + 1))[:2_000_000]
    rng = random.Random(7)
    spans = []
    for _ in range(20_000):
        start = rng.randrange(0, len(text) - 300)
        spans.append(
            {
                "start": start,
                "end": start + rng.randint(3, 200),
                "label": rng.choice(LABELS),
                "annotator": "bench",
            }
        )
    unique = {(s["start"], s["end"], s["label"]): s for s in spans}
    source = folder / "big.jsonl"
    source.write_bytes(
        orjson.dumps({"id": "big", "title": "Big", "text": text, "spans": list(unique.values())})
    )
    db = folder / "bench.db"
    workspace = Workspace.open(str(db))
    workspace.ensure_sample()
    result = workspace.importer.import_paths([source])
    assert result.ok, result.files[0].error
    workspace.close()
    return db


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="annotator-bench-"))
    db = build_database(folder)
    app = make_application()
    workspace = Workspace.open(str(db))
    me = workspace.annotators.sign_in("bench")
    window = open_window(workspace, me, Settings(folder / "settings.json"))
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    big = next(d.id for d in workspace.documents.list_for(me.id) if d.uid == "big")
    small = next(d.id for d in workspace.documents.list_for(me.id) if d.uid != "big")
    opens = []
    for _ in range(5):
        window.open_document(small)
        app.processEvents()
        t0 = time.perf_counter()
        window.open_document(big)
        window.view.viewport().repaint()
        opens.append(time.perf_counter() - t0)
    assert len(window.desk.spans) >= 19_000
    # The same while the phrase recommender learns from those 20,000 spans and suggests in the
    # background (a child process): the person opens a document before it finished.
    busy_opens = []
    controller = window.suggestions
    for _ in range(5):
        window.open_document(small)
        while not (controller.background is not None and controller.background.busy()):
            app.processEvents()
            time.sleep(0.005)
        time.sleep(0.2)  # well into training
        t0 = time.perf_counter()
        window.open_document(big)
        window.view.viewport().repaint()
        busy_opens.append(time.perf_counter() - t0)
        while controller.computing():
            app.processEvents()
            time.sleep(0.005)
    text = window.desk.document.text
    rng = random.Random(3)
    adds = []
    label_ids = [x.id for x in window.desk.active_labels()]
    window.desk.snap_words = False
    # A person selects what is on screen: scroll once, then add spans in the visible text
    # (jumping across a 2 MB text would measure Qt's lazy layout of new blocks, not adding).
    window.view.set_selected_range(len(text) // 2, len(text) // 2 + 1)
    window.view.clear_selection()
    app.processEvents()
    first = window.view.mapping.to_cp_start(
        window.view.cursorForPosition(window.view.viewport().rect().topLeft()).position()
    )
    for i in range(60):
        start = first + (i % 30) * 40
        window.view.set_selected_range(start, start + 25 + i % 7)
        t0 = time.perf_counter()
        window.desk.apply_label(label_ids[i % 4])
        window.view.viewport().repaint()
        adds.append(time.perf_counter() - t0)
    commits = []
    doc_id = window.desk.document.id
    for i in range(60):
        start = rng.randrange(0, len(text) - 100)
        t0 = time.perf_counter()
        workspace.annotations.add(doc_id, me.id, label_ids[i % 4], start, start + 33)
        commits.append(time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()  # (stops the suggestion worker and its child process)
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # (ended children)
    workspace.close()

    startup_db = folder / "startup.db"
    startup_workspace = Workspace.open(str(startup_db))
    startup_workspace.annotators.sign_in("bench")
    startup_settings = Settings(folder / "startup-settings.json")
    startup_settings.remember_annotator(startup_workspace.location, "bench")
    startup_workspace.close()
    starts = []
    for _ in range(5):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                STARTUP_PROBE,
                str(startup_db),
                str(startup_settings.path),
                str(time.time()),
            ],
            capture_output=True,
            text=True,
        )
        assert "shown" in out.stdout, out.stderr
        starts.append(float(out.stdout.split("shown", 1)[1].split()[0]))

    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:.1f} ms (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})"

    print("2 MB document, 20,000 spans, window 1400x900, offscreen, real SQLite file")
    print(f"open from database + highlight + paint: {ms(opens)}   target <= 250 ms")
    print(f"  the same while suggestions compute:  {ms(busy_opens)}")
    print(f"add a span (commit + view + repaint):   {ms(adds)}   target <= 16 ms median")
    print(f"  of which the database commit alone:  {ms(commits)}")
    print(f"cold start to window with sample:       {ms(starts)}   target <= 1000 ms")
    print(f"peak RSS: {peak_mb:.0f} MB   target <= 250 MB")
    print(f"  (the suggestion child process, separately: {child_mb:.0f} MB)")


if __name__ == "__main__":
    main()
