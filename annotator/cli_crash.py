"""The last guard of the command line: an unexpected exception becomes one clear line, never a traceback.

The traceback is what a developer needs, so it is kept in a file (readable by this user only) that the
message names; the person at the terminal reads what happened and what to do.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import traceback

from annotator import package_version
from annotator.domain.display import safe_text

_PASSWORD = re.compile(r"(://[^:/@\s]*:)\S*@")


def _save_details(exc: BaseException) -> str | None:
    try:
        fd, name = tempfile.mkstemp(prefix="annotator-crash-", suffix=".txt")  # created 0600
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"annotator {package_version()}, Python {sys.version.split()[0]}\n")
            command = _PASSWORD.sub(r"\1***@", " ".join(sys.argv))  # a --db URL may carry one
            fh.write(f"command: {safe_text(command, 2000)}\n\n")
            fh.write("".join(traceback.format_exception(exc)))
    except Exception:  # the message still goes out, without the file
        return None
    return name


def report_crash(exc: BaseException) -> int:
    """Print one line about an unexpected error (and where its details are); the exit code is 1."""
    details = _save_details(exc)
    where = f", with the details saved in {details}" if details else ""
    if isinstance(exc, MemoryError):
        print(f"annotator: error: out of memory; the command stopped{where}", file=sys.stderr)
        return 1
    what = f"{type(exc).__name__}: {exc}"
    print(
        f"annotator: internal error ({safe_text(what, 300)}). This is a bug in Annotator: please "
        f"report it to its developers{where}",
        file=sys.stderr,
    )
    return 1


def output_closed() -> int:
    """Standard output was closed by its reader (``annotator export ... | head``): stop quietly.
    Standard output is pointed at the null device so the final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141  # what a shell reports for a program stopped by SIGPIPE
