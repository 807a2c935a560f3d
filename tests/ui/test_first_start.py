"""The first start as a person meets it: the annotator prompt, and what cancelling it does."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from annotator.app import NO_ANNOTATOR, GuiSession
from annotator.services.settings import Settings
from tests.ui.helpers import when_shown


def _press_quit_when_asked(qtbot, seen: dict) -> None:
    def answer(dialog: QDialog) -> None:
        button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Cancel)
        seen["button"] = button.text()
        seen["intro"] = " ".join(label.text() for label in dialog.findChildren(type(dialog.error)))
        button.click()

    when_shown(QDialog, "Who is annotating?", answer)


def test_quitting_the_first_start_prompt_says_what_happened(qtbot, tmp_path, capsys) -> None:
    seen: dict = {}
    session = GuiSession(Settings(tmp_path / "settings.json"))
    _press_quit_when_asked(qtbot, seen)
    assert session.open(str(tmp_path / "new.db")) is None
    assert seen["button"] == "&Quit"  # the button says it closes the program
    assert "Quit closes Annotator" in seen["intro"]
    assert NO_ANNOTATOR in capsys.readouterr().err
    assert session.windows == []


@pytest.mark.parametrize("argv", [["-platform", "offscreen"], ["--style=Fusion"], ["-reverse"]])
def test_qt_options_reach_qt_not_argparse(argv) -> None:
    from annotator.cli import parse

    args = parse(["--db", "x.db", *argv])
    assert args.db == "x.db" and args.command is None
    assert args.qt_options == argv


def test_qt_options_with_a_command_are_refused(capsys) -> None:
    from annotator.cli import parse

    with pytest.raises(SystemExit) as exit_:
        parse(["-style", "Fusion", "export", "--format", "jsonl"])
    assert exit_.value.code == 2
    assert "apply only to the window" in capsys.readouterr().err
