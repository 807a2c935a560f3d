"""Issue 13, roles in the window: the sign-in prompt shows the role (no choice), and the Team
dialog lets a supervisor grant it; an annotator is refused. Real widgets, real databases."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from annotator.app import choose_annotator
from annotator.services.settings import Settings
from annotator.services.workspace import Workspace
from annotator.ui.annotator_dialog import AnnotatorDialog
from annotator.ui.team.team_dialog import TeamDialog
from tests.ui.helpers import when_shown


def roles(ws: Workspace) -> dict[str, str]:
    return {a.name: a.role for a in ws.annotators.list()}


def sign_in_through_the_prompt(qtbot, ws: Workspace, tmp_path: Path, name: str) -> tuple[str, str]:
    """The app's first-start prompt, typed into and accepted; (the role it showed, the role given)."""
    shown: list[str] = []

    def answer(dialog: AnnotatorDialog) -> None:
        assert dialog.findChildren(QCheckBox) == []  # nothing to tick
        dialog.names.setCurrentText(name)
        shown.append(dialog.shown_role())
        qtbot.keyClick(dialog.names, Qt.Key.Key_Return)

    when_shown(AnnotatorDialog, "Who is annotating?", answer)
    info = choose_annotator(ws, Settings(tmp_path / f"settings-{name}.json"))
    assert info is not None and shown
    return shown[0], info.role


def test_the_prompt_shows_the_role_and_a_newcomer_cannot_choose(
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    shown, given = sign_in_through_the_prompt(qtbot, workspace, tmp_path, "sam")
    assert given == "supervisor" and shown.startswith("supervisor (the first person")
    shown, given = sign_in_through_the_prompt(qtbot, workspace, tmp_path, "mallory")
    assert given == "annotator" and shown.startswith("annotator")
    assert roles(workspace) == {"mallory": "annotator", "sam": "supervisor"}
    # Typing a known name shows that person's stored role.
    dialog = AnnotatorDialog(workspace.annotators.list(), "mallory", newcomer_role="annotator")
    qtbot.addWidget(dialog)
    assert dialog.shown_role().startswith("annotator")
    dialog.names.setCurrentText("sam")
    assert dialog.shown_role().startswith("supervisor")


def test_a_supervisor_grants_and_an_annotator_is_refused(qtbot, workspace: Workspace) -> None:
    sam = workspace.annotators.sign_in("sam")
    alice = workspace.annotators.sign_in("alice")
    dialog = TeamDialog(workspace.annotators, sam)
    qtbot.addWidget(dialog)
    assert dialog.people() == [("alice", "annotator"), ("sam", "supervisor")]
    dialog.select("alice")
    assert dialog.grant_button.isEnabled() and not dialog.revoke_button.isEnabled()
    qtbot.mouseClick(dialog.grant_button, Qt.MouseButton.LeftButton)
    assert dialog.people() == [("alice", "supervisor"), ("sam", "supervisor")]
    assert dialog.message.text() == "alice is now supervisor."
    dialog.select("alice")
    qtbot.mouseClick(dialog.revoke_button, Qt.MouseButton.LeftButton)
    assert roles(workspace) == {"alice": "annotator", "sam": "supervisor"}

    # Alice's own dialog (the menu is disabled for her, the dialog itself still refuses).
    hers = TeamDialog(workspace.annotators, alice)
    qtbot.addWidget(hers)
    hers.select("alice")
    qtbot.mouseClick(hers.grant_button, Qt.MouseButton.LeftButton)
    assert hers.message.text().startswith("Refused: permission denied: 'alice' is not a supervisor")
    assert hers.people() == [("alice", "annotator"), ("sam", "supervisor")]
    assert roles(workspace) == {"alice": "annotator", "sam": "supervisor"}
    # The last supervisor stays.
    dialog.select("sam")
    qtbot.mouseClick(dialog.revoke_button, Qt.MouseButton.LeftButton)
    assert "the only supervisor" in dialog.message.text()
    assert roles(workspace)["sam"] == "supervisor"


def test_the_team_menu_is_for_supervisors(make_window) -> None:
    alice_window = make_window("alice")
    assert not alice_window.team_action.isEnabled()
    sam_window = make_window("sam")
    assert sam_window.team_action.isEnabled()
