"""Import of a 100,000-document project (1,000,000 spans) against the orjson + sqlite3 floor.

Run: python benchmarks/bench_scale_import.py [--quick] [--repeat N]
--quick scales the project down to 10,000 documents (a smoke run). Each figure is the median wall
time of whole processes (process start included) and the peak resident memory of the process,
measured in this run, interleaved with the floor (benchmarks/exchange_minimal.py: one INSERT per
document, executemany of its spans, no indexes, no checks). Goals (issue 16): import <= 2.5x the
floor, <= 250 MB.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_corpus import write_project  # noqa: E402
from scale_measure import run_measured  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 documents instead of 100,000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    documents = 10_000 if args.quick else 100_000
    tmp = Path(tempfile.mkdtemp(prefix="annotator-scale-import-"))
    try:
        corpus = tmp / "project.jsonl"
        spans = write_project(corpus, documents)
        py = sys.executable
        ours, floor = [], []
        for i in range(args.repeat):
            floor.append(
                run_measured(
                    [py, str(HERE / "exchange_minimal.py"), "import", str(tmp / f"m{i}.db"), str(corpus)]
                )
            )
            db = str(tmp / f"a{i}.db")
            ours.append(
                run_measured([py, "-m", "annotator", "--db", db, "import", "--create-labels", str(corpus)])
            )
        med = statistics.median
        t_ours, t_floor = med(t for t, _ in ours), med(t for t, _ in floor)
        print(
            f"import of {documents:,} documents, {spans:,} spans ({corpus.stat().st_size / 1e6:.0f} MB); "
            f"medians of {args.repeat}, process start included"
        )
        print(f"{'':<10} {'seconds':>8} {'peak MB':>8}")
        print(f"{'floor':<10} {t_floor:8.2f} {max(m for _, m in floor):8.0f}")
        print(f"{'annotator':<10} {t_ours:8.2f} {max(m for _, m in ours):8.0f}")
        print(
            f"ratio {t_ours / t_floor:.2f} (goal <= 2.5); peak {max(m for _, m in ours):.0f} MB (goal <= 250)"
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
