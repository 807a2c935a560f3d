"""The start-up preload imports the database layer in its thread, and nothing of Qt or the ORM."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from annotator.startup_preload import start_preloading
start_preloading().join()
print(" ".join(name for name in ("sqlalchemy", "numpy", "PySide6", "sqlmodel", "pydantic") if name in sys.modules))
"""


def test_the_preload_imports_sqlalchemy_and_numpy_but_not_qt_or_the_orm() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["sqlalchemy", "numpy"]
