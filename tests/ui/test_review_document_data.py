"""The review window shows each annotator's document labels and comment, and accepts an
annotator's document labels into gold (real window, real database)."""

from __future__ import annotations

import orjson
from PySide6.QtCore import Qt

from annotator.services.exporting import ExportFilter
from annotator.ui.review_window import ReviewWindow


def test_review_shows_document_labels_and_comments_and_accepts_into_gold(qtbot, workspace, tmp_path) -> None:
    workspace.ensure_sample()
    tone = {
        n: workspace.labels.create(n, kind="document", label_set="tone").id for n in ("hopeful", "sceptical")
    }
    supervisor = workspace.annotators.sign_in("sam", "supervisor")
    data = workspace.document_data
    for name, label, comment in (
        ("alice", "hopeful", "Is the headline part of it?"),
        ("bob", "sceptical", None),
    ):
        me = workspace.annotators.sign_in(name)
        doc = workspace.documents.list_for(me.id)[0]
        data.set_labels(doc.id, me.id, frozenset({tone[label]}))
        if comment:
            data.set_comment(doc.id, me.id, comment)
        workspace.documents.set_status(doc.id, me.id, "done")
    carol = workspace.annotators.sign_in("carol")  # not finished, but her question must reach review
    data.set_comment(doc.id, carol.id, "Which paragraph is the lead?")
    window = ReviewWindow(workspace, supervisor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_row(0)
    panel = window.document_data
    rows = {
        panel.table.item(r, 0).text(): (panel.table.item(r, 1).text(), panel.table.item(r, 2).text())
        for r in range(panel.table.rowCount())
    }
    assert rows == {
        "alice": ("hopeful", "Is the headline part of it?"),
        "bob": ("sceptical", ""),
        "carol (not finished)": ("–", "Which paragraph is the lead?"),
        "gold": ("–", ""),
    }
    qtbot.mouseClick(panel.accept_buttons["bob"], Qt.MouseButton.LeftButton)
    gold = window.gold.annotator
    assert data.labels_of(doc.id, gold.id) == {tone["sceptical"]}
    assert panel.table.item(panel.table.rowCount() - 1, 1).text() == "sceptical"
    out = tmp_path / "gold.jsonl"
    workspace.exporter.export("jsonl", ExportFilter(gold=True), path=out)
    [line] = [orjson.loads(x) for x in out.read_bytes().splitlines()]
    assert line["document_labels"] == [{"label": "sceptical", "annotator": "gold"}]
    # The agreement overview counts document labels too (alice and bob disagree on tone).
    result = workspace.review.agreement()
    pairs = {(r["a"], r["b"], r["label"]): r for r in result["document_labels"]["pairs"]}
    assert pairs[("alice", "bob", "hopeful")]["documents"] == 1


def test_a_new_comment_appears_without_a_restart(qtbot, workspace) -> None:
    workspace.ensure_sample()
    supervisor = workspace.annotators.sign_in("sam", "supervisor")
    for name in ("alice", "bob"):
        me = workspace.annotators.sign_in(name)
        doc = workspace.documents.list_for(me.id)[0]
        workspace.documents.set_status(doc.id, me.id, "done")
    window = ReviewWindow(workspace, supervisor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_row(0)
    bob = workspace.annotators.find("bob")
    workspace.document_data.set_comment(doc.id, bob.id, "Late question")
    window.refresh_if_changed()  # what the poll (or, on PostgreSQL, the notification) runs
    panel = window.document_data
    comments = {
        panel.table.item(r, 0).text(): panel.table.item(r, 2).text() for r in range(panel.table.rowCount())
    }
    assert comments["bob"] == "Late question"


def _review_with_document_labels(qtbot, workspace):
    workspace.ensure_sample()
    tone = {
        n: workspace.labels.create(n, kind="document", label_set="tone").id for n in ("hopeful", "sceptical")
    }
    supervisor = workspace.annotators.sign_in("sam", "supervisor")
    for name, label in (("alice", "hopeful"), ("bob", "sceptical")):
        me = workspace.annotators.sign_in(name)
        doc = workspace.documents.list_for(me.id)[0]
        workspace.document_data.set_labels(doc.id, me.id, frozenset({tone[label]}))
        workspace.documents.set_status(doc.id, me.id, "done")
    window = ReviewWindow(workspace, supervisor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    window.open_row(0)
    return window, doc.id, tone


def _gold_cell(panel) -> str:
    return panel.table.item(panel.table.rowCount() - 1, 1).text()


def test_accepting_document_labels_into_gold_is_undone_and_redone_by_keys(qtbot, workspace) -> None:
    window, doc_id, tone = _review_with_document_labels(qtbot, workspace)
    data, gold, panel = workspace.document_data, window.gold.annotator, window.document_data
    qtbot.mouseClick(panel.accept_buttons["alice"], Qt.MouseButton.LeftButton)
    assert data.labels_of(doc_id, gold.id) == {tone["hopeful"]}
    qtbot.mouseClick(panel.accept_buttons["bob"], Qt.MouseButton.LeftButton)
    assert data.labels_of(doc_id, gold.id) == {tone["sceptical"]}
    assert "Accepted bob's document labels" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert data.labels_of(doc_id, gold.id) == {tone["hopeful"]}  # back to alice's, in the database
    assert _gold_cell(panel) == "hopeful"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert data.labels_of(doc_id, gold.id) == frozenset()  # the first accept is gone too
    assert _gold_cell(panel) == "–"
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Z, shift_ctrl)
    assert data.labels_of(doc_id, gold.id) == {tone["hopeful"]}
    qtbot.keyClick(window, Qt.Key.Key_Z, shift_ctrl)
    assert data.labels_of(doc_id, gold.id) == {tone["sceptical"]}
    assert _gold_cell(panel) == "sceptical"
    # Accepting what gold already has is no step to undo.
    qtbot.mouseClick(panel.accept_buttons["bob"], Qt.MouseButton.LeftButton)
    assert window.gold.undo_group.activeStack().count() == 2


def test_accept_into_a_reviewed_gold_reopens_it_and_one_undo_restores_both(qtbot, workspace) -> None:
    window, doc_id, tone = _review_with_document_labels(qtbot, workspace)
    data, gold, panel = workspace.document_data, window.gold.annotator, window.document_data
    window.mark_reviewed()
    assert window.gold.status == "done"
    qtbot.mouseClick(panel.accept_buttons["bob"], Qt.MouseButton.LeftButton)
    assert data.labels_of(doc_id, gold.id) == {tone["sceptical"]}
    assert workspace.reads.status_of(doc_id, gold.id) == "in_progress"  # changed after review
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert data.labels_of(doc_id, gold.id) == frozenset()
    assert workspace.reads.status_of(doc_id, gold.id) == "done"
