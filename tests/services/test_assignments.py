"""Issue 13 on both backends: assigning by rule and by hand, re-planning without losing work,
queues, progress figures from aggregates, and agreement on the sample (the review's numbers)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.domain.agreement import compute_agreement
from annotator.domain.errors import AnnotatorError
from annotator.services.team.progress_csv import progress_csv
from annotator.services.workspace import Workspace


def setup_team(ws: Workspace, tmp_path: Path, documents: int = 12) -> dict[str, int]:
    for i in range(documents):
        (tmp_path / f"doc{i:02d}.txt").write_text(f"Document {i}. " + "Talks in Beijing ended. " * (i + 1))
    assert ws.importer.import_paths(sorted(tmp_path.glob("doc*.txt"))).ok
    people = {}
    for name in ("sam", "alice", "bob", "carol"):
        people[name] = ws.annotators.sign_in(name).id
    return people


def stored(ws: Workspace) -> set[tuple[int, int]]:
    return {(d, a) for d, a, *_rest in ws.assignments.all_rows()}


def test_assign_by_rule_dry_run_then_store(ws: Workspace, tmp_path: Path) -> None:
    people = setup_team(ws, tmp_path)
    dry = ws.assignments.assign_by_rule(by="sam", n=2, seed=4, dry_run=True)
    assert dry.rows == 24 and dry.documents == 12 and dry.dry_run
    assert stored(ws) == set()  # a dry run stores nothing
    assert [name for name, _load in dry.loads] == ["alice", "bob", "carol"]  # annotators only
    assert "would assign 24 assignments of 12 documents" in dry.lines()[0]
    done = ws.assignments.assign_by_rule(by="sam", n=2, seed=4)
    assert len(stored(ws)) == 24 and people["sam"] not in {a for _d, a in stored(ws)}
    lengths = [x.length for _n, x in done.loads]
    longest = max(d.length for d in ws.documents.list_for(people["alice"]))
    assert max(lengths) - min(lengths) <= longest
    # The same seed, the same plan.
    again = ws.assignments.assign_by_rule(by="sam", n=2, seed=4, dry_run=True)
    assert [(n, x.documents, x.length) for n, x in again.loads] == [
        (n, x.documents, x.length) for n, x in done.loads
    ]


def test_only_a_supervisor_assigns(ws: Workspace, tmp_path: Path) -> None:
    setup_team(ws, tmp_path)
    for who in ("alice", None, "nobody"):
        if who is None and not ws.is_sqlite:
            continue  # on PostgreSQL, no name is the owner's own connection
        with pytest.raises(AnnotatorError, match="only a supervisor assigns documents"):
            ws.assignments.assign_by_rule(by=who, n=1)
        with pytest.raises(AnnotatorError, match="only a supervisor"):
            ws.assignments.clear(by=who)
    assert stored(ws) == set()


def test_replanning_and_clearing_keep_work_done(ws: Workspace, tmp_path: Path) -> None:
    people = setup_team(ws, tmp_path)
    ws.assignments.assign_by_rule(by="sam", n=1, seed=1)
    alice_queue = ws.assignments.queue(people["alice"])
    worked, finished = alice_queue[0], alice_queue[1]
    label = ws.labels.list()[0].id
    ws.annotations.add(worked, people["alice"], label, 0, 8)
    ws.documents.set_status(finished, people["alice"], "done")
    # Re-plan with other people and another seed: alice's two stay hers.
    summary = ws.assignments.assign_by_rule(by="sam", annotators=["bob", "carol"], n=1, seed=9)
    assert summary.kept == 2
    pairs = stored(ws)
    assert {(worked, people["alice"]), (finished, people["alice"])} <= pairs
    assert {a for _d, a in pairs} == {people["alice"], people["bob"], people["carol"]}
    removed, kept = ws.assignments.clear(by="sam")
    assert kept == 2 and removed == len(pairs) - 2
    assert stored(ws) == {(worked, people["alice"]), (finished, people["alice"])}
    assert ws.annotations.spans_for(worked, people["alice"])  # the work itself untouched


def test_sample_rule_queue_order_and_hand_assignment(ws: Workspace, tmp_path: Path) -> None:
    people = setup_team(ws, tmp_path)
    summary = ws.assignments.assign_by_rule(by="sam", n=1, sample_percent=25, seed=2)
    assert summary.sample == 3
    rows = ws.assignments.all_rows()
    sample = {d for d, _a, _p, _b, s in rows if s}
    assert len(sample) == 3
    for name in ("alice", "bob", "carol"):
        queue = ws.assignments.queue(people[name])
        assert set(queue[:3]) == sample  # the sample first
        listed = ws.documents.list_for(people[name])
        ordered, place = ws.assignments.queue_first(listed, people[name])
        assert [d.id for d in ordered[: len(queue)]] == queue
        assert place[queue[0]] == 1 and len(ordered) == 12
    # By hand: appended to the end of the queue; already assigned pairs are not repeated.
    extra = next(
        d.id
        for d in ws.documents.list_for(people["alice"])
        if d.id not in ws.assignments.queue(people["alice"])
    )
    before = ws.assignments.queue(people["alice"])
    ws.assignments.assign_by_hand(by="sam", documents=[extra, before[0]], annotators=["alice"])
    assert ws.assignments.queue(people["alice"]) == [*before, extra]
    assert ws.assignments.document_ids([ws.documents.get(extra).uid]) == [extra]
    with pytest.raises(AnnotatorError, match="no document with the id 'nope'"):
        ws.assignments.document_ids(["nope"])
    with pytest.raises(AnnotatorError, match="no annotator named 'zed'"):
        ws.assignments.assign_by_hand(by="sam", documents=[extra], annotators=["zed"])


def test_progress_figures_come_from_the_stored_work(ws: Workspace, tmp_path: Path) -> None:
    people = setup_team(ws, tmp_path, documents=6)
    ws.assignments.assign_by_rule(by="sam", n=2, seed=3)
    label_ids = [x.id for x in ws.labels.list()]
    alice = ws.assignments.queue(people["alice"])
    ws.annotations.add(alice[0], people["alice"], label_ids[0], 0, 8)
    ws.annotations.add(alice[0], people["alice"], label_ids[1], 10, 16)
    ws.annotations.add(alice[1], people["alice"], label_ids[0], 0, 8)
    ws.documents.set_status(alice[1], people["alice"], "done")
    progress = ws.progress.team_progress(days=2)
    by_name = {p.name: p for p in progress.people}
    assert set(by_name) == {"alice", "bob", "carol"}  # sam did nothing
    a = by_name["alice"]
    assert (a.assigned, a.in_progress, a.done, a.done_total, a.spans) == (4, 1, 1, 1, 3)
    assert a.not_started == 2
    assert progress.label_counts["alice"][:2] == [2, 1]
    assert len(progress.hours) == 48 and sum(progress.spans_per_hour["alice"]) == 3
    assert progress.spans_per_hour["alice"][-1] == 3  # this hour
    assert by_name["bob"].spans == 0
    later = ws.progress.team_progress(days=1, now=datetime.now(UTC) + timedelta(days=3))
    assert sum(later.spans_per_hour["alice"]) == 0  # out of the window
    csv = progress_csv(progress, None)
    assert "documents,alice,done,1" in csv and "labels,alice,strategic messaging,2" in csv


def test_agreement_on_the_sample_matches_the_review_figures(ws: Workspace, tmp_path: Path) -> None:
    people = setup_team(ws, tmp_path, documents=8)
    ws.assignments.assign_by_rule(by="sam", n=1, sample_percent=50, seed=5)
    sample = sorted({d for d, _a, _p, _b, s in ws.assignments.all_rows() if s})
    labels = [x.id for x in ws.labels.list()]
    for k, name in enumerate(("alice", "bob", "carol")):
        for i, doc in enumerate(sample[: 3 - k]):  # alice finishes 3, bob 2, carol 1
            ws.annotations.add(doc, people[name], labels[i % 2], 0, 8 + k)
            ws.annotations.add(doc, people[name], labels[2], 12, 20)
            ws.documents.set_status(doc, people[name], "done")
    result = ws.sample_agreement.sample_agreement()
    assert result.documents == 4
    assert result.finished == {"alice": 3, "bob": 2, "carol": 1}
    # Only sample documents are done: the review's figures are the same numbers.
    review = ws.review.agreement()
    assert result.alpha == review["alpha"] and result.overall_alpha == review["overall_alpha"]
    assert result.counted == review["documents"] == 3
    [point] = result.timeline  # all finished today, by at least two annotators: 2 documents
    assert point.documents == 2
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert point.day == today
    # A non-sample document finished by two changes the review, not the sample's figures.
    other = next(d for d in ws.assignments.queue(people["alice"]) if d not in sample)
    for name in ("alice", "bob"):
        ws.annotations.add(other, people[name], labels[3], 0, 5)
        ws.documents.set_status(other, people[name], "done")
    assert ws.sample_agreement.sample_agreement().alpha == result.alpha
    assert ws.review.agreement()["documents"] == 4
    assert isinstance(compute_agreement([], ["a"], ["x"])["alpha"], list)


def test_an_assigned_document_deleted_leaves_no_assignment(ws: Workspace, tmp_path: Path) -> None:
    people = setup_team(ws, tmp_path, documents=3)
    ws.assignments.assign_by_rule(by="sam", n=3, seed=0)
    doc = ws.assignments.queue(people["alice"])[0]
    ws.documents.delete(ws.documents.get(doc).uid)
    assert doc not in ws.assignments.queue(people["alice"])
    with ws.db.engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM assignment WHERE document_id = :d"), {"d": doc}).scalar()
            == 0
        )


def tally_is_exact(ws: Workspace) -> dict[tuple[int, int, str], int]:
    """The triggers' tally equals a count of the spans, per annotator, label and hour."""
    hour = (
        "substr(created_at, 1, 13)"
        if ws.is_sqlite
        else "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"
    )
    with ws.db.engine.connect() as conn:
        tally = {
            (a, lab, h): n
            for a, lab, h, n in conn.execute(
                text("SELECT annotator_id, label_id, hour, n FROM span_tally WHERE n <> 0")
            )
        }
        real = {
            (a, lab, h): n
            for a, lab, h, n in conn.execute(
                text(f"SELECT annotator_id, label_id, {hour}, count(*) FROM span GROUP BY 1, 2, 3")
            )
        }
    assert tally == real
    return tally


def test_the_span_tally_follows_every_kind_of_change(ws: Workspace, tmp_path: Path) -> None:
    from tests.services.conftest import write_jsonl

    people = setup_team(ws, tmp_path, documents=3)
    text_ = "Putin met Xi in Beijing. Talks ended without a deal."
    records = [
        {
            "id": f"imported-{i}",
            "text": text_,
            "spans": [
                {"start": 0, "end": 5, "label": "framing", "annotator": "alice"},
                {"start": 10, "end": 12, "label": "leverage", "annotator": "bob"},
                {"start": 16, "end": 23, "label": "framing", "annotator": "dora"},
            ],
        }
        for i in range(3)
    ]
    result = ws.importer.import_paths([write_jsonl(tmp_path / "spans.jsonl", records)])  # the bulk path
    # The count is of spans, not of the rows the tally's triggers wrote too.
    assert "9 spans added, 0 already present" in result.files[0].summary()
    again = ws.importer.import_paths([tmp_path / "spans.jsonl"])
    assert "0 spans added, 9 already present" in again.files[0].summary()
    assert sum(tally_is_exact(ws).values()) == 9
    doc = ws.assignments.document_ids(["imported-0"])[0]
    labels = [x.id for x in ws.labels.list()]
    span = ws.annotations.add(doc, people["alice"], labels[0], 30, 35)
    tally_is_exact(ws)
    ws.annotations.relabel(span.id, labels[1])
    tally_is_exact(ws)
    ws.annotations.delete(span.id)
    assert sum(tally_is_exact(ws).values()) == 9
    ws.documents.delete("imported-1")  # cascades to its spans
    assert sum(tally_is_exact(ws).values()) == 6
    progress = {p.name: p for p in ws.progress.team_progress().people}
    assert (progress["alice"].spans, progress["bob"].spans, progress["dora"].spans) == (2, 2, 2)
