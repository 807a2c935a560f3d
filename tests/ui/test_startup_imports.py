"""The first window shows before the ORM is imported on the GUI thread: SQLModel and pydantic cost
0.2-0.4 s of start-up, and the app imports them in a background thread meanwhile (app.py,
prepare_in_background). Features reached from the window's constructor (suggestions, document
labels) once pulled them in again, unnoticed; this test watches for it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from annotator.services.settings import Settings
from annotator.services.workspace import Workspace

PROBE = """
import json, sys, threading
from pathlib import Path

main_imports = []


class Watch:
    def find_spec(self, name, path=None, target=None):
        if name in ("sqlmodel", "pydantic") and threading.current_thread() is threading.main_thread():
            main_imports.append(name)
        return None


sys.meta_path.insert(0, Watch())

from PySide6.QtCore import QTimer
from annotator.app import GuiSession, make_application
from annotator.services.settings import Settings

app = make_application()
session = GuiSession(Settings(Path(sys.argv[2])))
assert session.open(sys.argv[1])
window = session.windows[0]


def shown():
    window.repaint()
    print(json.dumps({"before_shown": list(main_imports), "document": window.desk.document is not None}))
    app.quit()


QTimer.singleShot(0, shown)
app.exec()
"""


def test_the_first_window_shows_before_the_gui_thread_imports_the_orm(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    ws = Workspace.open(str(db))
    ws.ensure_sample()
    ws.annotators.sign_in("alice")
    ws.close()
    settings = tmp_path / "settings.json"
    Settings(settings).remember_annotator(str(db), "alice")
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    out = subprocess.run(
        [sys.executable, str(script), str(db), str(settings)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["document"]  # the sample article is open in the window
    assert result["before_shown"] == [], "the GUI thread imported the ORM before the first window showed"
