"""The desk window's menus and keys, built in one place so the help (F1) lists them truly."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from annotator.ui.actions import make_action
from annotator.ui.desk.theme import THEMES
from annotator.ui.team.desk_hooks import assign_selected, next_in_queue, open_team_view

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

VIEW_ONLY = Qt.ShortcutContext.WidgetWithChildrenShortcut


def build_menus(w: MainWindow) -> None:
    bar = w.menuBar()
    file_menu, edit_menu = bar.addMenu("&File"), bar.addMenu("&Edit")
    w.label_menu, view_menu = bar.addMenu("&Label"), bar.addMenu("&View")
    go_menu, doc_menu, help_menu = bar.addMenu("&Go"), bar.addMenu("&Document"), bar.addMenu("&Help")
    a = make_action
    w.all_actions = [
        a(w, file_menu, "&Connect to database…", w.connect_database, "Ctrl+Shift+O"),
        a(w, file_menu, "&Back up database…", w.backup_database, "Ctrl+Shift+B"),
        a(w, file_menu, "&Import documents…", w.import_files, QKeySequence.StandardKey.Open),
        a(w, file_menu, "&Export training data…", w.export_data, "Ctrl+E"),
        a(w, file_menu, "Switch &annotator…", w.switch_annotator, "Ctrl+Shift+A"),
        a(w, file_menu, "&Labels…", w.edit_labels, "Ctrl+L"),
    ]
    # Supervisors only: enabled by role (annotators work blind).
    w.review_action = a(w, file_menu, "&Review and adjudicate…", w.open_review, "Ctrl+R")
    w.team_action = a(w, file_menu, "&Team…", w.open_team)
    w.team_view_action = a(w, file_menu, "Team &view…", lambda: open_team_view(w), "Ctrl+Shift+T")
    w.assign_hand_action = a(w, file_menu, "Assi&gn selected documents…", lambda: assign_selected(w))
    w.all_actions += [
        w.review_action,
        w.team_action,
        w.team_view_action,
        w.assign_hand_action,
        a(w, file_menu, "&Quit", w.close, QKeySequence.StandardKey.Quit),
    ]

    group = w.desk.undo_group
    undo = group.createUndoAction(w, "&Undo")
    undo.setShortcuts([QKeySequence("Ctrl+Z")])
    redo = group.createRedoAction(w, "&Redo")
    redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    # The group undoes first (connected when the action was made), then the status bar says what.
    undo.triggered.connect(lambda: w.show_message(f"Undone: {group.redoText()}" if group.canRedo() else ""))
    redo.triggered.connect(lambda: w.show_message(f"Redone: {group.undoText()}" if group.canUndo() else ""))
    for action in (undo, redo):
        w.addAction(action)
        edit_menu.addAction(action)
    w.all_actions += [undo, redo]
    w.all_actions += [
        a(w.view, edit_menu, "&Delete span", w.desk.delete_selected, ["Del", "Backspace"], context=VIEW_ONLY),
        a(w, edit_menu, "Edit &note…", w.edit_note, ["F2", "Ctrl+M"]),
        a(w, edit_menu, "&Find in document…", w.find_bar.open_bar, QKeySequence.StandardKey.Find),
        a(w.view, edit_menu, "Clear selection", w.clear_selection, "Esc", context=VIEW_ONLY),
        a(w, view_menu, "Zoom &in", w.view.zoom_in, ["Ctrl++", "Ctrl+="]),
        a(w, view_menu, "Zoom &out", w.view.zoom_out, "Ctrl+-"),
        a(w, view_menu, "&Reset zoom", w.view.reset_zoom, "Ctrl+0"),
    ]
    view_menu.addSeparator()
    w.snap_action = a(w, view_menu, "&Snap selections to whole words", w.toggle_snap, checkable=True)
    w.trim_action = a(w, view_menu, "&Trim surrounding whitespace", w.toggle_trim, checkable=True)
    view_menu.addSeparator()
    w.guidelines_action = a(w, view_menu, "&Guidelines", w.toggle_guidelines, "Ctrl+G")
    w.documents_action = a(w, view_menu, "&Document list", w.toggle_documents, "Ctrl+Shift+L")
    w.all_actions += [w.guidelines_action, w.documents_action]
    theme_menu = view_menu.addMenu("T&heme")
    themes = QActionGroup(w)
    w.theme_actions = {}
    for name in THEMES:
        action = QAction(name.capitalize(), w)
        action.setCheckable(True)
        action.triggered.connect(lambda _=False, n=name: w.set_theme(n))
        themes.addAction(action)
        theme_menu.addAction(action)
        w.theme_actions[name] = action
    w.all_actions += [
        a(w, go_menu, "&Next document", lambda: w.step_document(1), ["Ctrl+PgDown", "Alt+Down"]),
        a(w, go_menu, "&Previous document", lambda: w.step_document(-1), ["Ctrl+PgUp", "Alt+Up"]),
        a(w, go_menu, "Next &unfinished document", w.next_unfinished, ["Ctrl+U"]),
        a(w, go_menu, "Next in my &queue", lambda: next_in_queue(w), ["Ctrl+Shift+U"]),
        a(w, go_menu, "Searc&h documents", w.documents.focus_search, "Ctrl+Shift+F"),
        a(w.view, go_menu, "Next &span", lambda: w.desk.step_span(True), "]", context=VIEW_ONLY),
        a(w.view, go_menu, "Previous s&pan", lambda: w.desk.step_span(False), "[", context=VIEW_ONLY),
        a(w, doc_menu, "Mark &done", lambda: w.desk.set_status("done"), "Ctrl+D"),
        a(w, doc_menu, "Mark &in progress", lambda: w.desk.set_status("in_progress"), "Ctrl+Shift+D"),
        *w.build_document_data_menu(doc_menu),
        a(w, help_menu, "&Help: workflow and keys", w.show_help, "F1"),
        a(w, help_menu, "&About Annotator", w.show_about),
    ]
