"""The label editor, driven through its widgets: add, rename, hotkey, refusals, archive, reorder."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.ui.label_editor import LabelEditor


def editor_for(qtbot, workspace) -> LabelEditor:
    editor = LabelEditor(workspace.labels)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def select(editor: LabelEditor, name: str) -> None:
    for row in range(editor.list.count()):
        if editor.list.item(row).data(Qt.ItemDataRole.UserRole).name == name:
            editor.list.setCurrentRow(row)
            return
    raise AssertionError(f"{name} not listed")


def test_rename_keeps_spans_and_duplicates_are_refused(qtbot, workspace) -> None:
    workspace.ensure_sample()
    me = workspace.annotators.sign_in("alice")
    doc = workspace.documents.list_for(me.id)[0].id
    leverage = workspace.labels.by_name("leverage")
    workspace.annotations.add(doc, me.id, leverage.id, 1, 6)
    editor = editor_for(qtbot, workspace)
    select(editor, "leverage")
    editor.name.clear()
    qtbot.keyClicks(editor.name, "bargaining power")
    editor.apply()
    assert "Saved" in editor.message.text()
    [span] = workspace.annotations.spans_for(doc, me.id)
    assert span.label_id == leverage.id and workspace.labels.by_name("bargaining power").id == leverage.id
    # A duplicate name (any case) and a duplicate hotkey are refused and change nothing.
    editor.name.setText("Framing")
    editor.apply()
    assert "Not saved" in editor.message.text() and "already exists" in editor.message.text()
    editor.name.setText("bargaining power")
    editor.hotkey.setText("1")
    editor.apply()
    assert "hotkey 1 is already used by 'strategic messaging'" in editor.message.text()
    assert workspace.labels.by_name("bargaining power").hotkey == "3"


def test_add_archive_and_reorder(qtbot, workspace) -> None:
    editor = editor_for(qtbot, workspace)
    editor.add()
    assert editor.current().name == "new label 1"
    editor.name.setText("actor")
    editor.hotkey.setText("5")
    editor.description.setPlainText("Who acts.")
    editor.apply()
    actor = workspace.labels.by_name("actor")
    assert (actor.hotkey, actor.description) == ("5", "Who acts.")
    editor.move(-1)
    names = [x.name for x in workspace.labels.list()]
    assert names.index("actor") == names.index("framing") - 1
    editor.toggle_archived()
    assert "archived" in editor.message.text()
    assert "actor" not in [x.name for x in workspace.labels.list()]
    assert workspace.labels.by_name("actor").archived


def test_the_desk_palette_follows_the_editor(qtbot, make_window, workspace) -> None:
    window = make_window()
    framing = workspace.labels.by_name("framing")
    workspace.labels.update(framing.id, name="frame", hotkey="f")
    window.reload_labels()
    assert "[f]  frame" in window.palette_widget.button_for(framing.id).text()
    assert [a.text() for a in window.label_actions][-1] == "frame"


def test_a_label_becomes_a_document_label_in_a_set_and_its_guideline_is_versioned(qtbot, workspace) -> None:
    workspace.ensure_sample()
    editor = LabelEditor(workspace.labels, author="sam")
    qtbot.addWidget(editor)
    editor.show()
    editor.add()
    editor.name.setText("hopeful")
    editor.kind.setCurrentIndex(editor.kind.findData("document"))
    assert not editor.hotkey.isEnabled() and editor.label_set.isEnabled()
    qtbot.keyClicks(editor.label_set, "overall tone")
    editor.choice.setCurrentIndex(editor.choice.findData(True))
    editor.description.setPlainText("The article expects **good** outcomes.")
    editor.apply()
    assert "Saved" in editor.message.text()
    label = workspace.labels.by_name("hopeful")
    assert (label.kind, label.label_set, label.multiple, label.hotkey) == (
        "document",
        "overall tone",
        True,
        None,
    )
    [version] = workspace.guidelines.history("hopeful")
    assert (version.author, version.description) == ("sam", "The article expects **good** outcomes.")
    select(editor, "hopeful")
    assert editor.kind.currentData() == "document" and editor.label_set.text() == "overall tone"
    assert "document, overall tone" in editor.list.currentItem().text()
