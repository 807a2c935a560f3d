"""Import: plain files normalised, JSONL stored exactly, all-or-nothing per file, merging."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.services.exporting import ExportFilter
from annotator.services.workspace import Workspace
from tests.services.conftest import counts, import_error, import_ok, read_jsonl, write_jsonl

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


def stored_documents(ws: Workspace) -> list[tuple[str, str, str]]:
    with ws.db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT uid, title, text FROM document ORDER BY id"))]


def stored_spans(ws: Workspace) -> set[tuple[str, str, str, int, int, str | None]]:
    query = text(
        'SELECT d.uid, a.name, l.name, s.start, s."end", s.note FROM span s '
        "JOIN document d ON d.id = s.document_id JOIN annotator a ON a.id = s.annotator_id "
        "JOIN label l ON l.id = s.label_id"
    )
    with ws.db.engine.connect() as conn:
        return {tuple(r) for r in conn.execute(query)}  # type: ignore[misc]


def stored_statuses(ws: Workspace) -> dict[tuple[str, str], str]:
    query = text(
        "SELECT d.uid, a.name, st.status FROM document_status st "
        "JOIN document d ON d.id = st.document_id JOIN annotator a ON a.id = st.annotator_id"
    )
    with ws.db.engine.connect() as conn:
        return {(uid, name): status for uid, name, status in conn.execute(query)}


# --- plain files ---------------------------------------------------------------------------------


def test_txt_with_bom_and_crlf_is_normalised_and_titled(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "visit.txt"
    path.write_bytes("\ufeff\r\n  Putin's visit\r\nSecond line\rthird\r\n".encode())
    report = import_ok(ws, path)
    assert (report.format, report.documents_added) == ("txt", 1)
    [(uid, title, body)] = stored_documents(ws)
    assert body == "\n  Putin's visit\nSecond line\nthird\n"
    assert "\r" not in body
    assert not body.startswith("\ufeff")
    assert title == "Putin's visit"
    assert uid == "visit"


def test_md_is_imported_with_heading_as_title(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# The heading\n\nBody *text*.\n", encoding="utf-8")
    report = import_ok(ws, path)
    assert report.format == "md"
    assert stored_documents(ws) == [("notes", "The heading", "# The heading\n\nBody *text*.\n")]


def test_csv_with_text_id_title_columns(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "docs.csv"
    path.write_bytes(
        b'ID,Title,Text,extra\r\nd1,First,"one\r\ntwo",x\r\nd2,,second text,y\r\n,,"no id, no title",z\r\n'
    )
    report = import_ok(ws, path)
    assert (report.format, report.documents_added) == ("csv", 3)
    docs = stored_documents(ws)
    assert docs[0] == ("d1", "First", "one\ntwo")
    assert docs[1] == ("d2", "second text", "second text")
    assert docs[2][1:] == ("no id, no title", "no id, no title")
    assert docs[2][0]  # a uid was generated


def test_csv_without_text_column_is_refused_naming_line_1(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "docs.csv"
    path.write_text("id,body\n1,hello\n", encoding="utf-8")
    error = import_error(ws, path)
    assert str(path) in error
    assert "line 1" in error
    assert "text" in error
    assert counts(ws) == (0, 0, 0)


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \r\n\n", "empty"),
        ("image.txt", PNG, "binary"),
        ("empty.jsonl", b"\n\n", "empty"),
        ("image.csv", PNG, "binary"),
    ],
)
def test_unreadable_files_are_refused_naming_the_file(
    ws: Workspace, tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    error = import_error(ws, path)
    assert str(path) in error
    assert needle in error
    assert counts(ws) == (0, 0, 0)


def test_latin1_file_is_refused_naming_file_and_line(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("first line\nsecond line\nthird: café\n".encode("latin-1"))
    error = import_error(ws, path)
    assert str(path) in error
    assert "line 3" in error
    assert "UTF-8" in error
    assert counts(ws) == (0, 0, 0)


def test_unknown_suffix_is_refused(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF-1.4")
    error = import_error(ws, path)
    assert str(path) in error
    assert ".pdf" in error


def test_same_txt_twice_is_stored_once(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Same text.\n", encoding="utf-8")
    first = import_ok(ws, path)
    second = import_ok(ws, path)
    copy_path = tmp_path / "copy-of-a.txt"
    copy_path.write_text("Same text.\n", encoding="utf-8")
    third = import_ok(ws, copy_path)
    assert (first.documents_added, second.documents_added, third.documents_added) == (1, 0, 0)
    assert (second.documents_merged, third.documents_merged) == (1, 1)
    assert counts(ws)[0] == 1


# --- native JSONL --------------------------------------------------------------------------------

TRICKY = "\ufeffab\r\ncd 😀 e\u0301 中文 שלום\u2028end\r\n"


def tricky_record() -> dict:
    def span(start: int, end: int, label: str, annotator: str, note: str | None = None) -> dict:
        return {
            "start": start,
            "end": end,
            "text": TRICKY[start:end],
            "label": label,
            "annotator": annotator,
            "note": note,
        }

    emoji = TRICKY.index("😀")
    accent = TRICKY.index("e\u0301")
    return {
        "id": "doc-1",
        "title": "Tricky",
        "text": TRICKY,
        "meta": {"source": "wire", "n": 3},
        "spans": [
            span(0, 3, "framing", "alice"),
            span(emoji, emoji + 1, "leverage", "alice", "an emoji"),
            span(accent, accent + 2, "economic outcome", "bob"),
            span(1, len(TRICKY), "strategic messaging", "bob"),
        ],
        "status": {"alice": "done", "bob": "in_progress"},
    }


def test_native_jsonl_is_imported_exactly(ws: Workspace, tmp_path: Path) -> None:
    record = tricky_record()
    path = write_jsonl(tmp_path / "in.jsonl", [record])
    report = import_ok(ws, path)
    assert (report.format, report.documents_added, report.spans_added) == ("jsonl", 1, 4)
    assert stored_documents(ws) == [("doc-1", "Tricky", TRICKY)]
    assert stored_spans(ws) == {
        ("doc-1", s["annotator"], s["label"], s["start"], s["end"], s["note"]) for s in record["spans"]
    }
    assert stored_statuses(ws) == {("doc-1", "alice"): "done", ("doc-1", "bob"): "in_progress"}
    [exported] = list(ws.exporter.records(ExportFilter()))
    assert exported.text == TRICKY
    assert exported.meta == {"source": "wire", "n": 3}


def good_line(i: int) -> dict:
    body = f"Document number {i} says something."
    return {
        "id": f"d{i}",
        "text": body,
        "spans": [{"start": 0, "end": 8, "text": body[:8], "label": "framing", "annotator": "alice"}],
        "status": {"alice": "done"},
    }


def bad_third_line(mutate) -> list[object]:
    third = good_line(3)
    mutate(third)
    return [good_line(1), good_line(2), third, good_line(4)]


def set_span(key: str, value: object):
    def mutate(record: dict) -> None:
        record["spans"][0][key] = value

    return mutate


FAULTS = {
    "missing text": (lambda r: r.pop("text"), "text", "missing"),
    "text not a string": (lambda r: r.__setitem__("text", 5), "text", "string"),
    "start float": (set_span("start", 0.0), "spans[0].start", "integer"),
    "end string": (set_span("end", "8"), "spans[0].end", "integer"),
    "start bool": (set_span("start", False), "spans[0].start", "integer"),
    "end bool": (set_span("end", True), "spans[0].end", "integer"),
    "negative": (set_span("start", -1), "spans[0].start", "negative"),
    "past the end": (set_span("end", 1000), "spans[0].end", "past the end"),
    "start equals end": (lambda r: r["spans"][0].update(start=4, end=4, text=""), "spans[0]", "not before"),
    "start after end": (lambda r: r["spans"][0].update(start=6, end=2), "spans[0]", "not before"),
    "span text differs": (set_span("text", "Dokument"), "spans[0].text", "Dokument"),
    "missing label": (lambda r: r["spans"][0].pop("label"), "spans[0].label", "missing"),
    "missing annotator": (lambda r: r["spans"][0].pop("annotator"), "spans[0].annotator", "missing"),
    "unknown label": (set_span("label", "sarcasm"), "spans[0].label", "sarcasm"),
    "bad status": (lambda r: r.__setitem__("status", {"alice": "finished"}), "status.alice", "finished"),
    "spans not a list": (lambda r: r.__setitem__("spans", {"a": 1}), "spans", "list"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_bad_third_line_imports_nothing(ws: Workspace, tmp_path: Path, fault: str) -> None:
    mutate, field, needle = FAULTS[fault]
    import_ok(ws, write_jsonl(tmp_path / "before.jsonl", [{"id": "keep", "text": "Already here."}]))
    before = counts(ws)
    path = write_jsonl(tmp_path / "bad.jsonl", bad_third_line(mutate))
    error = import_error(ws, path)
    assert counts(ws) == before
    assert str(path) in error
    assert "line 3" in error
    assert f"'{field}'" in error
    assert needle in error


def test_invalid_json_on_line_3_imports_nothing(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    lines = [write_jsonl(tmp_path / "x.jsonl", [good_line(i)]).read_bytes() for i in (1, 2)]
    path.write_bytes(b"".join(lines) + b'{"id": "d3", "text": "unterminated\n')
    error = import_error(ws, path)
    assert counts(ws) == (0, 0, 0)
    assert str(path) in error
    assert "line 3" in error
    assert "invalid JSON" in error


def test_non_object_line_is_refused(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"text": "ok"}\n\n[1, 2]\n')
    error = import_error(ws, path)
    assert "line 3" in error
    assert counts(ws) == (0, 0, 0)


def test_same_id_with_different_text_is_refused(ws: Workspace, tmp_path: Path) -> None:
    import_ok(ws, write_jsonl(tmp_path / "one.jsonl", [good_line(1)]))
    changed = good_line(1)
    changed["text"] = "Document number 1 says something else."
    before = counts(ws)
    path = write_jsonl(tmp_path / "two.jsonl", [good_line(2), changed])
    error = import_error(ws, path)
    assert "line 2" in error
    assert "d1" in error
    assert "different text" in error
    assert counts(ws) == before
    assert stored_documents(ws)[0][2] == "Document number 1 says something."


def test_same_id_twice_in_one_file_with_different_text_is_refused(ws: Workspace, tmp_path: Path) -> None:
    other = good_line(1)
    other["text"] = "Another text entirely."
    other["spans"] = []
    error = import_error(ws, write_jsonl(tmp_path / "dup.jsonl", [good_line(1), other]))
    assert "d1" in error
    assert counts(ws) == (0, 0, 0)


def test_reimporting_jsonl_adds_nothing(ws: Workspace, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [tricky_record(), good_line(1)])
    first = import_ok(ws, path)
    after_first = counts(ws)
    second = import_ok(ws, path)
    assert counts(ws) == after_first == (2, 5, 3)
    assert (first.spans_added, second.spans_added, second.spans_present) == (5, 0, 5)
    assert (second.documents_added, second.documents_merged) == (0, 2)


# --- merging the work of several annotators ---------------------------------------------------


def annotate(ws: Workspace, who: str, plan: dict[str, tuple[list[tuple[int, int, str]], str]]) -> None:
    annotator = ws.annotators.sign_in(who)
    docs = {d.uid: d.id for d in ws.documents.list_for(annotator.id)}
    labels = {label.name: label.id for label in ws.labels.list()}
    for uid, (spans, status) in plan.items():
        for start, end, label in spans:
            ws.annotations.add(docs[uid], annotator.id, labels[label], start, end)
        ws.documents.set_status(docs[uid], annotator.id, status)


def export_to(ws: Workspace, path: Path) -> Path:
    ws.exporter.export("jsonl", ExportFilter(), path=path)
    return path


def test_merging_two_annotators_in_any_order_gives_the_union(make_workspace, tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "corpus.jsonl",
        [{"id": f"d{i}", "text": f"Text {i}: Moscow and Beijing sign a deal. 😀"} for i in range(3)],
    )
    alice_ws, bob_ws = make_workspace("alice.db"), make_workspace("bob.db")
    for one in (alice_ws, bob_ws):
        import_ok(one, source)
    annotate(alice_ws, "alice", {"d0": ([(8, 14, "framing"), (19, 26, "leverage")], "done"),
                                 "d1": ([(8, 14, "framing")], "in_progress")})  # fmt: skip
    annotate(bob_ws, "bob", {"d0": ([(8, 14, "framing")], "in_progress"), "d2": ([], "done")})
    alice_file = export_to(alice_ws, tmp_path / "alice.jsonl")
    bob_file = export_to(bob_ws, tmp_path / "bob.jsonl")

    expected_spans = {
        ("d0", "alice", "framing", 8, 14, None),
        ("d0", "alice", "leverage", 19, 26, None),
        ("d1", "alice", "framing", 8, 14, None),
        ("d0", "bob", "framing", 8, 14, None),
    }
    expected_status = {
        ("d0", "alice"): "done",
        ("d1", "alice"): "in_progress",
        ("d0", "bob"): "in_progress",
        ("d2", "bob"): "done",
    }
    results = []
    for name, order in {
        "ab": [alice_file, bob_file],
        "ba": [bob_file, alice_file],
        "abab": [alice_file, bob_file, alice_file, bob_file],
        "baab": [bob_file, alice_file, alice_file, bob_file],
    }.items():
        merged = make_workspace(f"merged-{name}.db")
        for path in order:
            import_ok(merged, path)
        assert counts(merged) == (3, 4, 4), name
        assert stored_spans(merged) == expected_spans, name
        assert stored_statuses(merged) == expected_status, name
        results.append(read_jsonl(export_to(merged, tmp_path / f"merged-{name}.jsonl").read_bytes()))
    # Span order within a record follows stored annotator ids, which depend on import order.
    for records in results:
        for record in records:
            record["spans"].sort(key=lambda s: (s["start"], s["end"], s["label"], s["annotator"]))
    assert all(r == results[0] for r in results)


def test_status_only_moves_forward(ws: Workspace, tmp_path: Path) -> None:
    def record(status: str) -> dict:
        return {"id": "d", "text": "Some text here.", "status": {"alice": status, "bob": status}}

    import_ok(ws, write_jsonl(tmp_path / "1.jsonl", [record("in_progress")]))
    import_ok(ws, write_jsonl(tmp_path / "2.jsonl", [record("done")]))
    assert stored_statuses(ws) == {("d", "alice"): "done", ("d", "bob"): "done"}
    import_ok(ws, write_jsonl(tmp_path / "3.jsonl", [record("todo")]))
    import_ok(ws, write_jsonl(tmp_path / "4.jsonl", [record("in_progress")]))
    assert stored_statuses(ws) == {("d", "alice"): "done", ("d", "bob"): "done"}


def test_status_in_one_file_merges_forward(ws: Workspace, tmp_path: Path) -> None:
    first = {"id": "d", "text": "Some text.", "status": {"alice": "done"}}
    second = copy.deepcopy(first)
    second["status"] = {"alice": "in_progress"}
    import_ok(ws, write_jsonl(tmp_path / "x.jsonl", [first, second]))
    assert stored_statuses(ws) == {("d", "alice"): "done"}
    assert counts(ws)[0] == 1


def test_annotator_option_supplies_missing_annotator(ws: Workspace, tmp_path: Path) -> None:
    line = good_line(1)
    del line["spans"][0]["annotator"]
    path = write_jsonl(tmp_path / "x.jsonl", [line])
    result = ws.importer.import_paths([path], annotator="carol")
    assert result.ok, result.files[0].error
    assert {s[1] for s in stored_spans(ws)} == {"carol"}


def test_one_bad_file_does_not_stop_the_others(ws: Workspace, tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [good_line(1)])
    bad = write_jsonl(tmp_path / "bad.jsonl", [good_line(2), {"title": "no text"}])
    result = ws.importer.import_paths([bad, good])
    assert [f.ok for f in result.files] == [False, True]
    assert not result.ok
    assert [d[0] for d in stored_documents(ws)] == ["d1"]


def test_notes_with_tabs_newlines_and_backslashes_survive_the_bulk_path(
    ws: Workspace, tmp_path: Path
) -> None:
    note = "tab\there\nnew line\\backslash \\N not null\r\nend"
    record = {
        "id": "n",
        "text": "Putin met Xi in Moscow.",
        "spans": [
            {"start": 0, "end": 5, "label": "framing", "annotator": "alice", "note": note},
            {"start": 10, "end": 12, "label": "framing", "annotator": "alice", "note": None},
        ],
    }
    import_ok(ws, write_jsonl(tmp_path / "notes.jsonl", [record]))
    alice = ws.annotators.find("alice")
    [doc] = ws.documents.list_for(alice.id)
    assert [s.note for s in ws.annotations.spans_for(doc.id, alice.id)] == [note, None]
