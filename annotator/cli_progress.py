"""A progress line on stderr when it is a terminal; silence when it is a pipe or a file."""

from __future__ import annotations

import sys
import time


class ProgressLine:
    def __init__(self, what: str) -> None:
        self.what = what
        self.enabled = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        percent = 100 * done // total if total else 100
        sys.stderr.write(f"\r{self.what}: {done}/{total} ({percent}%)")
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
