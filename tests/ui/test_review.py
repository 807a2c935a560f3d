"""Review and adjudication, driven through the real review window on a real database."""

from __future__ import annotations

import orjson
import pytest
from PySide6.QtCore import Qt

from annotator.domain.errors import AnnotatorError
from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace
from annotator.ui.review_window import ReviewWindow
from tests.ui.helpers import select_by_keyboard

WORK = {
    "alice": [("Beijing and Moscow", "leverage"), ("symbolic alignment", "framing")],
    "bob": [("Beijing and Moscow", "leverage"), ("symbolic alignment", "strategic messaging")],
    "carol": [("Beijing and Moscow", "leverage"), ("concrete economic breakthroughs", "economic outcome")],
}


@pytest.fixture
def review(qtbot, workspace):
    workspace.ensure_sample()
    labels = {x.name: x.id for x in workspace.labels.list()}
    supervisor = workspace.annotators.sign_in("sam", "supervisor")  # the first to sign in supervises
    for name, spans in WORK.items():
        me = workspace.annotators.sign_in(name)
        doc = workspace.documents.list_for(me.id)[0]
        text = workspace.documents.get(doc.id).text
        for needle, label in spans:
            start = text.index(needle)
            workspace.annotations.add(doc.id, me.id, labels[label], start, start + len(needle))
        workspace.documents.set_status(doc.id, me.id, "done")
    window = ReviewWindow(workspace, supervisor)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_annotators_cannot_open_review(qtbot, workspace) -> None:
    workspace.annotators.sign_in("sam")  # the database's first supervisor
    alice = workspace.annotators.sign_in("alice")
    with pytest.raises(AnnotatorError, match="only a supervisor"):
        ReviewWindow(workspace, alice)


def test_review_menu_is_disabled_for_annotators(make_window) -> None:
    window = make_window("alice")
    assert not window.review_action.isEnabled()
    window.open_review()
    assert "supervisor" in window.statusBar().currentMessage()


def test_overview_shows_alpha_and_pair_matrix(review) -> None:
    result = review.overview.result
    assert result["annotators"] == ["alice", "bob", "carol"]  # the supervisor finished nothing
    leverage = next(r for r in result["alpha"] if r["label"] == "leverage")
    assert leverage["alpha"] == pytest.approx(1.0)
    assert review.overview.alpha_table.rowCount() == 4
    assert review.overview.matrix.rowCount() == 3
    value, _ = review.overview.cell_value("alice", "bob")
    # F1 overlap mean over defined labels: leverage 1, framing 0, strategic messaging 0 -> 1/3
    assert value == pytest.approx(1 / 3)
    assert review.overview.matrix.item(0, 1).text() == "0.33"


def test_passages_tell_agreement_from_disagreement(review) -> None:
    verdicts = {
        review.comparison.text[p.start : p.end]: p.verdict for p in review.passages.passage_model.passages
    }
    assert verdicts == {
        "Beijing and Moscow": "agree",
        "symbolic alignment": "only",  # carol marked nothing there
        "concrete economic breakthroughs": "only",
    }
    assert review.rows[0].disagreements == 2


def test_accept_into_gold_with_undo_and_export(qtbot, review, workspace, tmp_path) -> None:
    passages = review.passages.passage_model.passages
    row = next(
        i for i, p in enumerate(passages) if review.comparison.text[p.start : p.end] == "symbolic alignment"
    )
    review.passages.selectRow(row)
    qtbot.mouseClick(review.accept_buttons["bob"], Qt.MouseButton.LeftButton)
    gold = workspace.annotators.find("gold")
    doc = review.comparison.document_id
    [span] = workspace.annotations.spans_for(doc, gold.id)
    assert span.label_id == workspace.labels.by_name("strategic messaging").id
    assert "strategic messaging" in review.passages.passage_model.index(row, 5).data()
    review.gold_view.setFocus()
    qtbot.keyClick(review.gold_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert workspace.annotations.spans_for(doc, gold.id) == []
    qtbot.keyClick(
        review.gold_view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(workspace.annotations.spans_for(doc, gold.id)) == 1
    review.accept_agreed()
    assert len(workspace.annotations.spans_for(doc, gold.id)) == 2
    # The supervisor adds a span of their own in the gold view, by selection and hotkey.
    review.gold_view.setFocus()
    select_by_keyboard(qtbot, review.gold_view, "multipolar world order")
    qtbot.keyClick(review.gold_view, Qt.Key.Key_4)
    assert len(workspace.annotations.spans_for(doc, gold.id)) == 3
    qtbot.keyClick(review, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert review.rows[0].reviewed
    out = tmp_path / "gold.jsonl"
    summary = workspace.exporter.export("jsonl", ExportFilter(gold=True), path=out)
    assert summary.spans == 3
    import orjson

    record = orjson.loads(out.read_bytes().splitlines()[0])
    assert sorted(s["text"] for s in record["spans"]) == [
        "Beijing and Moscow",
        "multipolar world order",
        "symbolic alignment",
    ]
    assert {s["annotator"] for s in record["spans"]} == {"gold"}
    assert record["status"] == [{"annotator": "gold", "state": "done", "guidelines_version": None}]


def test_gold_is_never_an_annotator_in_agreement(review, workspace) -> None:
    review.accept_agreed()
    review.mark_reviewed()
    assert "gold" not in workspace.review.agreement()["annotators"]


def test_new_work_appears_without_a_restart(review, workspace) -> None:
    doc = review.comparison.document_id
    before = len(review.comparison.spans["alice"])
    review.refresh_if_changed()  # nothing new: the open document is not reloaded
    assert len(review.comparison.spans["alice"]) == before
    alice = workspace.annotators.find("alice")
    label = workspace.labels.by_name("framing").id
    text = review.comparison.text
    start = text.index("multipolar")
    workspace.annotations.add(doc, alice.id, label, start, start + len("multipolar"))  # "another desktop"
    review.refresh_if_changed()
    assert len(review.comparison.spans["alice"]) == before + 1
    assert "latest work" in review.statusBar().currentMessage()
    # The supervisor's own gold edits do not count as news.
    seen = review._seen
    review.accept_agreed()
    assert review.review.fingerprint() == seen


def test_sqlite_has_no_listener_and_relies_on_the_poll(review, backend) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL listens (next test)")
    assert review.listener is None
    assert review.poll.isActive()


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_postgres_notifies_the_review_window_of_others_work(qtbot, review, workspace, tmp_path) -> None:
    """With the poll stopped, only LISTEN/NOTIFY can bring another desktop's edit and import in."""
    review.poll.stop()
    assert review.listener is not None
    other = Workspace.open(workspace.db.engine.url.render_as_string(hide_password=False))  # another desktop
    try:
        doc = review.comparison.document_id
        before = len(review.comparison.spans["alice"])
        alice = other.annotators.find("alice")
        text = review.comparison.text
        start = text.index("multipolar")
        other.annotations.add(doc, alice.id, other.labels.by_name("framing").id, start, start + 10)
        qtbot.waitUntil(lambda: len(review.comparison.spans["alice"]) == before + 1, timeout=5000)
        assert "latest work" in review.statusBar().currentMessage()
        # An import (which skips the row triggers as the admin role) notifies too.
        uid = other.documents.get(doc).uid
        start = text.index("symbolic")
        record = {"id": uid, "text": text, "spans": [{"start": start, "end": start + 8, "label": "framing"}]}
        path = tmp_path / "carol.jsonl"
        path.write_bytes(orjson.dumps(record) + b"\n")
        assert other.importer.import_paths([path], annotator="carol").ok
        qtbot.waitUntil(lambda: len(review.comparison.spans["carol"]) == 3, timeout=5000)
    finally:
        other.close()
    review.close()
    assert review.listener is None


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_lost_listening_connection_falls_back_to_the_poll_and_listens_again(
    qtbot, review, workspace
) -> None:
    review.poll.stop()
    pid = review.listener._conn.info.backend_pid
    with workspace.db.engine.connect() as conn:  # the server restarting, as far as this connection knows
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    qtbot.waitUntil(lambda: review.listener is None, timeout=5000)
    assert "stopped listening" in review.statusBar().currentMessage()
    review._poll()  # the next poll tick listens again
    assert review.listener is not None and review.listener._conn.info.backend_pid != pid
    doc = review.comparison.document_id
    before = len(review.comparison.spans["bob"])
    bob = workspace.annotators.find("bob")
    start = review.comparison.text.index("multipolar")
    workspace.annotations.add(doc, bob.id, workspace.labels.by_name("framing").id, start, start + 10)
    qtbot.waitUntil(lambda: len(review.comparison.spans["bob"]) == before + 1, timeout=5000)


def test_gold_selection_snaps_to_words_and_trims_like_the_desk(qtbot, review, workspace) -> None:
    """Selecting from inside "fail" to "materialize " stores "fail to materialize", as the desk does."""
    doc = review.comparison.document_id
    gold = review.review.gold()
    review.gold_view.setFocus()
    select_by_keyboard(qtbot, review.gold_view, "ail to materialize\u2029")  # and the line break
    qtbot.keyClick(review.gold_view, Qt.Key.Key_2)
    text = workspace.documents.get(doc).text
    [span] = workspace.annotations.spans_for(doc, gold.id)
    assert text[span.start : span.end] == "fail to materialize"


def test_changing_reviewed_gold_shows_it_in_the_list(qtbot, review, workspace) -> None:
    review.accept_agreed()
    qtbot.keyClick(review, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    row = next(i for i, r in enumerate(review.rows) if r.document_id == review.comparison.document_id)
    assert review.documents.item(row, 3).text() == "yes"
    review.gold_view.setFocus()
    select_by_keyboard(qtbot, review.gold_view, "multipolar world order")
    qtbot.keyClick(review.gold_view, Qt.Key.Key_4)
    gold = review.review.gold()
    assert workspace.documents.status_of(review.comparison.document_id, gold.id) == "in_progress"
    assert review.documents.item(row, 3).text() == "changed"


@pytest.mark.postgres
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_forged_notification_changes_nothing(qtbot, review, workspace) -> None:
    """Anyone connected may NOTIFY any channel (issue 15, 6): the window takes a notification only
    as a hint to compare its fingerprint, never reads its payload, and keeps working."""
    from tests.conftest import psycopg_connect

    review.poll.stop()
    assert review.listener is not None and review.listener.channel != "annotator_changes"
    shown = review.comparison
    seen = review._seen
    refreshed: list[bool] = []
    review._refresh_overview = lambda: refreshed.append(True)  # type: ignore[method-assign]
    checks: list[object] = []
    fingerprint = review.review.fingerprint
    review.review.fingerprint = lambda *a: checks.append(a) or fingerprint(*a)  # type: ignore[method-assign]
    payloads = ["", "span", "import", '{"document_id": -1, "spans": "all"}', "\x1b]0;pwned\x07", "x" * 7900]
    with psycopg_connect(workspace.db.engine.url.render_as_string(hide_password=False)) as conn:
        for channel in (review.listener.channel, "annotator_changes"):
            for payload in payloads:
                conn.execute("SELECT pg_notify(%s, %s)", (channel, payload))
    qtbot.wait(600)  # the notifications arrive, and the gathered refresh runs
    assert checks, "the notifications were not even taken as a hint"
    assert refreshed == [] and review.comparison is shown and review._seen == seen
    assert review.listener is not None  # still listening
    assert "latest work" not in review.statusBar().currentMessage()
    # A real change still comes through.
    del review._refresh_overview
    del review.review.fingerprint
    bob = workspace.annotators.find("bob")
    start = review.comparison.text.index("multipolar")
    before = len(review.comparison.spans["bob"])
    workspace.annotations.add(
        shown.document_id, bob.id, workspace.labels.by_name("framing").id, start, start + 10
    )
    qtbot.waitUntil(lambda: len(review.comparison.spans["bob"]) == before + 1, timeout=5000)
