"""A person's everyday session under a real X server, repeated to catch intermittent crashes:
first start, five imports through the real file dialog, exports through the dialogs, labelling by
key and by mouse, quit. Before the fix the first import crashed or froze the app in 3 of 3 tries."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest

from tests.display.scenario import everyday_session, stored_counts
from tests.display.xsession import Xdo, XSession, start_app

ROUNDS = 3


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_import_export_and_labelling_survive_a_real_display(
    x_session: XSession, tmp_path: Path, round_: int
) -> None:
    home = tmp_path / "home"
    outcome = everyday_session(x_session, home, imports=5, exports=2, python=sys.executable)
    assert not outcome.problems, f"{outcome.problems}\nstderr:\n{outcome.stderr[-3000:]}"
    assert outcome.returncode == 0, outcome.stderr[-3000:]
    assert (outcome.imports_done, outcome.exports_done) == (5, 2)
    counts = stored_counts(home / "work.db")
    # the sample article plus one document per imported file
    assert counts == {"documents": 6, "alice_spans": 2, "bob_spans": 1}
    for n in range(2):  # both exports are complete files whose spans point at their own text
        records = [orjson.loads(line) for line in (home / f"export-{n}.jsonl").read_bytes().splitlines()]
        spans = [(r["text"], s) for r in records for s in r["spans"]]
        assert len(spans) == 1  # an annotator exports only their own spans
        assert all(text[s["start"] : s["end"]] == s["text"] for text, s in spans)


def test_qt_platform_option_is_passed_to_qt(x_session: XSession, tmp_path: Path) -> None:
    """`annotator -platform xcb` reaches Qt (not an argparse error): it wins over an environment that
    asks for the offscreen platform, so the prompt appears on the real display."""
    home = tmp_path / "home"
    home.mkdir()
    app = start_app(
        x_session,
        ["-platform", "xcb", "--db", str(home / "work.db")],
        home,
        python=sys.executable,
        extra_env={"QT_QPA_PLATFORM": "offscreen"},
    )
    xdo = Xdo(x_session, pid=app.pid)
    try:
        xdo.wait_window("Who is annotating", alive=app)
        xdo.dismiss("Who is annotating", key="Escape")  # Quit on the first-start prompt
        assert app.wait(timeout=30) == 0
    finally:
        if app.poll() is None:
            app.kill()
    err = (home / "stderr.txt").read_text()
    assert "closed without opening the database" in err
    assert "Traceback" not in err
