"""The training dialog: a real child process trains while the GUI stays live; Cancel stops it."""

from PySide6.QtCore import Qt

from annotator.domain.suggestions.model import TrainingDocument, TrainingSpan
from annotator.domain.suggestions.phrase import PhraseRecommender
from annotator.ui.suggestions.training_dialog import TrainingDialog
from tests.services.suggestions.training_data import training_documents


def gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_training_finishes_and_hands_over_the_model(qtbot):
    dialog = TrainingDialog("phrase", training_documents(3))
    qtbot.addWidget(dialog)
    assert not dialog.isModal()
    with qtbot.waitSignal(dialog.trained, timeout=60_000) as signal:
        dialog.start()
    assert isinstance(signal.args[0], PhraseRecommender)
    assert dialog.state == "done"
    assert not dialog.isVisible()
    assert dialog.wait_stopped()


def test_cancel_stops_training_and_the_child_process(qtbot):
    dialog = TrainingDialog("classifier", training_documents(400, sentences=10))
    qtbot.addWidget(dialog)
    trained = []
    dialog.trained.connect(trained.append)
    dialog.start()
    assert dialog.isVisible()
    # The GUI thread keeps running while the child works: progress arrives and is shown.
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=60_000)
    assert dialog.pid is not None and not gone(dialog.pid)
    assert "Training the span classifier on 8,000 spans in 400 documents" in dialog.message.text()
    with qtbot.waitSignal(dialog.ended, timeout=60_000) as signal:
        qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
        assert dialog.message.text() == "Cancelling…"
    assert signal.args == ["cancelled"]
    assert trained == []
    assert dialog.wait_stopped()
    qtbot.waitUntil(lambda: gone(dialog.pid), timeout=10_000)


def test_a_failure_is_shown_in_the_dialog(qtbot):
    dialog = TrainingDialog("phrase", [TrainingDocument(None, (TrainingSpan(0, 1, "x"),))])  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ended, timeout=60_000) as signal:
        dialog.start()
    assert signal.args == ["failed"]
    assert "training the phrase recommender failed" in dialog.message.text()
    assert dialog.button.text() == "Close"
    assert dialog.isVisible()
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.wait_stopped()


def test_escape_cancels(qtbot):
    dialog = TrainingDialog("classifier", training_documents(400, sentences=10))
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.pid is not None, timeout=60_000)
    with qtbot.waitSignal(dialog.ended, timeout=60_000) as signal:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert signal.args == ["cancelled"]
    assert not dialog.isVisible()
    assert dialog.wait_stopped()


def test_closing_the_window_cancels(qtbot):
    dialog = TrainingDialog("classifier", training_documents(400, sentences=10))
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.pid is not None, timeout=60_000)
    with qtbot.waitSignal(dialog.ended, timeout=60_000) as signal:
        dialog.close()
    assert signal.args == ["cancelled"]
    assert dialog.wait_stopped()
    assert dialog.state == "cancelled"
    qtbot.waitUntil(lambda: gone(dialog.pid), timeout=10_000)
