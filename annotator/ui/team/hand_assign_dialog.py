"""Assign selected documents… (supervisors): the documents chosen in the list, to people picked
by hand, or out of their queues.

Each person has a tick that says what they have now: ticked, every selected document is in their
queue; half-ticked, some are; clear, none. Tick to give them all the selected documents (added at
the end of their queue; those already there keep their place); clear to take them out of their
queue. Taking a document out never deletes work: spans and statuses stay and still count in
review and agreement. A half tick left as it is changes nothing.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.services.models import AnnotatorInfo
from annotator.services.team.assignments import AssignmentService, Holding
from annotator.ui.desk.status_text import short_title

EXPLAINED = (
    "Tick a person to put the selected documents at the end of their queue (documents already in it "
    "keep their place). Clear a tick to take the documents out of their queue: their spans and "
    "statuses are kept and still count in review and agreement. A half tick (some of the documents) "
    "left as it is changes nothing."
)
CHECKED, PARTIAL, UNCHECKED = (
    Qt.CheckState.Checked,
    Qt.CheckState.PartiallyChecked,
    Qt.CheckState.Unchecked,
)


class HandAssignDialog(QDialog):
    def __init__(
        self,
        service: AssignmentService,
        me: AnnotatorInfo,
        documents: list[int],
        titles: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign documents")
        self.setObjectName("handAssignDialog")
        self.service = service
        self.me = me
        self.documents = list(dict.fromkeys(documents))
        self.result_rows: tuple[int, int] | None = None  # (added, removed) once applied
        self.holdings: list[Holding] = service.holdings(self.documents, by=me.name)
        count = len(self.documents)
        shown = ", ".join(f"“{escape(short_title(t, 40))}”" for t in titles[:3])
        shown += f" and {count - 3:,} more" if count > 3 else ""
        heading = QLabel(f"<b>{count:,} document{'s' if count != 1 else ''} selected</b>: {shown}")
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.RichText)
        explained = QLabel(EXPLAINED)
        explained.setWordWrap(True)
        self.people = QTreeWidget()
        self.people.setObjectName("handAssignPeople")
        self.people.setRootIsDecorated(False)
        self.people.setHeaderLabels(["Person", "In their queue", "Worked on"])
        self.people.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.people.header().setStretchLastSection(False)
        for holding in self.holdings:
            self.people.addTopLevelItem(self._item(holding, count))
        for column in (1, 2):
            self.people.resizeColumnToContents(column)
        self.change = QLabel()
        self.change.setObjectName("handAssignChange")
        self.change.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("handAssignError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.addButton("&Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.people, 1)
        layout.addWidget(explained)
        layout.addWidget(self.change)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        self.people.itemChanged.connect(lambda *_: self._describe())
        self._describe()
        self.resize(560, 460)

    @staticmethod
    def _item(holding: Holding, count: int) -> QTreeWidgetItem:
        role = "" if holding.role == "annotator" else f" ({holding.role})"
        item = QTreeWidgetItem(
            [holding.name + role, f"{holding.assigned:,} of {count:,}", f"{holding.worked:,}"]
        )
        flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
        if 0 < holding.assigned < count:
            flags |= Qt.ItemFlag.ItemIsUserTristate  # back to "as it is" on the third click
        item.setFlags(flags)
        item.setCheckState(
            0, CHECKED if holding.assigned >= count else PARTIAL if holding.assigned else UNCHECKED
        )
        item.setData(0, Qt.ItemDataRole.UserRole, holding.name)
        item.setToolTip(
            2, "Documents of the selection this person has spans on or a status for: kept whatever you choose"
        )
        return item

    def choice(self) -> tuple[list[str], list[str]]:
        """(people to give the documents to, people to take them from), as the ticks now say."""
        add, remove = [], []
        count = len(self.documents)
        for row, holding in enumerate(self.holdings):
            state = self.people.topLevelItem(row).checkState(0)
            if state == CHECKED and holding.assigned < count:
                add.append(holding.name)
            elif state == UNCHECKED and holding.assigned > 0:
                remove.append(holding.name)
        return add, remove

    def _describe(self) -> None:
        add, remove = self.choice()
        count = len(self.documents)
        by_name = {h.name: h for h in self.holdings}
        parts = [f"{n} gets {count - by_name[n].assigned:,}" for n in add]
        for name in remove:
            h = by_name[name]
            kept = f" (their work on {h.worked:,} of them stays)" if h.worked else ""
            parts.append(f"{name} loses {h.assigned:,} from the queue{kept}")
        self.change.setText("On Apply: " + "; ".join(parts) + "." if parts else "Nothing to change yet.")
        self.apply_button.setEnabled(bool(parts))

    def apply(self) -> None:
        add, remove = self.choice()
        try:
            self.result_rows = self.service.change_by_hand(
                by=self.me.name, documents=self.documents, add=add, remove=remove
            )
        except AnnotatorError as exc:  # refused (no longer a supervisor, documents gone): nothing changed
            self.error.setText(str(exc))
            return
        self.accept()
