"""Start-up: import the database layer in a thread while the GUI thread loads Qt.

SQLAlchemy Core (~0.25 s) and numpy (~0.08 s) are what the first window needs besides Qt, and
importing them alone costs more than a whole hello-world Qt window. Much of loading Qt and creating
the application runs in C++ without the GIL, so on a machine with two cores the two overlap: the
GUI thread finds them imported, or waits only for the rest (the import system's per-module locks
make it wait, never import twice). Nothing here touches Qt, and a failure is left to the GUI
thread's own import to report.
"""

from __future__ import annotations

import threading


def _import_database_layer() -> None:
    try:
        import annotator.domain.text_mapping  # (numpy)
        import annotator.store.database  # noqa: F401  (SQLAlchemy Core)
    except Exception:  # the GUI thread imports them again and reports what is wrong
        return


def start_preloading() -> threading.Thread:
    """Begin the imports; call first thing on the GUI path, before Qt is imported."""
    thread = threading.Thread(target=_import_database_layer, name="preload-imports", daemon=True)
    thread.start()
    return thread
