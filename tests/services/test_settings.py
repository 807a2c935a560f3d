"""Settings: saved at once, readable after a restart, and not written again when nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

from annotator.services.settings import Settings

MARKER = '{"written by": "the test"}'


def test_a_changed_value_is_saved_and_an_unchanged_one_is_not_written_again(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    settings = Settings(path)
    settings.set("recent_databases", ["/a.db", "/b.db"])
    settings.remember_annotator("/a.db", "ana")
    path.write_text(MARKER, "utf-8")  # a save would replace this

    settings.set("recent_databases", ["/a.db", "/b.db"])
    settings.remember_annotator("/a.db", "ana")
    assert path.read_text("utf-8") == MARKER

    settings.set("recent_databases", ["/b.db", "/a.db"])
    saved = json.loads(path.read_text("utf-8"))
    assert saved["recent_databases"] == ["/b.db", "/a.db"]
    assert saved["annotator_by_database"] == {"/a.db": "ana"}


def test_a_new_key_with_a_falsy_value_and_a_new_annotator_are_saved(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    Settings(path).set("show_suggestions", False)
    Settings(path).remember_annotator("/a.db", "ana")
    Settings(path).remember_annotator("/a.db", "ben")
    assert Settings(path).get("show_suggestions", True) is False
    assert Settings(path).annotator_for("/a.db") == "ben"
