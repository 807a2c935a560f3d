"""Issue 13: the agreement sample's figures are kept while nothing they depend on changes, so a
refresh with no new work does not read texts and spans again; any change to a span on a finished
sample document, a status, the labels or the sample itself computes them again (both backends)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.services.workspace import Workspace


@pytest.fixture
def ws(database_factory) -> Iterator[Workspace]:
    workspace = Workspace.open(database_factory("sample.db"))
    yield workspace
    workspace.close()


def sample_work(ws: Workspace, tmp_path: Path) -> tuple[dict[str, int], list[int], list[int]]:
    """Four documents (2,000+ characters), all in the sample; alice and bob finish the first two."""
    folder = tmp_path / "texts"
    folder.mkdir()
    for i in range(4):
        (folder / f"doc{i}.txt").write_text(
            f"Document {i}. " + "Talks in Beijing ended without a deal. " * 60
        )
    assert ws.importer.import_paths(sorted(folder.glob("*.txt"))).ok
    people = {n: ws.annotators.sign_in(n).id for n in ("sam", "alice", "bob")}
    ws.assignments.assign_by_rule(by="sam", n=1, sample_percent=100, seed=1)
    labels = [x.id for x in ws.labels.list()]
    docs = sorted({d for d, *_r in ws.assignments.all_rows()})[:2]
    for name in ("alice", "bob"):
        for doc in docs:
            ws.annotations.add(doc, people[name], labels[0], 0, 8)
            ws.documents.set_status(doc, people[name], "done")
    return people, labels, docs


def test_an_unchanged_sample_is_not_computed_again(ws: Workspace, tmp_path: Path) -> None:
    people, labels, docs = sample_work(ws, tmp_path)
    service = ws.sample_agreement
    first = service.sample_agreement(timeline=False)
    assert service.computations == 1 and first.documents == 4 and first.finished == {"alice": 2, "bob": 2}
    assert service.sample_agreement(timeline=False) is first
    assert service.computations == 1
    # The Team view's figures (with the timeline) are computed once, then kept as well; the
    # review's (without) would be served by them.
    with_timeline = service.sample_agreement()
    assert service.computations == 2 and with_timeline.timeline
    assert service.sample_agreement() is with_timeline
    ws.annotations.add(docs[1], people["bob"], labels[1], 10, 15)
    with_timeline = service.sample_agreement()
    assert service.computations == 3
    assert service.sample_agreement(timeline=False) is with_timeline
    assert service.computations == 3


@pytest.mark.parametrize(
    "change",
    ["new span", "moved span", "relabelled span", "deleted span", "status", "new sample document done"],
)
def test_any_change_the_figures_depend_on_computes_them_again(
    ws: Workspace, tmp_path: Path, change: str
) -> None:
    people, labels, docs = sample_work(ws, tmp_path)
    service = ws.sample_agreement
    before = service.sample_agreement(timeline=False)
    alice = people["alice"]
    span = ws.annotations.spans_for(docs[0], alice)[0]
    if change == "new span":  # far into a long text: the checksum's products exceed 32 bits
        ws.annotations.add(docs[0], alice, labels[1], 2_000, 2_005)
    elif change == "moved span":
        ws.annotations.delete(span.id)  # (a move is a delete and an add at the desk)
        ws.annotations.add(docs[0], alice, labels[0], 1, 8)
    elif change == "relabelled span":
        ws.annotations.relabel(span.id, labels[2])
    elif change == "deleted span":
        ws.annotations.delete(span.id)
    elif change == "status":
        ws.documents.set_status(docs[0], alice, "in_progress")
    else:
        third = sorted({d for d, *_r in ws.assignments.all_rows()})[2]
        ws.documents.set_status(third, alice, "done")
    after = service.sample_agreement(timeline=False)
    assert service.computations == 2
    assert after is not before and after != before
