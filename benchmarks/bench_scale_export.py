"""Every export format on the 100,000-document project and on one 20 MB document with 200,000 spans.

Run: python benchmarks/bench_scale_export.py [--quick] [--repeat N] [--case project|huge]
--quick scales both cases down tenfold (a smoke run). Each figure is the median wall time of whole
processes (process start included) and the peak resident memory of the process, measured in this
run, with its ratio to jsonl on the same data. Goals (issue 16): every format <= 2x jsonl, and
<= 250 MB in every format on both cases (memory bounded by the batch, not the project or document).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale_corpus import write_project  # noqa: E402
from scale_measure import run_measured  # noqa: E402

FORMATS = ["jsonl", "prodigy", "conll", "brat", "doccano", "labelstudio"]


def measure(db: Path, out: Path, repeat: int, annotator: list[str]) -> dict[str, list[tuple[float, float]]]:
    py = sys.executable
    results: dict[str, list[tuple[float, float]]] = {f: [] for f in FORMATS}
    for _ in range(repeat):
        for fmt in FORMATS:  # interleaved, so a busy moment on the machine hits every format alike
            target = out / ("brat" if fmt == "brat" else f"out.{fmt}")
            cmd = [py, "-m", "annotator", "--db", str(db), "export", "--format", fmt, "-o", str(target)]
            results[fmt].append(run_measured([*cmd, *annotator]))
    return results


def report(title: str, results: dict[str, list[tuple[float, float]]]) -> None:
    med = statistics.median
    base = med(t for t, _ in results["jsonl"])
    print(title)
    print(f"{'format':<12} {'seconds':>8} {'x jsonl':>8} {'peak MB':>8}")
    for fmt in FORMATS:
        seconds = med(t for t, _ in results[fmt])
        print(f"{fmt:<12} {seconds:8.2f} {seconds / base:8.2f} {max(m for _, m in results[fmt]):8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10,000 documents; a 2 MB document")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--case", choices=("project", "huge", "both"), default="both")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    tmp = Path(tempfile.mkdtemp(prefix="annotator-scale-export-"))
    py = sys.executable
    try:
        if args.case in ("project", "both"):
            documents = 100_000 // scale
            corpus, db = tmp / "project.jsonl", tmp / "project.db"
            spans = write_project(corpus, documents)
            subprocess.run(
                [py, "-m", "annotator", "--db", str(db), "import", "--create-labels", str(corpus)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            # One annotator's layer: brat and CoNLL carry one layer (the others would only add warnings).
            results = measure(db, tmp, args.repeat, ["--annotator", "alice"])
            report(
                f"{documents:,} documents, {spans:,} spans (alice's layer); medians of {args.repeat}", results
            )
        if args.case in ("huge", "both"):
            corpus, db = tmp / "huge.jsonl", tmp / "huge.db"
            # Made in a child process: a forked child's peak RSS starts from its parent's.
            spans = 200_000 // scale
            make = f"from scale_corpus import write_huge_document as w; from pathlib import Path; w(Path({str(corpus)!r}), {20 / scale}, {spans})"
            subprocess.run([py, "-c", make], check=True, cwd=HERE)
            subprocess.run(
                [py, "-m", "annotator", "--db", str(db), "import", "--create-labels", str(corpus)],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            results = measure(db, tmp, args.repeat, [])
            report(f"one {20 / scale:g} MB document, {spans:,} spans; medians of {args.repeat}", results)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
