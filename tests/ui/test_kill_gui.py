"""kill -9 of the real GUI in the middle of annotating loses nothing the screen showed as made."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.services.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]

# The real window, offscreen: select a word, trigger the label's hotkey action (what a key press
# does), and report each span only once the view shows it.
GUI_LOOP = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from annotator.app import make_application, open_window
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace

if __name__ == "__main__":  # (the suggestion process is spawned: it imports this script)

    app = make_application()
    ws = Workspace.open(sys.argv[1])
    me = ws.annotators.sign_in("alice")
    window = open_window(ws, me, Settings(Path(sys.argv[2])))
    window.show()
    shown = 0
    def on_added(span):
        global shown
        if span.id in {v.id for v in window.view.spans()}:
            shown += 1
            print(f"shown {shown}", flush=True)
    window.desk.spanAdded.connect(on_added)
    window.desk.snap_words = False
    text = window.desk.document.text
    state = {"i": 0}
    def step():
        i = state["i"]
        state["i"] += 1
        start = 1 + (i * 3) % (len(text) - 10)
        window.view.set_selected_range(start, start + 2 + i % 3)
        window.label_actions[i % len(window.label_actions)].trigger()
    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(0)
    app.exec()
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_minus_nine_mid_annotation_loses_nothing_shown(tmp_path: Path) -> None:
    db = tmp_path / "gui.db"
    Workspace.open(str(db)).close()
    script = tmp_path / "gui_loop.py"
    script.write_text(GUI_LOOP)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "QT_QPA_PLATFORM": "offscreen",
        "ANNOTATOR_DATA_DIR": str(tmp_path),
    }
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db), str(tmp_path / "settings.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    shown = 0
    deadline = time.monotonic() + 60
    try:
        assert proc.stdout is not None
        while shown < 120 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("shown "):
                shown = int(line.split()[1])
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert shown >= 120, proc.stderr.read() if proc.stderr else ""
    ws = Workspace.open(str(db))
    try:
        me = ws.annotators.find("alice")
        assert me is not None
        doc = ws.documents.list_for(me.id)[0]
        assert doc.span_count >= shown  # every span the screen showed is stored
    finally:
        ws.close()
