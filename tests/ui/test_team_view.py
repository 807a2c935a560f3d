"""Issue 13 in the window: the Team view (supervisors; Ctrl+Shift+T) draws its charts in light and
dark, exports PNG, SVG and CSV; an annotator's queue comes first in the document list, marked,
and Ctrl+Shift+U walks it. Real widgets on real databases (both backends)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from annotator.domain.errors import AnnotatorError
from annotator.services.workspace import Workspace
from annotator.ui.desk.theme import dark_palette
from annotator.ui.document_page_model import QUEUE_MARK
from annotator.ui.team.team_view import TeamView

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def team_work(ws: Workspace, tmp_path: Path, documents: int = 6) -> dict[str, int]:
    folder = tmp_path / "texts"
    folder.mkdir(exist_ok=True)
    for i in range(documents):
        (folder / f"doc{i}.txt").write_text(f"Document {i}. " + "Talks in Beijing ended. " * (i + 2))
    assert ws.importer.import_paths(sorted(folder.glob("*.txt"))).ok
    people = {n: ws.annotators.sign_in(n).id for n in ("sam", "alice", "bob")}
    ws.assignments.assign_by_rule(by="sam", n=1, sample_percent=50, seed=1)
    labels = [x.id for x in ws.labels.list()]
    for name in ("alice", "bob"):
        for k, doc in enumerate(ws.assignments.queue(people[name])[:3]):
            ws.annotations.add(doc, people[name], labels[k % 2], 0, 8)
            ws.documents.set_status(doc, people[name], "done")
    return people


def has_colour(image: QImage, colour: str) -> bool:
    want = QColor(colour)
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            got = image.pixelColor(x, y)
            if (
                abs(got.red() - want.red()) + abs(got.green() - want.green()) + abs(got.blue() - want.blue())
                < 12
            ):
                return True
    return False


def test_the_team_view_draws_its_charts_and_exports_them(qtbot, workspace: Workspace, tmp_path: Path) -> None:
    team_work(workspace, tmp_path)
    sam = workspace.annotators.find("sam")
    view = TeamView(workspace, sam)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: view.agreement is not None, timeout=10_000)  # from the worker thread
    assert [p.name for p in view.progress.people] == ["alice", "bob"]
    assert view.agreement.finished == {"alice": 3, "bob": 3}
    assert "Agreement sample: 3 documents" in view.sample_line.text()
    assert view.timeline.points and view.timeline.points[0].documents == 3
    image = view.charts.grab().toImage()
    assert has_colour(image, "#2e7d32")  # the done bars, light theme
    labels = {x.name: x.color for x in workspace.labels.list()}
    assert has_colour(image, labels["strategic messaging"])  # label shares and the alpha lines
    # Exports: PNG (the charts, at twice the pixels), SVG (vector, with the names), CSV (numbers).
    view.export(tmp_path / "team.png", "png")
    png = QImage(str(tmp_path / "team.png"))
    assert png.width() == view.charts.width() * 2 and has_colour(png, "#2e7d32")
    view.export(tmp_path / "team.svg", "svg")
    svg = (tmp_path / "team.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg and "alice" in svg and "Agreement on the sample" in svg
    view.export(tmp_path / "team.csv", "csv")
    csv = (tmp_path / "team.csv").read_text(encoding="utf-8")
    assert csv.startswith("section,annotator,key,value\n")
    assert "documents,alice,done,3" in csv and "sample_finished,bob,documents,3" in csv


def test_the_charts_read_in_the_dark_theme(qtbot, workspace: Workspace, tmp_path: Path) -> None:
    team_work(workspace, tmp_path)
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(dark_palette())
    try:
        view = TeamView(workspace, workspace.annotators.find("sam"), compute_agreement_now=True)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitExposed(view)
        image = view.bars.grab().toImage()
        base = image.pixelColor(image.width() - 3, image.height() - 3)
        assert base.lightness() < 60  # the chart's ground is dark ...
        assert has_colour(image, "#7bd17f")  # ... its done bars the light green of the dark theme
        ink = view.bars.palette().color(QPalette.ColorRole.WindowText)
        assert ink.lightness() > 180  # and its names light
    finally:
        app.setPalette(light)


def test_only_a_supervisor_opens_the_team_view(qtbot, make_window, workspace: Workspace) -> None:
    window = make_window("alice")
    assert not window.team_view_action.isEnabled()
    with pytest.raises(AnnotatorError, match="only a supervisor"):
        TeamView(workspace, window.desk.annotator)
    window.close()
    boss = make_window("sam")
    assert boss.team_view_action.isEnabled()
    qtbot.keyClick(boss.view, Qt.Key.Key_T, CTRL_SHIFT)
    qtbot.waitUntil(lambda: getattr(boss, "team_view", None) is not None and boss.team_view.isVisible())
    qtbot.waitUntil(lambda: boss.team_view.agreement is not None, timeout=10_000)
    boss.team_view.close()


def test_the_queue_comes_first_marked_and_ctrl_shift_u_walks_it(
    qtbot, make_window, workspace: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    for i in range(5):
        (folder / f"doc{i}.txt").write_text(f"Document {i}: talks in Beijing.")
    assert workspace.importer.import_paths(sorted(folder.glob("*.txt"))).ok
    workspace.annotators.sign_in("sam")
    workspace.annotators.sign_in("alice")
    ids = [d.id for d in workspace.documents.list_for(0)]
    queue = [ids[3], ids[1]]
    workspace.assignments.assign_by_hand(by="sam", documents=queue, annotators=["alice"])
    window = make_window("alice")
    assert window.documents.visible_ids()[:2] == queue  # assigned first, in queue order
    assert window.desk.document.id == queue[0]  # the first start opens the queue's head
    model = window.documents.model
    titles = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert sum(t.startswith(QUEUE_MARK) for t in titles) == 2
    assert "#2 in your queue" in model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole)
    qtbot.keyClick(window.view, Qt.Key.Key_U, CTRL_SHIFT)
    assert window.desk.document.id == queue[1]
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # done
    qtbot.keyClick(window.view, Qt.Key.Key_U, CTRL_SHIFT)
    assert window.desk.document.id == queue[0]  # wraps; the done one is skipped
    qtbot.keyClick(window.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key.Key_U, CTRL_SHIFT)
    assert window.desk.document.id == queue[0]
    assert "Every document in your queue is done" in window.statusBar().currentMessage()


def test_review_shows_alpha_on_the_sample_and_who_finished_it(
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    from annotator.ui.review_window import ReviewWindow

    team_work(workspace, tmp_path)
    window = ReviewWindow(workspace, workspace.annotators.find("sam"))
    qtbot.addWidget(window)
    panel = window.sample_panel
    qtbot.waitUntil(lambda: panel.result is not None and not panel.busy, timeout=10_000)  # from a worker
    assert "Sample of 3 documents" in panel.summary.text()
    assert "alice 3/3" in panel.summary.text() and "bob 3/3" in panel.summary.text()
    # Only the sample's documents are finished here, so its figures are the review's own.
    review = workspace.review.agreement()
    shown = [
        (panel.table.item(r, 0).text(), panel.table.item(r, 1).text()) for r in range(panel.table.rowCount())
    ]
    overview = window.overview.alpha_table
    assert shown == [
        (overview.item(r, 0).text(), overview.item(r, 1).text()) for r in range(overview.rowCount())
    ]
    assert [row["alpha"] for row in panel.result.alpha] == [row["alpha"] for row in review["alpha"]]


def test_a_supervisor_previews_then_assigns_by_rule_from_the_team_view(
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    from annotator.ui.team.assign_dialog import AssignDialog

    folder = tmp_path / "texts"
    folder.mkdir()
    for i in range(10):
        (folder / f"doc{i}.txt").write_text(f"Document {i}. " + "Talks ended. " * (i + 1))
    assert workspace.importer.import_paths(sorted(folder.glob("*.txt"))).ok
    sam = workspace.annotators.sign_in("sam")
    for name in ("alice", "bob"):
        workspace.annotators.sign_in(name)
    view = TeamView(workspace, sam, compute_agreement_now=True)
    qtbot.addWidget(view)
    view.assign_by_rule()
    dialog = view.assign_dialog
    assert isinstance(dialog, AssignDialog)
    dialog.rule.setCurrentIndex(1)
    dialog.sample.setValue(20)
    dialog.seed.setValue(3)
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert "would assign 12 assignments of 10 documents" in dialog.preview.toPlainText()
    assert workspace.assignments.all_rows() == []  # a preview stores nothing
    dialog.n.setValue(3)  # more than there are annotators: said in the dialog, nothing stored
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert "--n must be between 1 and the number of annotators (2)" in dialog.preview.toPlainText()
    dialog.n.setValue(1)
    qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert len(workspace.assignments.all_rows()) == 12
    assert [p.assigned for p in view.progress.people] == [6, 6]  # the view refreshed
    # An annotator named as the one assigning is refused, nothing stored.
    alice = workspace.annotators.find("alice")
    hers = AssignDialog(workspace.assignments, alice)
    qtbot.addWidget(hers)
    qtbot.mouseClick(hers.assign_button, Qt.MouseButton.LeftButton)
    assert "only a supervisor assigns documents" in hers.preview.toPlainText()
    assert len(workspace.assignments.all_rows()) == 12
