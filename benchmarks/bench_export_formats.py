"""Every export format against jsonl on the same project: seconds, ratio to jsonl, peak RSS.

Run: python benchmarks/bench_export_formats.py [DOCUMENTS]   (default 10,000 documents, 30 spans each)
Each figure is the median wall time of whole processes (process start included) and the peak
resident memory of the process, measured in this run. Goal: every format <= 2x jsonl, and memory
bounded by the batch (not growing with the project).
"""

from __future__ import annotations

import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

HERE = Path(__file__).resolve().parent
LABELS = ["PER", "ORG", "LOC", "MISC"]
ANNOTATORS = ["alice"]
FORMATS = ["jsonl", "prodigy", "conll", "brat", "doccano", "labelstudio"]
REPEATS = 3


def make_corpus(path: Path, documents: int, spans_per_doc: int = 30) -> None:
    rng = random.Random(7)
    words = (HERE.parent / "resources" / "sample-article.txt").read_text("utf-8").split()
    with path.open("wb") as out:
        for d in range(documents):
            tokens = [rng.choice(words) for _ in range(300)]
            text = " ".join(tokens)
            # Spans on token boundaries, not overlapping (what CoNLL and brat can carry).
            starts, pos = [], 0
            for tok in tokens:
                starts.append((pos, pos + len(tok)))
                pos += len(tok) + 1
            chosen = sorted(rng.sample(range(len(tokens)), spans_per_doc))
            spans = [
                {
                    "start": starts[i][0],
                    "end": starts[i][1],
                    "label": rng.choice(LABELS),
                    "annotator": "alice",
                }
                for i in chosen
            ]
            record = {"id": f"doc-{d}", "text": text, "spans": spans, "status": {"alice": "done"}}
            out.write(orjson.dumps(record) + b"\n")


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = __import__("os").wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = status
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}")
    del before
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    tmp = Path(tempfile.mkdtemp(prefix="annotator-export-formats-"))
    try:
        corpus = tmp / "corpus.jsonl"
        make_corpus(corpus, documents)
        py = sys.executable
        db = str(tmp / "project.db")
        subprocess.run(
            [py, "-m", "annotator", "--db", db, "import", "--create-labels", str(corpus)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        results: dict[str, list[tuple[float, float]]] = {f: [] for f in FORMATS}
        for _ in range(REPEATS):
            for fmt in FORMATS:  # interleaved, so a busy moment on the machine hits every format alike
                out = tmp / ("out-brat" if fmt == "brat" else f"out.{fmt}")
                cmd = [py, "-m", "annotator", "--db", db, "export", "--format", fmt, "-o", str(out)]
                results[fmt].append(timed(cmd))
        med = statistics.median
        base = med(t for t, _ in results["jsonl"])
        print(
            f"export of {documents:,} documents x 30 spans; medians of {REPEATS} runs, process start included"
        )
        print(f"{'format':<12} {'seconds':>8} {'x jsonl':>8} {'peak MB':>8}")
        for fmt in FORMATS:
            seconds = med(t for t, _ in results[fmt])
            rss = max(m for _, m in results[fmt])
            print(f"{fmt:<12} {seconds:8.2f} {seconds / base:8.2f} {rss:8.0f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
