"""The training dialog under a real X server: a child process trains, the dialog shows progress, real
key presses cancel it; no widget is touched from the worker thread (ANNOTATOR_CHECK_THREADS=1)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.display.xsession import Xdo, XSession

ROOT = Path(__file__).resolve().parents[2]
TITLE = "Training the span classifier"


def start(session: XSession, tmp_path: Path, documents: int, *options: str) -> tuple[subprocess.Popen, Path]:
    out = tmp_path / "events.txt"
    env = session.env(ANNOTATOR_CHECK_THREADS="1", QT_QPA_PLATFORM="xcb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.display.training_dialog_app", str(documents), str(out), *options],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "stderr.txt").open("wb"),
    )
    return proc, out


def events(out: Path) -> list[str]:
    return out.read_text().splitlines() if out.exists() else []


def wait_for(out: Path, prefix: str, proc: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in events(out):
            if line.startswith(prefix):
                return line
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"no {prefix!r} in {events(out)} (exit {proc.poll()})")


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] not in ("Z", "X")
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("key", ["Escape", "Return"])  # Return presses the focused Cancel button
def test_a_real_key_cancels_training(x_session: XSession, tmp_path: Path, key: str) -> None:
    proc, out = start(x_session, tmp_path, documents=600)
    try:
        xdo = Xdo(x_session, pid=proc.pid)
        xdo.wait_window(TITLE, alive=proc, timeout=60)
        child = int(wait_for(out, "PID ", proc).split()[1])
        assert alive(child)
        xdo.dismiss(TITLE, key=key)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "ENDED cancelled" in events(out)
    assert not any(line.startswith("TRAINED") for line in events(out))
    deadline = time.monotonic() + 10
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(child)
    err = (tmp_path / "stderr.txt").read_text()
    assert "widget touched from a worker thread" not in err
    assert "Traceback" not in err


def test_training_completes_on_a_real_display(x_session: XSession, tmp_path: Path) -> None:
    proc, out = start(x_session, tmp_path, documents=10)
    try:
        assert proc.wait(timeout=120) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert events(out)[-2:] == ["TRAINED SpanClassifier", "ENDED done"]
    err = (tmp_path / "stderr.txt").read_text()
    assert "widget touched from a worker thread" not in err
    assert "Traceback" not in err


def test_quitting_the_app_while_training_stops_the_child_cleanly(x_session: XSession, tmp_path: Path) -> None:
    """Before the fix: "QThread: Destroyed while thread is still running" and an abort (exit -6)."""
    proc, out = start(x_session, tmp_path, 600, "--quit-while-training")
    try:
        child = int(wait_for(out, "PID ", proc).split()[1])
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not alive(child)
    err = (tmp_path / "stderr.txt").read_text()
    assert "QThread: Destroyed" not in err
    assert "Traceback" not in err
