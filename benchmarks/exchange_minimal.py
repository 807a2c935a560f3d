"""The minimal script the import/export speed is compared with: orjson + sqlite3, one transaction.

Usage: python exchange_minimal.py import DB FILE | export DB FILE
It does the same I/O as `annotator import` / `annotator export --format jsonl` and nothing else:
no validation, no merging, no schema versioning.
"""

from __future__ import annotations

import sqlite3
import sys
from collections import defaultdict

import orjson

SCHEMA = """
CREATE TABLE IF NOT EXISTS document (id INTEGER PRIMARY KEY, uid TEXT UNIQUE, title TEXT, text TEXT);
CREATE TABLE IF NOT EXISTS span (id INTEGER PRIMARY KEY, document_id INTEGER, annotator TEXT, label TEXT,
    start INTEGER, "end" INTEGER, note TEXT);
"""


def do_import(db: str, path: str) -> None:
    conn = sqlite3.connect(db)
    conn.executescript(SCHEMA)
    with conn, open(path, "rb") as lines:
        for line in lines:
            rec = orjson.loads(line)
            cur = conn.execute(
                "INSERT INTO document (uid, title, text) VALUES (?, ?, ?)",
                (rec["id"], rec.get("title", rec["id"]), rec["text"]),
            )
            doc_id = cur.lastrowid
            conn.executemany(
                'INSERT INTO span (document_id, annotator, label, start, "end", note) VALUES (?, ?, ?, ?, ?, ?)',
                [
                    (doc_id, s["annotator"], s["label"], s["start"], s["end"], s.get("note"))
                    for s in rec["spans"]
                ],
            )


def do_export(db: str, path: str) -> None:
    conn = sqlite3.connect(db)
    spans = defaultdict(list)
    for doc_id, annotator, label, start, end, note in conn.execute(
        'SELECT document_id, annotator, label, start, "end", note FROM span ORDER BY document_id, start, "end"'
    ):
        spans[doc_id].append((start, end, label, annotator, note))
    with open(path, "wb") as out:
        for doc_id, uid, title, text in conn.execute("SELECT id, uid, title, text FROM document ORDER BY id"):
            record = {
                "id": uid,
                "title": title,
                "text": text,
                "spans": [
                    {"start": s, "end": e, "text": text[s:e], "label": lab, "annotator": a, "note": n}
                    for s, e, lab, a, n in spans[doc_id]
                ],
            }
            out.write(orjson.dumps(record) + b"\n")


if __name__ == "__main__":
    {"import": do_import, "export": do_export}[sys.argv[1]](sys.argv[2], sys.argv[3])
