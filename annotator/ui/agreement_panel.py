"""The review overview: alpha per label and an annotator x annotator matrix with coloured cells.

Span labels first (passages as units); document labels in a section of their own below (documents
as units: alpha, Fleiss' kappa, and Cohen's kappa per pair in the matrix), the same figures as
``annotator agreement`` (domain/agreement_documents.py)."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.desk.status_text import plural

METRICS = {"F1 overlap": "f1_overlap", "F1 exact": "f1_exact", "Cohen's kappa": "kappa"}
DOCUMENT = "document"  # the matrix's label choice is ("document", name) for a document label


def heat(value: float | None) -> QColor:
    """Red (poor) through yellow to green (good); grey for undefined."""
    if value is None:
        return QColor("#e0e0e0")
    v = max(0.0, min(1.0, value))
    hue = int(120 * v)  # 0 red .. 120 green
    return QColor.fromHsv(hue, 110, 245)


def fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _item(text: str, tip: str = "", color: QColor | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    if tip:
        item.setToolTip(tip)
    if color is not None:
        item.setBackground(color)
        item.setForeground(QColor("#000000"))
    return item


class AgreementPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: dict[str, Any] = {}
        self.summary = QLabel()
        self.alpha_table = QTableWidget(0, 3)
        self.alpha_table.setHorizontalHeaderLabels(["Label", "Krippendorff's alpha", "Units"])
        self.alpha_table.verticalHeader().hide()
        self.alpha_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.document_heading = QLabel("<b>Document labels</b> (documents as units)")
        self.document_table = QTableWidget(0, 4)
        self.document_table.setHorizontalHeaderLabels(
            ["Document label", "Krippendorff's alpha", "Fleiss' kappa", "Documents"]
        )
        self.document_table.verticalHeader().hide()
        self.document_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.metric = QComboBox()
        self.metric.addItems(list(METRICS))
        self.label_choice = QComboBox()
        self.matrix = QTableWidget(0, 0)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        choices = QHBoxLayout()
        choices.addWidget(QLabel("Pairs by"))
        choices.addWidget(self.metric)
        choices.addWidget(QLabel("for"))
        choices.addWidget(self.label_choice, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.alpha_table, 1)
        layout.addWidget(self.document_heading)
        layout.addWidget(self.document_table, 1)
        layout.addLayout(choices)
        layout.addWidget(self.matrix, 1)
        self.metric.currentIndexChanged.connect(self._fill_matrix)
        self.label_choice.currentIndexChanged.connect(self._fill_matrix)

    def show_result(self, result: dict[str, Any]) -> None:
        self.result = result
        overall = result.get("overall_alpha")
        self.summary.setText(
            f"<b>{plural(result['documents'], 'finished document')}</b> · annotators: {', '.join(result['annotators']) or 'none'}"
            f" · overall alpha <b>{fmt(overall)}</b>"
        )
        rows = result["alpha"]
        self.alpha_table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.alpha_table.setItem(r, 0, _item(row["label"]))
            self.alpha_table.setItem(
                r, 1, _item(fmt(row["alpha"]), row.get("reason", ""), heat(row["alpha"]))
            )
            self.alpha_table.setItem(r, 2, _item(f"{row['units']:,}"))
        documents = result.get("document_labels") or {"labels": [], "alpha": [], "fleiss": []}
        self._fill_documents(documents)
        chosen = self.label_choice.currentData()
        self.label_choice.blockSignals(True)
        self.label_choice.clear()
        self.label_choice.addItem("mean over span labels", None)
        for label in result["labels"]:
            self.label_choice.addItem(label, label)
        for label in documents["labels"]:
            self.label_choice.addItem(f"document label: {label}", (DOCUMENT, label))
        kept = self.label_choice.findData(chosen)
        self.label_choice.setCurrentIndex(max(0, kept))
        self.label_choice.blockSignals(False)
        self._fill_matrix()

    def _fill_documents(self, documents: dict[str, Any]) -> None:
        rows = list(zip(documents["alpha"], documents["fleiss"], strict=True))
        self.document_heading.setVisible(bool(rows))
        self.document_table.setVisible(bool(rows))
        self.document_table.setRowCount(len(rows))
        for r, (alpha, fleiss) in enumerate(rows):
            self.document_table.setItem(r, 0, _item(alpha["label"], "a document label"))
            self.document_table.setItem(
                r, 1, _item(fmt(alpha["alpha"]), alpha.get("reason", ""), heat(alpha["alpha"]))
            )
            self.document_table.setItem(
                r, 2, _item(fmt(fleiss["kappa"]), fleiss.get("reason", ""), heat(fleiss["kappa"]))
            )
            self.document_table.setItem(
                r, 3, _item(f"{alpha['documents']:,}", f"{fleiss['documents']:,} finished by everyone")
            )

    def cell_value(self, a: str, b: str) -> tuple[float | None, str]:
        key = METRICS[self.metric.currentText()]
        label = self.label_choice.currentData()
        pairs = self.result.get("pairs", [])
        if isinstance(label, tuple):  # a document label: Cohen's kappa over the documents both finished
            key, label = "kappa", label[1]
            pairs = (self.result.get("document_labels") or {}).get("pairs", [])
        rows = [p for p in pairs if {p["a"], p["b"]} == {a, b} and (label is None or p["label"] == label)]
        values = [p[key] for p in rows if p[key] is not None]
        if not values:
            reasons = {p.get(f"{key.split('_')[0]}_reason", "") for p in rows} - {""}
            return None, "; ".join(sorted(reasons)) or "undefined"
        docs = max(p["documents"] for p in rows)
        return sum(values) / len(
            values
        ), f"{plural(len(values), 'label')} defined, {plural(docs, 'shared document')}"

    def _fill_matrix(self) -> None:
        document_label = isinstance(self.label_choice.currentData(), tuple)
        self.metric.setEnabled(not document_label)
        self.metric.setToolTip(
            "A document label's pairs are compared by Cohen's kappa" if document_label else ""
        )
        names = list(self.result.get("annotators", []))
        self.matrix.setRowCount(len(names))
        self.matrix.setColumnCount(len(names))
        self.matrix.setHorizontalHeaderLabels(names)
        self.matrix.setVerticalHeaderLabels(names)
        for i, j in combinations(range(len(names)), 2):
            value, tip = self.cell_value(names[i], names[j])
            for r, c in ((i, j), (j, i)):
                self.matrix.setItem(r, c, _item(fmt(value), tip, heat(value)))
        for i in range(len(names)):
            self.matrix.setItem(i, i, _item("", "", QColor("#f5f5f5")))
