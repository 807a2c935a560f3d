"""Where the data lives: the per-user data directory, or what ANNOTATOR_DB / --db point at."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "annotator"
DATABASE_FILENAME = "annotator.db"
PORTABLE_MARKER = "portable.txt"


def portable_dir() -> Path | None:
    """A frozen program with portable.txt beside it keeps its data there (USB-stick use)."""
    if getattr(sys, "frozen", False):
        here = Path(sys.executable).resolve().parent
        if (here / PORTABLE_MARKER).exists():
            return here / "data"
    return None


def data_dir() -> Path:
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    if override:
        return Path(override).expanduser()
    portable = portable_dir()
    if portable is not None:
        return portable
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database() -> str:
    return str(data_dir() / DATABASE_FILENAME)


def resolve_database(cli_value: str | None) -> str:
    """--db wins, then ANNOTATOR_DB, then the per-user default."""
    return cli_value or os.environ.get("ANNOTATOR_DB") or default_database()


def resource_path(name: str) -> Path:
    """A file under resources/, from a source checkout, an installed package or a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "resources"] if bundle else []
    candidates += [
        Path(__file__).resolve().parent / "resources",
        Path(__file__).resolve().parent.parent / "resources",
    ]
    for base in candidates:
        if (base / name).exists():
            return base / name
    return candidates[-1] / name
