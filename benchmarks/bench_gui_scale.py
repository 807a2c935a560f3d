"""The GUI at scale (issue 16): 100,000 documents, a 20 MB document with 200,000 spans, cold start.

Run: python benchmarks/bench_gui_scale.py [--skip-big | --big-only] [--repeats N] [--compare CHECKOUT]
--compare runs the big document's open probe also in another checkout (e.g. a worktree of main),
alternating with this one, and prints both.
Start-up figures are medians over processes, from process start to the painted window (exit not
included); the rest are timed inside a process. Offscreen, real SQLite files; each figure is
printed with its ratio to a floor measured in the same run: a hello-world QMainWindow +
QPlainTextEdit showing the sample article (start-up), a bare QPlainTextEdit given the same 20 MB text.
Goals: first window with the document list usable <= 1.0 s on 100,000 documents; the 20 MB /
200,000-span document open and highlighted <= 1.0 s and <= 300 MB peak RSS; cold start to the sample
article <= 3x the hello-world window. Search across documents: benchmarks/bench_search.py.

The databases are built with raw inserts (the schema from Workspace.open, then sqlite3), so building
them takes seconds, not the minutes an import of 100,000 documents would.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "resources" / "sample-article.txt"
LABEL_IDS = (1, 2, 3, 4)  # the four default labels of a new database
NOW = "2026-01-01 00:00:00.000000"

HELLO_PROBE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit
app = QApplication(sys.argv[:1])
w = QMainWindow()
view = QPlainTextEdit()
view.setPlainText(open(sys.argv[1], encoding="utf-8").read())
w.setCentralWidget(view)
w.resize(1380, 860)
w.show()
def shown():
    w.repaint()
    print('{"shown": %f}' % (time.time() - float(sys.argv[2])), flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""

# The real composition root (annotator.app), as `annotator --db X` runs it, with the annotator
# remembered; prints the time from process start to the painted window and the list's state.
GUI_PROBE = """
import json, resource, sys, time
from annotator.startup_preload import start_preloading
start_preloading()  # as annotator.cli does on the GUI path
from PySide6.QtCore import QTimer
from annotator.app import GuiSession, make_application
from annotator.services.settings import Settings
app = make_application()
session = GuiSession(Settings(__import__("pathlib").Path(sys.argv[2])))
assert session.open(sys.argv[1])
w = session.windows[0]
def shown():
    w.repaint()
    table = w.documents.table
    print(json.dumps({"shown": time.time() - float(sys.argv[3]),
                      "rows": table.model().rowCount(), "heading": w.progress_heading.text(),
                      "spans": len(w.desk.spans),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""

# Open the big document in a window that is already up: database read + highlight + first paint.
OPEN_PROBE = """
import json, resource, sys, time
from annotator.app import make_application, open_window
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace
app = make_application()
ws = Workspace.open(sys.argv[1])
me = ws.annotators.sign_in("bench")
settings = Settings(__import__("pathlib").Path(sys.argv[2]))
w = open_window(ws, me, settings)
w.resize(1400, 900)
w.show()
app.processEvents()
assert len(w.desk.document.text) < 1_000_000, "the window must open on the sample, not the big document"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
w.open_document(int(sys.argv[3]))
w.view.viewport().repaint()
opened = time.perf_counter() - t0
t0 = time.perf_counter()
w.view.viewport().repaint()
repaint = time.perf_counter() - t0
# A windowed document (issue 16) has a page bar over the whole text; the view's own covers a slice.
bar = w.view.page_bar if getattr(w.view, "windowed", False) else w.view.verticalScrollBar()
t0 = time.perf_counter()
bar.setValue(bar.maximum() // 2)
app.processEvents()
w.view.viewport().repaint()
jump = time.perf_counter() - t0
t0 = time.perf_counter()
w.view.viewport().repaint()
middle = time.perf_counter() - t0
print(json.dumps({"open": opened, "repaint": repaint, "repaint_middle": middle, "jump_middle": jump,
                  "spans": len(w.desk.spans),
                  "rss_before_mb": before,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
from annotator.ui.suggestions.background import stop_all
stop_all()  # a worker thread still learning from the spans would abort the exit
"""

# The floor for the big document: a bare QPlainTextEdit given the same text, shown and painted.
PLAIN_PROBE = """
import json, resource, sys, time
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication(sys.argv[:1])
text = open(sys.argv[1], encoding="utf-8", newline="").read()
view = QPlainTextEdit()
view.resize(1400, 900)
view.show()
app.processEvents()
t0 = time.perf_counter()
view.setPlainText(text)
view.viewport().repaint()
opened = time.perf_counter() - t0
t0 = time.perf_counter()
view.viewport().repaint()
print(json.dumps({"open": opened, "repaint": time.perf_counter() - t0,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)
"""


def words() -> list[str]:
    return SAMPLE.read_text("utf-8").split()


EXTRA = ["emoji 👩‍👩‍👧 family", "東京 の ニュース", "שלום עולם", "مرحبا بالعالم", "zürich café naïve"]


def new_database(path: Path) -> sqlite3.Connection:
    from annotator.services.workspace import Workspace

    workspace = Workspace.open(str(path), lazy=True)
    workspace.annotators.sign_in("bench")
    workspace.close()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    return con


def insert_documents(con: sqlite3.Connection, rows: list[tuple[str, str, str]], first_position: int) -> None:
    con.executemany(
        "INSERT INTO document (uid, title, text, sha256, meta, position, created_at, length) "
        "VALUES (?, ?, ?, ?, '{}', ?, ?, ?)",
        [
            (uid, title, text, hashlib.sha256(text.encode()).hexdigest(), first_position + i, NOW, len(text))
            for i, (uid, title, text) in enumerate(rows)
        ],
    )


def build_many(path: Path, count: int, rng: random.Random) -> None:
    """``count`` news-sized documents (~1,500 characters); "bench" has finished every 7th and
    started every 5th, with a few spans on each started one; one document in 500 mentions "zeppelin"
    and one in 50 carries emoji / CJK / RTL text."""
    vocabulary = words()
    con = new_database(path)
    me = con.execute("SELECT id FROM annotator WHERE name = 'bench'").fetchone()[0]
    con.execute("BEGIN")
    batch: list[tuple[str, str, str]] = []
    for i in range(count):
        start = rng.randrange(0, len(vocabulary) - 260)
        body = vocabulary[start : start + rng.randint(150, 250)]
        if i % 500 == 7:
            body.insert(rng.randrange(len(body)), "zeppelin")
        if i % 50 == 3:
            body.insert(rng.randrange(len(body)), EXTRA[i // 50 % len(EXTRA)])
        title = f"{' '.join(vocabulary[start : start + 6])} ({i})"
        batch.append((f"doc-{i:06d}", title, title + "\n\n" + " ".join(body)))
        if len(batch) == 5000:
            insert_documents(con, batch, i - len(batch) + 1)
            batch = []
    if batch:
        insert_documents(con, batch, count - len(batch))
    ids = [r[0] for r in con.execute("SELECT id FROM document ORDER BY id")]
    con.executemany(
        "INSERT INTO document_status (document_id, annotator_id, status, updated_at) VALUES (?, ?, ?, ?)",
        [
            (d, me, "done" if n % 7 == 0 else "in_progress", NOW)
            for n, d in enumerate(ids)
            if n % 7 == 0 or n % 5 == 0
        ],
    )
    con.executemany(
        'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (d, me, LABEL_IDS[k], 30 * k, 30 * k + 12, NOW, NOW)
            for n, d in enumerate(ids)
            if n % 5 == 0
            for k in range(3)
        ],
    )
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()


def big_text(size: int) -> str:
    base = SAMPLE.read_text("utf-8").replace("\n", "\r\n") + "Emoji 👩‍👩‍👧 and 𝐀 bold.\r\n"
    return (base * (size // len(base) + 1))[:size]


def build_big(path: Path, size: int, spans: int, rng: random.Random) -> tuple[int, str]:
    """One document of ``size`` code points with ``spans`` spans of "bench" (plus the sample)."""
    con = new_database(path)
    me = con.execute("SELECT id FROM annotator WHERE name = 'bench'").fetchone()[0]
    text = big_text(size)
    con.execute("BEGIN")
    insert_documents(con, [("sample", "The sample", SAMPLE.read_text("utf-8")), ("big", "Big", text)], 0)
    doc = con.execute("SELECT id FROM document WHERE uid = 'big'").fetchone()[0]
    seen: set[tuple[int, int, int]] = set()
    rows = []
    while len(rows) < spans:
        start = rng.randrange(0, size - 300)
        key = (start, start + rng.randint(3, 200), LABEL_IDS[len(rows) % 4])
        if key not in seen:
            seen.add(key)
            rows.append((doc, me, key[2], key[0], key[1], NOW, NOW))
    con.executemany(
        'INSERT INTO span (document_id, annotator_id, label_id, start, "end", created_at, updated_at) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.execute("COMMIT")
    con.close()
    return doc, text


def remember(folder: Path, name: str, db: Path, last: int | None = None) -> Path:
    from annotator.services.settings import Settings

    path = folder / name
    settings = Settings(path)
    settings.remember_annotator(str(db), "bench")
    if last is not None:
        settings.set("last_document", last)
    return path


def run(script: str, *args: str, started: bool = False, cwd: Path = ROOT) -> tuple[float, dict[str, object]]:
    """(seconds, what the probe printed). started: the probe is given the clock at its start and
    prints when its window showed ("shown"): that is the figure, its exit not included."""
    t0 = time.perf_counter()
    clock = [str(time.time())] if started else []
    out = subprocess.run(
        [sys.executable, "-c", script, *args, *clock], capture_output=True, text=True, cwd=cwd
    )
    elapsed = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"probe failed:\n{out.stderr[-3000:]}")
    last = out.stdout.strip().splitlines()[-1]
    printed = json.loads(last) if last.startswith("{") else {}
    return (float(printed["shown"]) if started else elapsed), printed


def median_run(repeats: int, script: str, *args: str) -> tuple[float, dict[str, object]]:
    """Process start to the window shown, median of ``repeats`` processes."""
    results = [run(script, *args, started=True) for _ in range(repeats)]
    times = sorted(r[0] for r in results)
    return statistics.median(times), results[len(results) // 2][1]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--skip-big", action="store_true")
    parser.add_argument("--big-only", action="store_true", help="only the 20 MB document")
    parser.add_argument("--compare", type=Path, help="another checkout to measure the big open in too")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="annotator-gui-scale-"))
    rng = random.Random(16)
    print(f"load average before: {load()}  ({os.cpu_count()} cores, offscreen)")

    if not args.big_only:
        small_and_many(args, folder, rng)
    if not args.skip_big:
        big_document(folder, rng, args.compare)
    print(f"load average after: {load()}")


def small_and_many(args: argparse.Namespace, folder: Path, rng: random.Random) -> None:
    hello, _ = median_run(args.repeats, HELLO_PROBE, str(SAMPLE))
    print(f"floor: hello-world QMainWindow + QPlainTextEdit with the sample: {hello * 1000:.0f} ms")

    small = folder / "small.db"
    new_database(small).close()
    from annotator.services.workspace import Workspace

    ws = Workspace.open(str(small))
    ws.ensure_sample()
    ws.close()
    cold, info = median_run(args.repeats, GUI_PROBE, str(small), str(remember(folder, "s1.json", small)))
    print(
        f"cold start to the window with the sample article: {cold * 1000:.0f} ms = {cold / hello:.2f}x hello-world"
        "   goal <= 3x"
    )

    many = folder / "many.db"
    t0 = time.perf_counter()
    build_many(many, args.documents, rng)
    print(f"built {args.documents:,} documents in {time.perf_counter() - t0:.1f} s")
    first, info = median_run(args.repeats, GUI_PROBE, str(many), str(remember(folder, "s2.json", many)))
    print(
        f"first window with the document list, {args.documents:,} documents: {first * 1000:.0f} ms"
        f" = {first / hello:.2f}x hello-world   goal <= 1000 ms"
    )
    print(f"  list rows loaded {info['rows']}, heading: {info['heading']}, peak RSS {info['rss_mb']:.0f} MB")


def big_document(folder: Path, rng: random.Random, compare: Path | None) -> None:
    big = folder / "big.db"
    t0 = time.perf_counter()
    doc, text = build_big(big, 20_000_000, 200_000, rng)
    (folder / "big.txt").write_text(text, encoding="utf-8", newline="")
    print(f"built the 20 MB document with 200,000 spans in {time.perf_counter() - t0:.1f} s")
    results, others, plain = [], [], []

    def settings() -> str:  # afresh for each probe: opening the big document makes it the last one
        return str(remember(folder, "s3.json", big, 1))

    for _ in range(3):  # alternating, so the load falls on each alike
        results.append(run(OPEN_PROBE, str(big), settings(), str(doc))[1])
        if compare is not None:
            others.append(run(OPEN_PROBE, str(big), settings(), str(doc), cwd=compare)[1])
        plain.append(run(PLAIN_PROBE, str(folder / "big.txt"))[1])
    report_big(results, plain, "")
    if others:
        report_big(others, plain, f"[{compare}] ")


def report_big(results: list[dict[str, object]], plain: list[dict[str, object]], tag: str) -> None:
    opened = statistics.median(float(r["open"]) for r in results)  # type: ignore[arg-type]
    floor = statistics.median(float(r["open"]) for r in plain)  # type: ignore[arg-type]
    rss = max(float(r["rss_mb"]) for r in results)  # type: ignore[arg-type]
    rss_floor = max(float(r["rss_mb"]) for r in plain)  # type: ignore[arg-type]
    rep = statistics.median(float(r["repaint_middle"]) for r in results)  # type: ignore[arg-type]
    rep_floor = statistics.median(float(r["repaint"]) for r in plain)  # type: ignore[arg-type]
    opens = ", ".join(f"{float(r['open']) * 1000:.0f}" for r in results)  # type: ignore[arg-type]
    print(f"{tag}20 MB opens (ms): {opens}")
    print(
        f"{tag}20 MB / 200,000 spans: open + highlight + paint {opened * 1000:.0f} ms "
        f"({opened / floor:.2f}x a bare QPlainTextEdit setPlainText {floor * 1000:.0f} ms)   goal <= 1000 ms"
    )
    print(f"  peak RSS {rss:.0f} MB (bare QPlainTextEdit {rss_floor:.0f} MB)   goal <= 300 MB")
    print(
        f"  repaint mid-document {rep * 1000:.1f} ms ({rep / rep_floor:.2f}x bare {rep_floor * 1000:.1f} ms); "
        f"spans shown {results[0]['spans']}"
    )
    jump = statistics.median(float(r["jump_middle"]) for r in results)  # type: ignore[arg-type]
    print(f"  jump to mid-document (scroll bar) + paint {jump * 1000:.0f} ms")


if __name__ == "__main__":
    main()
