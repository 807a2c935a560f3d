"""The File and Help menu's commands of the desk window: dialogs that act on the database."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from annotator import package_version
from annotator.ui.team.desk_hooks import apply_role

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


class FileCommands:
    """Mixed into MainWindow; each method opens a dialog and reports what happened."""

    def import_files(self: MainWindow) -> None:
        from annotator.ui.exchange_dialogs import import_files

        import_files(self, self.workspace, self._after_import)

    def _after_import(self: MainWindow) -> None:
        self.reload_documents()
        if self.desk.document is None:
            first = self._start_document()
            if first is not None:
                self.open_document(first)

    def export_data(self: MainWindow) -> None:
        from annotator.ui.exchange_dialogs import ExportDialog

        dialog = ExportDialog(self, self.workspace, self.desk.annotator)
        dialog.exec()
        dialog.deleteLater()  # owned by the window: without this every export would leave one behind

    def edit_labels(self: MainWindow) -> None:
        from annotator.ui.label_editor import LabelEditor

        LabelEditor(self.workspace.labels, self, author=self.desk.annotator.name).exec()
        self.reload_labels()

    def open_team(self: MainWindow) -> None:
        """File > Team… (supervisors): grant or revoke roles; one's own new role applies at once."""
        from annotator.ui.team.team_dialog import TeamDialog

        TeamDialog(self.workspace.annotators, self.desk.annotator, self).exec()
        me = self.workspace.annotators.find(self.desk.annotator.name)
        if me is not None and me.role != self.desk.annotator.role:
            self.desk.annotator = me
            self.review_action.setEnabled(me.role == "supervisor")
            self.team_action.setEnabled(me.role == "supervisor")
            self.team_view_action.setEnabled(me.role == "supervisor")
            apply_role(self)
            self.reload_documents()

    def connect_database(self: MainWindow) -> None:
        from annotator.ui.connect_dialog import ConnectDialog

        dialog = ConnectDialog(self.settings.get("recent_databases", []), self.workspace.location, self)
        if dialog.exec():
            self.connectRequested.emit(dialog.chosen())

    def backup_database(self: MainWindow) -> None:
        if not self.workspace.is_sqlite:
            self.show_refusal("A PostgreSQL database is backed up on the server (pg_dump).")
            return
        source = Path(self.workspace.location)
        suggestion = source.with_name(f"{source.stem}-backup{source.suffix}")
        target, _ = QFileDialog.getSaveFileName(self, "Back up the database to", str(suggestion))
        if not target:
            return
        try:
            self.workspace.backup(Path(target))
        except Exception as exc:  # AnnotatorError: shown, the database untouched
            QMessageBox.warning(self, "Backup failed", str(exc))
            return
        self.show_message(f"Backed up to {target}")

    def open_review(self: MainWindow) -> None:
        if self.desk.annotator.role != "supervisor":
            self.show_refusal("Only a supervisor reviews others' work; annotators work blind.")
            return
        from annotator.ui.review_window import ReviewWindow

        self.review_window = ReviewWindow(
            self.workspace,
            self.desk.annotator,
            self,
            snap_words=self.desk.snap_words,
            trim_whitespace=self.desk.trim_whitespace,
        )
        self.review_window.show()

    def switch_annotator(self: MainWindow) -> None:
        from annotator.ui.annotator_dialog import AnnotatorDialog

        annotators = self.workspace.annotators
        dialog = AnnotatorDialog(
            annotators.list(), self.desk.annotator.name, self, newcomer_role=annotators.newcomer_role()
        )
        if not dialog.exec():
            return
        try:
            annotator = self.workspace.annotators.sign_in(dialog.chosen_name())
        except Exception as exc:  # AnnotatorError: shown, nothing changed
            QMessageBox.warning(self, "Annotator", str(exc))
            return
        self.settings.remember_annotator(self.workspace.location, annotator.name)
        self.desk.annotator = annotator
        self.review_action.setEnabled(annotator.role == "supervisor")
        self.team_action.setEnabled(annotator.role == "supervisor")
        self.team_view_action.setEnabled(annotator.role == "supervisor")
        apply_role(self)
        self.reload_documents()
        if self.desk.document is not None:
            self.open_document(self.desk.document.id)

    def show_about(self: MainWindow) -> None:
        QMessageBox.about(
            self,
            "About Annotator",
            f"<b>Annotator {package_version()}</b><p>Highlight spans, tag them, export training data.</p>"
            f"<p>Database: {self.workspace.location}</p>",
        )
