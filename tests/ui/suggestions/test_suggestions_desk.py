"""Suggestions at the desk, driven by the real keys on a real window (both backends)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from PySide6.QtCore import Qt

from annotator.domain.suggestions.model import Rejection, Suggestion, TrainingDocument
from annotator.ui.suggestions import controller as suggestion_controller


def stored(window, phrase: str, label: str, score: float, source: str = "model", nth: int = 0) -> None:
    """A suggestion of ``phrase`` (its nth occurrence) stored for everyone, then shown."""
    doc = window.desk.document
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(phrase, start + 1)
    existing = [
        Suggestion(s.start, s.end, window.desk.labels[s.label_id].name, s.score, s.source, s.version)
        for s in window.suggestions.all
        if s.source == source
    ]
    window.workspace.suggestions.store(
        doc.id, source, [*existing, Suggestion(start, start + len(phrase), label, score, source, "1")]
    )
    window.suggestions.reload()


def press(qtbot, window, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.view, key, modifiers)


def spans_text(window) -> list[tuple[str, str]]:
    doc = window.desk.document
    return sorted(
        (doc.text[s.start : s.end], window.desk.labels[s.label_id].name) for s in window.desk.spans.values()
    )


def test_suggestions_are_outlined_and_f8_walks_them(make_window, qtbot) -> None:
    window = make_window()
    window.suggestions.slider.setValue(50)
    stored(window, "Beijing", "strategic messaging", 0.9)
    stored(window, "Moscow", "leverage", 0.7)
    stored(window, "Putin", "framing", 0.2)  # below the threshold: not shown
    assert [window.desk.document.text[s.start : s.end] for s in window.suggestions.shown] == [
        "Beijing",
        "Moscow",
    ]
    assert "2 suggestions above 0.50" not in window.statusBar().currentMessage()  # said on slider moves
    press(qtbot, window, Qt.Key.Key_F8)
    first = window.suggestions.selected
    assert first is not None and window.desk.document.text[first.start : first.end] == "Beijing"
    assert window.suggestions.overlay.rects(first.id)  # drawn on screen
    assert "Suggestion 1 of 2" in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_F8)
    assert (
        window.desk.document.text[window.suggestions.selected.start : window.suggestions.selected.end]
        == "Moscow"
    )
    press(qtbot, window, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert window.suggestions.selected == first
    assert window.desk.spans == {}  # walking changes nothing


def test_accept_reject_relabel_and_undo_with_the_keys(make_window, qtbot) -> None:
    window = make_window()
    window.suggestions.slider.setValue(10)
    stored(window, "Beijing", "strategic messaging", 0.9)
    stored(window, "Moscow", "leverage", 0.7)
    stored(window, "Siberia", "economic outcome", 0.6)
    press(qtbot, window, Qt.Key.Key_F8)
    press(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert spans_text(window) == [("Beijing", "strategic messaging")]
    assert window.statusBar().currentMessage() == "Accepted “Beijing” as strategic messaging"
    assert len(window.suggestions.shown) == 2  # the accepted one is now a span, not a suggestion
    # The next suggestion (Moscow) is selected: reject it.
    assert (
        window.desk.document.text[window.suggestions.selected.start : window.suggestions.selected.end]
        == "Moscow"
    )
    press(qtbot, window, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)
    assert "Rejected “Moscow” as leverage" in window.statusBar().currentMessage()
    assert [window.desk.document.text[s.start : s.end] for s in window.suggestions.shown] == ["Siberia"]
    assert window.workspace.suggestions.rejections(window.desk.annotator.id)[0][1] == "moscow"
    # Relabel: the label key "4" (framing) while the suggestion is selected accepts it as framing.
    press(qtbot, window, Qt.Key.Key_F8)
    qtbot.keyClicks(window.view, "4")
    assert ("Siberia", "framing") in spans_text(window)
    assert window.statusBar().currentMessage() == "Accepted “Siberia” as framing"
    # Undo: the span goes, the suggestion comes back.
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans_text(window) == [("Beijing", "strategic messaging")]
    assert [window.desk.document.text[s.start : s.end] for s in window.suggestions.shown] == ["Siberia"]
    # The rejection is remembered: reopening the document does not bring Moscow back.
    window.open_document(window.desk.document.id)
    assert [window.desk.document.text[s.start : s.end] for s in window.suggestions.shown] == ["Siberia"]


def test_accept_all_above_the_threshold_is_one_undo_step(make_window, qtbot) -> None:
    window = make_window()
    stored(window, "Beijing", "strategic messaging", 0.9)
    stored(window, "Moscow", "leverage", 0.8)
    stored(window, "Siberia", "economic outcome", 0.3)
    window.suggestions.slider.setValue(20)
    window.suggestions.slider.setValue(50)
    assert window.statusBar().currentMessage() == "2 suggestions above 0.50"
    press(
        qtbot,
        window,
        Qt.Key.Key_Return,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert spans_text(window) == [("Beijing", "strategic messaging"), ("Moscow", "leverage")]
    assert "Accepted 2 suggestions above 0.50" in window.statusBar().currentMessage()
    assert window.workspace.annotations.spans_for(window.desk.document.id, window.desk.annotator.id)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert spans_text(window) == []
    assert window.workspace.annotations.spans_for(window.desk.document.id, window.desk.annotator.id) == []


def test_the_threshold_is_remembered(make_window, qtbot, tmp_path) -> None:
    window = make_window()
    window.suggestions.slider.setValue(73)
    from annotator.services.settings import Settings

    assert Settings(tmp_path / "settings-alice.json").get("suggestion_threshold") == pytest.approx(0.73)


class EchoRecommender:
    """Proposes every phrase it was trained on wherever it occurs (a stand-in for the phrase
    recommender until branch suggest-models has it); counts its calls."""

    name = "echo"

    def __init__(self) -> None:
        self.phrases: dict[str, str] = {}
        self.trained = 0

    @property
    def version(self) -> str:
        return str(self.trained)

    def train(
        self,
        documents: Sequence[TrainingDocument],
        rejections: Sequence[Rejection] = (),
        progress=None,
        cancelled=None,
    ) -> None:
        self.trained += 1
        self.phrases = {d.text[s.start : s.end]: s.label for d in documents for s in d.spans}
        for r in rejections:
            self.phrases.pop(r.phrase, None)

    def suggest(self, text: str, labels: Sequence[str]) -> list[Suggestion]:
        out = []
        for phrase, label in self.phrases.items():
            i = text.find(phrase)
            while i >= 0:
                out.append(Suggestion(i, i + len(phrase), label, 0.8, self.name, self.version))
                i = text.find(phrase, i + 1)
        return out


@pytest.mark.parametrize("recommender", ["echo", "phrase"])
def test_background_computes_suggestions_from_the_annotators_own_spans(
    make_window, qtbot, monkeypatch, workspace, tmp_path, recommender: str
) -> None:
    """With the stand-in recommender and with the built-in phrase recommender (the default)."""
    workspace.ensure_sample()
    second = tmp_path / "second.txt"
    second.write_text("Moscow and Beijing again: Moscow.", encoding="utf-8")
    assert workspace.importer.import_paths([second]).ok
    if recommender == "echo":
        monkeypatch.setattr(suggestion_controller, "RECOMMENDER_FACTORY", EchoRecommender)
    window = make_window()
    window.open_document(window.documents.visible_ids()[0])
    text = window.desk.document.text
    start = text.index("Moscow")
    window.view.set_selected_range(start, start + len("Moscow"))
    qtbot.keyClicks(window.view, "3")  # leverage
    window.open_document(window.documents.visible_ids()[1])  # the next document: computed in the background
    qtbot.waitUntil(
        lambda: len(window.suggestions.shown) == 2, timeout=20_000
    )  # (phrase: a child process starts)
    doc = window.desk.document
    assert {doc.text[s.start : s.end] for s in window.suggestions.shown} == {"Moscow"}
    assert all(window.desk.labels[s.label_id].name == "leverage" for s in window.suggestions.shown)
    window.close()


def test_only_a_supervisor_may_show_suggestions_built_from_others(make_window, qtbot, workspace) -> None:
    alice_window = make_window("alice")
    assert not alice_window.suggestions.others_action.isEnabled()
    doc = alice_window.desk.document
    start = doc.text.index("Beijing")
    workspace.suggestions.store(
        doc.id, "pooled", [Suggestion(start, start + 7, "leverage", 0.9, "pooled", "1")], from_others=True
    )
    alice_window.suggestions.reload()
    assert alice_window.suggestions.shown == []  # blind
    sam_window = make_window("sam")
    action = sam_window.suggestions.others_action
    assert action.isEnabled() and not action.isChecked()
    action.trigger()
    assert workspace.suggestions.policy().show_others
    assert "saved for everyone" in sam_window.statusBar().currentMessage()
    alice_window.suggestions.reload()
    assert [doc.text[s.start : s.end] for s in alice_window.suggestions.shown] == ["Beijing"]
