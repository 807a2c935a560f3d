"""The review window's agreement panel shows document-label agreement (documents as units) beside
the span figures, with the same numbers as ``annotator agreement`` (real window, real database,
the real command)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.services.workspace import Workspace
from annotator.ui.review_window import ReviewWindow
from tests.cli.test_cli import run
from tests.services.conftest import import_ok, write_jsonl

# Document label X on four documents both finished: alice 1,1,0,1 and bob 1,1,0,0.
# - Cohen's kappa: p_o = 3/4, p_e = 3/4 * 1/2 + 1/4 * 1/2 = 1/2 -> (3/4 - 1/2) / (1 - 1/2) = 1/2.
# - Krippendorff's alpha (nominal): coincidences o11 = 4, o00 = 2, o10 = o01 = 1; n1 = 5, n0 = 3,
#   n = 8 -> alpha = 1 - (n - 1) * (o10 + o01) / (2 * n1 * n0) = 1 - 7 * 2 / 30 = 8/15.
# - Fleiss' kappa: per-document agreement 1, 1, 1, 0 -> P = 3/4; p1 = 5/8, P_e = (25 + 9) / 64
#   -> (3/4 - 34/64) / (1 - 34/64) = 14/30 = 7/15.
# Label Y: alice gave it to documents 0 and 1, bob to none: kappa 0 (p_o = p_e = 1/2).
ALICE = [{"X", "Y"}, {"X", "Y"}, set(), {"X"}]
BOB = [{"X"}, {"X"}, set(), set()]
KAPPA_X, ALPHA_X, FLEISS_X = 1 / 2, 8 / 15, 7 / 15


@pytest.fixture
def labelled(workspace: Workspace, tmp_path: Path) -> Workspace:
    records = []
    for n, (a, b) in enumerate(zip(ALICE, BOB, strict=True)):
        given = [{"label": x, "annotator": "alice"} for x in sorted(a)]
        given += [{"label": x, "annotator": "bob"} for x in sorted(b)]
        records.append(
            {
                "id": f"d{n}",
                "text": f"Document number {n}, with a sentence to read.",
                "status": [{"annotator": "alice", "state": "done"}, {"annotator": "bob", "state": "done"}],
                "document_labels": given,
            }
        )
    workspace.annotators.sign_in("sam", "supervisor")
    for name in ("X", "Y"):
        workspace.labels.create(name, kind="document", label_set=name, multiple=False)
    import_ok(workspace, write_jsonl(tmp_path / "in.jsonl", records))
    return workspace


def test_the_panel_shows_document_label_alpha_and_kappa_as_the_command_does(
    qtbot, labelled: Workspace, database_factory
) -> None:
    window = ReviewWindow(labelled, labelled.annotators.find("sam"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    panel = window.overview
    assert panel.document_table.isVisible() and panel.document_heading.isVisible()
    rows = {
        panel.document_table.item(r, 0).text(): [
            panel.document_table.item(r, c).text() for c in range(1, panel.document_table.columnCount())
        ]
        for r in range(panel.document_table.rowCount())
    }
    assert rows["X"] == [f"{ALPHA_X:.2f}", f"{FLEISS_X:.2f}", "4"] == ["0.53", "0.47", "4"]
    # The span table is about span labels only: no document label among its rows.
    span_rows = {panel.alpha_table.item(r, 0).text() for r in range(panel.alpha_table.rowCount())}
    assert not {"X", "Y"} & span_rows
    # The pair matrix for a document label: Cohen's kappa over the documents both finished.
    panel.label_choice.setCurrentIndex(panel.label_choice.findText("document label: X"))
    assert not panel.metric.isEnabled()
    assert panel.matrix.item(0, 1).text() == panel.matrix.item(1, 0).text() == "0.50"
    assert panel.cell_value("alice", "bob")[0] == pytest.approx(KAPPA_X)
    panel.label_choice.setCurrentIndex(panel.label_choice.findText("document label: Y"))
    assert panel.matrix.item(0, 1).text() == "0.00"
    panel.label_choice.setCurrentIndex(0)
    assert panel.metric.isEnabled()

    # The command's figures are the panel's.
    done = run("--db", database_factory("desk.db"), "agreement", "--json")
    assert done.returncode == 0, done.stderr
    cli = orjson.loads(done.stdout)["document_labels"]
    alpha = {r["label"]: r["alpha"] for r in cli["alpha"]}
    fleiss = {r["label"]: r["kappa"] for r in cli["fleiss"]}
    kappa = {r["label"]: r["kappa"] for r in cli["pairs"]}
    assert alpha["X"] == pytest.approx(ALPHA_X)
    assert fleiss["X"] == pytest.approx(FLEISS_X)
    assert kappa["X"] == pytest.approx(KAPPA_X)
    assert rows["X"][:2] == [f"{alpha['X']:.2f}", f"{fleiss['X']:.2f}"]
    assert rows["Y"][0] == f"{alpha['Y']:.2f}"
    shown = panel.result["document_labels"]
    assert [r["alpha"] for r in shown["alpha"]] == pytest.approx([r["alpha"] for r in cli["alpha"]])


def test_no_document_labels_no_document_section(qtbot, workspace: Workspace) -> None:
    workspace.ensure_sample()
    window = ReviewWindow(workspace, workspace.annotators.sign_in("sam", "supervisor"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert not window.overview.document_table.isVisible()
    assert window.overview.document_table.rowCount() == 0
