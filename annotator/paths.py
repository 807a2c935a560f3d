"""Where the data lives: the per-user data directory, or what ANNOTATOR_DB / --db point at."""

from __future__ import annotations

import contextlib
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


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and any missing parents) readable by its owner only (0700).

    It holds annotations, which are nobody else's business on a shared machine. A folder that
    already exists keeps its mode, except Annotator's own per-user data folder, which is tightened."""
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for part in reversed(missing):
        with contextlib.suppress(FileExistsError):
            part.mkdir(mode=0o700)  # (the umask can only take bits away)
    if not missing and os.name == "posix" and _is_data_dir(folder):
        try:
            mode = folder.stat().st_mode & 0o777
            if mode & 0o077:
                os.chmod(folder, mode & 0o700)
        except OSError:
            pass  # not ours to change; the files in it are still created 0600


def _is_data_dir(folder: Path) -> bool:
    # (by name first: platformdirs takes 9 ms to import, on every start with --db)
    if folder.name not in (APP_NAME, "data") and not os.environ.get("ANNOTATOR_DATA_DIR"):
        return False
    return folder.resolve() == data_dir().expanduser().resolve()


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
