"""Suggestions › Train classifier… and › Connect external model…, driven through the real menu and
dialogs on a real window (both backends), with the real training process and a real ML backend process."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from annotator.services.settings import Settings
from annotator.services.workspace import Workspace
from annotator.ui.suggestions import models as suggestion_models
from annotator.ui.suggestions.connect_model_dialog import TITLE, ConnectModelDialog
from tests.services.suggestions import ml_backend_server
from tests.ui.helpers import when_shown

SECOND = "Moscow and Beijing again: Moscow met Putin over sanctions."
TAUGHT = [
    ("Beijing", "leverage"),
    ("Moscow", "leverage"),
    ("Putin", "framing"),
    ("sanctions", "economic outcome"),
]


@pytest.fixture
def project(workspace: Workspace, tmp_path) -> Workspace:
    """The sample article with alice's spans on every occurrence of four words, and a second document."""
    workspace.ensure_sample()
    second = tmp_path / "second.txt"
    second.write_text(SECOND, encoding="utf-8")
    assert workspace.importer.import_paths([second]).ok
    workspace.annotators.sign_in("sam")
    alice = workspace.annotators.sign_in("alice")
    labels = {label.name: label.id for label in workspace.labels.list()}
    sample = next(d for d in workspace.documents.list_for(alice.id) if d.title != "second")
    text = workspace.documents.get(sample.id).text
    for word, label in TAUGHT:
        i = text.find(word)
        while i >= 0:
            workspace.annotations.add(sample.id, alice.id, labels[label], i, i + len(word))
            i = text.find(word, i + 1)
    return workspace


@pytest.fixture
def ml_server() -> Iterator[tuple[subprocess.Popen, str]]:
    proc, url = ml_backend_server.start("Beijing=leverage", "energy=economic outcome")
    yield proc, url
    proc.terminate()
    proc.wait(10)


def entry(window, text: str):
    """The Suggestions menu's entry whose text starts with ``text`` (what a person clicks)."""
    found = [a for a in window.suggestions.menu.actions() if a.text().replace("&", "").startswith(text)]
    assert found, [a.text() for a in window.suggestions.menu.actions()]
    return found[0]


def phrases(window, source: str) -> list[tuple[str, str]]:
    doc = window.desk.document
    return sorted(
        (doc.text[s.start : s.end], window.desk.labels[s.label_id].name)
        for s in window.suggestions.shown
        if s.source == source
    )


def open_second(window) -> None:
    window.open_document(window.documents.visible_ids()[1])
    assert window.desk.document.text == SECOND


def test_train_classifier_from_the_menu_then_its_suggestions_are_drawn(
    project, make_window, qtbot, tmp_path
) -> None:
    window = make_window()
    entry(window, "Train classifier").trigger()
    dialog = window.suggestions.models.dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()  # the desk goes on
    qtbot.waitUntil(lambda: dialog.state == "done", timeout=60_000)
    assert "Span classifier trained on 6 spans" in window.statusBar().currentMessage()
    open_second(window)
    qtbot.waitUntil(lambda: bool(phrases(window, "classifier")), timeout=10_000)
    found = phrases(window, "classifier")
    assert ("Beijing", "leverage") in found and ("Moscow", "leverage") in found
    drawn = [s for s in window.suggestions.shown if s.source == "classifier"]
    assert all(window.suggestions.overlay.rects(s.id) for s in drawn)
    version = drawn[0].version
    assert version == window.suggestions.models.classifier.recommender.version != "untrained"
    # Kept: a desk opened later on this database has the trained classifier without training again.
    path = window.suggestions.models.path
    assert path.exists() and path.is_relative_to(tmp_path)
    window.close()
    again = make_window()
    assert again.suggestions.models.classifier is not None
    assert again.suggestions.models.classifier.recommender.version == version


def test_the_classifier_is_retrained_in_the_background_every_n_spans(
    project, make_window, qtbot, tmp_path
) -> None:
    Settings(tmp_path / "settings-alice.json").set("suggestions.retrain_every", 2)
    window = make_window()
    entry(window, "Train classifier").trigger()
    qtbot.waitUntil(lambda: window.suggestions.models.classifier is not None, timeout=60_000)
    first = window.suggestions.models.classifier
    open_second(window)
    window.activateWindow()  # (offscreen, the closed training window hands activation back to nobody)
    qtbot.waitUntil(window.isActiveWindow)
    window.view.setFocus()
    for word in ("again", "met"):
        start = SECOND.index(word)
        window.view.set_selected_range(start, start + len(word))
        qtbot.keyClicks(window.view, "4")  # framing
    assert len(window.desk.spans) == 2, window.statusBar().currentMessage()
    assert window.suggestions.models.retrain is not None  # started by the second span, no window
    assert window.suggestions.models.dialog is None or not window.suggestions.models.dialog.isVisible()
    qtbot.waitUntil(lambda: window.suggestions.models.classifier is not first, timeout=60_000)
    assert window.suggestions.models.classifier.spans == first.spans + 2
    assert window.suggestions.models.retrain is None
    window.close()


def test_without_scikit_learn_the_entry_says_how_to_install_it(project, make_window, monkeypatch) -> None:
    monkeypatch.setattr(suggestion_models, "sklearn_installed", lambda: False)
    window = make_window()
    action = entry(window, "Train classifier")
    assert "pip install 'annotator[suggest]'" in action.text()
    action.trigger()
    assert window.statusBar().currentMessage() == (
        "⚠ The span classifier needs scikit-learn: pip install 'annotator[suggest]'"
    )
    assert window.suggestions.models.dialog is None


def connect_dialog(window, qtbot) -> ConnectModelDialog:
    shown: list[ConnectModelDialog] = []
    when_shown(ConnectModelDialog, TITLE, shown.append)
    entry(window, "Connect external model").trigger()
    qtbot.waitUntil(lambda: bool(shown))
    return shown[0]


def test_connect_an_external_model_and_see_its_suggestions(
    project, ml_server, make_window, qtbot, tmp_path
) -> None:
    _proc, url = ml_server
    window = make_window()
    dialog = connect_dialog(window, qtbot)
    assert not dialog.connect_button.isEnabled()  # not before a check
    dialog.url_edit.setText(url)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.connect_button.isEnabled, timeout=15_000)
    assert dialog.status.text() == "UP: KeywordModel (version kw-1); a trial prediction gave 1 suggestion."
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert Settings(tmp_path / "settings-alice.json").get("suggestions.ml_backend") == {
        "url": url,
        "source": "KeywordModel",
    }
    # The current document (the sample article) and the next one are asked in the background.
    qtbot.waitUntil(lambda: bool(phrases(window, "KeywordModel")), timeout=15_000)
    assert set(phrases(window, "KeywordModel")) == {("energy", "economic outcome")}  # Beijing: a span already
    open_second(window)
    qtbot.waitUntil(lambda: bool(phrases(window, "KeywordModel")), timeout=15_000)
    assert phrases(window, "KeywordModel") == [("Beijing", "leverage")]
    drawn = [s for s in window.suggestions.shown if s.source == "KeywordModel"]
    assert window.suggestions.overlay.rects(drawn[0].id)  # drawn on screen
    stored = project.suggestions.visible(window.desk.document.id, window.desk.annotator.id, SECOND)
    assert [(s.source, s.version, s.score) for s in stored if s.source == "KeywordModel"] == [
        ("KeywordModel", "kw-1", 0.8)
    ]
    # Remembered: the next desk connects by itself; Disconnect forgets it.
    window.close()
    again = make_window()
    assert again.suggestions.models.backend is not None
    dialog = connect_dialog(again, qtbot)
    assert dialog.url_edit.text() == url and dialog.disconnect_button.isVisible()
    qtbot.mouseClick(dialog.disconnect_button, Qt.MouseButton.LeftButton)
    assert again.suggestions.models.backend is None
    assert Settings(tmp_path / "settings-alice.json").get("suggestions.ml_backend") is None


def test_a_backend_that_is_down_gives_a_message_and_the_desk_works_on(
    project, make_window, qtbot, tmp_path
) -> None:
    proc, url = ml_backend_server.start("Beijing=leverage")
    proc.terminate()
    proc.wait(10)  # it was there once, remembered in the settings; now nothing listens
    Settings(tmp_path / "settings-alice.json").set("suggestions.ml_backend", {"url": url, "source": "kw"})
    window = make_window()
    open_second(window)
    qtbot.waitUntil(lambda: "External model kw" in window.statusBar().currentMessage(), timeout=15_000)
    assert f"cannot reach the ML backend at {url}" in window.statusBar().currentMessage()
    start = SECOND.index("Putin")
    window.view.set_selected_range(start, start + 5)
    qtbot.keyClicks(window.view, "4")  # the desk still works: a span by key
    assert [(SECOND[s.start : s.end]) for s in window.desk.spans.values()] == ["Putin"]
    # The dialog's Check says so too, and Connect stays off.
    dialog = connect_dialog(window, qtbot)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Cannot use this backend"), timeout=15_000)
    assert f"cannot reach the ML backend at {url}" in dialog.status.text()
    assert not dialog.connect_button.isEnabled()
    dialog.url_edit.setText("localhost:9090")
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "must start with http:// or https://" in dialog.status.text(), timeout=5_000)
    dialog.reject()
    window.close()
