"""Issue 13: the review window's agreement-sample panel computes off the GUI thread (it says so
meanwhile) and a refresh with no new work takes the kept figures; a new span on a finished sample
document computes them again. Real widgets, real databases (both backends)."""

from __future__ import annotations

from pathlib import Path

from annotator.services.workspace import Workspace
from annotator.ui.review_window import ReviewWindow
from annotator.ui.team.sample_panel import COMPUTING, UPDATING
from tests.ui.test_team_view import team_work


def test_the_sample_panel_computes_in_the_background_and_only_when_something_changed(
    qtbot, workspace: Workspace, tmp_path: Path
) -> None:
    people = team_work(workspace, tmp_path)
    service = workspace.sample_agreement
    window = ReviewWindow(workspace, workspace.annotators.find("sam"))
    qtbot.addWidget(window)
    panel = window.sample_panel
    # The window is built and returned before the figures exist: the GUI thread did not wait.
    assert panel.busy and panel.result is None and panel.summary.text() == COMPUTING
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert service.computations == 1 and "Sample of 3 documents" in panel.summary.text()
    first = panel.result
    # Refresh with nothing new: the figures stay on screen while the check runs, then the kept ones.
    window.refresh()
    assert panel.busy and panel.state.text() == UPDATING and panel.result is first
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert service.computations == 1 and panel.result is first and panel.state.isHidden()
    # A new span on a sample document alice finished: computed again, the units' values change.
    sample_done = [
        d
        for d, a, _position, _batch, sample in workspace.assignments.all_rows()
        if sample and a == people["alice"] and workspace.documents.status_of(d, a) == "done"
    ]
    label = workspace.labels.list()[2]
    workspace.annotations.add(sample_done[0], people["alice"], label.id, 10, 16)
    window.refresh()
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert service.computations == 2 and panel.result is not first
    shown = {
        panel.table.item(r, 0).text(): panel.table.item(r, 1).text() for r in range(panel.table.rowCount())
    }
    before = {row["label"]: row["alpha"] for row in first.alpha}
    after = {row["label"]: row["alpha"] for row in panel.result.alpha}
    assert before[label.name] != after[label.name] and label.name in shown
    # Refreshes asked for while one runs are not lost: the last one reports the latest figures.
    workspace.annotations.add(sample_done[0], people["alice"], label.id, 20, 24)
    window.refresh()
    window.refresh()
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
    assert service.computations == 3
