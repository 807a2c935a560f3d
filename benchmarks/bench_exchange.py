"""Import and export of 300,000 spans over 1,000 documents, against a minimal orjson + sqlite3 script.

Run: python benchmarks/bench_exchange.py
Each figure is the median wall time of whole processes (process start included), measured in this
run; the target is annotator / minimal <= 3 for import and for export.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
LABELS = ["strategic messaging", "economic outcome", "leverage", "framing"]
ANNOTATORS = ["alice", "bob", "carol"]
REPEATS = 3


def make_corpus(path: Path, documents: int = 1000, spans_per_doc: int = 300) -> int:
    rng = random.Random(11)
    words = (HERE.parent / "resources" / "sample-article.txt").read_text("utf-8").split()
    total = 0
    with path.open("wb") as out:
        for d in range(documents):
            text = " ".join(rng.choice(words) for _ in range(900))
            seen = set()
            spans = []
            while len(spans) < spans_per_doc:
                start = rng.randrange(0, len(text) - 60)
                key = (start, start + rng.randint(3, 60), rng.choice(LABELS), rng.choice(ANNOTATORS))
                if key not in seen:
                    seen.add(key)
                    spans.append({"start": key[0], "end": key[1], "label": key[2], "annotator": key[3]})
            total += len(spans)
            status = {a: "done" for a in ANNOTATORS}
            out.write(
                orjson.dumps(
                    {"id": f"doc-{d}", "title": f"Doc {d}", "text": text, "spans": spans, "status": status}
                )
                + b"\n"
            )
    return total


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="annotator-exchange-"))
    corpus = tmp / "corpus.jsonl"
    spans = make_corpus(corpus)
    py = sys.executable
    annotator_import, minimal_import, annotator_export, minimal_export = [], [], [], []
    for i in range(REPEATS):
        db = str(tmp / f"annotator-{i}.db")
        mdb = str(tmp / f"minimal-{i}.db")
        annotator_import.append(timed([py, "-m", "annotator", "--db", db, "import", str(corpus)]))
        minimal_import.append(timed([py, str(HERE / "exchange_minimal.py"), "import", mdb, str(corpus)]))
        annotator_export.append(
            timed(
                [py, "-m", "annotator", "--db", db, "export", "--format", "jsonl", "-o", str(tmp / "a.jsonl")]
            )
        )
        minimal_export.append(
            timed([py, str(HERE / "exchange_minimal.py"), "export", mdb, str(tmp / "m.jsonl")])
        )
    exported = sum(len(orjson.loads(line)["spans"]) for line in (tmp / "a.jsonl").read_bytes().splitlines())
    assert exported == spans, (exported, spans)
    med = statistics.median
    print(f"{spans:,} spans over 1,000 documents; medians of {REPEATS} runs, process start included")
    print(
        f"import: annotator {med(annotator_import):.2f} s, minimal {med(minimal_import):.2f} s, "
        f"ratio {med(annotator_import) / med(minimal_import):.2f} (target <= 3)"
    )
    print(
        f"export: annotator {med(annotator_export):.2f} s, minimal {med(minimal_export):.2f} s, "
        f"ratio {med(annotator_export) / med(minimal_export):.2f} (target <= 3)"
    )


if __name__ == "__main__":
    main()
