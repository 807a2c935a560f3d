"""One child process measured: wall seconds and peak resident memory (MB)."""

from __future__ import annotations

import os
import subprocess
import time


def run_measured(cmd: list[str]) -> tuple[float, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = status
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024
