"""The Suggestions menu and toolbar of the desk, made for a SuggestionController."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QSlider, QToolBar

from annotator.ui.actions import make_action

if TYPE_CHECKING:
    from annotator.ui.suggestions.controller import SuggestionController


def build_menu(self: SuggestionController) -> None:
    """The Suggestions menu, before Help; its keys join the window's (F1 lists them)."""
    w = self.window
    bar = w.menuBar()
    help_action = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
    self.menu = QMenu("&Suggestions", w)
    if help_action is not None:
        bar.insertMenu(help_action, self.menu)
    else:
        bar.addMenu(self.menu)
    a, m = make_action, self.menu
    self.actions: list[QAction] = [
        a(w, m, "&Next suggestion", lambda: self.step(True), "F8"),
        a(w, m, "&Previous suggestion", lambda: self.step(False), "Shift+F8"),
        a(w, m, "&Accept suggestion", self.accept_selected, ["Ctrl+Return", "Ctrl+Enter"]),
        a(w, m, "&Reject suggestion", self.reject_selected, "Ctrl+Backspace"),
        a(
            w,
            m,
            "Accept a&ll above threshold",
            self.accept_all,
            ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"],
        ),
    ]
    m.addSeparator()
    self.show_action = a(w, m, "&Show suggestions", self._toggle_shown, checkable=True, checked=self.enabled)
    supervisor = self.desk.annotator.role == "supervisor"
    policy = self.service.policy() if supervisor else None
    self.others_action = a(
        w,
        m,
        "Show suggestions built from &other annotators' spans (everyone)",
        self._policy_changed,
        checkable=True,
        checked=bool(policy and policy.show_others),
    )
    self.gold_action = a(
        w,
        m,
        "Let recommenders learn from the &gold layer (everyone)",
        self._policy_changed,
        checkable=True,
        checked=bool(policy and policy.train_on_gold),
    )
    for action in (self.others_action, self.gold_action):
        action.setEnabled(supervisor)
    w.all_actions += self.actions


def build_toolbar(self: SuggestionController) -> None:
    """The threshold slider (0-1 in steps of 0.01) and how many suggestions are shown."""
    self.toolbar = QToolBar("Suggestions", self.window)
    self.toolbar.setObjectName("suggestionsToolbar")
    self.slider = QSlider(Qt.Orientation.Horizontal)
    self.slider.setRange(0, 100)
    self.slider.setFixedWidth(140)
    self.slider.setValue(round(self.threshold * 100))
    self.slider.setToolTip("Show suggestions scored at least this much")
    self.slider_label = QLabel()
    self.count_label = QLabel()
    self.toolbar.addWidget(QLabel(" Suggestions ≥ "))
    self.toolbar.addWidget(self.slider)
    self.toolbar.addWidget(self.slider_label)
    self.toolbar.addWidget(self.count_label)
    self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
    self.slider.valueChanged.connect(self._slider_moved)
    self._show_threshold()
