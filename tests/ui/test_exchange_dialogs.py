"""File > Export's dialog (preview, who may export what) and long work off the GUI thread."""

from __future__ import annotations

import orjson
from PySide6.QtWidgets import QWidget

from annotator.services.exporting import ExportFilter
from annotator.ui.background import run_with_progress
from annotator.ui.exchange_dialogs import ExportDialog


def test_export_preview_shows_the_first_records(qtbot, workspace) -> None:
    workspace.ensure_sample()
    sam = workspace.annotators.sign_in("sam")  # the first to sign in supervises the database
    me = workspace.annotators.sign_in("alice")
    doc = workspace.documents.list_for(me.id)[0].id
    workspace.annotations.add(doc, me.id, workspace.labels.by_name("framing").id, 0, 5)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = ExportDialog(parent, workspace, me)
    preview = dialog.preview.toPlainText()
    assert '"text": "Putin"' in preview and '"label": "framing"' in preview
    assert "… (2,865 characters)" in preview  # long texts are cut short for reading
    dialog.format.setCurrentText("conll")
    assert "B-framing" in dialog.preview.toPlainText()
    dialog.format.setCurrentText("labelstudio")  # one JSON list, the text under data.text
    assert "… (2,865 characters)" in dialog.preview.toPlainText()
    assert '"labels": [' in dialog.preview.toPlainText() and dialog.error.text() == ""
    # An annotator exports only their own spans; the gold and everyone options are a supervisor's.
    assert [dialog.scope.itemText(i) for i in range(dialog.scope.count())] == ["My spans (alice)"]
    assert sam.role == "supervisor"
    supervisor_dialog = ExportDialog(parent, workspace, sam)
    assert supervisor_dialog.scope.count() == 3
    supervisor_dialog.scope.setCurrentIndex(2)
    assert supervisor_dialog.export_filter() == ExportFilter(gold=True)


def test_long_work_runs_off_the_gui_thread_and_cancel_rolls_back(qtbot, workspace, tmp_path) -> None:
    path = tmp_path / "many.jsonl"
    path.write_bytes(
        b"".join(orjson.dumps({"id": f"d{i}", "text": f"Document {i}."}) + b"\n" for i in range(400))
    )
    outcome: dict[str, object] = {}
    parent = QWidget()
    qtbot.addWidget(parent)

    def job(progress):
        def cancel_half_way(done: int, total: int) -> None:
            if done >= 100:
                worker_cancel()
            progress(done, total)

        return workspace.importer.import_paths([path], progress=cancel_half_way)

    running = run_with_progress(
        parent, "Importing…", job, lambda r: outcome.update(done=r), lambda m: outcome.update(error=m)
    )

    def worker_cancel() -> None:
        running.cancel()  # what the dialog's Cancel button does

    qtbot.waitUntil(lambda: bool(outcome), timeout=10_000)
    result = outcome.get("done")
    assert result is not None and not result.ok
    assert "cancelled; nothing of this file was imported" in result.files[0].error
    assert workspace.documents.count() == 0
