"""The command line never ends in a traceback: an unexpected error is one line, its details in a file."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson
import pytest

from annotator import cli
from tests.cli.test_cli import REPO, run


def _raise(exc: BaseException):
    def command(_args: object) -> int:
        raise exc

    return command


def test_an_unexpected_error_is_one_line_with_its_details_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setitem(cli.COMMANDS, "agreement", _raise(RuntimeError("boom \x1b]0;x\x07")))
    monkeypatch.setattr(sys, "argv", ["annotator", "--db", "postgresql://u:SECRET@h/db", "agreement"])
    assert cli.main(["--db", str(tmp_path / "a.db"), "agreement"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "\x1b" not in err
    assert err.startswith("annotator: internal error (RuntimeError: boom \\x1b]0;x\\x07). This is a bug")
    saved = Path(re.search(r"saved in (\S+)$", err.strip()).group(1))  # type: ignore[union-attr]
    assert saved.parent == tmp_path
    details = saved.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in details and "RuntimeError: boom" in details
    assert "postgresql://u:***@h/db" in details and "SECRET" not in details
    if os.name == "posix":
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_running_out_of_memory_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setitem(cli.COMMANDS, "agreement", _raise(MemoryError()))
    assert cli.main(["agreement"]) == 1
    assert capsys.readouterr().err.startswith("annotator: error: out of memory; the command stopped, with")


def test_ctrl_c_still_exits_130(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setitem(cli.COMMANDS, "agreement", _raise(KeyboardInterrupt()))
    assert cli.main(["agreement"]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_export_into_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    """`annotator export ... | head -1`: the reader goes away; no BrokenPipeError traceback."""
    corpus = tmp_path / "many.jsonl"
    corpus.write_bytes(
        b"".join(orjson.dumps({"id": f"d{i}", "text": "word " * 200}) + b"\n" for i in range(2000))
    )
    db = str(tmp_path / "a.db")
    assert run("--db", db, "import", str(corpus)).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", db, "export", "--format", "jsonl"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 141
    assert err == ""
