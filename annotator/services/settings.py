"""Per-user settings kept beside the default database: who annotates on which database, recent files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.domain.errors import AnnotatorError
from annotator.paths import data_dir, make_private_dir
from annotator.services.atomic import atomic_write

SETTINGS_FILE = "settings.json"


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / SETTINGS_FILE
        self._data: dict[str, Any] = self._load()

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self) -> None:
        """Written whole (atomic_write), readable by its owner only (0600) in a 0700 folder: it
        names the databases a person works on."""
        try:
            make_private_dir(self.path.parent)
            with atomic_write(self.path) as fh:
                fh.write(json.dumps(self._data, indent=2, ensure_ascii=False).encode("utf-8"))
        except (OSError, AnnotatorError):
            pass  # settings are a convenience; failing to save them must not stop annotating

    def annotator_for(self, database: str) -> str | None:
        value = self._data.get("annotator_by_database", {}).get(database)
        return value if isinstance(value, str) else None

    def remember_annotator(self, database: str, name: str) -> None:
        if self.annotator_for(database) == name:
            return
        self._data.setdefault("annotator_by_database", {})[database] = name
        self._save()

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        """Saved at once; an unchanged value is not written again (each save is an fsync, and
        opening a window sets several)."""
        if key in self._data and self._data[key] == value:
            return
        self._data[key] = value
        self._save()
