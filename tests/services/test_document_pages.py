"""The document list as pages: filtered, sorted, counted and searched in the database, on both
backends (and on PostgreSQL as a team member, who reads documents as before)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator.domain.text_search import first_match
from annotator.services import document_pages
from annotator.services.document_pages import UNFINISHED, DocumentQuery
from annotator.services.workspace import Workspace
from tests.services.conftest import import_ok, write_jsonl
from tests.store.team import Team, make_team

TEXTS = {
    "a": ("Zebra report", "Trade talks in Geneva.\nThe zeppelin landed; another Zeppelin followed."),
    "b": ("apple notes", "Family 👩‍👩‍👧 emoji, then zeppelin after the emoji."),
    "c": ("Mango", "東京のニュース: zeppelin 東京 again 東京."),
    "d": ("kiwi", "שלום עולם zeppelin שלום"),
    "e": ("Lemon 100%_off", "Nothing to see here, 50%_discount only."),
}


@pytest.fixture
def listed(ws: Workspace, tmp_path: Path) -> tuple[Workspace, int, dict[str, int]]:
    records = [{"id": uid, "title": title, "text": text} for uid, (title, text) in TEXTS.items()]
    import_ok(ws, write_jsonl(tmp_path / "docs.jsonl", records))
    me = ws.annotators.sign_in("alice").id
    ids = {s.uid: s.id for s in ws.documents.list_for(me)}
    return ws, me, ids


def uids(ws: Workspace, query: DocumentQuery) -> list[str]:
    return [row.uid for row in ws.document_pages.page(query, 0, 100).rows]


def test_pages_count_and_order_like_the_import(listed) -> None:
    ws, me, ids = listed
    pages = ws.document_pages
    query = DocumentQuery(me)
    assert pages.count(query) == 5
    assert [r.uid for r in pages.page(query, 1, 2).rows] == ["b", "c"]
    assert pages.page(query, 5, 10).rows == []
    assert pages.row_of(query, ids["d"]) == 3
    assert pages.progress(me) == (0, 5)


def test_sorted_and_filtered_by_status_in_the_database(listed) -> None:
    ws, me, ids = listed
    ws.documents.set_status(ids["c"], me, "done")
    ws.documents.set_status(ids["a"], me, "in_progress")
    ws.annotations.add(ids["e"], me, ws.labels.list()[0].id, 0, 7)
    pages = ws.document_pages
    assert uids(ws, DocumentQuery(me, sort="title")) == ["b", "d", "e", "c", "a"]  # case-insensitive
    assert uids(ws, DocumentQuery(me, sort="title", descending=True)) == ["a", "c", "e", "d", "b"]
    # (the span put e in progress) to do, in progress, done:
    assert uids(ws, DocumentQuery(me, sort="status")) == ["b", "d", "a", "e", "c"]
    assert uids(ws, DocumentQuery(me, sort="spans", descending=True))[0] == "e"
    assert uids(ws, DocumentQuery(me, status="done")) == ["c"]
    assert uids(ws, DocumentQuery(me, status="todo")) == ["b", "d"]
    assert uids(ws, DocumentQuery(me, status=UNFINISHED)) == ["a", "b", "d", "e"]
    assert pages.count(DocumentQuery(me, status="in_progress")) == 2
    assert pages.progress(me) == (1, 5)
    [e] = pages.page(DocumentQuery(me, needle="lemon"), 0, 10).rows
    assert (e.status, e.span_count) == ("in_progress", 1)
    # Next unfinished in list order, wrapping, ignoring the filter: after d comes e, then a.
    assert pages.next_unfinished(DocumentQuery(me, status="done"), ids["d"]) == ids["e"]
    assert pages.next_unfinished(DocumentQuery(me), ids["e"]) == ids["a"]
    assert pages.row_of(DocumentQuery(me, status="done"), ids["a"]) is None


def test_search_matches_titles_ids_and_text_with_hits(listed) -> None:
    ws, me, ids = listed
    pages = ws.document_pages
    query = DocumentQuery(me, needle="ZEPPELIN")
    page = pages.page(query, 0, 10)
    assert [r.uid for r in page.rows] == ["a", "b", "c", "d"]
    assert pages.count(query) == 4
    assert page.hits == {ids["a"]: 2, ids["b"]: 1, ids["c"]: 1, ids["d"]: 1}
    assert uids(ws, DocumentQuery(me, needle="apple")) == ["b"]  # a title
    assert uids(ws, DocumentQuery(me, needle="東京")) == ["c"]  # two code points: row by row, in text
    assert uids(ws, DocumentQuery(me, needle="東京のニ")) == ["c"]
    assert uids(ws, DocumentQuery(me, needle="שלום עולם")) == ["d"]
    assert uids(ws, DocumentQuery(me, needle="👩‍👩‍👧 emoji")) == ["b"]
    assert uids(ws, DocumentQuery(me, needle="%_d")) == ["e"]  # LIKE's wildcards taken literally
    assert uids(ws, DocumentQuery(me, needle="0%_o")) == ["e"]
    assert uids(ws, DocumentQuery(me, needle="nowhere at all")) == []
    assert uids(ws, DocumentQuery(me, needle="zeppelin", status="done")) == []
    assert pages.row_of(query, ids["c"]) == 2


def test_search_index_follows_deleted_documents(listed) -> None:
    ws, me, _ids = listed
    ws.documents.delete("a")
    assert uids(ws, DocumentQuery(me, needle="zeppelin")) == ["b", "c", "d"]


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("Family 👩‍👩‍👧 emoji, then zeppelin", "zeppelin", "zeppelin"),
        ("東京のニュース: Zeppelin", "zeppelin", "Zeppelin"),
        ("שלום עולם zeppelin", "עולם", "עולם"),
        ("a😀b ZEPpelin", "zeppelin", "ZEPpelin"),
    ],
)
def test_first_match_is_in_code_points(text: str, needle: str, expected: str) -> None:
    start, end = first_match(text, needle)  # type: ignore[misc]
    assert text[start:end] == expected


@pytest.fixture
def team(database_factory: Callable[[str], str], tmp_path: Path, backend: str) -> Iterator[Team]:
    if backend != "postgresql":
        pytest.skip("team members exist on PostgreSQL only")
    yield from make_team(database_factory, tmp_path)


def test_a_team_member_pages_and_searches_with_their_own_counts(team: Team) -> None:
    alice_ws = team.open("alice")
    alice = alice_ws.annotators.sign_in(team.roles["alice"])
    bob_ws = team.open("bob")
    bob = bob_ws.annotators.sign_in(team.roles["bob"])
    label = alice_ws.labels.list()[0].id
    alice_ws.annotations.add(team.document_id, alice.id, label, 0, 5)
    bob_ws.documents.set_status(team.document_id, bob.id, "done")
    pages = alice_ws.document_pages
    [row] = pages.page(DocumentQuery(alice.id, needle="beijing"), 0, 10).rows
    assert (row.span_count, row.status) == (1, "in_progress")
    assert pages.page(DocumentQuery(alice.id, needle="beijing"), 0, 10).hits == {team.document_id: 1}
    assert [r.id for r in pages.page(DocumentQuery(alice.id, needle="ji"), 0, 10).rows] == [team.document_id]
    assert pages.page(DocumentQuery(alice.id, sort="spans"), 0, 10).rows == [row]
    assert pages.progress(alice.id) == (0, 1)
    assert bob_ws.document_pages.progress(bob.id) == (1, 1)
    [seen_by_bob] = bob_ws.document_pages.page(DocumentQuery(bob.id), 0, 10).rows
    assert seen_by_bob.span_count == 0  # alice's span is not bob's to count
    assert bob_ws.document_pages.next_unfinished(DocumentQuery(bob.id), None) is None


def test_a_needle_in_most_documents_is_searched_row_by_row_with_the_same_rows(listed, monkeypatch) -> None:
    ws, me, _ids = listed
    queries = [DocumentQuery(me, needle=n) for n in ("zeppelin", "ZEPPELIN", "%_d", "apple", "東京のニ", "e")]
    indexed = [uids(ws, q) for q in queries]
    monkeypatch.setattr(document_pages, "COMMON", 1)  # more than one document: "common"
    fresh = document_pages.DocumentPages(ws.db)
    assert [[r.uid for r in fresh.page(q, 0, 100).rows] for q in queries] == indexed
    assert fresh.count_upto(DocumentQuery(me, needle="zeppelin"), 2) == (2, False)
    assert fresh.count_upto(DocumentQuery(me, needle="zeppelin"), 4) == (4, True)
    assert fresh.count_upto(DocumentQuery(me), 2) == (5, True)  # no search: counted exactly


SHORT = {
    "tariff": ("Trade", "新しい関税が発表された。関税は三月から。Tax on imports."),
    "zei": ("税", "消費税の話。"),  # the needle in the title only
    "emoji": ("Smiles", "A smile 😀 and a thumb 👍🏽, then 😀 again."),
    "marks": ("Accents", "Cafe\u0301 and CAFE\u0301, e\u0301e\u0301."),  # e + combining acute
    "rtl": ("Hebrew", "שלום עולם, של מי?"),
    "ete": ("Précis", "ÉTÉ été"),  # precomposed é in both cases
    "plain": ("Nothing", "No match here at all."),
    "ids": ("Untitled", "Body text."),
}


@pytest.fixture
def short_listed(ws: Workspace, tmp_path: Path) -> tuple[Workspace, int, dict[str, int]]:
    records = [{"id": uid, "title": title, "text": text} for uid, (title, text) in SHORT.items()]
    records.append({"id": "税-7", "title": "By id", "text": "Id only."})
    import_ok(ws, write_jsonl(tmp_path / "short.jsonl", records))
    me = ws.annotators.sign_in("alice").id
    return ws, me, {s.uid: s.id for s in ws.documents.list_for(me)}


@pytest.mark.parametrize(
    ("needle", "found", "hits"),
    [
        ("関税", ["tariff"], {"tariff": 2}),
        ("税", ["tariff", "zei", "税-7"], {"tariff": 2, "zei": 1, "税-7": 0}),
        ("😀", ["emoji"], {"emoji": 2}),
        ("👍🏽", ["emoji"], {"emoji": 1}),  # thumb + skin tone: two code points
        ("e\u0301", ["marks"], {"marks": 4}),  # a letter and its combining mark, any case
        ("E\u0301", ["marks"], {"marks": 4}),
        ("של", ["rtl"], {"rtl": 2}),
        ("ax", ["tariff"], {"tariff": 1}),  # "Tax": cased, matched case-insensitively
        ("AX", ["tariff"], {"tariff": 1}),
        ("é", ["ete"], {"ete": 4}),  # any case, beyond ASCII
        ("TÉ", ["ete"], {"ete": 2}),
        ("S.", ["tariff"], {"tariff": 1}),  # "imports.": the dot taken literally
        ("A.", [], {}),  # (a dot matching anything would find "Tax")
        ("q", [], {}),
        ("%", [], {}),  # LIKE's wildcards taken literally
    ],
)
def test_one_and_two_character_needles_search_text(short_listed, needle, found, hits) -> None:
    ws, me, ids = short_listed
    pages = ws.document_pages
    query = DocumentQuery(me, needle=needle)
    page = pages.page(query, 0, 100)
    assert [r.uid for r in page.rows] == found
    assert pages.count(query) == len(found)
    assert pages.count_upto(query, 100) == (len(found), True)
    assert page.hits == {ids[uid]: n for uid, n in hits.items()}
    for uid in found:
        assert pages.row_of(query, ids[uid]) == found.index(uid)


def test_a_short_needle_in_many_documents_is_counted_up_to_the_cap(short_listed) -> None:
    ws, me, _ids = short_listed
    pages = ws.document_pages
    query = DocumentQuery(me, needle="a")  # in most of them
    every = [r.uid for r in pages.page(query, 0, 100).rows]
    assert every == ["tariff", "emoji", "marks", "plain"] and pages.count(query) == 4
    assert pages.count_upto(query, 2) == (2, False)
    assert [r.uid for r in pages.page(query, 1, 2).rows] == every[1:3]
    assert uids(ws, DocumentQuery(me, needle="税", status="done")) == []


def test_a_short_needle_follows_added_and_deleted_documents(short_listed, tmp_path, monkeypatch) -> None:
    ws, me, _ids = short_listed
    pages = ws.document_pages
    query = DocumentQuery(me, needle="税")
    assert uids(ws, query) == ["tariff", "zei", "税-7"]
    ws.documents.delete("zei")
    assert uids(ws, query) == ["tariff", "税-7"]
    import_ok(ws, write_jsonl(tmp_path / "more.jsonl", [{"id": "new", "text": "所得税と住民税"}]))
    assert uids(ws, query) == ["tariff", "税-7", "new"]
    assert pages.page(query, 0, 10).hits[ws.documents.list_for(me)[-1].id] == 2
    # In more than COMMON documents: searched row by row in the list's order, the same rows.
    monkeypatch.setattr(document_pages, "COMMON", 1)
    fresh = document_pages.DocumentPages(ws.db)
    assert [r.uid for r in fresh.page(query, 0, 10).rows] == ["tariff", "税-7", "new"]
    assert fresh.count_upto(query, 2) == (2, False)
