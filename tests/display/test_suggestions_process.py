"""The suggestion process under a real display: the app, as a person starts it, computes suggestions in
a child process of its own once a document stays open, and quitting ends that child with the app
(no process left behind, no thread warnings)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from tests.display.scenario import assert_quiet_stderr, first_start, label_with_keys, quit_app
from tests.display.xsession import Xdo, XSession, start_app


def _process(pid: int) -> tuple[int, bool] | None:
    """(parent pid, runs multiprocessing's spawn entry point) of a live process; None if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[1]), b"spawn_main" in cmdline


def running_spawned(pid: int) -> bool:
    info = _process(pid)
    return info is not None and info[1]


def spawned_children(pid: int) -> list[int]:
    """Live processes whose parent is ``pid`` and that run multiprocessing's spawn entry point."""
    return [
        int(entry) for entry in os.listdir("/proc") if entry.isdigit() and _process(int(entry)) == (pid, True)
    ]


def test_suggestions_are_computed_in_a_child_that_ends_with_the_app(
    x_session: XSession, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "work.db"
    app = start_app(x_session, ["--db", str(db)], home, python=sys.executable)
    xdo = Xdo(x_session, pid=app.pid)
    try:
        first_start(xdo, app, "alice")
        label_with_keys(xdo, app)  # a span of her own: something to learn from
        deadline = time.monotonic() + 60
        children: list[int] = []
        while not children and time.monotonic() < deadline and app.poll() is None:
            time.sleep(0.2)
            children = spawned_children(app.pid)
        assert children, "no suggestion process was started"
        assert quit_app(xdo, app) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    deadline = time.monotonic() + 10
    while [c for c in children if running_spawned(c)]:  # (an orphan would be re-parented, still running)
        assert time.monotonic() < deadline, "the suggestion process outlived the app"
        time.sleep(0.1)
    assert_quiet_stderr(home)  # (a Traceback is among the warnings)
