"""The window's actions: menus and the keyboard map, in one place so the help lists them truly."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

Keys = str | QKeySequence.StandardKey | Sequence[str | QKeySequence.StandardKey]


def make_action(
    owner: QWidget,
    menu: QMenu | None,
    text: str,
    slot: Callable[[], object],
    keys: Keys = (),
    *,
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
    checkable: bool = False,
    checked: bool = False,
    tip: str = "",
) -> QAction:
    action = QAction(text, owner)
    sequences = [keys] if isinstance(keys, str | QKeySequence.StandardKey) else list(keys)
    action.setShortcuts([QKeySequence(k) for k in sequences])
    action.setShortcutContext(context)
    if checkable:
        action.setCheckable(True)
        action.setChecked(checked)
        action.toggled.connect(lambda _on: slot())
    else:
        action.triggered.connect(lambda _=False: slot())
    if tip:
        action.setStatusTip(tip)
    owner.addAction(action)
    if menu is not None:
        menu.addAction(action)
    return action


def shortcut_rows(actions: Sequence[QAction]) -> list[tuple[str, str]]:
    rows = []
    for action in actions:
        keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
        if keys:
            rows.append((action.text().replace("&", "").rstrip("…"), keys))
    return rows
