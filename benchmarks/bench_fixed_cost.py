"""The fixed cost of a command: what every `annotator ...` pays before it does any work.

Run: python benchmarks/bench_fixed_cost.py
Medians of several whole processes (process start included), measured in this run, against two floors:
a bare `python -c pass` and a minimal orjson + sqlite3 script that imports and exports one document.
Goals (issue 16): `annotator --version` <= 0.15 s; import or export of a 1-document file <= 0.4 s.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 7

DOCUMENT = b'{"id": "d1", "text": "Alice met Bob in Paris.", "spans": [{"start": 17, "end": 22, "label": "LOC", "annotator": "alice"}]}\n'

# The floor for one document in and out: parse the line, store it, read it back, write it.
MINIMAL = """
import sqlite3, sys, orjson
db, src, out = sys.argv[1:4]
con = sqlite3.connect(db)
con.execute("CREATE TABLE IF NOT EXISTS document (id INTEGER PRIMARY KEY, uid TEXT, text TEXT, spans TEXT)")
with open(src, "rb") as fh:
    rows = [orjson.loads(line) for line in fh]
with con:
    con.executemany("INSERT INTO document (uid, text, spans) VALUES (?, ?, ?)",
                    [(r["id"], r["text"], orjson.dumps(r["spans"])) for r in rows])
with open(out, "wb") as fh:
    for uid, text, spans in con.execute("SELECT uid, text, spans FROM document"):
        fh.write(orjson.dumps({"id": uid, "text": text, "spans": orjson.loads(spans)}) + b"\\n")
con.close()
"""


def median_seconds(cmd: list[str], before: list[str] | None = None) -> float:
    times = []
    for _ in range(REPEATS):
        if before:
            subprocess.run(before, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="annotator-fixed-cost-"))
    try:
        doc = tmp / "one.jsonl"
        doc.write_bytes(DOCUMENT)
        py = sys.executable
        db = str(tmp / "project.db")
        annotator = [py, "-m", "annotator", "--db", db]
        minimal = tmp / "minimal.py"
        minimal.write_text(MINIMAL)
        remove_db = [
            py,
            "-c",
            f"import pathlib; [p.unlink() for p in pathlib.Path({str(tmp)!r}).glob('fresh.db*')]",
        ]
        fresh = [py, "-m", "annotator", "--db", str(tmp / "fresh.db")]
        subprocess.run(
            [*annotator, "import", "--create-labels", str(doc)], check=True, stdout=subprocess.DEVNULL
        )
        rows = [
            ("python -c pass", median_seconds([py, "-c", "pass"])),
            (
                "orjson + sqlite3, 1 document",
                median_seconds([py, str(minimal), str(tmp / "m.db"), str(doc), str(tmp / "m.jsonl")]),
            ),
            ("annotator --version", median_seconds([py, "-m", "annotator", "--version"])),
            ("annotator --help", median_seconds([py, "-m", "annotator", "--help"])),
            ("import 1 document (existing db)", median_seconds([*annotator, "import", str(doc)])),
            (
                "import 1 document (new db)",
                median_seconds([*fresh, "import", "--create-labels", str(doc)], before=remove_db),
            ),
            (
                "export 1 document (jsonl)",
                median_seconds([*annotator, "export", "--format", "jsonl", "-o", str(tmp / "o.jsonl")]),
            ),
            (
                "export 1 document (conll)",
                median_seconds([*annotator, "export", "--format", "conll", "-o", str(tmp / "o.conll")]),
            ),
        ]
        bare, floor = rows[0][1], rows[1][1]
        print(f"medians of {REPEATS} runs, process start included ({sys.executable})")
        print(f"{'command':<34} {'seconds':>8} {'x pass':>7} {'x floor':>8}")
        for name, seconds in rows:
            print(f"{name:<34} {seconds:8.3f} {seconds / bare:7.2f} {seconds / floor:8.2f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
