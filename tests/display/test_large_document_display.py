"""Under a real X server: a document above the window threshold (issue 16) opens shown a slice at a
time; real keys jump to its end and page back up past a slice's end, the wheel scrolls, and a line
selected there and labelled with a real key is stored with exact code point offsets."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import orjson

from annotator.services.workspace import Workspace
from tests.display.scenario import assert_quiet_stderr, first_start, quit_app, stored_spans
from tests.display.xsession import Xdo, XSession, start_app
from tests.ui.test_large_document_view import TEXT

LINE = re.compile(r"\d{7} Cafe\u0301 👩\u200d👩\u200d👧 東京の 𝐀𝐁 שלום עולם مرحبا and more words here")


def test_paging_through_a_large_document_and_labelling_far_in(x_session: XSession, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "work.db"
    source = home / "big.jsonl"
    source.write_bytes(orjson.dumps({"id": "big", "title": "Big", "text": TEXT}) + b"\n")
    ws = Workspace.open(str(db))
    assert ws.importer.import_paths([source]).ok
    ws.close()
    app = start_app(x_session, ["--db", str(db)], home, python=sys.executable)
    xdo = Xdo(x_session, pid=app.pid)
    try:
        first_start(xdo, app, "alice")
        window = xdo.find("Annotator")[-1]
        x, y, width, height = xdo.geometry(window)
        xdo.key("ctrl+End")  # the document's end, far past the first slice
        time.sleep(0.3)
        # Back up about 400,000 code points: more than the slice at the end holds.
        xdo.run("key", "--clearmodifiers", "--delay", "8", *["Prior"] * 400, timeout=120)
        time.sleep(0.5)
        xdo.run("mousemove", "--sync", str(x + width // 3), str(y + height // 2))
        xdo.run("click", "--repeat", "10", "--delay", "30", "4")  # the wheel, up
        time.sleep(0.3)
        x_session.screenshot(tmp_path / "large-document.png")
        xdo.key("Down", "Home", "shift+End", "1")
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
    assert text == TEXT
    assert LINE.fullmatch(text[start:end]), text[start - 10 : end + 10]
    assert text[start - 2 : start] == "\r\n" == text[end : end + 2]
    # Where no slice that holds the end reaches (it starts about 300,000 before the end): the slice
    # moved while paging, and the line on screen was stored exactly.
    assert 1_000_000 < start < len(TEXT) - 320_000
