"""One child process measured: wall seconds and peak resident memory (MB).

A fresh small launcher process starts the command and reports its figures: measured from the
benchmark itself, the child's peak would be at least the benchmark's own size at the fork (Linux
carries the parent's peak across exec), which overstated every figure of a benchmark that had just
built a large corpus in memory.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{time.perf_counter() - start} {usage.ru_maxrss / 1024}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_once(command: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak resident memory (MB) and standard output of one fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        figures, out, err = Path(tmp) / "figures", Path(tmp) / "out", Path(tmp) / "err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            code = subprocess.call(
                [sys.executable, "-c", _LAUNCHER, str(figures), *command],
                stdout=stdout,
                stderr=stderr,
                cwd=cwd,
            )
        if code:
            detail = err.read_text(errors="replace").strip()[-2000:]
            raise RuntimeError(f"{' '.join(command)} exited {code}: {detail}")
        elapsed, peak = map(float, figures.read_text().split())
        return elapsed, peak, out.read_text()


def run_measured(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of ``cmd``; fails loudly when the command fails."""
    try:
        elapsed, peak, _ = run_once(cmd)
    except RuntimeError as exc:
        raise SystemExit(f"failed: {exc}") from exc
    return elapsed, peak
