"""The desk's suggestions: the Suggestions menu and toolbar, the keys, the overlay, the status bar.

Keys: F8 / Shift+F8 next / previous suggestion (selects it and scrolls it into view); Ctrl+Return
accepts it (the annotator's span, made and undone like any span); Ctrl+Backspace rejects it
(remembered: that phrase with that label is not suggested again); a label key while a suggestion
is selected accepts it under that label; Ctrl+Shift+Return accepts every suggestion above the
threshold in this document as one undo step. The threshold slider is remembered in the settings.
"""

from __future__ import annotations

import importlib.util
from bisect import bisect_left
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication

from annotator.domain.errors import AnnotatorError
from annotator.domain.suggestions.model import Recommender
from annotator.services.models import SpanInfo
from annotator.services.suggestions.compute_process import ProcessComputer
from annotator.services.suggestions.service import SuggestionInfo
from annotator.ui.desk.status_text import quoted
from annotator.ui.suggestions.background import QUEUED, BackgroundSuggestions, stop_all
from annotator.ui.suggestions.menu import build_menu, build_toolbar
from annotator.ui.suggestions.models import ModelControl
from annotator.ui.suggestions.overlay import SuggestionOverlay

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel, QMenu, QSlider, QToolBar

    from annotator.services.suggestions.compute import SuggestionComputer
    from annotator.services.workspace import Workspace
    from annotator.ui.main_window import MainWindow

THRESHOLD_KEY = "suggestion_threshold"
DEFAULT_THRESHOLD = 0.5
AHEAD = 3  # documents after the current one whose suggestions are computed in advance
AHEAD_DELAY_MS = 400  # after opening a document, before computing ahead


def phrase_computer(workspace: Workspace) -> ProcessComputer | None:
    """The built-in phrase recommender (learns the phrases this annotator accepted), run in a
    child process (services/suggestions/compute_process.py says why)."""
    if importlib.util.find_spec("ahocorasick") is None:  # an odd install: stored suggestions only
        return None
    return ProcessComputer(workspace.db.child_target, "phrase")


# Tests set it to run the background path in this process with a recommender of their own.
RECOMMENDER_FACTORY: Callable[[], Recommender | None] | None = None


class SuggestionController(QObject):
    # Made by menu.build_menu and menu.build_toolbar:
    menu: QMenu
    actions: list[QAction]
    show_action: QAction
    others_action: QAction
    gold_action: QAction
    toolbar: QToolBar
    slider: QSlider
    slider_label: QLabel
    count_label: QLabel

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.desk = window.desk
        self.view = window.view
        self.service = window.workspace.suggestions
        self.overlay = SuggestionOverlay(self.view)
        self.all: list[SuggestionInfo] = []  # visible to this annotator, any score
        self.shown: list[SuggestionInfo] = []  # above the threshold, not yet spans; by start
        self._starts: list[int] = []  # shown's starts, for bisect
        self.selected: SuggestionInfo | None = None
        self.enabled = bool(window.settings.get("show_suggestions", True))
        self.threshold = float(window.settings.get(THRESHOLD_KEY, DEFAULT_THRESHOLD))
        self._floor = self.threshold  # the lowest score read from the database for this document
        self.background: BackgroundSuggestions | None = None
        ws = window.workspace
        computer: SuggestionComputer | ProcessComputer | None = None
        if RECOMMENDER_FACTORY is None:
            computer = phrase_computer(ws)
        elif (recommender := RECOMMENDER_FACTORY()) is not None:
            from annotator.services.suggestions.compute import SuggestionComputer  # (ORM: not at start)

            computer = SuggestionComputer(ws.db, ws.documents, self.service, recommender)
        if computer is not None:
            self.background = BackgroundSuggestions(computer)
            self.background.worker.computed.connect(self._computed, QUEUED)
            self.background.worker.failed.connect(self._failed, QUEUED)
            self.destroyed.connect(self.background.stop)
        # Computing ahead starts once the person stays on a document, not during the open (or the
        # next ones opened in quick succession), which it would compete with for the two cores.
        self._ahead_timer = QTimer(self)
        self._ahead_timer.setSingleShot(True)
        self._ahead_timer.setInterval(AHEAD_DELAY_MS)
        self._ahead_timer.timeout.connect(self._ahead_due)
        build_menu(self)
        build_toolbar(self)
        self.models = ModelControl(self)  # the classifier and an external model (their menu entries)
        self.desk.label_hook = self._label_key
        self.desk.documentOpened.connect(self._document_opened)
        self.desk.spanAdded.connect(self._span_added)
        self.desk.spanRemoved.connect(lambda _span: self._refilter())
        self.view.selectedSpanChanged.connect(self._span_selected)
        self.view.selectionChangedRange.connect(self._text_selected)
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(stop_all)

    # ----- building ---------------------------------------------------------------------

    # ----- loading ----------------------------------------------------------------------

    def _document_opened(self, document_id: int) -> None:
        self.selected = None
        self.overlay.select(None)
        self.reload()
        if self.shown:
            self.window.show_message(f"{len(self.shown)} suggestions above {self.threshold:.2f}")
        self._ahead_timer.start()  # restarted by every open: paging through documents asks once

    def reload(self) -> None:
        """Read this document's suggestions at or above the threshold from the database (no model
        runs here; those below it are read when the slider goes lower)."""
        doc = self.desk.document
        self._floor = self.threshold
        if doc is None or not self.enabled:
            self.all = []
        else:
            try:
                self.all = self.service.visible(
                    doc.id, self.desk.annotator.id, doc.text, threshold=self._floor
                )
            except AnnotatorError as exc:
                self.all = []
                self.window.show_refusal(f"Suggestions could not be read: {exc}")
        self._refilter()

    def _refilter(self) -> None:
        # (200,000 spans on a 20 MB document: no set of them when there is nothing to filter)
        have = {(s.label_id, s.start, s.end) for s in self.desk.spans.values()} if self.all else set()
        self.shown = [
            s
            for s in self.all
            if s.score >= self.threshold
            and (s.label_id, s.start, s.end) not in have
            and s.label_id in self.desk.labels
        ]
        self._starts = [s.start for s in self.shown]
        if self.selected is not None and self._find(self.selected) is None:
            self.selected = None
        colors = {i: (label.color, label.name) for i, label in self.desk.labels.items()}
        self.overlay.show(self.shown, colors)
        self.overlay.select(self.selected.id if self.selected else None)
        self.count_label.setText(f"  {len(self.shown)} shown")

    def _find(self, target: SuggestionInfo) -> int | None:
        i = bisect_left(self._starts, target.start)
        while i < len(self.shown) and self._starts[i] == target.start:
            if self.shown[i].id == target.id:
                return i
            i += 1
        return None

    def _span_added(self, span: SpanInfo) -> None:
        """A span now covers what a suggestion proposed (accepted, or made by hand): hide it."""
        i = bisect_left(self._starts, span.start)
        while i < len(self.shown) and self._starts[i] == span.start:
            s = self.shown[i]
            if (s.label_id, s.end) == (span.label_id, span.end):
                del self.shown[i], self._starts[i]
                self.overlay.remove(s.id)
                if self.selected is not None and self.selected.id == s.id:
                    self.selected = None
            else:
                i += 1
        self.count_label.setText(f"  {len(self.shown)} shown")

    def computing(self) -> bool:
        """Whether suggestions are about to be or being computed in the background."""
        return self._ahead_timer.isActive() or (self.background is not None and self.background.busy())

    def _ahead_due(self) -> None:
        if self.desk.document is not None:
            self._compute_ahead(self.desk.document.id)

    def _compute_ahead(self, document_id: int) -> None:
        if not self.enabled:
            return
        # The next documents in the list's order: one row lookup and at most one more page
        # (the list is paged: reading all of it would read 100,000 rows).
        ahead = (self.window.documents.neighbour(document_id, step) for step in range(1, AHEAD + 1))
        wanted = list(dict.fromkeys([document_id, *(i for i in ahead if i is not None)]))
        labels = [x.name for x in self.desk.active_labels()]
        if self.background is not None:
            self.background.request(self.desk.annotator.id, wanted, labels)
        self.models.request(self.desk.annotator.id, wanted, labels)

    @Slot(object)
    def _computed(self, document_ids: object) -> None:
        doc = self.desk.document
        if doc is not None and doc.id in list(document_ids):  # type: ignore[call-overload]
            kept = self.selected
            self.reload()
            if kept is not None:
                same = next(
                    (
                        s
                        for s in self.shown
                        if (s.label_id, s.start, s.end) == (kept.label_id, kept.start, kept.end)
                    ),
                    None,
                )
                self._select(same, scroll=False)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.window.show_refusal(message)

    # ----- the keys ---------------------------------------------------------------------

    def step(self, forward: bool) -> None:
        if not self.shown:
            self.window.show_message(f"No suggestions above {self.threshold:.2f} in this document.")
            return
        at = self._find(self.selected) if self.selected is not None else None
        if at is not None:
            target = self.shown[(at + (1 if forward else -1)) % len(self.shown)]
        else:
            caret = self.view.mapping.to_cp_start(self.view.textCursor().position())
            after = [s for s in self.shown if s.start >= caret]
            before = [s for s in self.shown if s.start < caret]
            if forward:
                target = after[0] if after else self.shown[0]
            else:
                target = before[-1] if before else self.shown[-1]
        self._select(target)
        label = self.desk.labels[target.label_id].name
        phrase = quoted(self.desk.document.text[target.start : target.end]) if self.desk.document else ""
        n = (self._find(target) or 0) + 1
        self.window.show_message(
            f"Suggestion {n} of {len(self.shown)}: {phrase} as {label} ({target.score:.2f}, {target.source})"
            " · Ctrl+Return accepts, Ctrl+Backspace rejects"
        )

    def _select(self, suggestion: SuggestionInfo | None, *, scroll: bool = True) -> None:
        self.selected = suggestion
        if suggestion is not None:
            self.view.select_span(None)
            self.view.place_caret(suggestion.start)  # (no selection: the suggestion stays selected)
            if scroll and not self.view.viewport().rect().contains(self.view.cursorRect()):
                self.view.centerCursor()
        self.overlay.select(suggestion.id if suggestion else None)

    def accept_selected(self, label_id: int | None = None) -> None:
        target = self.selected
        if target is None:
            self.window.show_refusal("Select a suggestion first (F8 goes to the next one).")
            return
        following = self._after(target)
        label = label_id if label_id is not None else target.label_id
        span = self.desk.accept(label, target.start, target.end)
        if span is None:
            return  # the desk said why
        if label != target.label_id:  # relabelled: the suggestion itself is still there; drop it
            at = self._find(target)
            if at is not None:
                del self.shown[at], self._starts[at]
                self.overlay.remove(target.id)
        self._advance(following)
        self.window.show_message(f"Accepted {self._phrase(target)} as {self.desk.labels[label].name}")

    def reject_selected(self) -> None:
        target, doc = self.selected, self.desk.document
        if target is None or doc is None:
            self.window.show_refusal("Select a suggestion first (F8 goes to the next one).")
            return
        following = self._after(target)
        try:
            self.service.reject(target, self.desk.annotator.id, doc.text)
        except AnnotatorError as exc:
            self.window.show_refusal(str(exc))
            return
        self.reload()  # the phrase may have been suggested elsewhere in this document too
        self._advance(following if following is None else self._same(following))
        self.window.show_message(
            f"Rejected {self._phrase(target)} as {self.desk.labels[target.label_id].name}: not suggested again"
        )

    def accept_all(self) -> None:
        targets = list(self.shown)
        if not targets or self.desk.document is None:
            self.window.show_message(f"No suggestions above {self.threshold:.2f} in this document.")
            return
        stack = self.desk.undo_group.activeStack()
        if stack is not None:
            stack.beginMacro(f"accept {len(targets)} suggestions")
        made = 0
        try:
            for s in targets:
                if self.desk.accept(s.label_id, s.start, s.end) is not None:
                    made += 1
        finally:
            if stack is not None:
                stack.endMacro()
        self._refilter()
        self._select(None)
        self.window.show_message(
            f"Accepted {made} suggestions above {self.threshold:.2f} (Ctrl+Z undoes them all)"
        )

    def _label_key(self, label_id: int) -> bool:
        """A label key while a suggestion is selected (and no text): accept it under that label."""
        if self.selected is None or self.view.selected_range() is not None:
            return False
        self.accept_selected(label_id)
        return True

    # ----- selection, threshold, settings -------------------------------------------------

    def _after(self, target: SuggestionInfo) -> SuggestionInfo | None:
        i = self._find(target)
        if i is None or len(self.shown) < 2:
            return None
        return self.shown[(i + 1) % len(self.shown)]

    def _same(self, target: SuggestionInfo) -> SuggestionInfo | None:
        i = self._find(target)
        return self.shown[i] if i is not None else None

    def _advance(self, following: SuggestionInfo | None) -> None:
        """After accepting or rejecting, the next suggestion is selected if it is on screen (so a
        second Ctrl+Return never acts on one the person cannot see); else none."""
        if following is not None and self._find(following) is not None and self.overlay.rects(following.id):
            self.selected = following
            self.overlay.select(following.id)
        else:
            self._select(None)

    def _phrase(self, s: SuggestionInfo) -> str:
        doc = self.desk.document
        return quoted(doc.text[s.start : s.end]) if doc else "the suggestion"

    def _span_selected(self, span_id: int) -> None:
        if span_id != -1 and self.selected is not None:
            self._select(None)

    def _text_selected(self) -> None:
        if self.selected is not None and self.view.selected_range() is not None:
            self._select(None)

    def _slider_moved(self, value: int) -> None:
        self.threshold = value / 100
        self.window.settings.set(THRESHOLD_KEY, self.threshold)
        if self.threshold < self._floor:
            self.reload()
        else:
            self._refilter()
        self._show_threshold()

    def _show_threshold(self) -> None:
        self.slider_label.setText(f" {self.threshold:.2f}")
        if self.desk.document is not None:
            self.window.show_message(f"{len(self.shown)} suggestions above {self.threshold:.2f}")

    def _toggle_shown(self) -> None:
        self.enabled = self.show_action.isChecked()
        self.window.settings.set("show_suggestions", self.enabled)
        self.reload()
        if self.enabled and self.desk.document is not None:
            self._compute_ahead(self.desk.document.id)

    def _policy_changed(self) -> None:
        try:
            self.service.set_policy(
                show_others=self.others_action.isChecked(),
                train_on_gold=self.gold_action.isChecked(),
                role=self.desk.annotator.role,
            )
        except AnnotatorError as exc:
            self.window.show_refusal(str(exc))
            return
        self.reload()
        self.window.show_message("Suggestion settings saved for everyone on this database")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    def shutdown(self) -> None:
        self._ahead_timer.stop()
        self.models.shutdown()
        if self.background is not None:
            self.background.stop()
            self.background = None
