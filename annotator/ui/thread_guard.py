"""A debug check that no worker thread touches a widget (DESIGN.md section 9).

Widgets belong to the GUI thread. A worker that shows a message box or updates a label works
offscreen and crashes or freezes under a real X server, so this is checked where it can be seen:
with ANNOTATOR_CHECK_THREADS=1 (the test suite sets it) every worker thread records each call it
makes into a widget, prints it, and tests fail on it. Off by default: the check costs time.
"""

from __future__ import annotations

import os
import sys
from types import FrameType
from typing import Any

from PySide6.QtWidgets import QWidget

ENV = "ANNOTATOR_CHECK_THREADS"
violations: list[str] = []


def enabled() -> bool:
    return os.environ.get(ENV) == "1"


def watch_this_thread() -> None:
    """Called first thing in a worker thread: from now on its calls into widgets are reported."""
    if enabled():
        sys.setprofile(_profile)


def stop_watching() -> None:
    sys.setprofile(None)


def _is_widget(owner: Any) -> bool:
    return isinstance(owner, QWidget) or (isinstance(owner, type) and issubclass(owner, QWidget))


def _profile(frame: FrameType, event: str, arg: Any) -> None:
    if event == "c_call":
        owner = getattr(arg, "__self__", None)
        if _is_widget(owner):
            _report(f"{getattr(arg, '__qualname__', arg)}")
    elif event == "call" and frame.f_code.co_name == "__init__":
        owner = frame.f_locals.get("self")
        if _is_widget(owner):
            _report(f"{type(owner).__name__}() created")


def _report(what: str) -> None:
    message = f"annotator: widget touched from a worker thread: {what}"
    violations.append(message)
    print(message, file=sys.stderr, flush=True)
