"""File > Import and File > Export: file choice, a preview of what leaves, progress with cancel."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.services.export_service import ExportSummary, formats
from annotator.services.exporting import ExportFilter
from annotator.services.importing import ImportResult
from annotator.services.models import AnnotatorInfo
from annotator.services.workspace import Workspace
from annotator.ui.background import Job, run_with_progress
from annotator.ui.messages import inform, safe_lines, warn


def plural(count: int, noun: str) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


IMPORT_FILTER = "Documents (*.txt *.md *.csv *.jsonl *.json);;All files (*)"
SUFFIX = {
    "jsonl": ".jsonl",
    "doccano": ".jsonl",
    "prodigy": ".jsonl",
    "conll": ".conll",
    "labelstudio": ".json",
}


def import_files(parent: QWidget, workspace: Workspace, after: Callable[[], None]) -> None:
    paths, _ = QFileDialog.getOpenFileNames(parent, "Import documents", str(Path.home()), IMPORT_FILTER)
    if not paths:
        return

    def job(progress: Callable[[int, int], None]) -> ImportResult:
        return workspace.importer.import_paths(paths, progress=progress)

    def done(result: ImportResult) -> None:
        after()
        lines = safe_lines([f.summary() for f in result.files])
        if result.ok:
            inform(parent, "Import finished", lines)
        else:
            warn(parent, "Some files were not imported", lines)

    def failed(message: str) -> None:
        after()
        warn(parent, "Import stopped", safe_lines([message]))

    run_with_progress(parent, "Importing…", job, done, failed)


JSON_FORMATS = {"jsonl", "doccano", "prodigy", "labelstudio"}
PREVIEW_TEXT = 160
PREVIEW_ITEMS = 6


def readable_jsonl(lines: str) -> str:
    """JSONL records indented, with long texts and token lists cut short, for reading in the dialog
    (the file itself holds one compact record per line)."""
    out = []
    for line in lines.splitlines():
        if not line.strip():
            continue
        record = json.loads(line.strip().strip("[],"))  # a Label Studio file is one JSON list
        for holder in (record, record.get("data")):  # Label Studio keeps the text in data.text
            text = holder.get("text") if isinstance(holder, dict) else None
            if isinstance(text, str) and len(text) > PREVIEW_TEXT:
                holder["text"] = f"{text[:PREVIEW_TEXT]}… ({len(text):,} characters)"
        for key in ("tokens", "spans", "label"):
            items = record.get(key)
            if isinstance(items, list) and len(items) > PREVIEW_ITEMS:
                record[key] = [*items[:PREVIEW_ITEMS], f"… {len(items) - PREVIEW_ITEMS} more"]
        out.append(json.dumps(record, ensure_ascii=False, indent=2))
    return "\n\n".join(out)


class ExportDialog(QDialog):
    """Choose a format and filters, see the first records, then write the file."""

    def __init__(self, parent: QWidget, workspace: Workspace, annotator: AnnotatorInfo) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export training data")
        self.workspace = workspace
        self.annotator = annotator
        self.format = QComboBox()
        self.format.addItems(formats())
        self.scope = QComboBox()
        # Blind annotation: an annotator exports only their own spans; a supervisor chooses.
        self.scope.addItem(f"My spans ({annotator.name})", [annotator.name])
        if annotator.role == "supervisor":
            self.scope.addItem("Every annotator", [])
            self.scope.addItem("Gold layer (adjudicated)", None)
        self.done_only = QCheckBox("Only documents marked done")
        self.preview = QPlainTextEdit(readOnly=True)
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.preview.setMinimumSize(640, 220)
        self.error = QLabel("")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # messages quote files: never markup
        self.error.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow("Format:", self.format)
        form.addRow("Spans of:", self.scope)
        form.addRow("", self.done_only)
        self.running: Job | None = None
        self.target = ""
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Preview of the first records:"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for signal in (
            self.format.currentIndexChanged,
            self.scope.currentIndexChanged,
            self.done_only.toggled,
        ):
            signal.connect(self.refresh_preview)
        self.refresh_preview()

    def export_filter(self) -> ExportFilter:
        names = self.scope.currentData()
        return ExportFilter(
            annotators=list(names or []), gold=names is None, done_only=self.done_only.isChecked()
        )

    def refresh_preview(self) -> None:
        try:
            text = self.workspace.exporter.preview(self.format.currentText(), self.export_filter())
            self.error.setText("")
        except AnnotatorError as exc:
            text = ""
            self.error.setText(str(exc))
        if self.format.currentText() in JSON_FORMATS:
            text = readable_jsonl(text)
        self.preview.setPlainText(text[:20000] or "(nothing to export with these choices)")

    def save(self) -> None:
        fmt = self.format.currentText()
        if fmt == "brat":
            target = QFileDialog.getExistingDirectory(self, "Export brat files into folder")
        else:
            target, _ = QFileDialog.getSaveFileName(
                self, "Save training data as", str(Path.home() / f"annotations{SUFFIX.get(fmt, '')}")
            )
        if not target:
            return
        flt = self.export_filter()

        def job(progress: Callable[[int, int], None]) -> ExportSummary:
            return self.workspace.exporter.export(fmt, flt, path=Path(target), progress=progress)

        self.running = run_with_progress(self, "Exporting…", job, self._exported, self._export_failed)
        self.buttons.setEnabled(False)
        self.target = target

    def _exported(self, summary: ExportSummary) -> None:
        self.running = None
        self.buttons.setEnabled(True)
        shown = summary.warnings[:20]
        more = len(summary.warnings) - len(shown)
        note = safe_lines(shown) + (f"\n… and {more} more warnings" if more > 0 else "")
        inform(
            self,
            "Export finished",
            f"Wrote {plural(summary.documents, 'document')} and {plural(summary.spans, 'span')} "
            f"to {self.target}.\n{note}".rstrip(),
        )
        self.accept()

    def _export_failed(self, message: str) -> None:
        self.running = None
        self.buttons.setEnabled(True)
        self.error.setText(message)

    def reject(self) -> None:
        """Closing the dialog while it exports cancels the export (the file is left as it was)."""
        if self.running is not None:
            self.running.cancel()
            return
        super().reject()
