"""`annotator --self-test`: the real GUI, offscreen, on a temporary database.

It loads the sample article, creates a span through the same action a key press triggers,
undoes and redoes it, exports it, checks the exported offsets, and exits 0 only if all held.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import orjson

TARGET = "strategic messaging"


def run_self_test() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="annotator-self-test-") as tmp:
        try:
            _check(Path(tmp))
        except AssertionError as exc:
            print(f"self-test FAILED: {exc}", file=sys.stderr)
            return 1
    print("self-test passed")
    return 0


def _check(tmp: Path) -> None:
    from annotator.app import make_application, open_window
    from annotator.services.exporting import ExportFilter
    from annotator.services.settings import Settings
    from annotator.services.workspace import Workspace

    app = make_application()
    workspace = Workspace.open(str(tmp / "self-test.db"))
    try:
        annotator = workspace.annotators.sign_in("self-test")
        window = open_window(workspace, annotator, Settings(tmp / "settings.json"))
        window.show()
        app.processEvents()
        desk = window.desk
        assert desk.document is not None, "the sample article did not open"
        text = desk.document.text
        start = text.find(TARGET)
        assert start >= 0, f"the sample article lacks {TARGET!r}"
        window.view.set_selected_range(start, start + len(TARGET))
        label_action = window.label_actions[0]  # hotkey 1, exactly what the key press triggers
        label_action.trigger()
        stored = workspace.annotations.spans_for(desk.document.id, annotator.id)
        assert [(s.start, s.end) for s in stored] == [(start, start + len(TARGET))], f"stored {stored}"
        desk.undo_group.undo()
        assert workspace.annotations.spans_for(desk.document.id, annotator.id) == [], "undo left the span"
        desk.undo_group.redo()
        assert len(workspace.annotations.spans_for(desk.document.id, annotator.id)) == 1, "redo lost the span"
        out = tmp / "export.jsonl"
        workspace.exporter.export("jsonl", ExportFilter(), path=out)
        records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
        spans = [(r["text"], s) for r in records for s in r["spans"]]
        assert len(spans) == 1, f"exported {len(spans)} spans"
        record_text, span = spans[0]
        assert record_text[span["start"] : span["end"]] == TARGET == span["text"], f"exported offsets {span}"
        window.close()
        app.processEvents()
    finally:
        workspace.close()
