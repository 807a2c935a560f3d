"""Under a real X server: the window opens before the ORM is imported (a thread imports it while the
person works), and right away Ctrl+Shift+F, typing a search, Enter (opens the first hit, landing on
the match) and a label key store a span on the match, in code points, with no thread warnings."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import orjson

from annotator.services.workspace import Workspace
from tests.display.scenario import assert_quiet_stderr, first_start, quit_app, stored_spans
from tests.display.xsession import Xdo, XSession, start_app

HIT = "東京のニュース 👩‍👩‍👧 then the zeppelin landed in שלום עולם."


def test_search_right_after_start_lands_on_the_hit(x_session: XSession, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "work.db"
    source = home / "docs.jsonl"
    records = [
        {"id": f"d{i}", "title": f"Report {i}", "text": f"Report {i}\n\nTrade talks, round {i}."}
        for i in range(300)
    ]
    records.insert(150, {"id": "hit", "title": "Airships", "text": f"Airships\n\n{HIT}"})
    source.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    ws = Workspace.open(str(db))
    assert ws.importer.import_paths([source]).ok
    ws.close()
    app = start_app(x_session, ["--db", str(db)], home, python=sys.executable)
    xdo = Xdo(x_session, pid=app.pid)
    try:
        first_start(xdo, app, "alice")
        xdo.key("ctrl+shift+f")
        xdo.type("zeppelin")
        time.sleep(0.8)  # the list asks the database once typing pauses
        xdo.key("Return", "1")
        time.sleep(0.5)
        assert quit_app(xdo, app) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    assert_quiet_stderr(home)
    rows = stored_spans(db, "alice")
    assert len(rows) == 1, rows
    text, start, end = rows[0]
    assert text[start:end] == "zeppelin"
    assert start == text.index("zeppelin")
