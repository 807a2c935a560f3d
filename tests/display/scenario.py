"""A person's everyday session, scripted with real input: first start, File > Import through the
real file dialog (several times), File > Export through the dialogs, labelling with the keyboard
and the mouse, quit. Used by the real-display tests and by scripts/display_crash_rate.py."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.display.xsession import Xdo, XError, XSession, start_app

MAIN_WINDOW = "Annotator$"
# What Qt prints when a widget or timer is used from the wrong thread, and what a crash leaves.
THREAD_WARNINGS = (
    "different thread",
    "QBasicTimer",
    "QObject::setParent",
    "Cannot create children",
    "widget touched from a worker thread",
    "Traceback",
    "Fatal Python error",
    "Segmentation",
)


@dataclass
class Outcome:
    returncode: int | None
    stderr: str
    imports_done: int = 0
    exports_done: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def crashed(self) -> bool:
        return self.returncode not in (0,) or bool(self.problems)


def make_inputs(folder: Path, count: int) -> list[Path]:
    """Files of the kinds people import: plain text, Markdown, CSV and native JSONL with spans."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(count):
        kind = n % 3
        if kind == 0:
            path = folder / f"article-{n}.txt"
            path.write_text(f"Article {n}\n\nTrade talks in round {n} stalled over energy prices.\n")
        elif kind == 1:
            path = folder / f"notes-{n}.csv"
            path.write_text(f'id,title,text\ncsv-{n},Row {n},"Leverage over supply in round {n}."\n')
        else:
            path = folder / f"batch-{n}.jsonl"
            record = {
                "id": f"jsonl-{n}",
                "text": f"Framing of round {n}: a multipolar world.",
                "spans": [{"start": 0, "end": 7, "label": "framing", "annotator": "bob"}],
                "status": {"bob": "done"},
            }
            path.write_text(json.dumps(record) + "\n")
        files.append(path)
    return files


def first_start(xdo: Xdo, app: subprocess.Popen, name: str) -> None:
    xdo.wait_window("Who is annotating", alive=app)
    xdo.key("ctrl+a")
    xdo.type(name)
    xdo.dismiss("Who is annotating")
    xdo.wait_window(MAIN_WINDOW, alive=app)


def import_through_dialog(xdo: Xdo, app: subprocess.Popen, path: Path) -> None:
    xdo.wait_window(MAIN_WINDOW, alive=app)
    xdo.key("ctrl+o")
    xdo.wait_window("^Import documents$", alive=app)
    xdo.type(str(path))  # the file name field has the focus in Qt's file dialog
    xdo.key("Return")
    xdo.wait_window("^Import finished$", timeout=60, alive=app)
    xdo.dismiss("^Import finished$")


def export_through_dialogs(xdo: Xdo, app: subprocess.Popen, target: Path) -> None:
    xdo.wait_window(MAIN_WINDOW, alive=app)
    xdo.key("ctrl+e")
    xdo.wait_window("^Export training data$", alive=app)
    xdo.key("Return")  # Save is the default button
    xdo.wait_window("^Save training data as$", alive=app)
    xdo.key("ctrl+a")
    xdo.type(str(target))
    xdo.key("Return")
    xdo.wait_window("^Export finished$", timeout=60, alive=app)
    xdo.dismiss("^Export finished$")
    xdo.wait_gone("^Export training data$")


def label_with_keys(xdo: Xdo, app: subprocess.Popen) -> None:
    """A word near the top of the open article, selected with Ctrl+Shift+Right, labelled with key 1."""
    xdo.wait_window(MAIN_WINDOW, alive=app)
    xdo.key("ctrl+Home", "ctrl+Right", "ctrl+shift+Right", "1")


def label_with_mouse(xdo: Xdo, app: subprocess.Popen) -> None:
    """A drag down and across the text column (several lines, so it selects text wherever the
    paragraphs fall), labelled with key 2. Escape first: a selected span would be relabelled."""
    window = xdo.wait_window(MAIN_WINDOW, alive=app)
    xdo.key("Escape")
    x, y, width, height = xdo.geometry(window)
    # The text column sits between the document list (left, about a third of the window: its
    # titles are readable) and the palette (right).
    xdo.drag(x + width * 42 // 100, y + height * 30 // 100, x + width * 62 // 100, y + height * 45 // 100)
    xdo.key("2")


def quit_app(xdo: Xdo, app: subprocess.Popen, timeout: float = 30.0) -> int | None:
    xdo.wait_window(MAIN_WINDOW, alive=app)
    xdo.key("ctrl+q")
    try:
        return app.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait()
        return None


def everyday_session(
    session: XSession, home: Path, imports: int = 5, exports: int = 2, python: str | None = None
) -> Outcome:
    """Run the whole scripted session once; the outcome says how far it got and what went wrong."""
    home.mkdir(parents=True, exist_ok=True)
    db = home / "work.db"
    inputs = make_inputs(home / "inputs", imports)
    app = start_app(session, ["--db", str(db)], home, python=python)
    xdo = Xdo(session, pid=app.pid)
    outcome = Outcome(returncode=None, stderr="")
    try:
        first_start(xdo, app, "alice")
        label_with_keys(xdo, app)
        for path in inputs:
            import_through_dialog(xdo, app, path)
            outcome.imports_done += 1
        for n in range(exports):
            export_through_dialogs(xdo, app, home / f"export-{n}.jsonl")
            outcome.exports_done += 1
        label_with_mouse(xdo, app)
        outcome.returncode = quit_app(xdo, app)
    except XError as exc:
        outcome.problems.append(str(exc))
        session.screenshot(home / "failure.png")
        if app.poll() is None:
            app.kill()
        outcome.returncode = app.wait()
    time.sleep(0.1)
    outcome.stderr = (home / "stderr.txt").read_text(errors="replace")
    outcome.problems += [w for w in THREAD_WARNINGS if w in outcome.stderr]
    return outcome


def assert_quiet_stderr(home: Path) -> None:
    """The app printed no thread warning and no crash (its stderr, kept by start_app)."""
    stderr = (home / "stderr.txt").read_text(errors="replace")
    assert not [w for w in THREAD_WARNINGS if w in stderr], stderr[-3000:]


def stored_spans(db: Path, annotator: str) -> list[tuple[str, int, int]]:
    """(document text, start, end) of each span ``annotator`` stored."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            'SELECT d.text, s.start, s."end" FROM span s JOIN document d ON d.id = s.document_id '
            "JOIN annotator a ON a.id = s.annotator_id WHERE a.name = ?",
            (annotator,),
        ).fetchall()


def stored_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            "documents": conn.execute("SELECT count(*) FROM document").fetchone()[0],
            "alice_spans": conn.execute(
                "SELECT count(*) FROM span JOIN annotator ON annotator.id = span.annotator_id "
                "WHERE annotator.name = 'alice'"
            ).fetchone()[0],
            "bob_spans": conn.execute(
                "SELECT count(*) FROM span JOIN annotator ON annotator.id = span.annotator_id "
                "WHERE annotator.name = 'bob'"
            ).fetchone()[0],
        }
