"""Per-user settings kept beside the default database: who annotates on which database, recent files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from annotator.paths import data_dir

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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self._data, indent=2, ensure_ascii=False), "utf-8")
            os.replace(tmp, self.path)
        except OSError:
            pass  # settings are a convenience; failing to save them must not stop annotating

    def annotator_for(self, database: str) -> str | None:
        value = self._data.get("annotator_by_database", {}).get(database)
        return value if isinstance(value, str) else None

    def remember_annotator(self, database: str, name: str) -> None:
        self._data.setdefault("annotator_by_database", {})[database] = name
        self._save()

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self._data[key] = value
        self._save()
